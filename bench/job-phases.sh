#!/usr/bin/env bash
# Where a transfer job's time goes, next to curl against the same vsftpd (bench/lib.sh setup).
# Per run: curl RETR to a file, a DOWNLOAD job, curl STOR, an UPLOAD job. Prints per job: its time
# (startedAt..finishedAt), the data phase (EPSV..226, the "transferMillis" of "Transfer file done"),
# and the CPU ticks (1/100 s) each JVM thread used while the job ran (submit to end of its event stream),
# so that the job thread can be compared with the JIT, GC and request threads, and how long the job's
# thread ran and how long it waited, runnable, for a CPU (/proc/.../schedstat).
# Usage: bench/job-phases.sh [size-MiB] [runs]   (as root; wrap it in /work/wt/cpu-bench on shared machines)
set -euo pipefail
cd "$(dirname "$0")/.."
size_mib=${1:-256}
runs=${2:-4}
. bench/lib.sh
api() { curl -sS -u "$A" -H 'Content-Type: application/json' "$@"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
threads() {  # per-thread CPU ticks of the application, as JSON
  python3 - "$app_pid" <<'PY'
import json, os, sys
pid, out = sys.argv[1], {}
for t in os.listdir(f"/proc/{pid}/task"):
    try:
        s = open(f"/proc/{pid}/task/{t}/stat").read()
        f = s[s.rindex(")") + 2:].split()
        run, wait = open(f"/proc/{pid}/task/{t}/schedstat").read().split()[:2]
        out[t + " " + s[s.index("(") + 1:s.rindex(")")]] = [int(f[11]) + int(f[12]), int(run), int(wait)]
    except OSError:
        pass
print(json.dumps(out))
PY
}
api -o /dev/null $rest/api/v1/remotes -d "{\"name\":\"bench-vsftpd\",\"host\":\"127.0.0.1\",\"port\":22021,
  \"username\":\"$user\",\"password\":\"$password\",\"dataMode\":\"EPSV\"}"
job() {
  local id before after body
  before=$(threads)
  id=$(api $rest/api/v1/transfers -d "$1" | jobid)
  curl -sS -N -u "$A" -o /dev/null $rest/api/v1/transfers/$id/events || true
  after=$(threads)
  sleep 0.1  # the final state is written just before the event stream ends
  body=$(api $rest/api/v1/transfers/$id)
  python3 - "$before" "$after" "$body" "$work/app.log" <<'PY'
import datetime, json, re, sys
a, b, j = json.loads(sys.argv[1]), json.loads(sys.argv[2]), json.loads(sys.argv[3])
ts = lambda s: datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
total = (ts(j["finishedAt"]) - ts(j["startedAt"])).total_seconds()
copy = ""
for line in open(sys.argv[4]):
    m = re.search(r"Transfer file done: id=%d .*transferMillis=(\d+)" % j["id"], line)
    if m:
        copy = m.group(1)
zero = [0, 0, 0]
cpu = sorted(((b[k][0] - a.get(k, zero)[0], k.split(" ", 1)[1]) for k in b), reverse=True)
# the job's thread: CPU time it ran and time it sat runnable on a run queue (schedstat, ns)
run, wait = max(((b[k][1] - a.get(k, zero)[1], b[k][2] - a.get(k, zero)[2]) for k in b
                 if k.split(" ", 1)[1].startswith("transfer-") and k.split(" ", 1)[1][9:].isdigit()), default=(0, 0))
print("%-8s job %3d  total %4.0f ms  %6.0f MiB/s  data phase %s ms  job thread ran %.0f ms, runnable-waiting %.0f ms"
      "  CPU ticks: %s" % (j["direction"], j["id"], total * 1000, j["progress"]["bytesDone"] / total / 1048576, copy,
      run / 1e6, wait / 1e6, " ".join("%s=%d" % (n, t) for t, n in cpu[:5] if t > 0)))
PY
}
speed $vs/payload.bin >/dev/null
for run in $(seq 0 "$runs"); do
  settle; speedto "$work/data/storage/bench/curl-file.bin" $vs/payload.bin | awk '{printf "curl RETR to a file %6.0f MiB/s\n", $1/1048576}'
  rm -f "$work/data/storage/bench/curl-file.bin"
  settle
  job "{\"remote\":\"bench-vsftpd\",\"direction\":\"DOWNLOAD\",\"remotePath\":\"/payload.bin\",\"folder\":\"bench\",\"localPath\":\"job-$run.bin\",\"verify\":false}"
  api -o /dev/null -X DELETE $rest/api/v1/folders/bench/files/job-$run.bin
  settle; curl -sS -o /dev/null -w '%{speed_upload}\n' --user "$user:$password" -T "$work/payload.bin" \
       -Q "-RNFR .curl-up.part" -Q "-RNTO curl-up.bin" "$vs/.curl-up.part" | awk '{printf "curl STOR+rename    %6.0f MiB/s\n", $1/1048576}'
  rm -f "$work/vsftpd-root/curl-up.bin"
  settle
  job "{\"remote\":\"bench-vsftpd\",\"direction\":\"UPLOAD\",\"remotePath\":\"/job-up-$run.bin\",\"folder\":\"bench\",\"localPath\":\"payload.bin\",\"verify\":false}"
  rm -f "$work/vsftpd-root/job-up-$run.bin"
done
