#!/usr/bin/env bash
# Interop test: do other vendors' verifiers accept what eseal signs?
#
# The witness is OfdBcVerify.java, our own small verifier on BouncyCastle (Debian's bcprov, the
# library ofdrw and most Java OFD verifiers run on). It does what ofdrw's OFDValidator does,
# including the BC DER re-encoding of the parsed SES structures (shared/reference/ses-formats.md
# §6-§8), plus the seal maker's signature. It shares no code with eseal.
#
#   1. The verifier is first checked against third-party files with known verdicts
#      (shared/testdata/ofdrw/EXPECTED.tsv): valid ones must pass, broken ones must fail for
#      the reason the table names. If that fails, the witness is wrong, not eseal.
#   2. eseal makes a CA, a seal maker, a signer, a v4 seal and a v1 seal, and signs every
#      shared/testdata/ofdrw/unsigned/*.ofd by position, keyword, riding seal, continue mode
#      twice, whole mode and --format sign (GB/T 35275). Every output must verify, --strict.
#   3. Negative cases: one flipped byte of page content, and an SES_Header that BC would
#      re-encode differently, must FAIL for that reason.
#
# Usage: run_interop.sh <path-to-eseal> <outdir>
# Env: ESEAL_SHARED_DIR (default: ../shared beside the checkout), BCPROV_JAR, JAVA, JAVAC.
set -uo pipefail

ESEAL=${1:?usage: run_interop.sh <path-to-eseal> <outdir>}
OUT=${2:?usage: run_interop.sh <path-to-eseal> <outdir>}
HERE=$(cd "$(dirname "$0")" && pwd)
SHARED=${ESEAL_SHARED_DIR:-$HERE/../../../shared}
TD=$(cd "$SHARED/testdata/ofdrw" 2>/dev/null && pwd) || { echo "interop: FAILED: no $SHARED/testdata/ofdrw"; exit 1; }
BCPROV=${BCPROV_JAR:-/usr/share/java/bcprov.jar}
JAVA=${JAVA:-java}
JAVAC=${JAVAC:-javac}

fail() { echo "interop: FAILED: $*"; exit 1; }
for f in "$ESEAL" "$BCPROV" "$TD/EXPECTED.tsv"; do [ -e "$f" ] || fail "missing $f"; done
command -v "$JAVA" >/dev/null && command -v "$JAVAC" >/dev/null ||
  fail "java/javac not found (scripts/deps.sh installs openjdk-17-jdk-headless and libbcprov-java)"

rm -rf "$OUT" && mkdir -p "$OUT/classes" "$OUT/logs" || fail "cannot create $OUT"
OUT=$(cd "$OUT" && pwd)
errors=0
err() { echo "interop: ERROR: $*"; errors=$((errors + 1)); }

# The documented way to run it is as a single-file source program; check that once, then
# compile once so the many runs below do not each pay for javac.
"$JAVA" -cp "$BCPROV" "$HERE/OfdBcVerify.java" "$TD/signed/generated-with-ofdrw/v4-seal-whole.ofd" \
  >"$OUT/logs/source-mode.log" 2>&1 || fail "single-file run of OfdBcVerify.java failed: $(tail -3 "$OUT/logs/source-mode.log")"
"$JAVAC" -nowarn -d "$OUT/classes" -cp "$BCPROV" "$HERE/OfdBcVerify.java" "$HERE/ZipTamper.java" \
  >"$OUT/logs/javac.log" 2>&1 || fail "javac failed: $(cat "$OUT/logs/javac.log")"
