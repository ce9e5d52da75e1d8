#!/usr/bin/env bash
# Seconds from `podman run` to the first 200 of /actuator/health, for an image, N runs (fresh
# container and volume each time, so every run includes the first-start work: schema, admin user).
#   bench/container-startup.sh [image] [runs]      (default localhost/ftpbridge:bench, 5 runs)
set -euo pipefail
IMAGE=${1:-localhost/ftpbridge:bench}
RUNS=${2:-5}
PODMAN=${PODMAN:-podman --runtime runc --cgroup-manager=cgroupfs}
PORT=${PORT:-18480}
for run in $(seq 1 "$RUNS"); do
    load=$(cut -d' ' -f1 /proc/loadavg)
    start=$(date +%s.%N)
    id=$($PODMAN run -d --rm --ulimit nofile=4096:4096 --ulimit nproc=2000:2000 -p "127.0.0.1:$PORT:8080" \
        -e FTPBRIDGE_ADMIN_PASSWORD=bench-password "$IMAGE")
    until curl -fs -o /dev/null "http://127.0.0.1:$PORT/actuator/health"; do sleep 0.05; done
    end=$(date +%s.%N)
    printf 'run %d: %.2f s (load %s)\n' "$run" "$(echo "$end - $start" | bc)" "$load"
    $PODMAN rm -f -t 2 "$id" >/dev/null
done
