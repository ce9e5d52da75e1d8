#!/usr/bin/env bash
# Download and upload throughput of ftpbridge's embedded FTP server against vsftpd, both driven by
# curl on loopback (EPSV, binary), the same file, runs interleaved. Prints medians and ratios.
# Usage: bench/ftp-server-vs-vsftpd.sh [size-MiB] [runs]      (as root; builds the jar if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
size_mib=${1:-256}
runs=${2:-5}
vsftpd=${VSFTPD:-/opt/ftp-peers/usr/sbin/vsftpd}
[ -x "$vsftpd" ] || bash .ci/install-ftp-peers.sh
jar=$(ls target/ftpbridge-*.jar 2>/dev/null | head -n1 || true)
[ -n "$jar" ] || { ./mvnw -q -B package -DskipTests; jar=$(ls target/ftpbridge-*.jar | head -n1); }

work=$(mktemp -d /tmp/ftp-bench.XXXXXX)
chmod 755 "$work"   # vsftpd enters local_root as the bench user
cleanup() { kill "${app_pid:-}" "${vs_pid:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

user=benchftp; password=bench-password-1
id "$user" >/dev/null 2>&1 || useradd --no-create-home --home-dir / --shell /bin/bash "$user"
echo "$user:$password" | chpasswd
printf 'auth required pam_unix.so\naccount required pam_unix.so\nsession required pam_permit.so\n' > /etc/pam.d/ftpbridge-bench

mkdir -p "$work/vsftpd-root" "$work/empty" "$work/data"
head -c "$((size_mib * 1024 * 1024))" /dev/urandom > "$work/payload.bin"
cp "$work/payload.bin" "$work/vsftpd-root/payload.bin"
chown -R "$user:" "$work/vsftpd-root"
cat > "$work/vsftpd.conf" <<CONF
listen=YES
listen_address=127.0.0.1
listen_port=22021
background=NO
anonymous_enable=NO
local_enable=YES
write_enable=YES
local_root=$work/vsftpd-root
chroot_local_user=YES
allow_writeable_chroot=YES
pam_service_name=ftpbridge-bench
seccomp_sandbox=NO
isolate=NO
isolate_network=NO
secure_chroot_dir=$work/empty
pasv_min_port=36100
pasv_max_port=36199
CONF
"$vsftpd" "$work/vsftpd.conf" > "$work/vsftpd.log" 2>&1 & vs_pid=$!

java -Xmx512m -jar "$jar" --server.port=28080 --ftpbridge.ftp.port=22121 --ftpbridge.data-dir="$work/data" \
     --ftpbridge.admin.password=bench-admin-pw --ftpbridge.ftp.passive-ports=36000-36099 > "$work/app.log" 2>&1 & app_pid=$!
for _ in $(seq 1 120); do curl -sf http://127.0.0.1:28080/actuator/health >/dev/null && break; sleep 1; done
A=admin:bench-admin-pw
curl -sf -u $A -H 'Content-Type: application/json' http://127.0.0.1:28080/api/v1/folders -d '{"name":"bench"}' >/dev/null
curl -sf -u $A -H 'Content-Type: application/json' http://127.0.0.1:28080/api/v1/users -d "{\"username\":\"$user\",\"password\":\"$password\",\"mounts\":[{\"folder\":\"bench\",\"path\":\"/\",\"permissions\":[\"LIST\",\"READ\",\"WRITE\",\"DELETE\"]}]}" >/dev/null
cp "$work/payload.bin" "$work/data/storage/bench/payload.bin"

speed() { curl -sS -o /dev/null -w '%{speed_download}\n' --user "$user:$password" "$@"; }
upspeed() { curl -sS -o /dev/null -w '%{speed_upload}\n' --user "$user:$password" -T "$work/payload.bin" "$@"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

: > "$work/ours-down"; : > "$work/vs-down"; : > "$work/ours-up"; : > "$work/vs-up"
speed ftp://127.0.0.1:22121/payload.bin >/dev/null; speed ftp://127.0.0.1:22021/payload.bin >/dev/null   # warm-up
for _ in $(seq 1 "$runs"); do
  speed ftp://127.0.0.1:22121/payload.bin >> "$work/ours-down"
  speed ftp://127.0.0.1:22021/payload.bin >> "$work/vs-down"
  upspeed ftp://127.0.0.1:22121/upload.bin >> "$work/ours-up"
  upspeed ftp://127.0.0.1:22021/upload.bin >> "$work/vs-up"
done
od=$(median < "$work/ours-down"); vd=$(median < "$work/vs-down")
ou=$(median < "$work/ours-up"); vu=$(median < "$work/vs-up")
awk -v od="$od" -v vd="$vd" -v ou="$ou" -v vu="$vu" -v size="$size_mib" -v runs="$runs" 'BEGIN {
  printf "file %d MiB, %d runs each, medians (MiB/s)\n", size, runs
  printf "download  ftpbridge %8.1f   vsftpd %8.1f   ratio %.2f\n", od/1048576, vd/1048576, od/vd
  printf "upload    ftpbridge %8.1f   vsftpd %8.1f   ratio %.2f\n", ou/1048576, vu/1048576, ou/vu
}'