n_log=0
# verify EXPECT FILE [verifier args...]: EXPECT is "OK <n>", "FAIL <regex for the final reason>"
# or "BAD <regex for one of the failed checks>".
verify() {
  local expect=$1 file=$2
  shift 2
  n_log=$((n_log + 1))
  local log="$OUT/logs/$(printf %03d $n_log)-$(basename "$file" .ofd).log"
  "$JAVA" -cp "$BCPROV:$OUT/classes" OfdBcVerify "$@" "$file" >"$log" 2>&1
  local rc=$? last
  last=$(tail -n 1 "$log")
  case $expect in
    OK\ *)
      if [ $rc -eq 0 ] && [ "$last" = "OK ${expect#OK } signatures" ]; then
        echo "  ok    $file: $last"
      else
        err "$file: expected '$expect signatures', got rc=$rc '$last' (log $log)"
        grep '^BAD' "$log" | head -5 | sed 's/^/        /'
      fi ;;
    FAIL\ *)
      if [ $rc -eq 1 ] && [[ "$last" =~ ^FAIL\ .*${expect#FAIL } ]]; then
        echo "  ok    $file: fails as expected: $last"
      else
        err "$file: expected failure matching '${expect#FAIL }', got rc=$rc '$last' (log $log)"
      fi ;;
    BAD\ *)
      if [ $rc -eq 1 ] && grep -Eq "^BAD +.*${expect#BAD }" "$log"; then
        echo "  ok    $file: fails as expected: $(grep -E "^BAD +.*${expect#BAD }" "$log" | head -1)"
      else
        err "$file: expected a failed check matching '${expect#BAD }', got rc=$rc '$last' (log $log)"
      fi ;;
  esac
}

echo "== 1. the verifier against third-party files with known verdicts (EXPECTED.tsv)"
while IFS='|' read -r file expect args; do
  [ -n "$file" ] || continue
  # shellcheck disable=SC2086  # args are plain words
  verify "$expect" "$TD/$file" $args
done <<EOF
signed/generated-with-ofdrw/v4-seal-continue.ofd|OK 1|
signed/generated-with-ofdrw/v4-seal-whole.ofd|OK 1|
signed/generated-with-ofdrw/v4-seal-twice.ofd|OK 2|
signed/generated-with-ofdrw/v4-seal-riding.ofd|OK 1|
signed/generated-with-ofdrw/v1-seal.ofd|OK 1|
signed/generated-with-ofdrw/v5-seal.ofd|OK 1|
signed/generated-with-ofdrw/sign-gbt35275.ofd|OK 1|--strict
signed/generated-with-ofdrw/sign-gbt35275-pkcs9.ofd|OK 1|--strict
signed/generated-with-ofdrw/sign-raw-sm2.ofd|OK 1|--cert $TD/keys/user_cert.pem
signed/generated-with-ofdrw/sign-raw-sm2.ofd|FAIL \] signature$|--cert $TD/keys/sign_cert.pem
signed/generated-with-ofdrw/tampered-v4-content.ofd|FAIL \] file-integrity /Doc_0/Pages/Page_0/Content.xml$|
signed/generated-with-ofdrw/tampered-v4-signature-xml.ofd|FAIL \] data-hash$|
signed/generated-with-ofdrw/tampered-v4-signedvalue.ofd|FAIL \] signature$|
signed/generated-with-ofdrw/tampered-v4-seal-esl.ofd|FAIL \] file-integrity /Doc_0/Signs/Sign_0/Seal.esl$|
signed/ofdrw-repo-ofdrw-signed/allprotected.ofd|OK 1|
signed/ofdrw-repo-ofdrw-signed/SESV4SignDoc.ofd|OK 1|
signed/ofdrw-repo-ofdrw-signed/V4RideRight.ofd|OK 1|
signed/ofdrw-repo-ofdrw-signed/DigitalSign.ofd|OK 1|--cert $TD/keys/user_cert.pem
signed/ofdrw-repo-ofdrw-signed/DigitalSign.ofd|FAIL \] signature$|--cert $TD/keys/sign_cert.pem
signed/ofdrw-repo-ofdrw-signed/h.ofd|FAIL \[s001\] file-integrity /Doc_0/Signs/Signatures.xml$|
signed/ofdrw-repo-vendor/v4signed.ofd|OK 1|
signed/ofdrw-repo-vendor/signedFile.ofd|OK 1|
signed/ofdrw-repo-vendor/1.ofd|OK 1|
signed/ofdrw-repo-vendor/draw_param_ref.ofd|OK 1|
signed/ofdrw-repo-vendor/999.ofd|OK 1|
signed/ofdrw-repo-vendor/999.ofd|FAIL \] unprotected \[/OFD.xml\]$|--strict
signed/ofdrw-repo-vendor/不规范资源路径.ofd|OK 1|
signed/ofdrw-repo-vendor/SignScaleError.ofd|OK 1|
signed/ofdrw-repo-vendor/testPathClip.ofd|OK 2|
signed/ofdrw-repo-vendor/testPathClip.ofd|BAD \]\[signer 0\] signed attributes are in DER SET order|--strict
signed/ofdrw-repo-vendor/testImageOverridePage.ofd|OK 2|
signed/ofdrw-repo-vendor/testImageNotFound.ofd|OK 2|
signed/ofdrw-repo-vendor/zsbk.ofd|FAIL \[2\] file-integrity /Doc_0/Pages/Page_1/Content.xml$|
signed/ofdrw-repo-vendor/发票示例.ofd|FAIL \] file-integrity /Doc_0/Document.xml$|
signed/ofdrw-repo-vendor/keyword.ofd|FAIL \] file-integrity |
signed/ofdrw-repo-vendor/n.ofd|FAIL \] check-method 1.2.156.10197.1.401.2$|
EOF
[ $errors -eq 0 ] || fail "$errors check(s) of the verifier itself went wrong: the witness is not trustworthy"

