#!/usr/bin/env bash
# Self-test of the PDF oracle (PdfOracle.java) on inputs from make_inputs.sh: before eseal's PDF
# signatures are judged by it, the oracle must accept what PDFBox + BouncyCastle sign and refuse
# the same files after a one-byte change.
#
#   1. make_inputs.sh makes the inputs; OpenSSL makes an SM2 key and a self-signed SM3/SM2
#      certificate (distid 1234567812345678).
#   2. The oracle runs as a single-file source program once (check, no signatures in gs.pdf).
#   3. gs.pdf is signed twice (CMS SM2/SM3, invisible then --visible, as incremental updates);
#      qpdf --check passes; check finds 2 valid signatures (exit 0), each covering its revision;
#      pdftoppm renders page 1.
#   4. Negative: a byte flipped in the first revision breaks both signatures; a byte flipped in
#      the second signature's own revision breaks only that one; bytes appended after the last
#      signature break it (not covering the whole file); a changed hex digit in the SM2 signature
#      value, or in the zero padding of /Contents, breaks that signature. Each must exit 1.
#   5. A third signature with an SES_Signature v4 in /Contents (--ses) is valid; a flipped byte
#      breaks it.
#      Then a CMS signature under GM/T 0010's outer OID and an SES one, each with a signature
#      timestamp from a throwaway SM2 TSA (--timestamp): valid, tokens validated by BC.
#   6. objstm.pdf, linearized.pdf and qdf.pdf are each signed once and checked (1 valid
#      signature, qpdf --check); encrypted.pdf is signed with the owner password and its signature
#      is good except for the padding PDFBox leaves (see below); damaged.pdf has no signatures.
#
# Usage: oracle_selftest.sh [WORKDIR]   (default: a temporary folder, removed at the end)
# Env: JAVA, JAVAC, PDFBOX_JAR, FONTBOX_JAR, COMMONS_LOGGING_JAR, BCPROV_JAR, BCPKIX_JAR, BCUTIL_JAR.
# Prints "pdf-oracle: FAILED: ..." and exits 1 on the first failure; "pdf-oracle: all N checks
# passed" and exit 0 otherwise.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
J=/usr/share/java
CP="${PDFBOX_JAR:-$J/pdfbox2.jar}:${FONTBOX_JAR:-$J/fontbox2.jar}:${COMMONS_LOGGING_JAR:-$J/commons-logging.jar}"
CP="$CP:${BCPROV_JAR:-$J/bcprov.jar}:${BCPKIX_JAR:-$J/bcpkix.jar}:${BCUTIL_JAR:-$J/bcutil.jar}"
JAVA=${JAVA:-java}
JAVAC=${JAVAC:-javac}
start=$(date +%s)

fail() { echo "pdf-oracle: FAILED: $*"; exit 1; }
checks=0
pass() { echo "  ok    $*"; checks=$((checks + 1)); }

IFS=: read -ra jars <<<"$CP"
for f in "${jars[@]}"; do
  [ -e "$f" ] || fail "missing $f (scripts/deps.sh installs libpdfbox2-java, libbcprov-java, libbcpkix-java)"
done
for tool in "$JAVA" "$JAVAC" qpdf pdftoppm gs openssl; do
  command -v "$tool" >/dev/null || fail "$tool not found (scripts/deps.sh installs it)"
done

