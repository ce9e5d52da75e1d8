#!/usr/bin/env bash
# Authenticated REST throughput against the unauthenticated liveness endpoint, and repeated FTP
# logins, on one ftpbridge instance (H2, fresh data dir) with the credential memory on, and the
# same with it off (ftpbridge.security.credential-cache-ttl=0: one bcrypt per request/login, as
# before API keys, tokens and the memory existed).
# Usage: bench/rest-auth.sh [seconds-per-wrk-run]     (wrk and python3 on PATH; builds the jar if missing)
# BENCH_JAVA_OPTS adds JVM options (e.g. -XX:+PreserveFramePointer for perf; note that a JFR recording
# running during wrk cut this endpoint's throughput by about 3x on the 2-core machine, so profile with care).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-15}
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)"; exit 1; }
jar=$(ls target/ftpbridge-*.jar 2>/dev/null | head -n1 || true)
[ -n "$jar" ] || { ./mvnw -q -B package -DskipTests; jar=$(ls target/ftpbridge-*.jar | head -n1); }

work=$(mktemp -d /tmp/rest-auth-bench.XXXXXX)
cleanup() { [ -n "${app_pid:-}" ] && kill "$app_pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
http=28180; ftp=22221; base=http://127.0.0.1:$http
A=admin:bench-admin-pw

start() {   # $1 = credential-cache-ttl
  rm -rf "$work/data"
  java -Xmx512m ${BENCH_JAVA_OPTS:-} -jar "$jar" --server.port=$http --ftpbridge.ftp.port=$ftp --ftpbridge.data-dir="$work/data" \
       --ftpbridge.admin.password=bench-admin-pw --ftpbridge.ftp.passive-ports=28600-28699 \
       --ftpbridge.security.credential-cache-ttl="$1" --logging.level.root=WARN > "$work/app.log" 2>&1 & app_pid=$!
  for _ in $(seq 1 120); do curl -sf $base/actuator/health/liveness >/dev/null && break; sleep 1; done
  curl -sf -u $A -H 'Content-Type: application/json' $base/api/v1/folders -d '{"name":"bench"}' >/dev/null
  for i in $(seq -w 1 20); do
    curl -sf -u $A -H 'Content-Type: application/json' $base/api/v1/users -d "{\"username\":\"user$i\",\"password\":\"bench-user-pw-$i\",\"mounts\":[{\"folder\":\"bench\",\"path\":\"/\",\"permissions\":[\"LIST\",\"READ\"]}]}" >/dev/null
  done
}
stop() { kill "$app_pid"; wait "$app_pid" 2>/dev/null || true; app_pid=; }

# wrk with 2 threads and 16 connections, after a 5 s warm-up run; prints "<label> <requests/s> <p50> <p99>"
run() {
  local label=$1; shift
  wrk -t2 -c16 -d5s "$@" > /dev/null 2>&1
  wrk -t2 -c16 -d"${secs}s" --latency "$@" > "$work/wrk.out" 2>&1
  awk -v label="$label" '
    /Requests\/sec/ {rps=$2}
    /^ +50%/ {p50=$2} /^ +99%/ {p99=$2}
    /Non-2xx/ {bad=$NF}
    END {printf "%-30s %10.0f req/s   p50 %-9s p99 %-9s %s\n", label, rps, p50, p99, bad ? "NON-2xx: " bad : ""}' "$work/wrk.out"
}

ftp_logins() {   # 4 ftplib clients logging in and out for 10 s; prints logins/s
  python3 - "$ftp" <<'PY'
import ftplib, multiprocessing, sys, time
port = int(sys.argv[1])
def worker(n):
    end, count = time.time() + 10, 0
    while time.time() < end:
        f = ftplib.FTP()
        f.connect('127.0.0.1', port, timeout=30)
        f.login('user01', 'bench-user-pw-01')
        f.quit()
        count += 1
    return count
with multiprocessing.Pool(4) as pool:
    total = sum(pool.map(worker, range(4)))
print(f"ftp logins (4 clients)     {total / 10:10.0f} logins/s")
PY
}

echo "== credential memory on (default 60s)"
start 60s
key=$(curl -sf -u $A -H 'Content-Type: application/json' $base/api/v1/api-keys -d '{"name":"bench","role":"OPERATOR"}' \
      | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
token=$(curl -sf -u $A -X POST $base/api/v1/auth/token | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
basic=$(printf '%s' "$A" | base64)
curl -sf -H "Authorization: Bearer $key" "$base/api/v1/users?size=50" | python3 -c 'import json,sys; assert json.load(sys.stdin)["total"] == 20'
# warm-up: the JIT compiles the users endpoint's and the liveness endpoint's paths once for all the measured runs
for h in "Bearer $key" "Bearer $token" "Basic $basic"; do wrk -t2 -c16 -d5s -H "Authorization: $h" "$base/api/v1/users" >/dev/null 2>&1; done
wrk -t2 -c16 -d5s "$base/actuator/health/liveness" >/dev/null 2>&1
# Two rounds of the four runs: on 2 cores the JIT keeps improving the shared path (Tomcat, filters,
# Jackson) for minutes, so that a later run of either endpoint is faster than an earlier one
# (2026-11-26: liveness 4,565 req/s in the first run, 13,916 in a run after the other three).
# Round 2 is the steady state to compare; round 1 shows how far from it a cold service is.
for round in 1 2; do
  run "[$round] liveness (no credentials)" $base/actuator/health/liveness
  run "[$round] users, API key" -H "Authorization: Bearer $key" "$base/api/v1/users"
  run "[$round] users, token" -H "Authorization: Bearer $token" "$base/api/v1/users"
  run "[$round] users, Basic (repeated)" -H "Authorization: Basic $basic" "$base/api/v1/users"
done
ftp_logins
stop

echo "== credential memory off (credential-cache-ttl=0: bcrypt on every request and login)"
start 0s
run "users, Basic (repeated)" -H "Authorization: Basic $basic" "$base/api/v1/users"
ftp_logins
stop
