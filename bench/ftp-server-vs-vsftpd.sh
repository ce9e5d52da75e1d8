#!/usr/bin/env bash
# Download and upload throughput of ftpbridge's embedded FTP server against vsftpd, both driven by
# curl on loopback (EPSV, binary), the same file, runs interleaved. Prints medians and ratios.
# Usage: bench/ftp-server-vs-vsftpd.sh [size-MiB] [runs]      (as root; builds the jar if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
size_mib=${1:-256}
runs=${2:-5}
. bench/lib.sh

: > "$work/ours-down"; : > "$work/vs-down"; : > "$work/ours-up"; : > "$work/vs-up"
speed $ours/payload.bin >/dev/null; speed $vs/payload.bin >/dev/null   # warm-up
for _ in $(seq 1 "$runs"); do
  speed $ours/payload.bin >> "$work/ours-down"
  speed $vs/payload.bin >> "$work/vs-down"
  upspeed $ours/upload.bin >> "$work/ours-up"
  upspeed $vs/upload.bin >> "$work/vs-up"
done
od=$(median < "$work/ours-down"); vd=$(median < "$work/vs-down")
ou=$(median < "$work/ours-up"); vu=$(median < "$work/vs-up")
awk -v od="$od" -v vd="$vd" -v ou="$ou" -v vu="$vu" -v size="$size_mib" -v runs="$runs" 'BEGIN {
  printf "file %d MiB, %d runs each, medians (MiB/s)\n", size, runs
  printf "download  ftpbridge %8.1f   vsftpd %8.1f   ratio %.2f\n", od/1048576, vd/1048576, od/vd
  printf "upload    ftpbridge %8.1f   vsftpd %8.1f   ratio %.2f\n", ou/1048576, vu/1048576, ou/vu
}'
