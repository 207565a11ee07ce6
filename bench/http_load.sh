#!/usr/bin/env bash
# HTTP load figures for `eseal serve`, on SQLite and on a throwaway PostgreSQL, with the
# raw core rates measured in the same run so the HTTP figures read as a ratio of them.
#
#   bench/http_load.sh ESEAL LOAD BENCH_CRYPTO BENCH_OFD
#     ESEAL         the eseal binary (with `serve`)
#     LOAD          eseal_http_load (bench/http_load.cc)
#     BENCH_CRYPTO  bench_crypto (for SM2 sign/verify and one key unwrap)
#     BENCH_OFD     bench_ofd (for 1-page OFD sign/verify)
#   e.g. B=build-bench; bench/http_load.sh $B/apps/eseal $B/bench/eseal_http_load \
#          $B/src/crypto/bench_crypto $B/src/verify/bench_ofd
#
# Builds nothing. For each backend it starts a fresh `eseal serve --demo` on 127.0.0.1 at a
# free port, sets up with curl a holder admin account for a demo enterprise and a contract
# seal (applied as the admin, approved as the operator), signs one document to have a
# signed OFD, then runs the load tool: POST /api/v1/verify, POST /api/v1/seals/{id}/sign
# with the password (sign), the same inside one signing session (session), and
# POST /api/v1/seals/{id}/sign-batch with BATCH_SIZE documents and the password (batch), at
# each concurrency. Everything stays on loopback, and every load run is bounded in time.
# Beside each run's requests/s and latencies it reports the CPU time that the server (and
# PostgreSQL's processes) spent per request, and it measures the in-process core cost of
# the same work again for each backend right before its runs, so that the summary's ratios
# compare figures taken minutes apart at most on this shared machine.
#
# Environment (defaults in brackets):
#   DURATION [10]        seconds measured per verify run
#   SIGN_DURATION [20]   seconds measured per sign run (signing is slow: PBKDF2 per request)
#   CONNECTIONS ["1 4 16"]  concurrencies to run (16 keep-alive clients: more connections than
#                        the server's worker threads, where a thread-per-connection server queues)
#   MODES ["verify sign session batch"]  which runs to make
#   BATCH_SIZE [10]      documents per sign-batch request
#   REPEAT [1]           runs per (mode, concurrency); the summary gives medians over them
#   BACKENDS ["sqlite postgresql"]
#   DOC [../shared/testdata/ofdrw/unsigned/helloworld.ofd beside the checkout]  the OFD to sign
#   RAW_MIN_TIME [1]     --benchmark_min_time for the raw core rates (3 repetitions, medians)
#   KEEP [unset]         keep the temporary folder (logs, signed OFD) instead of removing it
#   TMPDIR [/tmp]        where the temporary folder goes (/var/tmp if something cleans /tmp)
# Needs curl, jq, sqlite3, psql and xxd. Results and how to read them: docs/benchmarks.md.
set -euo pipefail

