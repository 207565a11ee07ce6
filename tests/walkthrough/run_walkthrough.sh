#!/usr/bin/env bash
# Runs docs/api-walkthrough.md against a fresh `eseal serve`.
#
#   tests/walkthrough/run_walkthrough.sh ESEAL sqlite|postgresql [PG-SERVER-URL]
#
# Starts `ESEAL serve --data TMP/data --listen 127.0.0.1:0 --demo --dev` (on PostgreSQL: with
# --db pointing at a new, empty database made on the test server, which is dropped
# afterwards), sets the variables the document declares (ESEAL, BASE, DATA, HELLO,
# STAMP), extracts the document's ```sh blocks in order and runs exactly those commands
# in one bash with `set -euo pipefail`, in an empty folder. The expectations are the
# document's own commands (want/expect/test): this script adds none of its own about the
# API, so the page and the test cannot drift apart. It checks what only it can see: the
# server stops cleanly on SIGTERM, and no token or protection password appears in the
# test's output or in the server's log.
#
# The PostgreSQL server is, in order: the third argument, $ESEAL_PG_URL, or the file
# $ESEAL_PG_URL_FILE (the CTest fixture, cmake/eseal_postgres.cmake). The shared test data
# is $ESEAL_SHARED_DIR/testdata (default: ../shared beside the checkout). WALKTHROUGH_KEEP=1
# keeps the temporary folder (server log, the files the commands made) for debugging.
set -euo pipefail

usage() {
  echo "usage: $0 ESEAL sqlite|postgresql [PG-SERVER-URL]" >&2
  exit 2
}
if [ $# -lt 2 ] || [ $# -gt 3 ]; then usage; fi
eseal=$1
backend=$2
pg_server=${3:-}
case "$backend" in sqlite | postgresql) ;; *) usage ;; esac
[ -x "$eseal" ] || { echo "walkthrough: $eseal is not an executable" >&2; exit 2; }
eseal=$(cd "$(dirname "$eseal")" && pwd)/$(basename "$eseal")

