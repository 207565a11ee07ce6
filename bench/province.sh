#!/usr/bin/env bash
# The province-scale benchmark (docs/benchmarks.md "Province scale"): starts a throwaway
# PostgreSQL server of its own, loads a province with eseal_province_gen, runs
# eseal_province_bench (p50/p99 and the plan of every query), prints both, stops the server.
#
#   bench/province.sh [SCALE] [ITERATIONS]       SCALE 1 = 1,000,000 holders (default 1)
#
# Environment: BUILD (default build), DIR (default /tmp/eseal-province: data and log, about
# 25 GB at scale 1), PORT (default 25432), KEEP=1 leaves the server running and its data in
# place (stop it with: pg_ctl -D $DIR/data stop), REUSE=1 skips the load and benchmarks the
# data already in DIR (a server left by KEEP=1, started again if stopped).
# Takes long at scale 1 (see the figures); not part of ./test.sh. The generator runs niced,
# one loader, one core for index builds.
set -euo pipefail
scale=${1:-1}
iterations=${2:-200}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build}
dir=${DIR:-/tmp/eseal-province}
port=${PORT:-25432}
gen=$build/bench/eseal_province_gen
bench=$build/bench/eseal_province_bench
for b in "$gen" "$bench"; do
  [ -x "$b" ] || { echo "missing $b: ninja -C $build eseal_province_gen eseal_province_bench" >&2; exit 2; }
done
bin=""
for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && bin=$d; done
[ -n "$bin" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 2; }

# PostgreSQL refuses to run as root: as root, the server runs as `postgres`.
as_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
stop() { as_owner "$bin/pg_ctl" -D "$dir/data" stop -m fast -w >/dev/null 2>&1 || true; }

# A server for bulk loading and reading: no durability (a benchmark), WAL kept minimal so
# that COPY into freshly truncated tables writes none, memory for the working set.
opts="-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='$dir'
  -c fsync=off -c synchronous_commit=off -c full_page_writes=off
  -c wal_level=minimal -c max_wal_senders=0 -c max_wal_size=16GB -c checkpoint_timeout=30min
  -c shared_buffers=2GB -c effective_cache_size=12GB -c work_mem=32MB
  -c maintenance_work_mem=1GB -c max_parallel_maintenance_workers=0
  -c random_page_cost=1.1 -c log_min_messages=warning -c log_line_prefix='%m [%p] '"
if [ "${REUSE:-0}" != 1 ]; then
  stop
  rm -rf "$dir"
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; chmod 700 "$dir"; fi
  as_owner "$bin/initdb" -D "$dir/data" -U eseal -A trust -E UTF8 --locale=C --lc-ctype=C.UTF-8 --no-sync --no-instructions \
    >"$dir/initdb.log" 2>&1
fi
if ! as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 120 -o "$(tr '\n' ' ' <<<"$opts")" start >/dev/null
fi
[ "${KEEP:-0}" = 1 ] || trap stop EXIT
url="postgresql://eseal@127.0.0.1:$port/eseal"
as_owner "$bin/psql" -q -X -h 127.0.0.1 -p "$port" -U eseal -d postgres \
  -c "SELECT 1 FROM pg_database WHERE datname = 'eseal'" -tA | grep -q 1 ||
  as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U eseal eseal

echo "== province scale $scale on $(nproc) cores, PostgreSQL $("$bin/postgres" --version | awk '{print $3}'), $(date -u +%FT%TZ)"
if [ "${REUSE:-0}" != 1 ]; then
  start=$(date +%s)
  nice -n 10 "$gen" --url "$url" --scale "$scale" --wipe
  echo "== load took $(( $(date +%s) - start )) s (wall clock, including index builds and VACUUM ANALYZE)"
fi
"$bench" --url "$url" --iterations "$iterations" --explain-log "$dir/server.log"