if [ $# -ne 4 ] || [ "${1:-}" = "--help" ]; then
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
  [ "${1:-}" = "--help" ] && exit 0
  exit 2
fi
ESEAL=$(realpath "$1")
LOAD=$(realpath "$2")
BENCH_CRYPTO=$(realpath "$3")
BENCH_OFD=$(realpath "$4")
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
DURATION=${DURATION:-10}
SIGN_DURATION=${SIGN_DURATION:-20}
CONNECTIONS=${CONNECTIONS:-"1 4 16"}
MODES=${MODES:-"verify sign session batch"}
BATCH_SIZE=${BATCH_SIZE:-10}
REPEAT=${REPEAT:-1}
BACKENDS=${BACKENDS:-"sqlite postgresql"}
DOC=${DOC:-$ROOT/../shared/testdata/ofdrw/unsigned/helloworld.ofd}
RAW_MIN_TIME=${RAW_MIN_TIME:-1}
PASSWORD="bench horse battery staple"

for tool in curl jq sqlite3 psql xxd; do
  command -v "$tool" >/dev/null || { echo "http_load.sh: needs $tool" >&2; exit 1; }
done
for f in "$ESEAL" "$LOAD" "$BENCH_CRYPTO" "$BENCH_OFD"; do
  [ -x "$f" ] || { echo "http_load.sh: not an executable: $f" >&2; exit 1; }
done
[ -f "$DOC" ] || { echo "http_load.sh: no document $DOC (set DOC)" >&2; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/eseal-http-load.XXXXXX")
# The PostgreSQL server runs as the `postgres` user when we are root: it must reach its folder.
chmod 711 "$TMP"
SERVER_PID=
PG_DIR=
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ -n "$PG_DIR" ]; then "$ROOT/scripts/pg-test-server.sh" stop "$PG_DIR" >/dev/null 2>&1 || true; fi
  if [ -n "${KEEP:-}" ]; then echo "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
die() {
  echo "http_load.sh: $*" >&2
  if [ -n "${SERVER_LOG:-}" ] && [ -f "$SERVER_LOG" ]; then tail -5 "$SERVER_LOG" >&2; fi
  exit 1
}

echo "== eseal HTTP load, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "   eseal: $ESEAL"
echo "   document: $DOC ($(stat -c %s "$DOC") bytes)"

# ---- raw core rates, this run ----
# Medians of 3 repetitions; ops/s is iterations / CPU time of the benchmark's one thread.
RAW_JSON="$TMP/raw.json"
raw() {  # raw BINARY FILTER OUT
  "$1" --benchmark_filter="$2" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
       --benchmark_min_time="$RAW_MIN_TIME" --benchmark_format=json >"$3" 2>"$3.err" ||
    die "$(basename "$1") failed: $(tail -3 "$3.err")"
}
raw "$BENCH_CRYPTO" '^BM_(Sm2Sign|Sm2Verify)_(Ours|RawEvp)$|^BM_KeyUnwrap_200k$' "$TMP/raw_crypto.json"
raw "$BENCH_OFD" '^BM_(OfdSign|OfdVerify)/1$' "$TMP/raw_ofd.json"
# Per benchmark: ops = ops/s from CPU time (the benchmark thread's own work), cpu_ms, and
# wall_ms (real time: what a request also waits for on a busy machine).
MEDIANS='[.benchmarks[] | select(.aggregate_name == "median")
  | (if .time_unit == "ms" then 1 elif .time_unit == "us" then 0.001 else 0.000001 end) as $u
  | {key: .run_name, value: {ops: .["ops/s"], cpu_ms: (.cpu_time * $u), wall_ms: (.real_time * $u)}}]
  | from_entries'
jq -s "map($MEDIANS) | add" "$TMP/raw_crypto.json" "$TMP/raw_ofd.json" >"$RAW_JSON"
rawv() { jq -r --arg k "$1" --arg f "$2" '.[$k][$f]' "$RAW_JSON"; }
R_SM2_SIGN=$(rawv BM_Sm2Sign_Ours ops)
R_SM2_VERIFY=$(rawv BM_Sm2Verify_Ours ops)
R_EVP_SIGN=$(rawv BM_Sm2Sign_RawEvp ops)
R_EVP_VERIFY=$(rawv BM_Sm2Verify_RawEvp ops)
R_UNWRAP_CPU=$(rawv BM_KeyUnwrap_200k cpu_ms)
R_UNWRAP_WALL=$(rawv BM_KeyUnwrap_200k wall_ms)
R_OFD_SIGN=$(rawv BM_OfdSign/1 ops)
R_OFD_VERIFY=$(rawv BM_OfdVerify/1 ops)
R_OFD_SIGN_CPU=$(rawv BM_OfdSign/1 cpu_ms)
R_OFD_SIGN_WALL=$(rawv BM_OfdSign/1 wall_ms)
# What one platform signature costs in core work: one key unwrap plus one OFD signature.
# The HTTP ratios use wall-clock rates on both sides: the in-process benchmark and the
# server wait for the same busy cores.
R_PLATFORM_SIGN_WALL=$(awk -v a="$R_UNWRAP_WALL" -v b="$R_OFD_SIGN_WALL" 'BEGIN { printf "%.2f", 1000 / (a + b) }')
printf '\n== raw core rates, this run (medians of 3; ops/s from CPU time, one core)\n'
printf '   SM2 sign          %8.0f /s  (raw OpenSSL %8.0f /s)\n' "$R_SM2_SIGN" "$R_EVP_SIGN"
printf '   SM2 verify        %8.0f /s  (raw OpenSSL %8.0f /s)\n' "$R_SM2_VERIFY" "$R_EVP_VERIFY"
printf '   OFD 1-page sign   %8.1f /s   verify %8.1f /s\n' "$R_OFD_SIGN" "$R_OFD_VERIFY"
printf '   key unwrap (PBKDF2-HMAC-SM3 200000 iterations, HMAC-SM3 with the KEK, SM4-GCM): %.1f ms CPU, %.1f ms wall\n' \
  "$R_UNWRAP_CPU" "$R_UNWRAP_WALL"
