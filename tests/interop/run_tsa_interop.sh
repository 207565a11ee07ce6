#!/usr/bin/env bash
# Interop test for trusted time (时间戳): do eseal's timestamp tokens and an independent RFC 3161
# implementation agree, both ways?
#
# The oracle is TsaBcOracle.java, our own small program on BouncyCastle's TSP/CMS classes
# (bcprov + bcpkix + bcutil, Debian's libbcpkix-java: the only SM2 TimeStampTokenGenerator on
# Debian). It shares no code with eseal. docs/trusted-time.md, "Independent checks (BouncyCastle)".
#
#   0. The oracle proves itself: BC's generator refuses TSA certificates without a critical,
#      timeStamping-only EKU; check-token accepts BC's own tokens and refuses a flipped signature
#      bit, a wrong root and a rejection reply, each for the named reason.
#   1. eseal's TSA answers `openssl ts -query -sm3 -cert` requests (and its own); BC validates the
#      tokens (TimeStampToken.validate, ESSCertIDv2, EKU, SM3 imprint, chain to eseal's root) and
#      refuses them over other data (imprint) or with a flipped signature bit (bc-validate).
#   2. BC's TSA answers eseal's requests; `eseal ts verify` PASSES its tokens (ESSCertIDv2 with SM3
#      and with SHA-256) and FAILS them over other data (tsp.imprint) and when the TSA certificate's
#      EKU is not critical, absent, or not timeStamping alone (tsp.tsa.eku, exit 1).
#   3. BC's TSA over HTTP answers eseal's TSA client (`eseal ofd sign --tsa-url`, Type=Seal and
#      Type=Sign); the token eseal embeds has BC's serial, and `eseal ofd verify` PASSES and judges
#      at its genTime. A BC TSA whose certificate's EKU is not critical makes `eseal ofd sign`
#      exit 2 naming tsp.tsa.eku and write nothing. Skipped, loudly, if there is no --tsa-url.
#
# Usage: run_tsa_interop.sh <path-to-eseal> <outdir>
# Env: ESEAL_SHARED_DIR (default: ../shared beside the checkout), BCPROV_JAR, BCPKIX_JAR,
#      BCUTIL_JAR, JAVA, JAVAC.
set -uo pipefail

ESEAL=${1:?usage: run_tsa_interop.sh <path-to-eseal> <outdir>}
OUT=${2:?usage: run_tsa_interop.sh <path-to-eseal> <outdir>}
HERE=$(cd "$(dirname "$0")" && pwd)
SHARED=${ESEAL_SHARED_DIR:-$HERE/../../../shared}
BCPROV=${BCPROV_JAR:-/usr/share/java/bcprov.jar}
BCPKIX=${BCPKIX_JAR:-/usr/share/java/bcpkix.jar}
BCUTIL=${BCUTIL_JAR:-/usr/share/java/bcutil.jar}
JAVA=${JAVA:-java}
JAVAC=${JAVAC:-javac}

fail() { echo "interop: FAILED: $*"; exit 1; }
TD=$(cd "$SHARED/testdata/ofdrw" 2>/dev/null && pwd) || fail "no $SHARED/testdata/ofdrw"
for f in "$ESEAL" "$BCPROV" "$BCPKIX" "$BCUTIL" "$TD/unsigned/helloworld.ofd"; do
  [ -e "$f" ] || fail "missing $f (scripts/deps.sh installs libbcprov-java and libbcpkix-java)"
done
command -v "$JAVA" >/dev/null && command -v "$JAVAC" >/dev/null ||
  fail "java/javac not found (scripts/deps.sh installs openjdk-17-jdk-headless)"
command -v openssl >/dev/null || fail "openssl not found"

rm -rf "$OUT" && mkdir -p "$OUT/classes" "$OUT/logs" || fail "cannot create $OUT"
OUT=$(cd "$OUT" && pwd)
CP="$BCPROV:$BCPKIX:$BCUTIL"
LOGS=$OUT/logs
errors=0
checks=0
err() { echo "interop: ERROR: $*"; errors=$((errors + 1)); }
pass() { echo "  ok    $*"; checks=$((checks + 1)); }

