#!/usr/bin/env bash
# Class-data-sharing training run, at image build time (docker/Dockerfile):
#   cds-training.sh ARCHIVE JAR
# starts the application from JAR with a throw-away H2 database up to the refreshed context
# (-Dspring.context.exit=onRefresh: every bean made, Flyway and Hibernate done, then the JVM exits);
# at exit the JVM writes every class it loaded into ARCHIVE (-XX:ArchiveClassesAtExit). The image's
# ENTRYPOINT then starts with -XX:SharedArchiveFile=ARCHIVE and maps those classes instead of
# loading and verifying them again. The class path (JAR) must be spelled exactly as the ENTRYPOINT
# spells it, or the JVM silently ignores the archive. Training on up to the first health answer
# instead made the archive 5% larger (134 MB against 128 MB) for no measurable gain in start time.
set -euo pipefail
archive=$1
jar=$2
data=$(mktemp -d)

# JDK_JAVA_OPTIONS (Spring AOT on) applies here as at every start, so the same classes load
java -XX:ArchiveClassesAtExit="$archive" -Xlog:cds=error -Xlog:cds+dynamic=error \
    -Dspring.context.exit=onRefresh \
    -Dftpbridge.data-dir="$data" -Dftpbridge.admin.password=cds-training-only \
    -Dserver.port=18080 -Dftpbridge.ftp.port=12121 -Dftpbridge.ftp.passive-ports=12122-12123 \
    -Dspring.main.banner-mode=off -Dlogging.level.root=WARN \
    -jar "$jar"
rm -rf "$data"
test -s "$archive"
chmod 444 "$archive"