printf '   => platform sign core cost = unwrap + OFD 1-page sign = %.1f ms CPU, %.1f ms wall (%s/s wall)\n' \
  "$(awk -v a="$R_UNWRAP_CPU" -v b="$R_OFD_SIGN_CPU" 'BEGIN { print a + b }')" \
  "$(awk -v a="$R_UNWRAP_WALL" -v b="$R_OFD_SIGN_WALL" 'BEGIN { print a + b }')" "$R_PLATFORM_SIGN_WALL"

RESULTS="$TMP/results.txt"
: >"$RESULTS"
: >"$TMP/core_cpu.txt"

api() {  # api METHOD PATH TOKEN [JSON]: prints the body, fails on a non-2xx status
  local out code
  out="$TMP/api.out"
  if [ $# -ge 4 ]; then
    code=$(curl -s -o "$out" -w '%{http_code}' -X "$1" -H "Authorization: Bearer $3" \
      -H 'Content-Type: application/json' --data-binary "$4" "$URL$2")
  else
    code=$(curl -s -o "$out" -w '%{http_code}' -X "$1" -H "Authorization: Bearer $3" "$URL$2")
  fi
  case "$code" in 2??) cat "$out" ;; *) die "$1 $2 gave $code: $(head -c 300 "$out")" ;; esac
}

# CPU time (user + system, in clock ticks) of the server, and of our PostgreSQL server's
# processes (its postmaster and children; other PostgreSQL servers on the machine are not
# counted), so each run also reports the CPU spent per request, which the machine's load
# disturbs much less than wall-clock rates.
TICKS_PER_S=$(getconf CLK_TCK)
proc_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
pg_ticks() {
  local pm sum=0 p
  [ -n "$PG_DIR" ] && [ -f "$PG_DIR/data/postmaster.pid" ] || { echo 0; return; }
  pm=$(head -n1 "$PG_DIR/data/postmaster.pid")
  for p in "$pm" $(pgrep -P "$pm" || true); do sum=$((sum + $(proc_ticks "$p"))); done
  echo "$sum"
}
# load_run MODE CORE ARGS...: one run of the load tool; prints its report, appends its
# RESULT line (with CPU per request and the core rate) to $RESULTS.
load_run() {
  local mode=$1 core=$2 s0 p0 s1 p1 line good
  shift 2
  s0=$(proc_ticks "$SERVER_PID")
  p0=$(pg_ticks)
  "$LOAD" --url "$URL" --mode "$mode" "$@" >"$TMP/load.out" || true
  s1=$(proc_ticks "$SERVER_PID")
  p1=$(pg_ticks)
  sed 's/^/   /' "$TMP/load.out" | grep -v '^   RESULT '
  line=$(grep '^RESULT ' "$TMP/load.out" || true)
  [ -n "$line" ] || return 0
  # CPU is divided by every request sent, warm-up included (it ran inside the same window).
  good=$(sed 's/.* sent=\([0-9]*\).*/\1/' <<<"$line")
  awk -v b="$CURRENT_BACKEND" -v l="$line" -v c="$core" -v s="$((s1 - s0))" -v p="$((p1 - p0))" -v n="$good" \
    -v t="$TICKS_PER_S" 'BEGIN { n = (n > 0) ? n : 1
      printf "%s %s core=%s srv_cpu_ms=%.2f pg_cpu_ms=%.2f\n", b, l, c, s * 1000 / t / n, p * 1000 / t / n }' >>"$RESULTS"
  printf '     server CPU    %.2f ms per request (eseal serve), %.2f ms (PostgreSQL)\n' \
    "$(awk -v s="$((s1 - s0))" -v n="$good" -v t="$TICKS_PER_S" 'BEGIN { print (n > 0) ? s * 1000 / t / n : 0 }')" \
    "$(awk -v p="$((p1 - p0))" -v n="$good" -v t="$TICKS_PER_S" 'BEGIN { print (n > 0) ? p * 1000 / t / n : 0 }')"
}