SERVE_PID=""
cleanup() { [ -z "$SERVE_PID" ] || kill "$SERVE_PID" 2>/dev/null; }
trap cleanup EXIT

# The documented way to run the oracle is as a single-file source program: make the first BC TSA
# that way, then compile once so the runs below do not each pay for javac.
BCD=$OUT/bc
"$JAVA" -cp "$CP" "$HERE/TsaBcOracle.java" make-tsa "$BCD" >"$LOGS/source-mode.log" 2>&1 ||
  fail "single-file run of TsaBcOracle.java failed: $(tail -3 "$LOGS/source-mode.log")"
"$JAVAC" -nowarn -d "$OUT/classes" -cp "$CP" "$HERE/TsaBcOracle.java" >"$LOGS/javac.log" 2>&1 ||
  fail "javac failed: $(cat "$LOGS/javac.log")"
oracle() { "$JAVA" -cp "$CP:$OUT/classes" TsaBcOracle "$@"; }

n_log=0
newlog() { n_log=$((n_log + 1)); LOG="$LOGS/$(printf %03d $n_log)-$1.log"; }  # sets LOG

# check EXPECT NAME REPLY DATA ROOT [ISSUING]: BC's check-token. EXPECT is "OK" (exit 0, last line
# "OK token: ...") or "FAIL <checks>" (exit 1, last line exactly that: every other check passed).
check() {
  local expect=$1 name=$2 log rc last
  shift 2
  newlog "bc-$name"; log=$LOG
  oracle check-token "$@" >"$log" 2>&1
  rc=$?
  last=$(tail -n 1 "$log")
  if [ "$expect" = OK ]; then
    if [ $rc -eq 0 ] && [[ "$last" == "OK token: "* ]]; then pass "BC check-token $name: $last"
    else err "BC check-token $name: expected OK, got rc=$rc '$last' (log $log)"; grep '^BAD' "$log" | sed 's/^/        /'; fi
  else
    if [ $rc -eq 1 ] && [ "$last" = "$expect" ]; then pass "BC check-token $name: $last ($(grep -m1 '^BAD' "$log" | cut -c6-))"
    else err "BC check-token $name: expected '$expect' (rc 1), got rc=$rc '$last' (log $log)"; fi
  fi
}

# everify RC EXPECTED NAME [eseal ts verify args...]: `eseal ts verify` must exit RC; for RC 0 the
# report says "verdict: PASSED"; otherwise the report's only FAIL/INDET line starts with EXPECTED.
everify() {
  local want=$1 expected=$2 name=$3 log rc bad
  shift 3
  newlog "eseal-verify-$name"; log=$LOG
  "$ESEAL" ts verify --verbose "$@" >"$log" 2>&1
  rc=$?
  bad=$(grep -E '^(FAIL|INDET) ' "$log")
  if [ "$want" = 0 ]; then
    if [ $rc -eq 0 ] && grep -qx 'verdict: PASSED' "$log" && [ -z "$bad" ]; then
      pass "eseal ts verify $name: PASSED, $(grep -m1 'genTime' "$log" | sed 's/.*genTime)*:* *//')"
    else err "eseal ts verify $name: expected PASSED, got rc=$rc (log $log)"; echo "$bad" | sed 's/^/        /'; fi
  else
    if [ $rc -eq "$want" ] && [ "$(echo "$bad" | wc -l)" = 1 ] && [[ "$bad" == "$expected"* ]]; then
      pass "eseal ts verify $name: exit $rc, $bad"
    else err "eseal ts verify $name: expected exit $want and only '$expected...', got rc=$rc (log $log)"; echo "$bad" | sed 's/^/        /'; fi
  fi
}

