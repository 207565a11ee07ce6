#!/usr/bin/env bash
# CTest eseal_province_smoke: the province generator and benchmark at a tiny scale (1,000
# holders) on the test PostgreSQL server (fixture `postgres`), so their code keeps working.
# The figures mean nothing at this size; the full run is bench/province.sh.
#   province_smoke.sh GEN BENCH
set -euo pipefail
gen=$1
bench=$2
url_file=${ESEAL_PG_URL_FILE:?ESEAL_PG_URL_FILE is not set (run through ctest)}
base=$(cat "$url_file")
db="province_smoke_$$"
admin="${base%/*}/postgres"
url="${base%/*}/$db"
psql -q -X -v ON_ERROR_STOP=1 "$admin" -c "CREATE DATABASE $db" >/dev/null
trap 'psql -q -X "$admin" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true' EXIT

"$gen" --url "$url" --scale 0.001
# The plans come from the server's log when it is the fixture's own server.
log="$(dirname "$url_file")/server.log"
args=()
if [ -r "$log" ]; then args=(--explain-log "$log"); fi
out=$("$bench" --url "$url" --iterations 5 "${args[@]}")
printf '%s\n' "$out"
grep -q '^| holder by USCC | 5 |' <<<"$out"
grep -q '^| audit verify, 1000 after seq | 5 |' <<<"$out"
if [ ${#args[@]} -gt 0 ]; then grep -q 'Index Scan' <<<"$out"; fi
echo "province smoke: ok"
