#!/usr/bin/env bash
# Smoke test of `eseal serve`: first start on an empty data folder (identity, operator token
# in a 0600 file, demo registry), a few requests with curl, SIGTERM stops it cleanly, and a
# restart keeps everything.
#   serve_smoke_test.sh <path to eseal>
set -euo pipefail
ESEAL=$1
DIR=$(mktemp -d "${TMPDIR:-/tmp}/eseal-serve-smoke.XXXXXX")
PID=
cleanup() {
  if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then kill -KILL "$PID" 2>/dev/null || true; fi
  rm -rf "$DIR"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; echo "--- stdout" >&2; cat "$DIR/out" >&2 || true; echo "--- stderr" >&2; tail -20 "$DIR/err" >&2 || true; exit 1; }

start() {
  "$ESEAL" serve --data "$DIR/data" --listen 127.0.0.1:0 --demo --accept-unsynchronised-clock --web "$DIR/no-ui" >"$DIR/out" 2>"$DIR/err" &
  PID=$!
  for _ in $(seq 1 300); do
    if grep -q "eseal is listening on" "$DIR/out"; then break; fi
    kill -0 "$PID" 2>/dev/null || fail "eseal serve exited early"
    sleep 0.1
  done
  URL=$(sed -n 's/^eseal is listening on \(http:[^ ]*\)$/\1/p' "$DIR/out")
  [ -n "$URL" ] || fail "no listening line"
}

stop() {
  kill -TERM "$PID"
  local code=0
  wait "$PID" || code=$?
  PID=
  [ "$code" = 0 ] || fail "eseal serve exited with $code after SIGTERM"
  grep -q "eseal stopped" "$DIR/out" || fail "no clean stop"
}

start
TOKEN_FILE="$DIR/data/operator.token"
[ -f "$TOKEN_FILE" ] || fail "no operator token file"
[ "$(stat -c %a "$TOKEN_FILE")" = 600 ] || fail "operator.token is not mode 0600"
TOKEN=$(head -n1 "$TOKEN_FILE")
grep -q "first start" "$DIR/out" || fail "the first start is not reported"
grep -qF "$TOKEN" "$DIR/out" "$DIR/err" && fail "the operator token was printed or logged"
grep -q "demo registry: 4 enterprise(s) added" "$DIR/out" || fail "demo registry not loaded"

# Bodies are captured before they are searched: `curl | grep -q` can kill curl with SIGPIPE,
# which pipefail turns into a false failure.
HEALTH=$(curl -sf "$URL/healthz") || fail "healthz"
grep -q '"status":"ok"' <<<"$HEALTH" || fail "healthz: $HEALTH"
HOLDERS=$(curl -sf -H "Authorization: Bearer $TOKEN" "$URL/api/v1/holders")
[ "$(grep -o '"uscc"' <<<"$HOLDERS" | wc -l)" = 4 ] || fail "expected 4 demo holders: $HOLDERS"
grep -q '"status":"abnormal"' <<<"$HOLDERS" || fail "no abnormal demo holder"
CODE=$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/holders")
[ "$CODE" = 401 ] || fail "no token gave $CODE"
OPENAPI=$(curl -sf "$URL/api/v1/openapi.yaml") || fail "openapi.yaml"
[[ "$OPENAPI" == "openapi: 3"* ]] || fail "openapi.yaml does not start with 'openapi: 3'"
METRICS=$(curl -sf "$URL/metrics") || fail "metrics"
grep -q '^eseal_http_requests_total' <<<"$METRICS" || fail "metrics has no eseal_http_requests_total"
grep -q '"event":"http.request"' "$DIR/err" || fail "no request log lines"
grep -q '^eseal_clock_unsynchronised_accepted 1$' <<<"$METRICS" || fail "metrics does not say the clock is accepted"
grep -q '"tsa":{"mode":"in-process","issuing":true}' <<<"$HEALTH" || fail "healthz: $HEALTH"

# The public TSA: a request made by `eseal ts query` is answered, and the token verifies
# under the trust bundle's root alone (it carries the TSA certificate and its issuing CA).
curl -sf "$URL/api/v1/trust-bundle" -o "$DIR/bundle.pem" || fail "trust-bundle"
awk '/BEGIN CERT/{n++} n==1' "$DIR/bundle.pem" >"$DIR/root.pem"
printf 'a contract' >"$DIR/data.txt"
"$ESEAL" ts query --data "$DIR/data.txt" --cert-req --out "$DIR/req.tsq" >/dev/null || fail "ts query"
CODE=$(curl -s -o "$DIR/resp.tsr" -w '%{http_code}' -H 'Content-Type: application/timestamp-query' \
  --data-binary @"$DIR/req.tsq" "$URL/api/v1/tsa")
[ "$CODE" = 200 ] || fail "POST /api/v1/tsa gave $CODE"
"$ESEAL" ts verify --reply "$DIR/resp.tsr" --data "$DIR/data.txt" --tsa-trust "$DIR/root.pem" --no-revocation \
  >"$DIR/verify.out" || fail "the platform's token does not verify: $(cat "$DIR/verify.out")"
printf 'other data' >"$DIR/other.txt"
CODE=0
"$ESEAL" ts verify --reply "$DIR/resp.tsr" --data "$DIR/other.txt" --tsa-trust "$DIR/root.pem" --no-revocation \
  >/dev/null || CODE=$?
[ "$CODE" = 1 ] || fail "a token over other data gave exit $CODE, not 1"
stop

# A second server that stamps with a TSA elsewhere (here: the first server's public TSA).
start
A_URL=$URL
A_PID=$PID
B_DIR="$DIR/b"
mkdir -p "$B_DIR"
"$ESEAL" serve --data "$B_DIR/data" --listen 127.0.0.1:0 --accept-unsynchronised-clock --web "$DIR/no-ui" \
  --tsa-url "$A_URL/api/v1/tsa" --tsa-url-trust "$DIR/root.pem" >"$B_DIR/out" 2>"$B_DIR/err" &
B_PID=$!
for _ in $(seq 1 300); do
  grep -q "eseal is listening on" "$B_DIR/out" && break
  kill -0 "$B_PID" 2>/dev/null || fail "eseal serve --tsa-url exited early: $(cat "$B_DIR/err")"
  sleep 0.1
done
B_URL=$(sed -n 's/^eseal is listening on \(http:[^ ]*\)$/\1/p' "$B_DIR/out")
B_HEALTH=$(curl -sf "$B_URL/healthz") || fail "healthz of the --tsa-url server"
grep -q '"mode":"external"' <<<"$B_HEALTH" || fail "the --tsa-url server does not report an external TSA: $B_HEALTH"
kill -TERM "$B_PID"; wait "$B_PID" || fail "the --tsa-url server did not stop cleanly"
PID=$A_PID
stop

# A restart keeps the identity, the operator and the registry.
start
grep -q "first start" "$DIR/out" && fail "a restart made a new identity"
grep -q "demo registry: 0 enterprise(s) added, 4 already present" "$DIR/out" || fail "demo registry loaded twice"
ME=$(curl -sf -H "Authorization: Bearer $TOKEN" "$URL/api/v1/me") || fail "token after restart"
grep -q '"role":"operator"' <<<"$ME" || fail "token after restart: $ME"
stop
echo "serve smoke test passed"