# stamp EXPECT NAME DIR REQ OUT [options]: BC's TSA answers REQ. EXPECT "granted" or "REFUSED <why>".
stamp() {
  local expect=$1 name=$2 log rc last
  shift 2
  newlog "bc-stamp-$name"; log=$LOG
  oracle stamp "$@" >"$log" 2>&1
  rc=$?
  last=$(tail -n 1 "$log")
  if [ "$expect" = granted ]; then
    [ $rc -eq 0 ] && [[ "$last" == *": granted"* ]] && return 0
    err "BC stamp $name: expected a granted reply, got rc=$rc '$last' (log $log)"
  else
    if [ $rc -eq 3 ] && [ "$last" = "$expect" ]; then pass "BC stamp $name: $last"; return 0; fi
    err "BC stamp $name: expected rc 3 '$expect', got rc=$rc '$last' (log $log)"
  fi
  return 1
}

flip_last_byte() {  # IN OUT: the last byte of a reply is the last byte of the SM2 signature value
  cp "$1" "$2" || return 1
  local size b
  size=$(stat -c %s "$2")
  b=$(tail -c 1 "$2" | od -An -tu1 | tr -d ' ')
  # shellcheck disable=SC2059  # the format is the escaped byte
  printf "\\$(printf %03o $((b ^ 1)))" | dd of="$2" bs=1 seek=$((size - 1)) conv=notrunc status=none
}

esealq() { "$ESEAL" "$@" >>"$LOGS/eseal.log" 2>&1; }

D=$OUT/data
mkdir -p "$D"
printf '合同正文 contract body %s\n' "$(date +%s%N)" >"$D/data.txt"
printf 'other bytes\n' >"$D/other.txt"

echo "== 0. the oracle proves itself"
for eku in noncritical none extra; do
  oracle make-tsa "$OUT/bc-$eku" --eku "$eku" >>"$LOGS/make-tsa.log" 2>&1 || fail "make-tsa --eku $eku failed"
done
esealq ts query --data "$D/data.txt" --cert-req --out "$D/q.tsq" || fail "eseal ts query failed: $(tail -2 "$LOGS/eseal.log")"
stamp "REFUSED BC's TimeStampTokenGenerator refuses the TSA certificate: Certificate must have an ExtendedKeyUsage extension marked as critical." \
  eku-noncritical "$OUT/bc-noncritical" "$D/q.tsq" "$D/x.tsr"
stamp "REFUSED BC's TimeStampTokenGenerator refuses the TSA certificate: Certificate must have an ExtendedKeyUsage extension." \
  eku-none "$OUT/bc-none" "$D/q.tsq" "$D/x.tsr"
stamp "REFUSED BC's TimeStampTokenGenerator refuses the TSA certificate: ExtendedKeyUsage not solely time stamping." \
  eku-extra "$OUT/bc-extra" "$D/q.tsq" "$D/x.tsr"
stamp granted bc "$BCD" "$D/q.tsq" "$D/bc.tsr" &&
  check OK bc-own-token "$D/bc.tsr" "$D/data.txt" "$BCD/root.pem" &&
  flip_last_byte "$D/bc.tsr" "$D/bc-flipped.tsr" &&
  check "FAIL bc-validate" bc-own-token-flipped-signature "$D/bc-flipped.tsr" "$D/data.txt" "$BCD/root.pem" &&
  check "FAIL chain" bc-own-token-wrong-root "$D/bc.tsr" "$D/data.txt" "$OUT/bc-none/root.pem"
stamp granted bc-unchecked-path "$BCD" "$D/q.tsq" "$D/bc-unchecked.tsr" --unchecked-eku &&
  check OK bc-unchecked-path-good-cert "$D/bc-unchecked.tsr" "$D/data.txt" "$BCD/root.pem"
[ $errors -eq 0 ] || fail "$errors check(s) of the oracle itself went wrong: the witness is not trustworthy"