run_backend() {
  local backend=$1 data="$TMP/$1" db_args=()
  CURRENT_BACKEND=$backend
  if [ "$backend" = postgresql ]; then
    PG_DIR="$TMP/pg"
    "$ROOT/scripts/pg-test-server.sh" start "$PG_DIR" >/dev/null || die "cannot start PostgreSQL"
    db_args=(--db "$(cat "$PG_DIR/url")")
  fi
  SERVER_LOG="$TMP/$backend.log"
  "$ESEAL" serve --data "$data" --kek-file "$TMP/$backend.kek" --listen 127.0.0.1:0 --demo --accept-unsynchronised-clock --web "$TMP/no-ui" "${db_args[@]}" \
    >"$TMP/$backend.out" 2>"$SERVER_LOG" &
  SERVER_PID=$!
  URL=
  for _ in $(seq 1 600); do
    URL=$(sed -n 's/^eseal is listening on \(http:[^ ]*\)$/\1/p' "$TMP/$backend.out")
    [ -n "$URL" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || die "eseal serve ($backend) exited early"
    sleep 0.1
  done
  [ -n "$URL" ] || die "eseal serve ($backend) did not start"
  local op holder admin app seal
  op=$(head -n1 "$data/operator.token")
  # A demo enterprise in normal operation, its admin, a contract seal (apply, approve).
  holder=$(api GET /api/v1/holders "$op" | jq -r '[.items[] | select(.status == "active")][0].id')
  admin=$(api POST /api/v1/accounts "$op" \
    "$(jq -cn --arg h "$holder" '{name: "bench admin", role: "holder_admin", holder_id: $h}')" | jq -r .token)
  app=$(api POST /api/v1/applications "$admin" \
    "$(jq -cn --arg p "$PASSWORD" '{type: "new_seal", seal_kind: "contract", password: $p}')" | jq -r .id)
  seal=$(api POST "/api/v1/applications/$app/approve" "$op" '{}' | jq -r .result_seal_id)
  [ -n "$seal" ] && [ "$seal" != null ] || die "no seal from application $app"
  printf '%s\n' "$admin" >"$TMP/admin.token"
  printf '%s\n' "$PASSWORD" >"$TMP/password"
  chmod 600 "$TMP/admin.token" "$TMP/password"

  # One signature by hand: the signed OFD that the verify runs send.
  local code verdict
  code=$(curl -s -o "$TMP/signed.ofd" -w '%{http_code}' -H "Authorization: Bearer $admin" \
    -F "document=@$DOC;type=application/ofd" -F "password=$PASSWORD" -F page=1 -F x=50 -F y=50 \
    "$URL/api/v1/seals/$seal/sign")
  [ "$code" = 200 ] || die "sign gave $code: $(head -c 300 "$TMP/signed.ofd")"
  verdict=$(curl -s --data-binary "@$TMP/signed.ofd" -H 'Content-Type: application/ofd' "$URL/api/v1/verify" |
    jq -r .verdict)
  [ "$verdict" = PASSED ] || die "the signed OFD does not verify: $verdict"
  echo
  echo "== $backend: $URL, seal $seal, signed OFD $(stat -c %s "$TMP/signed.ofd") bytes"

  # The core cost of verifying this very document under the server's trust material (its
  # trust bundle and CRL), without HTTP or the database: bench_ofd's BM_OfdVerifyFile.
  curl -sf -o "$TMP/trust.pem" "$URL/api/v1/trust-bundle" || die "trust bundle"
  curl -sf -o "$TMP/crl.der" "$URL/api/v1/crl" || die "CRL"
  # GET /api/v1/crl serves the issuing CA's CRL only; the root's (covering the issuing CA),
  # which the platform's own verifier uses too, is read from the database.
  local root_crl_hex
  if [ "$backend" = postgresql ]; then
    root_crl_hex=$(psql -X -At "$(cat "$PG_DIR/url")" -c "SELECT value FROM settings WHERE name = 'root_crl'")
  else
    root_crl_hex=$(sqlite3 "$data/eseal.db" "SELECT value FROM settings WHERE name = 'root_crl'")
  fi
  printf '%s' "$root_crl_hex" | xxd -r -p >"$TMP/root_crl.der"
  ESEAL_BENCH_OFD_FILE="$TMP/signed.ofd" ESEAL_BENCH_OFD_TRUST="$TMP/trust.pem" \
  ESEAL_BENCH_OFD_CRL="$TMP/crl.der:$TMP/root_crl.der" \
    raw "$BENCH_OFD" '^BM_OfdVerifyFile$' "$TMP/raw_file_$backend.json"
  jq "$MEDIANS" "$TMP/raw_file_$backend.json" >"$TMP/file_$backend.json"
  local cpu_ms wall_ms
  cpu_ms=$(jq -r '.BM_OfdVerifyFile.cpu_ms' "$TMP/file_$backend.json")
  wall_ms=$(jq -r '.BM_OfdVerifyFile.wall_ms' "$TMP/file_$backend.json")
  if [ "$wall_ms" != null ]; then
    CORE_VERIFY=$(awk -v w="$wall_ms" 'BEGIN { printf "%.2f", 1000 / w }')
    echo "$backend verify $cpu_ms" >>"$TMP/core_cpu.txt"
    printf '   core: verifying this document in-process (BM_OfdVerifyFile, median of 3): %.2f ms CPU, %.2f ms wall (%s/s wall)\n' \
      "$cpu_ms" "$wall_ms" "$CORE_VERIFY"
  else
    # The HTTP figures stand on their own; only the ratio column needs the core rate.
    CORE_VERIFY=0
    echo "$backend verify 0" >>"$TMP/core_cpu.txt"
    echo "   core: BM_OfdVerifyFile did not run ($(jq -c '[.benchmarks[].error_message] | unique' "$TMP/raw_file_$backend.json")); no ratio for verify"
  fi

  local c line
  local rep
  case " $MODES " in *" verify "*) ;; *) CONNECTIONS_VERIFY= ;; esac
  for c in ${CONNECTIONS_VERIFY-$CONNECTIONS}; do for rep in $(seq 1 "$REPEAT"); do
    # With the admin's token: accounts have no rate limit, untokened requests 60 a minute.
    load_run verify "$CORE_VERIFY" --document "$TMP/signed.ofd" --token-file "$TMP/admin.token" \
      --connections "$c" --duration "$DURATION"
  done; done
  # The core cost of one platform signature, measured again right before the sign runs (the
  # machine's load drifts): one key unwrap plus one OFD 1-page signature, in-process.
  case " $MODES " in *" sign "* | *" session "* | *" batch "*) ;; *) stop_server; return ;; esac
  raw "$BENCH_CRYPTO" '^BM_KeyUnwrap_200k$' "$TMP/raw_unwrap_$backend.json"
  raw "$BENCH_OFD" '^BM_OfdSign/1$' "$TMP/raw_sign_$backend.json"
  jq -s "map($MEDIANS) | add" "$TMP/raw_unwrap_$backend.json" "$TMP/raw_sign_$backend.json" >"$TMP/sign_$backend.json"
  local unwrap_cpu unwrap_wall sign_cpu sign_wall
  unwrap_cpu=$(jq -r '.BM_KeyUnwrap_200k.cpu_ms' "$TMP/sign_$backend.json")
  unwrap_wall=$(jq -r '.BM_KeyUnwrap_200k.wall_ms' "$TMP/sign_$backend.json")
  sign_cpu=$(jq -r '.["BM_OfdSign/1"].cpu_ms' "$TMP/sign_$backend.json")
  sign_wall=$(jq -r '.["BM_OfdSign/1"].wall_ms' "$TMP/sign_$backend.json")
  CORE_SIGN=$(awk -v a="$unwrap_wall" -v b="$sign_wall" 'BEGIN { printf "%.2f", 1000 / (a + b) }')
  echo "$backend sign $(awk -v a="$unwrap_cpu" -v b="$sign_cpu" 'BEGIN { print a + b }')" >>"$TMP/core_cpu.txt"
  printf '   core: one platform signature in-process = key unwrap %.1f ms + OFD 1-page sign %.1f ms CPU; %.1f + %.1f ms wall (%s/s wall)\n' \
    "$unwrap_cpu" "$sign_cpu" "$unwrap_wall" "$sign_wall" "$CORE_SIGN"
  # In a session or a batch the key is unwrapped once, not per document: the core cost of a
  # document is the OFD 1-page signature alone.
  local core_doc
  core_doc=$(awk -v b="$sign_wall" 'BEGIN { printf "%.2f", 1000 / b }')
  echo "$backend session $sign_cpu" >>"$TMP/core_cpu.txt"
  echo "$backend batch $sign_cpu" >>"$TMP/core_cpu.txt"
  local m
  for m in sign session batch; do
    case " $MODES " in *" $m "*) ;; *) continue ;; esac
    for c in $CONNECTIONS; do for rep in $(seq 1 "$REPEAT"); do
      load_run "$m" "$([ "$m" = sign ] && echo "$CORE_SIGN" || echo "$core_doc")" --document "$DOC" --seal "$seal" \
        --token-file "$TMP/admin.token" --password-file "$TMP/password" --connections "$c" \
        --duration "$SIGN_DURATION" --batch-size "$BATCH_SIZE"
    done; done
  done
  stop_server
}