echo "== 2. eseal: CA, seal maker, signer, v4 and v1 seals"
K=$OUT/keys
mkdir -p "$K"
run() {
  echo "  \$ eseal ${*:1:3} ..." >>"$OUT/logs/eseal.log"
  "$ESEAL" "$@" >>"$OUT/logs/eseal.log" 2>&1
}
printf 'interop maker password\n' >"$K/maker.pw" && chmod 600 "$K/maker.pw"
run ca init --out "$K/ca" --name "eseal Interop" &&
  run key gen --out "$K/maker.key.pem" --password-file "$K/maker.pw" &&
  run key gen --out "$K/signer.key.pem" &&
  run cert issue --ca "$K/ca" --pubkey "$K/maker.key.pub.pem" --role maker \
    --subject "C=CN,O=eseal Interop Seal Maker,CN=eseal Interop Seal Maker" --days 3650 --out "$K/maker.crt" &&
  run cert issue --ca "$K/ca" --pubkey "$K/signer.key.pub.pem" --role signer \
    --subject "C=CN,O=互操作测试有限公司,CN=互操作测试有限公司" --out "$K/signer.crt" &&
  run seal make --maker-cert "$K/maker.crt" --maker-key "$K/maker.key.pem" --maker-password-file "$K/maker.pw" \
    --signer-cert "$K/signer.crt" --kind contract --name 互操作测试有限公司 --code 4501030012345 \
    --id 450103001234501 --out "$K/v4.esl" &&
  run seal make --maker-cert "$K/maker.crt" --maker-key "$K/maker.key.pem" --maker-password-file "$K/maker.pw" \
    --signer-cert "$K/signer.crt" --kind contract --name 互操作测试有限公司 --code 4501030012345 \
    --id 450103001234502 --format v1 --out "$K/v1.esl" ||
  fail "eseal setup failed: $(tail -5 "$OUT/logs/eseal.log")"

echo "== 3. eseal signs the unsigned documents; the BC verifier must accept every output (--strict)"
S=$OUT/signed
mkdir -p "$S"
# sign NAME IN OUT [eseal ofd sign args...]
sign() {
  local in=$1 out=$2
  shift 2
  if run ofd sign --key "$K/signer.key.pem" --cert "$K/signer.crt" --in "$in" --out "$out" "$@"; then
    return 0
  fi
  err "eseal ofd sign $* on $(basename "$in") failed: $(tail -2 "$OUT/logs/eseal.log" | tr '\n' ' ')"
  return 1
}
keyword_of() {  # a text present on the document's pages (read from its Content.xml)
  case $(basename "$1") in
    helloworld.ofd | namespace_no_std.ofd) echo "Reader" ;;
    invoice-unsigned.ofd) echo "海南麒麟云服科技有限公司" ;;
    doc1File.ofd) echo "凤求凰" ;;
    *) echo "" ;;  # VPage7.ofd: vector paths only, no text
  esac
}
multipage() { case $(basename "$1") in VPage7.ofd | doc1File.ofd) return 0 ;; esac; return 1; }