echo "== 1. eseal's TSA, BC validates its tokens"
E=$OUT/eseal-tsa
mkdir -p "$E"
esealq ca init --out "$E/ca" --name "eseal TSA Interop" &&
  esealq key gen --out "$E/tsa.pem" &&
  esealq cert issue --ca "$E/ca" --pubkey "$E/tsa.pub.pem" --subject "C=CN,O=eseal Interop TSA,CN=eseal Interop TSA" \
    --role tsa --out "$E/tsa.crt" ||
  fail "eseal CA/TSA setup failed: $(tail -3 "$LOGS/eseal.log")"
# reply NAME REQ [eseal ts reply args]: eseal answers; a granted reply is expected (exit 0)
reply() {
  local name=$1 req=$2
  shift 2
  esealq ts reply --key "$E/tsa.pem" --cert "$E/tsa.crt" --in "$req" --out "$D/$name.tsr" "$@" && return 0
  err "eseal ts reply $name failed: $(tail -2 "$LOGS/eseal.log")"
  return 1
}
openssl ts -query -sm3 -data "$D/data.txt" -cert -out "$D/openssl.tsq" 2>>"$LOGS/openssl.log" ||
  fail "openssl ts -query -sm3 failed: $(tail -2 "$LOGS/openssl.log")"
openssl ts -query -sm3 -data "$D/data.txt" -cert -no_nonce -out "$D/openssl-nononce.tsq" 2>>"$LOGS/openssl.log" ||
  fail "openssl ts -query -no_nonce failed"
if reply openssl "$D/openssl.tsq" --chain "$E/ca/issuing.pem"; then
  # the token carries the issuing CA (certReq): ROOT alone must do
  check OK eseal-openssl-req "$D/openssl.tsr" "$D/data.txt" "$E/ca/root.pem"
  check OK eseal-openssl-req-with-issuing "$D/openssl.tsr" "$D/data.txt" "$E/ca/root.pem" "$E/ca/issuing.pem"
  check "FAIL imprint" eseal-openssl-req-other-data "$D/openssl.tsr" "$D/other.txt" "$E/ca/root.pem"
  flip_last_byte "$D/openssl.tsr" "$D/openssl-flipped.tsr" &&
    check "FAIL bc-validate" eseal-flipped-signature "$D/openssl-flipped.tsr" "$D/data.txt" "$E/ca/root.pem"
  # the issuing CA is neither in the token nor given: no path
  reply openssl-nochain "$D/openssl.tsq" &&
    check "FAIL chain" eseal-no-issuing "$D/openssl-nochain.tsr" "$D/data.txt" "$E/ca/root.pem" &&
    check OK eseal-issuing-given "$D/openssl-nochain.tsr" "$D/data.txt" "$E/ca/root.pem" "$E/ca/issuing.pem"
fi
reply openssl-nononce "$D/openssl-nononce.tsq" --chain "$E/ca/issuing.pem" &&
  check OK eseal-openssl-req-no-nonce "$D/openssl-nononce.tsr" "$D/data.txt" "$E/ca/root.pem"
reply eseal-req "$D/q.tsq" --chain "$E/ca/issuing.pem" &&
  check OK eseal-own-req "$D/eseal-req.tsr" "$D/data.txt" "$E/ca/root.pem"
# a rejection (reqPolicy not served): eseal exits 2 and still writes the reply; BC reads the status
esealq ts query --data "$D/data.txt" --cert-req --policy 1.2.3.4 --out "$D/policy.tsq" || err "eseal ts query --policy failed"
esealq ts reply --key "$E/tsa.pem" --cert "$E/tsa.crt" --in "$D/policy.tsq" --out "$D/policy.tsr"
rc=$?
if [ $rc -eq 2 ]; then
  check "FAIL status" eseal-rejection "$D/policy.tsr" "$D/data.txt" "$E/ca/root.pem"
  if grep -q '^BAD  status: status 2 (.*), failInfo unacceptedPolicy$' "$LOG"; then
    pass "BC reads eseal's rejection as status 2 (rejection), failInfo unacceptedPolicy"
  else
    err "BC did not read eseal's rejection as status 2 with failInfo unacceptedPolicy (log $LOG)"
  fi