if [ $# -ge 1 ]; then
  W=$1
  rm -rf "$W" && mkdir -p "$W" || fail "cannot create $W"
  W=$(cd "$W" && pwd)
else
  W=$(mktemp -d)
  trap 'rm -rf "$W"' EXIT
fi
mkdir -p "$W/in" "$W/classes" "$W/logs"

# ---- 1. inputs, key and certificate
"$HERE/make_inputs.sh" "$W/in" >"$W/logs/make_inputs.log" 2>&1 ||
  fail "make_inputs.sh: $(cat "$W/logs/make_inputs.log")"
for f in gs objstm linearized qdf encrypted damaged; do
  [ -s "$W/in/$f.pdf" ] || fail "make_inputs.sh did not make $f.pdf"
done
pass "make_inputs.sh made $(wc -l <"$W/logs/make_inputs.log") files"
openssl genpkey -algorithm SM2 -out "$W/key.pem" 2>"$W/logs/openssl.log" &&
  openssl req -x509 -new -key "$W/key.pem" -sm3 -sigopt "distid:1234567812345678" \
    -subj "/CN=PdfOracle self-test" -days 30 -out "$W/cert.pem" 2>>"$W/logs/openssl.log" ||
  fail "openssl could not make an SM2 key and certificate: $(cat "$W/logs/openssl.log")"
pass "openssl made an SM2 key and a self-signed SM2/SM3 certificate"

# ---- 2. the documented way to run it: single-file source launch; then compile once for speed
out=$("$JAVA" -cp "$CP" "$HERE/PdfOracle.java" check "$W/in/gs.pdf" --expect 0 2>"$W/logs/source.log")
rc=$?
[ $rc -eq 0 ] || fail "source launch: check gs.pdf --expect 0 exited $rc: $out $(cat "$W/logs/source.log")"
echo "$out" | grep -q '"signatures":0' || fail "source launch: unexpected output: $out"
pass "java -cp ... PdfOracle.java check gs.pdf (source launch): 0 signatures, exit 0"
"$JAVAC" -nowarn -d "$W/classes" -cp "$CP" "$HERE/PdfOracle.java" 2>"$W/logs/javac.log" ||
  fail "javac PdfOracle.java: $(cat "$W/logs/javac.log")"
oracle() { "$JAVA" -cp "$W/classes:$CP" PdfOracle "$@"; }

# check FILE EXPECTED_RC EXPECTED_SUMMARY_REGEX [check options]: runs check, keeps its output in
# $W/logs/<file>.check.json, and asserts the exit code and the summary line.
run_check() {
  local file=$1 want_rc=$2 want=$3 name
  shift 3
  name=$(basename "$file")
  oracle check "$file" "$@" >"$W/logs/$name.check.json" 2>"$W/logs/$name.check.err"
  local rc=$?
  [ $rc -eq "$want_rc" ] ||
    fail "check $name exited $rc, want $want_rc: $(cat "$W/logs/$name.check.json" "$W/logs/$name.check.err")"
  tail -1 "$W/logs/$name.check.json" | grep -Eq "$want" ||
    fail "check $name: summary does not match $want: $(tail -1 "$W/logs/$name.check.json")"
}
# line N of the last check of FILE (0-based signature index) must match REGEX
sig_line() {
  local file=$1 idx=$2 want=$3 line
  line=$(sed -n "$((idx + 1))p" "$W/logs/$(basename "$file").check.json")
  echo "$line" | grep -Eq "$want" || fail "check $(basename "$file") signature $idx does not match $want: $line"
}
sign() {
  local log
  log=$W/logs/sign.$(basename "$2").log
  oracle sign "$@" >"$log" 2>&1 || fail "sign $*: $(cat "$log")"
}
qpdf_check() {
  local file=$1 allow_size_warning=${2:-no} rc
  qpdf --check "${@:3}" "$file" >"$W/logs/$(basename "$file").qpdf.log" 2>&1
  rc=$?
  if [ $rc -eq 3 ] && [ "$allow_size_warning" = yes ]; then
    # PDFBox 2.0.27's incremental cross-reference stream does not list itself, so qpdf warns that
    # /Size is not one plus the highest object number it saw. Only that warning is tolerated.
    if grep '^WARNING' "$W/logs/$(basename "$file").qpdf.log" | grep -qv 'reported number of objects'; then
      fail "qpdf --check $(basename "$file"): $(cat "$W/logs/$(basename "$file").qpdf.log")"
    fi
    return 0
  fi
  [ $rc -eq 0 ] || fail "qpdf --check $(basename "$file") exited $rc: $(cat "$W/logs/$(basename "$file").qpdf.log")"
}
# flip FILE OFFSET: xor the byte at OFFSET with 0x01, in place
flip() {
  local b
  b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
  [ -n "$b" ] || fail "flip: no byte at $2 in $1"
  # shellcheck disable=SC2059
  printf "$(printf '\\%03o' $((b ^ 1)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
# flip_hex FILE OFFSET: the hex digit at OFFSET becomes another hex digit
flip_hex() {
  local c
  c=$(dd if="$1" bs=1 skip="$2" count=1 status=none)
  case $c in [0-9A-Fa-f]) ;; *) fail "flip_hex: '$c' at $2 in $1 is not a hex digit" ;; esac
  if [ "$c" = 0 ]; then c=1; else c=0; fi
  printf '%s' "$c" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
# the ByteRange numbers of signature IDX in the last check of FILE, space-separated
byte_range() {
  sed -n "$(($2 + 1))p" "$W/logs/$(basename "$1").check.json" |
    grep -o '"byte_range":\[[0-9,]*\]' | tr -c '0-9\n' ' '
}
# a field of signature IDX in the last check of FILE (numbers only)
num_field() {
  sed -n "$(($2 + 1))p" "$W/logs/$(basename "$1").check.json" | grep -o "\"$3\":[0-9]*" | cut -d: -f2
}
# offset of the first (or last) occurrence of STRING in FILE
offset_of() { grep -a -b -o -F "$2" "$1" | head -1 | cut -d: -f1; }
last_offset_of() { grep -a -b -o -F "$2" "$1" | tail -1 | cut -d: -f1; }

# ---- 3. two signatures on gs.pdf
K=$W/key.pem
C=$W/cert.pem
sign "$W/in/gs.pdf" "$W/one.pdf" "$K" "$C" --field Signer1
sign "$W/one.pdf" "$W/two.pdf" "$K" "$C" --visible --field Seal2
pass "PdfOracle sign: gs.pdf signed twice (invisible Signer1, then visible Seal2)"
qpdf_check "$W/two.pdf"
pass "qpdf --check two.pdf: no errors, no warnings"
run_check "$W/one.pdf" 0 '"signatures":1,"valid":1,"invalid":0' --expect 1
sig_line "$W/one.pdf" 0 '"field":"Signer1".*"covers_whole_file":true.*"format":"cms".*"digest_alg":"SM3".*"signature_alg_oid":"1.2.156.10197.1.501".*"valid":true'
run_check "$W/two.pdf" 0 '"signatures":2,"valid":2,"invalid":0,"expected":2,"all_valid":true' --expect 2
sig_line "$W/two.pdf" 0 '"field":"Signer1".*"revision":2,"covers_whole_file":true.*"valid":true'
sig_line "$W/two.pdf" 1 '"field":"Seal2".*"revision":3,"covers_whole_file":true.*"signature_ok":true,"bc_verify":true.*"valid":true'
pass "check two.pdf: 2 valid SM2/SM3 CMS signatures, each covering its revision, exit 0"
qpdf --json --json-key=acroform "$W/two.pdf" >"$W/logs/two.acroform.json" 2>&1 ||
  fail "qpdf --json two.pdf: $(cat "$W/logs/two.acroform.json")"
grep -q '"fullname": "Signer1"' "$W/logs/two.acroform.json" && grep -q '"fullname": "Seal2"' "$W/logs/two.acroform.json" ||
  fail "qpdf does not list both signature fields: $(cat "$W/logs/two.acroform.json")"
pass "qpdf --json: fields Signer1 and Seal2 with their widgets on page 1"
pdftoppm -r 40 -f 1 -l 1 -png "$W/two.pdf" "$W/two-page" >"$W/logs/pdftoppm.log" 2>&1 ||
  fail "pdftoppm two.pdf: $(cat "$W/logs/pdftoppm.log")"
[ -s "$W/two-page-1.png" ] || fail "pdftoppm made no PNG"
pass "pdftoppm renders page 1 of two.pdf (the visible seal)"

# ---- 4. negative checks
cp "$W/two.pdf" "$W/tampered-rev1.pdf"
off=$(offset_of "$W/tampered-rev1.pdf" "interop test contract")
[ -n "$off" ] && [ "$off" -lt "$(stat -c %s "$W/in/gs.pdf")" ] || fail "no title string in the first revision"
flip "$W/tampered-rev1.pdf" $((off + 14)) # "contract" -> "bontract"
run_check "$W/tampered-rev1.pdf" 1 '"signatures":2,"valid":0,"invalid":2'
sig_line "$W/tampered-rev1.pdf" 0 '"digest_ok":false.*"valid":false'
sig_line "$W/tampered-rev1.pdf" 1 '"digest_ok":false.*"valid":false'
pass "a byte flipped in revision 1 (document title): both signatures invalid, exit 1"

cp "$W/two.pdf" "$W/tampered-rev3.pdf"
off=$(last_offset_of "$W/tampered-rev3.pdf" "by PdfOracle")
one_size=$(stat -c %s "$W/one.pdf")
[ -n "$off" ] && [ "$off" -gt "$one_size" ] || fail "no /Reason string in the second signature's revision"
flip "$W/tampered-rev3.pdf" $((off + 3)) # "by PdfOracle" -> "by QdfOracle" in Seal2's /Reason
run_check "$W/tampered-rev3.pdf" 1 '"signatures":2,"valid":1,"invalid":1'
sig_line "$W/tampered-rev3.pdf" 0 '"field":"Signer1".*"valid":true'
sig_line "$W/tampered-rev3.pdf" 1 '"field":"Seal2".*"digest_ok":false.*"valid":false'
pass "a byte flipped in the second signature's revision: Signer1 still valid, Seal2 invalid, exit 1"

cp "$W/two.pdf" "$W/appended.pdf"
printf '%% unsigned bytes after the last signature\n' >>"$W/appended.pdf"
run_check "$W/appended.pdf" 1 '"signatures":2,"valid":1,"invalid":1'
sig_line "$W/appended.pdf" 1 '"field":"Seal2".*"covers_whole_file":false.*"digest_ok":true.*"valid":false'
pass "bytes appended after the last signature: it no longer covers the file, exit 1"

# the signature value: the last byte of the DER in Seal2's /Contents (the end of SM2's s)
run_check "$W/two.pdf" 0 '"valid":2' --expect 2
read -r _ b1 _ _ <<<"$(byte_range "$W/two.pdf" 1)"
der_len=$(num_field "$W/two.pdf" 1 contents_length)
[ -n "$b1" ] && [ -n "$der_len" ] || fail "no byte_range/contents_length in the check output"
cp "$W/two.pdf" "$W/tampered-sigvalue.pdf"
flip_hex "$W/tampered-sigvalue.pdf" $((b1 + 1 + 2 * (der_len - 1) + 1))
run_check "$W/tampered-sigvalue.pdf" 1 '"signatures":2,"valid":1,"invalid":1'
sig_line "$W/tampered-sigvalue.pdf" 1 '"digest_ok":true.*"signature_ok":false,"bc_verify":false.*"valid":false'
pass "a hex digit changed in Seal2's SM2 signature value: signature_ok false, exit 1"
cp "$W/two.pdf" "$W/tampered-padding.pdf"
read -r _ _ o2 _ <<<"$(byte_range "$W/two.pdf" 1)"
flip_hex "$W/tampered-padding.pdf" $((o2 - 2)) # the last hex digit of the zero padding
run_check "$W/tampered-padding.pdf" 1 '"signatures":2,"valid":1,"invalid":1'
sig_line "$W/tampered-padding.pdf" 1 '"padding_ok":false.*"signature_ok":true.*"valid":false'
pass "a non-zero byte in Seal2's /Contents padding: invalid, exit 1"

run_check "$W/two.pdf" 1 '"signatures":2,"valid":2,"invalid":0,"expected":3,"all_valid":false' --expect 3
pass "check --expect 3 on a file with 2 signatures: exit 1"

# ---- 5. an SES_Signature (GB/T 38540 v4) in /Contents
sign "$W/two.pdf" "$W/three.pdf" "$K" "$C" --ses --visible --field SesSeal3
run_check "$W/three.pdf" 0 '"signatures":3,"valid":3,"invalid":0' --expect 3
sig_line "$W/three.pdf" 2 '"field":"SesSeal3".*"format":"ses","ses_version":4.*"esid":"PDFORACLE-TEST-0001".*"digest_ok":true.*"tbs_der":true,"signature_ok":true,"maker_signature_ok":true.*"valid":true'
qpdf_check "$W/three.pdf"
pass "a third, SES_Signature v4 signature (--ses): 3 valid, the SES one with esID, qpdf --check clean"
cp "$W/three.pdf" "$W/tampered-ses.pdf"
off=$(last_offset_of "$W/tampered-ses.pdf" "by PdfOracle")
[ -n "$off" ] || fail "no /Reason string in the SES signature's revision"
flip "$W/tampered-ses.pdf" $((off + 3))
run_check "$W/tampered-ses.pdf" 1 '"signatures":3,"valid":2,"invalid":1'
sig_line "$W/tampered-ses.pdf" 2 '"format":"ses".*"digest_ok":false.*"valid":false'
pass "a byte flipped in the SES signature's revision: dataHash mismatch, exit 1"

# ---- 5b. signature timestamps (a throwaway SM2 TSA in the oracle), CMS under GM/T 0010's OID
sign "$W/in/gs.pdf" "$W/ts1.pdf" "$K" "$C" --timestamp --gm-oid --field TsCms
sign "$W/ts1.pdf" "$W/ts2.pdf" "$K" "$C" --timestamp --ses --visible --field TsSes
run_check "$W/ts2.pdf" 0 '"signatures":2,"valid":2,"invalid":0' --expect 2
sig_line "$W/ts2.pdf" 0 '"field":"TsCms".*"content_info_oid":"1.2.156.10197.6.1.4.2.2","format":"cms".*"timestamp":\{[^}]*"imprint_ok":true[^}]*"token_ok":true\},"valid":true'
sig_line "$W/ts2.pdf" 1 '"field":"TsSes".*"format":"ses".*"property_info":"ByteRange=\[[0-9 ]*\];Field=TsSes".*"timestamp":\{[^}]*"imprint_ok":true[^}]*"token_ok":true\},"valid":true'
pass "timestamped CMS (outer OID 1.2.156.10197.6.1.4.2.2) and timestamped SES: both valid, tokens validated"

# ---- 6. the other producers' files
for f in objstm linearized qdf; do
  sign "$W/in/$f.pdf" "$W/$f-signed.pdf" "$K" "$C" --visible
  run_check "$W/$f-signed.pdf" 0 '"signatures":1,"valid":1,"invalid":0' --expect 1
  qpdf_check "$W/$f-signed.pdf" yes
done
pass "objstm.pdf, linearized.pdf, qdf.pdf signed once each: 1 valid signature, qpdf --check"
# PDFBox 2.0.27 encrypts the zero placeholder of /Contents in an encrypted file (it grows by 32
# bytes) and then writes the signature over its start only, so the "padding" after the DER value
# is ciphertext. Everything else about the signature must be right, and padding_ok must be the
# only complaint (eseal must zero-pad).
sign "$W/in/encrypted.pdf" "$W/encrypted-signed.pdf" "$K" "$C" --password owner
run_check "$W/encrypted-signed.pdf" 1 '"signatures":1,"valid":0,"invalid":1' --expect 1 --password user
sig_line "$W/encrypted-signed.pdf" 0 '"covers_whole_file":true.*"padding_ok":false.*"digest_ok":true.*"signature_ok":true,"bc_verify":true.*"errors":\["non-zero bytes after the signature value in /Contents"\]\}$'
qpdf_check "$W/encrypted-signed.pdf" no --password=user
pass "encrypted.pdf (AES-256) signed with the owner password: digest and signature good, only PDFBox's non-zero /Contents padding refused"
run_check "$W/in/damaged.pdf" 0 '"signatures":0' --expect 0
pass "check damaged.pdf: PDFBox recovers it, 0 signatures"

if [ $# -ge 1 ]; then where="files kept in $W"; else where="work folder removed"; fi
echo "pdf-oracle: all $checks checks passed in $(($(date +%s) - start)) s ($where)"