n_docs=0
for doc in "$TD"/unsigned/*.ofd; do
  b=$(basename "$doc" .ofd)
  n_docs=$((n_docs + 1))
  for fmt in v4 v1; do
    seal=$K/$fmt.esl
    sign "$doc" "$S/$b-$fmt-position.ofd" --seal "$seal" --page 1 --x 30 --y 40 &&
      verify "OK 1" "$S/$b-$fmt-position.ofd" --strict
    kw=$(keyword_of "$doc")
    if [ -n "$kw" ]; then
      sign "$doc" "$S/$b-$fmt-keyword.ofd" --seal "$seal" --keyword "$kw" --occurrence 1 &&
        verify "OK 1" "$S/$b-$fmt-keyword.ofd" --strict
    fi
    if multipage "$doc"; then
      sign "$doc" "$S/$b-$fmt-riding.ofd" --seal "$seal" --riding right &&
        verify "OK 1" "$S/$b-$fmt-riding.ofd" --strict
    fi
    if sign "$doc" "$S/$b-$fmt-whole.ofd" --seal "$seal" --page 1 --x 60 --y 80 --mode whole; then
      verify "OK 1" "$S/$b-$fmt-whole.ofd" --strict
      grep -q 'Signatures.xml is protected' "$OUT/logs/$(printf %03d $n_log)-$b-$fmt-whole.log" ||
        err "$b-$fmt-whole.ofd: whole mode, but Signatures.xml is not among the References"
      # ofdrw's OFDSigner refuses to add to such a document; eseal must too.
      if "$ESEAL" ofd sign --key "$K/signer.key.pem" --cert "$K/signer.crt" --seal "$seal" --page 1 --x 30 --y 40 \
        --in "$S/$b-$fmt-whole.ofd" --out "$S/$b-$fmt-whole-again.ofd" >>"$OUT/logs/eseal.log" 2>&1; then
        err "eseal added a signature to $b-$fmt-whole.ofd, whose Signatures.xml is protected"
      fi
    fi
  done
  # continue mode, signed twice (a v4 seal, then the v1 seal on top)
  sign "$doc" "$S/$b-continue-1.ofd" --seal "$K/v4.esl" --page 1 --x 30 --y 40 --mode continue &&
    sign "$S/$b-continue-1.ofd" "$S/$b-continue-2.ofd" --seal "$K/v1.esl" --page 1 --x 90 --y 40 --mode continue &&
    verify "OK 2" "$S/$b-continue-2.ofd" --strict &&
    { [ "$(grep -c 'Signatures.xml is not protected' "$OUT/logs/$(printf %03d $n_log)-$b-continue-2.log")" = 2 ] ||
      err "$b-continue-2.ofd: a continue-mode signature protects Signatures.xml"; }
  # GB/T 35275 digital signature (Type=Sign)
  sign "$doc" "$S/$b-sign.ofd" --seal "$K/v4.esl" --page 1 --x 30 --y 40 --format sign &&
    verify "OK 1" "$S/$b-sign.ofd" --strict
done
[ $n_docs -gt 0 ] || fail "no unsigned documents in $TD/unsigned"

echo "== 3b. eseal adds its signature to documents other products signed (continue mode); both must verify"
for d in generated-with-ofdrw/v4-seal-continue.ofd ofdrw-repo-vendor/v4signed.ofd ofdrw-repo-vendor/999.ofd; do
  b=$(basename "$d" .ofd)
  # not --strict: the first signatures are theirs (999.ofd's does not protect OFD.xml)
  sign "$TD/signed/$d" "$S/appended-$b.ofd" --seal "$K/v4.esl" --page 1 --x 30 --y 40 &&
    verify "OK 2" "$S/appended-$b.ofd"
done

echo "== 4. negative cases: each must FAIL for the named reason"
tamper() { "$JAVA" -cp "$OUT/classes" ZipTamper "$@" >>"$OUT/logs/tamper.log" 2>&1 || err "ZipTamper $* failed"; }
T=$OUT/tampered
mkdir -p "$T"
for f in helloworld-v4-position helloworld-v1-position helloworld-sign helloworld-continue-2; do
  [ -f "$S/$f.ofd" ] || continue
  tamper "$S/$f.ofd" "$T/$f-page.ofd" 'Doc_0/Pages/Page_0/Content.xml' flip 100 &&
    verify "FAIL \] file-integrity /Doc_0/Pages/Page_0/Content.xml$" "$T/$f-page.ofd" --strict
done
if [ -f "$S/helloworld-v4-position.ofd" ]; then
  # SES_Header.id "ES" -> "EX" (IA5String "ES", INTEGER 4): BC re-encodes the constant "ES".
  tamper "$S/helloworld-v4-position.ofd" "$T/helloworld-v4-header.ofd" '.*/SignedValue\.dat' \
    replace 16024553020104 16024558020104 &&
    verify "FAIL \] der-reencode SES_Header$" "$T/helloworld-v4-header.ofd" --strict
  # One bit of the signature value (the last byte of SignedValue.dat).
  tamper "$S/helloworld-v4-position.ofd" "$T/helloworld-v4-sigvalue.ofd" '.*/SignedValue\.dat' flip -1 &&
    verify "FAIL \] signature$" "$T/helloworld-v4-sigvalue.ofd" --strict
fi

if [ $errors -ne 0 ]; then
  echo "interop: FAILED: $errors error(s); logs in $OUT/logs"
  exit 1
fi
echo "interop: PASSED ($n_log verifier runs; outputs in $OUT)"