else
  err "eseal ts reply to a request for policy 1.2.3.4: expected exit 2 (rejection), got $rc"
fi

echo "== 2. BC's TSA, eseal verifies its tokens"
# $D/bc.tsr is BC's answer to eseal's request (section 0): ESSCertIDv2 with SM3
everify 0 "" bc-token --reply "$D/bc.tsr" --data "$D/data.txt" --tsa-trust "$BCD/root.pem" --no-revocation
everify 1 "FAIL   tsp.imprint  " bc-token-other-data --reply "$D/bc.tsr" --data "$D/other.txt" --tsa-trust "$BCD/root.pem" --no-revocation
everify 1 "FAIL   tsp.signer.signature  " bc-token-flipped-signature --reply "$D/bc-flipped.tsr" --data "$D/data.txt" --tsa-trust "$BCD/root.pem" --no-revocation
stamp granted sha256-certid "$BCD" "$D/q.tsq" "$D/bc-sha256.tsr" --certid sha256 &&
  everify 0 "" bc-token-essCertIDv2-sha256 --reply "$D/bc-sha256.tsr" --data "$D/data.txt" --tsa-trust "$BCD/root.pem" --no-revocation
stamp granted openssl-req "$BCD" "$D/openssl.tsq" "$D/bc-openssl.tsr" &&
  everify 0 "" bc-token-openssl-req --reply "$D/bc-openssl.tsr" --data "$D/data.txt" --tsa-trust "$BCD/root.pem" --no-revocation
# certReq absent: BC honours it and sends no certificate; eseal cannot find the TSA's (exit 3)
# until it is given as an intermediate
esealq ts query --data "$D/data.txt" --out "$D/nocert.tsq" || err "eseal ts query (no --cert-req) failed"
stamp granted no-cert-req "$BCD" "$D/nocert.tsq" "$D/bc-nocert.tsr" && {
  everify 3 "INDET  tsp.signer.cert  " bc-token-no-certreq --reply "$D/bc-nocert.tsr" --data "$D/data.txt" --tsa-trust "$BCD/root.pem" --no-revocation
  everify 0 "" bc-token-no-certreq-cert-given --reply "$D/bc-nocert.tsr" --data "$D/data.txt" --tsa-trust "$BCD/root.pem" --intermediate "$BCD/tsa.pem" --no-revocation
}
# the same BC token built without TimeStampTokenGenerator's certificate check is accepted by
# both with a good certificate (section 0), so below only the EKU differs
everify 0 "" bc-unchecked-path-good-cert --reply "$D/bc-unchecked.tsr" --data "$D/data.txt" --tsa-trust "$BCD/root.pem" --no-revocation
for eku in noncritical none extra; do
  case $eku in
    noncritical) why="FAIL   tsp.tsa.eku  the TSA certificate's extendedKeyUsage is not critical" ;;
    none) why="FAIL   tsp.tsa.eku  the TSA certificate has no extendedKeyUsage" ;;
    extra) why="FAIL   tsp.tsa.eku  the TSA certificate's extendedKeyUsage is not id-kp-timeStamping alone" ;;
  esac
  stamp granted "unchecked-eku-$eku" "$OUT/bc-$eku" "$D/q.tsq" "$D/bc-eku-$eku.tsr" --unchecked-eku || continue
  everify 1 "$why" "bc-token-eku-$eku" --reply "$D/bc-eku-$eku.tsr" --data "$D/data.txt" --tsa-trust "$OUT/bc-$eku/root.pem" --no-revocation
  check "FAIL eku,bc-validate-certificate,bc-validate" "bc-token-eku-$eku" "$D/bc-eku-$eku.tsr" "$D/data.txt" "$OUT/bc-$eku/root.pem"
done

