#!/usr/bin/env bash
# Throughput of an ftpbridge DOWNLOAD transfer job against curl fetching the same file from the
# same FTP server, printed as a ratio (job / curl). Not a test: run it by hand, see README.md.
#
# Needs: a running ftpbridge (BASE, ADMIN), an FTP server holding the file (FTP_*), curl, python3.
set -euo pipefail

BASE=${BASE:-http://127.0.0.1:8080}
ADMIN=${ADMIN:-admin:change-me-now}
FTP_HOST=${FTP_HOST:-127.0.0.1}
FTP_PORT=${FTP_PORT:-21}
FTP_USER=${FTP_USER:?FTP user}
FTP_PASS=${FTP_PASS:?FTP password}
FTP_PATH=${FTP_PATH:?path of the file on the FTP server, e.g. /bench/1g.bin}
DATA_MODE=${DATA_MODE:-EPSV}
VERIFY=${VERIFY:-false}
RUNS=${RUNS:-3}
# curl writes to a real file too (default: beside the folder storage, same disk), not /dev/null
CURL_OUT=${CURL_OUT:-$(mktemp -p "${CURL_DIR:-/tmp}" bench-curl-XXXXXX.bin)}

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
api() { curl -sS -u "$ADMIN" -H 'Content-Type: application/json' "$@"; }

api -o /dev/null "$BASE/api/v1/remotes" -d "{\"name\":\"bench-remote\",\"host\":\"$FTP_HOST\",\"port\":$FTP_PORT,
  \"username\":\"$FTP_USER\",\"password\":\"$FTP_PASS\",\"dataMode\":\"$DATA_MODE\"}" || true
api -o /dev/null "$BASE/api/v1/folders" -d '{"name":"bench"}' || true

url="ftp://$FTP_HOST:$FTP_PORT$FTP_PATH"
[ "$DATA_MODE" = PASV ] && pasv=(--disable-epsv) || pasv=()
for run in $(seq 1 "$RUNS"); do
  curl_bps=$(curl -sS "${pasv[@]}" --user "$FTP_USER:$FTP_PASS" -o "$CURL_OUT" -w '%{speed_download}' "$url")
  rm -f "$CURL_OUT"
  id=$(api "$BASE/api/v1/transfers" -d "{\"remote\":\"bench-remote\",\"direction\":\"DOWNLOAD\",
    \"remotePath\":\"$FTP_PATH\",\"folder\":\"bench\",\"localPath\":\"bench-$run.bin\",\"verify\":$VERIFY}" | json 'd["id"]')
  while :; do
    job=$(api "$BASE/api/v1/transfers/$id")
    state=$(echo "$job" | json 'd["state"]')
    case $state in SUCCEEDED) break ;; FAILED|CANCELLED) echo "job $id $state: $job" >&2; exit 1 ;; esac
    sleep 0.1
  done
  # job time: from claim (startedAt) to finish, i.e. connect + login + transfer (+ verify) + rename
  job_bps=$(echo "$job" | json '__import__("datetime").datetime and d["progress"]["bytesDone"] / (
    __import__("datetime").datetime.fromisoformat(d["finishedAt"].replace("Z","+00:00")) -
    __import__("datetime").datetime.fromisoformat(d["startedAt"].replace("Z","+00:00"))).total_seconds()')
  python3 -c "c=$curl_bps; j=$job_bps; print(f'run $run: curl {c/1e6:.1f} MB/s, job {j/1e6:.1f} MB/s, ratio job/curl {j/c:.2f}')"
  api -o /dev/null -X DELETE "$BASE/api/v1/folders/bench/files/bench-$run.bin" || true
done
