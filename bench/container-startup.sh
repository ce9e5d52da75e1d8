#!/usr/bin/env bash
# Seconds from `podman run` to the first 200 of /actuator/health, per image, runs interleaved
# (image A, image B, A, B, ...) so that the machine's load hits both alike; prints each run with
# the load average at its start, and the median per image. A fresh container and anonymous
# volume each time, so every run includes the first-start work (schema, admin account, key).
# Also the CPU seconds the container had used by then (cgroup v1 cpuacct, cgroupfs manager): far
# less sensitive than wall time to what else runs on the machine.
#   bench/container-startup.sh RUNS IMAGE...
#   e.g. bench/container-startup.sh 5 localhost/ftpbridge:baseline localhost/ftpbridge:0.1.0
# Build the images first (docker/README.md); the "baseline" is today's runtime shape: the fat
# jar, `java -jar`, no class-data archive (see bench/README.md for the Containerfile).
set -euo pipefail
RUNS=${1:?runs}
shift
PODMAN=${PODMAN:-podman --runtime runc --cgroup-manager=cgroupfs}
PORT=${PORT:-18480}
declare -A times cpus
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
for run in $(seq 1 "$RUNS"); do
    for image in "$@"; do
        load=$(cut -d' ' -f1 /proc/loadavg)
        start=$(date +%s.%N)
        id=$($PODMAN run -d --rm --ulimit nofile=4096:4096 --ulimit nproc=2000:2000 -p "$PORT:8080" \
            -e FTPBRIDGE_ADMIN_PASSWORD=bench-password "$image" 2>/dev/null)
        until curl -fs -o /dev/null "http://127.0.0.1:$PORT/actuator/health"; do sleep 0.05; done
        seconds=$(echo "$(date +%s.%N) - $start" | bc)
        cpu_ns=$(cat "/sys/fs/cgroup/cpuacct$($PODMAN inspect --format '{{.State.CgroupPath}}' "$id")/cpuacct.usage" 2>/dev/null || echo 0)
        cpu=$(echo "scale=2; $cpu_ns / 1000000000" | bc)
        printf '%-40s run %d: %5.2f s, CPU %5.2f s (load %s)\n' "$image" "$run" "$seconds" "$cpu" "$load"
        times[$image]+="$seconds "
        cpus[$image]+="$cpu "
        $PODMAN rm -f -v -t 5 "$id" >/dev/null 2>&1
    done
done
for image in "$@"; do
    printf '%-40s median %5.2f s, CPU %5.2f s\n' "$image" "$(echo "${times[$image]}" | median)" "$(echo "${cpus[$image]}" | median)"
done