echo "== 3. BC's TSA over HTTP answers eseal's TSA client (eseal ofd sign --tsa-url)"
if ! "$ESEAL" ofd sign --help 2>&1 | grep -q -- '--tsa-url'; then
  echo "interop: WARNING: !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
  echo "interop: WARNING: SKIPPED section 3: 'eseal ofd sign --help' has no --tsa-url yet (the TSA"
  echo "interop: WARNING: client is not built). Nothing checks eseal's client against BC's TSA."
  echo "interop: WARNING: !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
else
  K=$OUT/keys
  mkdir -p "$K"
  printf 'tsa interop maker password\n' >"$K/maker.pw" && chmod 600 "$K/maker.pw"
  esealq ca init --out "$K/ca" --name "eseal TSA Client Interop" &&
    esealq key gen --out "$K/maker.key.pem" --password-file "$K/maker.pw" &&
    esealq key gen --out "$K/signer.key.pem" &&
    esealq cert issue --ca "$K/ca" --pubkey "$K/maker.key.pub.pem" --role maker \
      --subject "C=CN,O=eseal Interop Seal Maker,CN=eseal Interop Seal Maker" --days 3650 --out "$K/maker.crt" &&
    esealq cert issue --ca "$K/ca" --pubkey "$K/signer.key.pub.pem" --role signer \
      --subject "C=CN,O=时间戳互操作测试有限公司,CN=时间戳互操作测试有限公司" --out "$K/signer.crt" &&
    esealq seal make --maker-cert "$K/maker.crt" --maker-key "$K/maker.key.pem" --maker-password-file "$K/maker.pw" \
      --signer-cert "$K/signer.crt" --kind contract --name 时间戳互操作测试有限公司 --code 4501030012345 \
      --id 450103001234503 --out "$K/v4.esl" ||
    fail "eseal seal setup failed: $(tail -5 "$LOGS/eseal.log")"

  # BC's server writes its log line after it has answered, so the client can finish first:
  # wait (at most 5 s) until SERVE_LOG holds at least N grants.
  wait_granted() {
    local i
    for i in $(seq 1 50); do
      [ "$(grep -c ' -> granted' "$SERVE_LOG")" -ge "$1" ] && return 0
      sleep 0.1
    done
    return 1
  }
  # serve DIR [--unchecked-eku]: start BC's HTTP TSA, set PORT and SERVE_LOG
  serve() {
    local dir=$1 portfile
    portfile=$OUT/port-$(basename "$1")
    shift
    SERVE_LOG=$LOGS/serve-$(basename "$dir").log
    rm -f "$portfile"
    # java itself in the background (not the oracle function: $! would be a subshell's pid)
    "$JAVA" -cp "$CP:$OUT/classes" TsaBcOracle serve "$dir" "$portfile" "$@" 2>"$SERVE_LOG" &
    SERVE_PID=$!
    for _ in $(seq 100); do [ -s "$portfile" ] && break; sleep 0.2; done
    PORT=$(cat "$portfile" 2>/dev/null)
    [ -n "$PORT" ] || fail "BC's HTTP TSA did not start: $(tail -3 "$SERVE_LOG")"
  }
  stop_serving() { kill "$SERVE_PID" 2>/dev/null; wait "$SERVE_PID" 2>/dev/null; SERVE_PID=""; }

  serve "$BCD"
  S=$OUT/signed
  mkdir -p "$S"
  for fmt in seal sign; do
    out=$S/helloworld-$fmt-bc-tsa.ofd
    before=$(grep -c ' -> granted' "$SERVE_LOG")
    newlog "ofd-sign-$fmt"; log=$LOG
    if ! "$ESEAL" ofd sign --key "$K/signer.key.pem" --cert "$K/signer.crt" --seal "$K/v4.esl" --page 1 --x 30 --y 40 \
      --format "$fmt" --in "$TD/unsigned/helloworld.ofd" --out "$out" \
      --tsa-url "http://127.0.0.1:$PORT/" --tsa-url-trust "$BCD/root.pem" >"$log" 2>&1; then
      err "eseal ofd sign --format $fmt --tsa-url (BC's TSA) failed (log $log): $(tail -2 "$log" | tr '\n' ' ')"
      continue
    fi
    wait_granted $((before + 1)) || true
    after=$(grep -c ' -> granted' "$SERVE_LOG")
    [ $((after - before)) -eq 1 ] || err "--format $fmt: BC's TSA granted $((after - before)) requests, expected 1 (log $SERVE_LOG)"
    gen=$(grep ' -> granted' "$SERVE_LOG" | tail -1 | sed 's/.*genTime //')
    # the token eseal embedded is the one BC issued: same serial (eseal prints it in hex)
    bc_serial=$(grep ' -> granted' "$SERVE_LOG" | tail -1 | sed 's/.*serial \([0-9a-f]*\),.*/\1/')
    got_serial=$(sed -n 's/.*timestamp: genTime .*, serial \([0-9A-Fa-f]*\).*/\1/p' "$log" | tr 'A-F' 'a-f' | sed 's/^0*//')
    [ -n "$bc_serial" ] && [ "$got_serial" = "$bc_serial" ] ||
      err "--format $fmt: eseal reports token serial '$got_serial', BC's TSA issued '$bc_serial' (logs $log, $SERVE_LOG)"
    newlog "ofd-verify-$fmt"; log=$LOG
    "$ESEAL" ofd verify "$out" --trust "$K/ca/root.pem" --maker-trust "$K/ca/root.pem" --intermediate "$K/ca/issuing.pem" \
      --tsa-trust "$BCD/root.pem" --no-revocation --verbose >"$log" 2>&1
    rc=$?
    if [ $rc -eq 0 ] && grep -qx 'overall verdict: PASSED' "$log" &&
      grep -qx "  INFO   time.validation  judged at $gen, the timestamp's genTime (proven)" "$log" &&
      grep -qx '  PASS   tsp.signer.cert  C=CN, O=BC Oracle TSA, CN=BC Oracle TSA' "$log"; then
      pass "eseal ofd verify ($fmt, BC's token $bc_serial via --tsa-url): PASSED, judged at BC's genTime $gen (proven)"
    else
      err "eseal ofd verify ($fmt, BC-made token): expected PASSED judged at $gen from BC's token, got rc=$rc (log $log)"
      grep -E '^ *(FAIL|INDET|WARN) |time.validation' "$log" | head -5 | sed 's/^/        /'
    fi
  done
  stop_serving

  # a BC TSA whose certificate's EKU is not critical: the client must refuse its token, sign nothing
  serve "$OUT/bc-noncritical" --unchecked-eku
  out=$S/helloworld-bad-eku-tsa.ofd
  newlog "ofd-sign-bad-eku-tsa"; log=$LOG
  "$ESEAL" ofd sign --key "$K/signer.key.pem" --cert "$K/signer.crt" --seal "$K/v4.esl" --page 1 --x 30 --y 40 \
    --in "$TD/unsigned/helloworld.ofd" --out "$out" \
    --tsa-url "http://127.0.0.1:$PORT/" --tsa-url-trust "$OUT/bc-noncritical/root.pem" >"$log" 2>&1
  rc=$?
  # exit 2: the reply fails a check (DataLoss); the reason names the check id
  if [ $rc -eq 2 ] && [ ! -e "$out" ] && grep -q 'timestamping failed, nothing was signed: .*tsp.tsa.eku' "$log" &&
    wait_granted 1; then
    pass "eseal ofd sign --tsa-url refuses a token from a TSA whose EKU is not critical: exit 2, tsp.tsa.eku, nothing written"
  else
    err "eseal ofd sign with a non-critical-EKU TSA: expected exit 2 naming tsp.tsa.eku and no output, got rc=$rc$([ -e "$out" ] && echo ', output written') (log $log)"
  fi
  stop_serving
fi

if [ $errors -ne 0 ]; then
  echo "interop: FAILED: $errors error(s); logs in $LOGS"
  exit 1
fi
echo "interop: PASSED ($checks checks; outputs in $OUT)"