stop_server() {
  kill -TERM "$SERVER_PID"
  wait "$SERVER_PID" || die "eseal serve ($backend) did not stop cleanly"
  SERVER_PID=
  if [ -n "$PG_DIR" ]; then
    "$ROOT/scripts/pg-test-server.sh" stop "$PG_DIR" >/dev/null || true
    PG_DIR=
  fi
}

for b in $BACKENDS; do run_backend "$b"; done

# ---- summary: HTTP rates as a ratio of the core rates of this run ----
echo
echo "== summary: ratio = HTTP documents/s over the in-process one-thread wall-clock rate of the same work, this run"
echo "   (core/s, measured per backend right before its runs: for verify, BM_OfdVerifyFile on the same signed OFD;"
echo "    for sign, 1 / (key unwrap + OFD 1-page sign); for session and batch, 1 / OFD 1-page sign)"
echo "   batch: req/s and latencies are per request of $BATCH_SIZE documents; docs/s counts documents"
echo "   each figure is the median over $REPEAT run(s) of that configuration, taken field by field;"
echo "   srv CPU: CPU time of eseal serve (+ PostgreSQL's processes) per request, beside core CPU: the same"
echo "   work in-process"
printf '%-10s %-7s %5s %4s %9s %9s %8s %8s %8s %6s %9s %6s %13s %9s\n' backend mode conns runs 'req/s' 'docs/s' 'p50 ms' 'p90 ms' \
  'p99 ms' errors 'core/s' ratio 'srv CPU ms' 'core CPU'
