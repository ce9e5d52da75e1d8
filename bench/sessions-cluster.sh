#!/usr/bin/env bash
# 4,000 open FTP sessions over two ftpbridge instances on one PostgreSQL: sessions list latency and
# registry writes per heartbeat. Needs PostgreSQL at 127.0.0.1:5432 (or FTPBRIDGE_TEST_PG_URL).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -o test -Dtest=SessionRegistryBenchmark -Dbench=true -Dsurefire.failIfNoSpecifiedTests=false 2>&1 | grep BENCH