root=$(cd "$(dirname "$0")/../.." && pwd)
doc=$root/docs/api-walkthrough.md
shared=${ESEAL_SHARED_DIR:-$root/../shared}
shared=$(cd "$shared" && pwd)
for tool in curl jq openssl; do
  command -v "$tool" >/dev/null || { echo "walkthrough: '$tool' is missing (scripts/deps.sh installs it)" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/eseal-walkthrough.XXXXXX")
server_pid=""
pg_db_url=""
psql_bin=""

find_psql() {
  if command -v psql >/dev/null; then
    command -v psql
    return
  fi
  local best=""
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/psql" ] && best="$d/psql"
  done
  [ -n "$best" ] || { echo "walkthrough: psql not found" >&2; return 1; }
  echo "$best"
}

stop_server() {
  [ -n "$server_pid" ] || return 0
  local pid=$server_pid code=0
  server_pid=""
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "walkthrough: the server did not stop within 30 s of SIGTERM; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    return 1
  fi
  wait "$pid" || code=$?
  if [ "$code" -ne 0 ]; then
    echo "walkthrough: the server exited with status $code after SIGTERM" >&2
    return 1
  fi
}

cleanup() {
  local rc=$?
  stop_server || rc=1
  if [ -n "$pg_db_url" ]; then
    "$psql_bin" -X -q -d "$pg_server" -c "DROP DATABASE IF EXISTS \"$pg_db\" WITH (FORCE)" >/dev/null 2>&1 ||
      echo "walkthrough: could not drop database $pg_db" >&2
  fi
  if [ "$rc" -ne 0 ] && [ -f "$work/serve.log" ]; then
    echo "---- last lines of the server's log ----" >&2
    tail -n 20 "$work/serve.log" | redact >&2
  fi
  if [ -n "${WALKTHROUGH_KEEP:-}" ]; then
    echo "walkthrough: kept $work (it holds tokens: remove it when done)" >&2
  else
    rm -rf "$work"
  fi
  exit "$rc"
}

# Blanks out anything that looks like a platform token (esk_...).
redact() { sed -E 's/esk_[A-Za-z0-9_-]+/esk_<redacted>/g'; }

trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the database ----------------------------------------------------------------------
db_args=()
if [ "$backend" = postgresql ]; then
  if [ -z "$pg_server" ]; then pg_server=${ESEAL_PG_URL:-}; fi
  if [ -z "$pg_server" ] && [ -n "${ESEAL_PG_URL_FILE:-}" ] && [ -f "$ESEAL_PG_URL_FILE" ]; then
    pg_server=$(head -n 1 "$ESEAL_PG_URL_FILE")
  fi
  [ -n "$pg_server" ] || { echo "walkthrough: no PostgreSQL server (argument, ESEAL_PG_URL or ESEAL_PG_URL_FILE)" >&2; exit 1; }
  psql_bin=$(find_psql)
  pg_db="eseal_walkthrough_$$_${RANDOM}${RANDOM}"
  "$psql_bin" -X -q -v ON_ERROR_STOP=1 -d "$pg_server" -c "CREATE DATABASE \"$pg_db\"" >/dev/null
  # postgresql://user@host:port/db[?query] -> the same URL naming the new database.
  base_url=${pg_server%%\?*}
  query=""
  [ "$base_url" = "$pg_server" ] || query="?${pg_server#*\?}"
  pg_db_url="${base_url%/*}/$pg_db$query"
  db_args=(--db "$pg_db_url")
fi

# ---- the server ------------------------------------------------------------------------
mkdir "$work/run"
"$eseal" serve --data "$work/data" --listen 127.0.0.1:0 --demo --accept-unsynchronised-clock --dev "${db_args[@]}" \
  >"$work/serve.out" 2>"$work/serve.log" </dev/null &
server_pid=$!
base=""
for _ in $(seq 1 600); do
  base=$(sed -n 's/^eseal is listening on //p' "$work/serve.out" 2>/dev/null | head -n 1)
  [ -n "$base" ] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "walkthrough: the server did not start:" >&2
    cat "$work/serve.out" "$work/serve.log" | redact >&2
    exit 1
  fi
  sleep 0.1
done
[ -n "$base" ] || { echo "walkthrough: the server did not say where it listens within 60 s" >&2; exit 1; }
echo "walkthrough: eseal serve ($backend) at $base"

# ---- the document's commands -----------------------------------------------------------
# Each ```sh block, in order, exactly as written; lines.map gives each script line's line
# in the document so that a failure points at the page.
script=$work/walkthrough.sh
{
  echo 'set -euo pipefail'
  echo "trap 'echo \$LINENO > \"\$WALKTHROUGH_FAILED_AT\"' ERR"
} >"$script"
awk -v header=2 -v map="$work/lines.map" '
  /^```sh[[:space:]]*$/ { inside = 1; blocks++; next }
  inside && /^```[[:space:]]*$/ { inside = 0; next }
  inside { print; n++; print (header + n) " " NR > map }
  END {
    if (inside) { print "unterminated sh block" > "/dev/stderr"; exit 1 }
    if (blocks == 0) { print "no sh blocks" > "/dev/stderr"; exit 1 }
  }
' "$doc" >>"$script"
blocks=$(grep -c '^```sh[[:space:]]*$' "$doc")

status=0
(
  cd "$work/run"
  ESEAL=$eseal BASE=$base DATA=$work/data HELLO=$shared/testdata/ofdrw/unsigned/helloworld.ofd \
    STAMP=$shared/testdata/ofdrw/images/StampImg.png WALKTHROUGH_FAILED_AT=$work/failed_at \
    bash "$script" </dev/null
) >"$work/output" 2>&1 || status=$?

# No secret in what the commands printed or in the server's log: the operator's and every
# account's and client's token (esk_...), and the protection passwords the page chose.
leaks=""
secrets=()
[ -f "$work/data/operator.token" ] && secrets+=("$(head -n 1 "$work/data/operator.token")")
for f in "$work"/run/*.hdr; do
  [ -f "$f" ] && secrets+=("$(sed -n 's/^Authorization: Bearer //p' "$f")")
done
for f in "$work"/run/*.pw; do
  [ -f "$f" ] && secrets+=("$(cat "$f")")
done
for s in "${secrets[@]}"; do
  [ -n "$s" ] || continue
  for where in output serve.out serve.log; do
    if grep -qF -- "$s" "$work/$where"; then leaks="$leaks $where"; fi
  done
done
if grep -qE 'esk_[A-Za-z0-9_-]{20,}' "$work/output" "$work/serve.out" "$work/serve.log"; then
  leaks="$leaks token-pattern"
fi

redact <"$work/output"
if [ "$status" -ne 0 ]; then
  where="?"
  if [ -s "$work/failed_at" ]; then
    line=$(cat "$work/failed_at")
    where=$(awk -v l="$line" '$1 == l { print $2 }' "$work/lines.map")
  fi
  echo "walkthrough: FAILED ($backend): a command of docs/api-walkthrough.md failed near line ${where:-?}" >&2
  exit 1
fi
if [ -n "$leaks" ]; then
  echo "walkthrough: FAILED ($backend): a token or protection password appeared in:$leaks" >&2
  exit 1
fi
stop_server
if grep -q '"level":"error"' "$work/serve.log"; then
  echo "walkthrough: FAILED ($backend): the server logged errors:" >&2
  grep '"level":"error"' "$work/serve.log" | head -n 5 | redact >&2
  exit 1
fi
commands=$(wc -l <"$work/lines.map")
echo "walkthrough: PASSED ($backend): $blocks blocks, $commands lines of docs/api-walkthrough.md"
