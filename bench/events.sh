#!/usr/bin/env bash
# Issue 11 throughput: 2,000 small FTP uploads from 8 clients into a folder with a webhook rule vs the
# same uploads without it; every event delivered, delivery rate, p95 upload reply -> webhook arrival.
# Usage: [APP_ARGS="--ftpbridge.events.concurrency=16 ..."] [BENCH_JAVA_OPTS="-XX:..."] [BENCH_CPU=1] [BENCH_REPEAT=n]
#        bench/events.sh [files] [clients]   (BENCH_REPEAT: n pairs of phases in a row, and their ratio together;
#        default 12, ~2.5 min: one pair reads 0.7-1.3 on two cores, 12 pairs together 0.85-1.09, bench/README.md)
#        (BENCH_CPU=1: CPU seconds per phase of the jar's thread groups, the receiver and the uploaders)
#        (BENCH_RECEIVER=python: the webhook receiver in Python, events.py --receiver, instead of bench/events-receiver.c)
#        (BENCH_PHASES=1: each phase's start and end on CLOCK_MONOTONIC, to split a `perf record -k CLOCK_MONOTONIC` by phase)
#        (BENCH_DIR=/dev/shm: the jar's data directory (H2 and the uploads) under that directory instead of /tmp)
#        (as root; builds the jar if missing; H2, fresh data dir; APP_ARGS are passed to the jar)
set -euo pipefail
cd "$(dirname "$0")/.."
files=${1:-2000}
clients=${2:-8}
jar=$(ls target/ftpbridge-*.jar 2>/dev/null | head -n1 || true)
[ -n "$jar" ] || { ./mvnw -q -B package -DskipTests; jar=$(ls target/ftpbridge-*.jar | head -n1); }
work=$(mktemp -d "${BENCH_DIR:-/tmp}/ftp-bench-events.XXXXXX")
# when this run deleted its files (~14,000-26,000, its data directory): see the wait below
deleted_stamp=/tmp/ftpbridge-bench-events.deleted
cleanup() {
  kill "${app_pid:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"
  sync; date +%s > "$deleted_stamp"
}
trap cleanup EXIT
# a previous run leaves ~26,000 client TIME_WAIT sockets to the passive ports; runs started among them
# alternated between normal phases and phases of twice the CPU (bench/README.md, issue 11): wait them out
for _ in $(seq 1 90); do [ "$(ss -tan state time-wait | grep -c ':286[0-9][0-9]\b' || true)" -lt 200 ] && break; sleep 1; done
# and its deleted files: on ext4 without a journal (this VM's root) creating a file skips every inode deleted in the
# last 60 s (`recently_deleted`), ~5 % of a whole run's CPU right after a run's clean-up (bench/README.md, 2026-11-26)
if [ -s "$deleted_stamp" ]; then
  wait_s=$(( $(cat "$deleted_stamp") + 65 - $(date +%s) ))
  if [ "$wait_s" -gt 0 ] && [ "$wait_s" -le 65 ]; then sleep "$wait_s"; fi
fi
# the webhook receiver in C where a compiler and OpenSSL's headers are here: the same checks and output as the Python
# one, whose CPU (~0.1 ms a webhook) it took from the two cores the uploads use (bench/README.md, issue 11)
if [ "${BENCH_RECEIVER:-c}" != python ] && cc -O2 -o "$work/events-receiver" bench/events-receiver.c -lcrypto 2>"$work/cc.log"; then
  export BENCH_RECEIVER_BIN="$work/events-receiver"
fi
java -Xmx512m ${BENCH_JAVA_OPTS:-} -jar "$jar" --server.port=28180 --ftpbridge.ftp.port=22221 --ftpbridge.data-dir="$work/data" \
     --ftpbridge.admin.password=bench-admin-pw --ftpbridge.ftp.passive-ports=28600-28699 ${APP_ARGS:-} > "$work/app.log" 2>&1 & app_pid=$!
for _ in $(seq 1 120); do curl -sf http://127.0.0.1:28180/actuator/health >/dev/null && break; sleep 1; done
A=admin:bench-admin-pw
rest=http://127.0.0.1:28180
curl -sf -u $A -H 'Content-Type: application/json' $rest/api/v1/folders -d '{"name":"bench"}' >/dev/null
curl -sf -u $A -H 'Content-Type: application/json' $rest/api/v1/users -d '{"username":"benchftp","password":"bench-password-1","mounts":[{"folder":"bench","path":"/","permissions":["LIST","READ","WRITE","DELETE"]}]}' >/dev/null
APP_PID=$app_pid python3 bench/events.py "$rest" 22221 "$files" "$clients"
