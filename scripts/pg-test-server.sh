#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests (the CTest fixture `postgres`, see
# cmake/eseal_postgres.cmake and docs/storage.md).
#
#   scripts/pg-test-server.sh start DIR   initdb in DIR/data, start on 127.0.0.1 at a free
#                                         port (and a unix socket in DIR when the path is
#                                         short enough), trust auth, database `eseal`, and
#                                         write the connection URL to DIR/url
#   scripts/pg-test-server.sh stop DIR    pg_ctl stop -m fast, then remove DIR
#
# Run as root, the server runs as the `postgres` system user (PostgreSQL refuses root) and
# DIR is given to that user. If ESEAL_PG_URL is set, no server is started: the URL is
# written to DIR/url as it is (a CI service container, say).
# Environment: ESEAL_PG_BIN overrides the folder with initdb/pg_ctl
# (default: the newest /usr/lib/postgresql/*/bin, else what is on PATH).
set -euo pipefail

usage() {
  echo "usage: $0 start|stop DIR" >&2
  exit 2
}
[ $# -eq 2 ] || usage
cmd=$1
dir=$2
if [ -z "$dir" ] || [ "$dir" = "/" ]; then usage; fi
case "$dir" in
  /*) ;;
  *) dir="$PWD/$dir" ;;
esac

find_bin() {
  if [ -n "${ESEAL_PG_BIN:-}" ]; then
    echo "$ESEAL_PG_BIN"
    return
  fi
  local best=""
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && best="$d"
  done
  if [ -z "$best" ]; then
    best=$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")
  fi
  echo "$best"
}
bin=$(find_bin)

# Commands that touch the data directory run as its owner.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

stop_server() {
  if [ -f "$dir/data/postmaster.pid" ] && [ -x "$bin/pg_ctl" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" stop -m "${1:-fast}" -w -t 60 >/dev/null 2>&1 || true
  fi
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
  # A server left over from an interrupted run goes first.
  stop_server immediate
  rm -rf "$dir"
  mkdir -p "$dir"

  if [ -n "${ESEAL_PG_URL:-}" ]; then
    printf '%s\n' "$ESEAL_PG_URL" >"$dir/url"
    echo "pg-test-server: using ESEAL_PG_URL"
    return
  fi

  if [ ! -x "$bin/initdb" ] || [ ! -x "$bin/pg_ctl" ]; then
    echo "pg-test-server: initdb/pg_ctl not found (looked in '$bin'); install the postgresql package or set ESEAL_PG_BIN" >&2
    exit 1
  fi
  if [ "$(id -u)" -eq 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
      echo "pg-test-server: running as root but there is no 'postgres' user to run the server" >&2
      exit 1
    fi
    chown postgres: "$dir"
    chmod 700 "$dir"
    if ! runuser -u postgres -- test -w "$dir"; then
      echo "pg-test-server: user 'postgres' cannot reach $dir (a parent folder is not searchable)" >&2
      exit 1
    fi
  fi

  if ! as_owner "$bin/initdb" -D "$dir/data" -U eseal -A trust -E UTF8 --locale=C \
      --no-sync --no-instructions >"$dir/initdb.log" 2>&1; then
    echo "pg-test-server: initdb failed:" >&2
    cat "$dir/initdb.log" >&2
    exit 1
  fi

  # Unix socket paths are limited to about 107 bytes; use TCP only when DIR is too deep.
  local sockdir=""
  if [ ${#dir} -lt 80 ]; then
    sockdir="$dir"
  fi

  local port started=""
  # The server outlives this script: it must not inherit descriptors the caller holds (a
  # `flock LOCK ctest ...` lock would otherwise stay held until the server stops).
  local fd
  for fd in /proc/$$/fd/*; do
    fd=${fd##*/}
    if [ "$fd" -gt 2 ] 2>/dev/null; then eval "exec $fd>&-" 2>/dev/null || true; fi
  done
  for _ in $(seq 1 30); do
    port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    if port_in_use "$port"; then
      continue
    fi
    # fsync off: a test server needs no durability and this makes it much faster.
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='$sockdir' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=32MB" \
        start >/dev/null 2>&1 </dev/null; then
      started=1
      break
    fi
    # Another process took the port between the check and the bind: try another one.
    if grep -q -e "could not bind" -e "Address already in use" "$dir/server.log" 2>/dev/null; then
      : >"$dir/server.log" 2>/dev/null || true
      continue
    fi
    break
  done
  if [ -z "$started" ]; then
    echo "pg-test-server: the server did not start:" >&2
    cat "$dir/server.log" >&2 2>/dev/null || true
    exit 1
  fi

  if ! "$bin/psql" -X -q -h 127.0.0.1 -p "$port" -U eseal -d postgres \
      -c "CREATE DATABASE eseal" >/dev/null 2>"$dir/createdb.log"; then
    echo "pg-test-server: cannot create the database:" >&2
    cat "$dir/createdb.log" >&2
    stop_server fast
    exit 1
  fi
  printf 'postgresql://eseal@127.0.0.1:%s/eseal\n' "$port" >"$dir/url.tmp"
  mv "$dir/url.tmp" "$dir/url"
  echo "pg-test-server: $(cat "$dir/url")"
}

stop() {
  stop_server fast
  if [ -f "$dir/data/postmaster.pid" ]; then
    stop_server immediate
  fi
  rm -rf "$dir"
  echo "pg-test-server: stopped"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
