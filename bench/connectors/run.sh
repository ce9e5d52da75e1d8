#!/usr/bin/env bash
# Servlet connectors compared on request bodies (issue 12, REST upload): the same servlet on Tomcat 11 and on
# Jetty 12.1 (EE 11) reads a PUT with Servlet 6.1 read(ByteBuffer) into a 1 MiB direct buffer and writes it to a
# file, as ftpbridge's REST upload does, without Spring. curl PUTs 256 MiB to each in turn (15 unmeasured each,
# then 12 measured each, `sync` before each); prints the median speed and the server's CPU per upload.
# Usage: [TBUF=bytes] [JBUF=bytes] bash bench/connectors/run.sh   (Tomcat socket.appReadBufSize, Jetty input buffer)
set -euo pipefail
cd "$(dirname "$0")"
../../mvnw -B -q package dependency:build-classpath -Dmdep.outputFile=target/cp.txt
w=$(mktemp -d /tmp/connectors.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$w"' EXIT
head -c $((256 * 1048576)) /dev/urandom > "$w/payload.bin"
cp=target/connexp-1.jar:$(cat target/cp.txt)
java -Xmx512m -cp "$cp" exp.Main tomcat 29080 "$w/t.bin" "${TBUF:-65536}" > "$w/t.log" 2>&1 & tp=$!
java -Xmx512m -cp "$cp" exp.Main jetty 29081 "$w/j.bin" "${JBUF:-65536}" > "$w/j.log" 2>&1 & jp=$!
for port in 29080 29081; do
  for _ in $(seq 1 60); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.5; done
done
up() { curl -sS -o /dev/null -w '%{speed_upload}\n' -T "$w/payload.bin" "http://127.0.0.1:$1/up"; }
cpu() { awk '{print $14+$15}' "/proc/$1/stat"; }
for _ in $(seq 1 15); do up 29080 >/dev/null; up 29081 >/dev/null; done
: > "$w/ts"; : > "$w/js"; tc=0; jc=0
for _ in $(seq 1 12); do
  sync; a=$(cpu $tp); up 29080 >> "$w/ts"; b=$(cpu $tp); tc=$((tc + b - a))
  sync; a=$(cpu $jp); up 29081 >> "$w/js"; b=$(cpu $jp); jc=$((jc + b - a))
done
med() { sort -n | awk '{a[NR]=$1} END {printf "%.0f", a[int((NR+1)/2)]/1048576}'; }
echo "Tomcat 11:   median $(med < "$w/ts") MiB/s, CPU $((tc * 10 / 12)) ms per 256 MiB upload"
echo "Jetty 12.1:  median $(med < "$w/js") MiB/s, CPU $((jc * 10 / 12)) ms per 256 MiB upload"
