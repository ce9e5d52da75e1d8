#!/usr/bin/env bash
# A transfer job's fixed cost: small-file jobs against curl doing the same steps on the same vsftpd
# (bench/lib.sh setup), interleaved, order swapped every run. Per run: curl STOR to a temporary name +
# RNFR/RNTO and an UPLOAD job; curl RETR into a file and a DOWNLOAD job. Job time is startedAt..finishedAt
# (what bench/all.sh divides the bytes by); curl's is time_total (connect, login, transfer, rename).
# Prints every run and the medians in ms, and the job's log lines of the last upload run.
# Usage: bench/job-overhead.sh [KiB] [runs]   (as root; wrap it in /work/wt/cpu-bench on shared machines)
set -euo pipefail
cd "$(dirname "$0")/.."
kib=${1:-1}
runs=${2:-12}
size_mib=1
. bench/lib.sh
head -c "$((kib * 1024))" /dev/urandom > "$work/small.bin"
cp "$work/small.bin" "$work/data/storage/bench/small.bin"; cp "$work/small.bin" "$work/vsftpd-root/small.bin"
chown "$user:" "$work/vsftpd-root/small.bin"
api() { curl -sS -u "$A" -H 'Content-Type: application/json' "$@"; }
api -o /dev/null $rest/api/v1/remotes -d "{\"name\":\"bench-vsftpd\",\"host\":\"127.0.0.1\",\"port\":22021,
  \"username\":\"$user\",\"password\":\"$password\",\"dataMode\":\"EPSV\"}"
# prints a job's startedAt..finishedAt in ms once its event stream has ended
job() {
  local id body
  id=$(api $rest/api/v1/transfers -d "$1" | jobid)
  curl -sS -N -u "$A" -o /dev/null $rest/api/v1/transfers/$id/events || true
  for _ in $(seq 1 50); do
    body=$(api $rest/api/v1/transfers/$id)
    case $body in *'"state":"SUCCEEDED"'*) break ;; *'"state":"FAILED"'*|*'"state":"CANCELLED"'*) echo "job $id: $body" >&2; exit 1 ;; esac
    sleep 0.05
  done
  echo "$body" | python3 -c 'import json,sys,datetime as d; j=json.load(sys.stdin); t=lambda s: d.datetime.fromisoformat(s.replace("Z","+00:00")); print("%.1f" % ((t(j["finishedAt"])-t(j["startedAt"])).total_seconds()*1000))'
}
up_job() { job "{\"remote\":\"bench-vsftpd\",\"direction\":\"UPLOAD\",\"remotePath\":\"/job-up-$1.bin\",\"folder\":\"bench\",\"localPath\":\"small.bin\",\"verify\":false}"; }
down_job() { job "{\"remote\":\"bench-vsftpd\",\"direction\":\"DOWNLOAD\",\"remotePath\":\"/small.bin\",\"folder\":\"bench\",\"localPath\":\"job-down-$1.bin\",\"verify\":false}"; }
curl_up() {
  curl -sS -o /dev/null -w '%{time_total}\n' --user "$user:$password" -T "$work/small.bin" \
       -Q "-RNFR .curl-up-$1.part" -Q "-RNTO curl-up-$1.bin" "$vs/.curl-up-$1.part" | awk '{printf "%.1f\n", $1*1000}'
}
curl_down() {
  curl -sS -o "$work/data/storage/bench/curl-down-$1.bin" -w '%{time_total}\n' --user "$user:$password" "$vs/small.bin" \
    | awk '{printf "%.1f\n", $1*1000}'
}
for f in job-up curl-up job-down curl-down; do : > "$work/$f"; done
# warm-up: the JIT (bench/all.sh: 20 small jobs of each kind), vsftpd's and curl's first runs
for w in $(seq 1 20); do up_job "w$w" >/dev/null; down_job "w$w" >/dev/null; curl_up "w$w" >/dev/null; curl_down "w$w" >/dev/null; done
rm -f "$work"/vsftpd-root/*-w*.bin "$work"/data/storage/bench/*-w*.bin
for run in $(seq 1 "$runs"); do
  if [ $((run % 2)) = 1 ]; then
    curl_up $run >> "$work/curl-up"; up_job $run >> "$work/job-up"
    curl_down $run >> "$work/curl-down"; down_job $run >> "$work/job-down"
  else
    up_job $run >> "$work/job-up"; curl_up $run >> "$work/curl-up"
    down_job $run >> "$work/job-down"; curl_down $run >> "$work/curl-down"
  fi
done
printf '%d KiB, %d runs each, ms (job: startedAt..finishedAt; curl: time_total)\n' "$kib" "$runs"
for f in curl-up job-up curl-down job-down; do
  printf '  %-10s median %6.1f  runs:' "$f" "$(median < "$work/$f")"; awk '{printf " %.0f", $1} END {print ""}' "$work/$f"
done
echo "log of the last upload job:"
id=$(api "$rest/api/v1/transfers?size=2" | grep -o '"id":[0-9]*' | cut -d: -f2 | sort -n | tail -n2 | head -n1)
grep -E "id=$id[ ,]|id=$id\$" "$work/app.log" | tail -n 20 | cut -c1-220