# RESULT lines to JSON objects, then medians per (backend, mode, connections).
awk '{ printf "{\"backend\":\"%s\"", $1
       for (i = 2; i <= NF; ++i) { split($i, kv, "="); if (kv[1] == "RESULT") continue
         if (kv[1] == "mode") printf ",\"mode\":\"%s\"", kv[2]; else printf ",\"%s\":%s", kv[1], kv[2] }
       print "}" }' "$RESULTS" |
  jq -rs --rawfile core "$TMP/core_cpu.txt" '
    def median: sort | if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end;
    ($core | split("\n") | map(select(length > 0) | split(" ") | {key: (.[0] + " " + .[1]), value: (.[2] | tonumber)})
      | from_entries) as $cpu
    | group_by([.backend, .mode, .connections]) | sort_by(.[0].backend != "sqlite", .[0].mode != "verify", .[0].connections)[]
    | [.[0].backend, .[0].mode, .[0].connections, length, (map(.rps) | median), (map(.docs_per_s // .rps) | median),
       (map(.p50_ms) | median),
       (map(.p90_ms) | median), (map(.p99_ms) | median), (map(.errors) | add), (map(.core) | median),
       (if (map(.core) | median) > 0 then (map(.docs_per_s // .rps) | median) / (map(.core) | median) else 0 end), (map(.srv_cpu_ms) | median), (map(.pg_cpu_ms) | median),
       $cpu[.[0].backend + " " + .[0].mode]] | @tsv' |
  while IFS=$'\t' read -r b m c n rps docs p50 p90 p99 e core ratio srv pg ccpu; do
    printf '%-10s %-7s %5d %4d %9.1f %9.1f %8.1f %8.1f %8.1f %6d %9.1f %6.2f %7.1f+%5.1f %9.1f\n' "$b" "$m" "$c" "$n" "$rps" \
      "$docs" "$p50" "$p90" "$p99" "$e" "$core" "$ratio" "$srv" "$pg" "$ccpu"
  done
echo "== done, load average $(cut -d' ' -f1-3 /proc/loadavg)"
