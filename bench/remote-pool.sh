#!/usr/bin/env bash
# Pooled vs connect-per-request on 200 small files, and download buffer sizes (see bench/README.md).
# Needs what the tests need (PostgreSQL, vsftpd under /opt/ftp-peers, root). Prints BENCH lines and
# writes them to target/bench-remote-pool.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -o test -Dtest=RemotePoolBenchmark -Dbench=true -Dsurefire.failIfNoSpecifiedTests=false
cat target/bench-remote-pool.txt
