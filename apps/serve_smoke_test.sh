#!/usr/bin/env bash
# Smoke test of `eseal serve`: the deployment defaults it refuses to start without (plain
# HTTP on a non-loopback address, a KEK file inside the data folder), first start on an empty
# data folder (identity, operator token in a 0600 file, demo registry), a few requests with
# curl, /metrics behind the operator's token or on its own address, TLS, SIGTERM stops it
# cleanly, and a restart keeps everything.
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
  "$ESEAL" serve --data "$DIR/data" --listen 127.0.0.1:0 --demo --accept-unsynchronised-clock --dev \
    --web "$DIR/no-ui" "$@" >"$DIR/out" 2>"$DIR/err" &
  PID=$!
  for _ in $(seq 1 300); do
    if grep -q "eseal is listening on" "$DIR/out"; then break; fi
    kill -0 "$PID" 2>/dev/null || fail "eseal serve exited early"
    sleep 0.1
  done
  URL=$(sed -n 's/^eseal is listening on \(https\{0,1\}:[^ ]*\)$/\1/p' "$DIR/out")
  [ -n "$URL" ] || fail "no listening line"
}

# refused ARGS... EXPECTED: `eseal serve ARGS` exits 2 before making anything, and says
# EXPECTED (Chinese first, English beside it) on stderr.
refused() {
  local expected=${*: -1} code=0
  "$ESEAL" serve "${@:1:$#-1}" >"$DIR/refused.out" 2>"$DIR/refused.err" </dev/null || code=$?
  [ "$code" = 2 ] || fail "eseal serve ${*:1:$#-1} exited $code, not 2: $(cat "$DIR/refused.err")"
  grep -qF -- "$expected" "$DIR/refused.err" || fail "eseal serve ${*:1:$#-1} said: $(cat "$DIR/refused.err")"
}

# ---- deployment defaults: each refusal, with its exact message ----
PLAIN_ZH='拒绝在非本机地址 0.0.0.0 上提供明文 HTTP（--listen）：令牌和保护口令会以明文传输。请用 --tls-cert 和 --tls-key 启用 TLS；若前面有终结 TLS 的反向代理且网络可信，加 --insecure-http'
PLAIN_EN='refusing plain HTTP on the non-loopback address 0.0.0.0 (--listen): tokens and protection passwords would cross the network in clear. Give --tls-cert and --tls-key; behind a TLS-terminating proxy on a trusted network, add --insecure-http'
refused --data "$DIR/refused" --listen 0.0.0.0:0 --dev "eseal serve: $PLAIN_ZH / $PLAIN_EN"
refused --data "$DIR/refused" --listen 127.0.0.1:0 --metrics-listen 0.0.0.0:0 --dev \
  "拒绝在非本机地址 0.0.0.0 上提供明文 HTTP（--metrics-listen）"
KEK_MSG="拒绝使用数据目录内的密钥加密密钥文件 $DIR/refused/kek.key：复制了数据目录的人就同时得到了数据库和解开其中所有私钥的密钥。请用 --kek-file 指定数据目录之外（最好在另一块盘或另一台机器的挂载点上）的文件，或用 PKCS#11 硬件（--pkcs11-module）；仅演示和测试可加 --dev / refusing the key-encryption key file $DIR/refused/kek.key inside the data folder: a copy of the folder would carry the database together with the key that unwraps every private key in it. Give --kek-file outside the data folder (best on another disk or machine), or a PKCS#11 token (--pkcs11-module); --dev for demos and tests only"
refused --data "$DIR/refused" --listen 127.0.0.1:0 "eseal serve: $KEK_MSG"
mkdir -p "$DIR/refused/keys"
refused --data "$DIR/refused" --kek-file "$DIR/refused/keys/../keys/k.key" --listen 127.0.0.1:0 \
  "拒绝使用数据目录内的密钥加密密钥文件 $DIR/refused/keys/../keys/k.key"
[ ! -e "$DIR/refused/kek.key" ] && [ ! -e "$DIR/refused/eseal.db" ] || fail "a refused start made files"

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
ENROL_FILE="$DIR/data/operator.enrolment"
[ "$(stat -c %a "$ENROL_FILE")" = 600 ] || fail "operator.enrolment is missing or not mode 0600"
ENROL_CODE=$(sed -n 's/^enrolment_code: //p' "$ENROL_FILE")
[ -n "$ENROL_CODE" ] || fail "operator.enrolment holds no code"
grep -qF "$ENROL_CODE" "$DIR/out" "$DIR/err" && fail "the enrolment code was printed or logged"
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
CODE=$(curl -s -o /dev/null -w '%{http_code}' "$URL/metrics")
[ "$CODE" = 401 ] || fail "/metrics without a token gave $CODE"
METRICS=$(curl -sf -H "Authorization: Bearer $TOKEN" "$URL/metrics") || fail "metrics"
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
"$ESEAL" serve --data "$B_DIR/data" --listen 127.0.0.1:0 --accept-unsynchronised-clock --dev --web "$DIR/no-ui" \
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

# /metrics on its own address: public there, absent from the main port.
start --metrics-listen 127.0.0.1:0
M_URL=$(sed -n 's|^  metrics: *\(http://[^ ]*\)/metrics$|\1|p' "$DIR/out")
[ -n "$M_URL" ] || fail "no metrics line"
curl -sf "$URL/healthz" >/dev/null || fail "healthz with a metrics listener"  # one request to count
METRICS=$(curl -sf "$M_URL/metrics") || fail "metrics on --metrics-listen"
grep -q '^eseal_http_requests_total' <<<"$METRICS" || fail "metrics listener: $METRICS"
CODE=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$URL/metrics")
[ "$CODE" = 404 ] || fail "/metrics on the main port gave $CODE with a metrics listener"
CODE=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$M_URL/api/v1/me")
[ "$CODE" = 404 ] || fail "the metrics listener served the API ($CODE)"
stop

# TLS: HTTPS with the given certificate, and nothing in clear on that port.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=localhost \
  -addext "subjectAltName=IP:127.0.0.1" -keyout "$DIR/tls.key" -out "$DIR/tls.crt" >/dev/null 2>&1 ||
  fail "openssl req"
start --tls-cert "$DIR/tls.crt" --tls-key "$DIR/tls.key"
[[ "$URL" == https://* ]] || fail "the listening line is not https: $URL"
HEALTH=$(curl -sf --cacert "$DIR/tls.crt" "$URL/healthz") || fail "healthz over TLS"
grep -q '"status":"ok"' <<<"$HEALTH" || fail "healthz over TLS: $HEALTH"
ME=$(curl -sf --cacert "$DIR/tls.crt" -H "Authorization: Bearer $TOKEN" "$URL/api/v1/me") || fail "me over TLS"
curl -sf "${URL/https:/http:}/healthz" >/dev/null 2>&1 && fail "plain HTTP answered on the TLS port"
stop
echo "serve smoke test passed"
