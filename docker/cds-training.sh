#!/usr/bin/env bash
# Class-data-sharing training run, at image build time (docker/Dockerfile):
#   cds-training.sh ARCHIVE JAR
# starts the application from JAR with a throw-away H2 database, waits until /actuator/health
# answers 200, stops it; at exit the JVM writes every class it loaded on that path into ARCHIVE
# (-XX:ArchiveClassesAtExit). The image's ENTRYPOINT then starts with -XX:SharedArchiveFile=ARCHIVE
# and maps those classes instead of loading and verifying them again. The class path (JAR) must be
# spelled exactly as the ENTRYPOINT spells it, or the JVM silently ignores the archive.
set -euo pipefail
archive=$1
jar=$2
data=$(mktemp -d)
port=18080

# JDK_JAVA_OPTIONS (Spring AOT on) applies here as at every start, so the same classes load
java -XX:ArchiveClassesAtExit="$archive" -Xlog:cds=error -Xlog:cds+dynamic=error \
    -Dftpbridge.data-dir="$data" -Dftpbridge.admin.password=cds-training-only \
    -Dserver.port=$port -Dftpbridge.ftp.port=12121 -Dftpbridge.ftp.passive-ports=12122-12123 \
    -Dspring.main.banner-mode=off -Dlogging.level.root=WARN \
    -jar "$jar" &
pid=$!

healthy() {
    exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
    printf 'GET /actuator/health HTTP/1.0\r\n\r\n' >&3
    head -n 1 <&3 | grep -q ' 200 '
}
for _ in $(seq 1 600); do
    if (healthy) 2>/dev/null; then break; fi
    kill -0 "$pid" 2>/dev/null || { echo "training run exited before it was healthy" >&2; exit 1; }
    sleep 0.5
done
(healthy) 2>/dev/null || { echo "training run not healthy in 300 s" >&2; kill -KILL "$pid"; exit 1; }

# graceful shutdown; the JVM writes the archive on its way out
kill -TERM "$pid"
wait "$pid" || true
rm -rf "$data"
test -s "$archive"
chmod 444 "$archive"
