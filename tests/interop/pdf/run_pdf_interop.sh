#!/usr/bin/env bash
# PDF interop test: do an independent verifier (PDFBox 2 + BouncyCastle, PdfOracle.java), qpdf
# and poppler accept the PDFs eseal signs, and does eseal verify what PDFBox signs?
#
#   0. Inputs from other producers (make_inputs.sh: Ghostscript, qpdf), an eseal CA with a seal
#      maker, a signer and a v4 seal (as run_interop.sh makes them), an OpenSSL SM2 key and
#      self-signed certificate for PdfOracle's own signatures.
#   1. eseal pdf sign, on every signable input (gs, objstm, linearized, qdf), in both formats
#      (--format seal: GB/T 38540 SES_Signature; --format sign: GB/T 35275 SignedData) at a
#      position (--page/--x/--y), invisible (no --page) and riding (--riding right, 2 pages);
#      two and three signatures in sequence (SES, CMS, SES riding); a certification
#      (--certify 2) followed by another signature. Every output: qpdf --check clean (exit 0, no
#      warning), PdfOracle check --expect N exits 0 (all N valid, the same fields and formats as
#      eseal reports), eseal pdf verify --json with the eseal CA as trust anchor: PASSED, every
#      signature PASSED.
#   2. One byte changed inside the first signed revision (the document title in gs.pdf's Info
#      dictionary, a byte of its compressed page-1 text stream, the plain page text of qdf.pdf):
#      PdfOracle exits 1 with every signature invalid, eseal pdf verify exits 1, FAILED, each
#      signature's data hash failing.
#   3. PDFs that PdfOracle signs with SM2 (CMS invisible, then CMS --visible; SES --ses): without a
#      trust anchor for its self-signed certificate eseal reports every cryptographic check as
#      passing and the verdict INDETERMINATE (exit 3) for trust only; with that certificate as
#      --trust and --maker-trust, PASSED (exit 0). And a PDFBox signature added after an eseal
#      certification with --certify 1 (no changes allowed) FAILS pdf.docmdp; eseal itself refuses
#      to sign such a file.
#   4. encrypted.pdf and damaged.pdf: eseal pdf verify exits 2 and eseal pdf sign fails, each with
#      a message, Chinese first, naming encryption / damage.
#   5. pdftoppm renders page 1 of a visibly sealed gs.pdf at 50 dpi: the page differs from the
#      unsigned one exactly inside the widget's /Rect (at the requested position), where the seal's
#      red picture shows.
#
# PdfOracle's check runs many times and each `java` start costs about 1 s, so the checks of
# sections 1 and 3 run in one JVM through OracleBatch (written below): it calls PdfOracle.check
# with the same arguments, as PdfOracle.main does, and reports the code main would exit with. The
# real command line judges the tampered files of section 2, and once gs-three.pdf, where its exit
# code and output must equal the batch's.
#
# Usage: run_pdf_interop.sh <path-to-eseal> <outdir>
# Env: JAVA, JAVAC, PDFBOX_JAR, FONTBOX_JAR, COMMONS_LOGGING_JAR, BCPROV_JAR, BCPKIX_JAR, BCUTIL_JAR.
# Prints "interop: FAILED: ..." and exits 1 on any failure; "interop: PASSED (N checks ...)" otherwise.
set -uo pipefail

ESEAL=${1:?usage: run_pdf_interop.sh <path-to-eseal> <outdir>}
OUT=${2:?usage: run_pdf_interop.sh <path-to-eseal> <outdir>}
HERE=$(cd "$(dirname "$0")" && pwd)
J=/usr/share/java
CP="${PDFBOX_JAR:-$J/pdfbox2.jar}:${FONTBOX_JAR:-$J/fontbox2.jar}:${COMMONS_LOGGING_JAR:-$J/commons-logging.jar}"
CP="$CP:${BCPROV_JAR:-$J/bcprov.jar}:${BCPKIX_JAR:-$J/bcpkix.jar}:${BCUTIL_JAR:-$J/bcutil.jar}"
JAVA=${JAVA:-java}
JAVAC=${JAVAC:-javac}
start=$(date +%s)

fail() { echo "interop: FAILED: $*"; exit 1; }
checks=0
errors=0
pass() { echo "  ok    $*"; checks=$((checks + 1)); }
err() { echo "interop: ERROR: $*"; errors=$((errors + 1)); }

[ -x "$ESEAL" ] || fail "no eseal at $ESEAL"
IFS=: read -ra jars <<<"$CP"
for f in "${jars[@]}"; do
  [ -e "$f" ] || fail "missing $f (scripts/deps.sh installs libpdfbox2-java, libbcprov-java, libbcpkix-java)"
done
for tool in "$JAVA" "$JAVAC" qpdf pdftoppm gs openssl jq python3 perl; do
  command -v "$tool" >/dev/null || fail "$tool not found (scripts/deps.sh installs it)"
done

rm -rf "$OUT" && mkdir -p "$OUT" || fail "cannot create $OUT"
OUT=$(cd "$OUT" && pwd)
IN=$OUT/in K=$OUT/keys S=$OUT/signed L=$OUT/logs
mkdir -p "$IN" "$K" "$S" "$L" "$OUT/classes" "$OUT/tampered" "$OUT/oracle-signed" "$OUT/render" ||
  fail "cannot create folders in $OUT"

echo "== 0. inputs, keys, the oracle"
"$HERE/make_inputs.sh" "$IN" >"$L/make_inputs.log" 2>&1 || fail "make_inputs.sh: $(cat "$L/make_inputs.log")"
for f in gs objstm linearized qdf encrypted damaged; do
  [ -s "$IN/$f.pdf" ] || fail "make_inputs.sh did not make $f.pdf"
done
pass "make_inputs.sh: gs, objstm, linearized, qdf, encrypted, damaged"

# The eseal PKI, as in run_interop.sh: a CA, a seal maker (protected key), a signer, a v4 seal.
esealq() {
  echo "\$ eseal $*" >>"$L/eseal-setup.log"
  "$ESEAL" "$@" >>"$L/eseal-setup.log" 2>&1
}
printf 'pdf interop maker password\n' >"$K/maker.pw" && chmod 600 "$K/maker.pw"
esealq ca init --out "$K/ca" --name "eseal PDF Interop" &&
  esealq key gen --out "$K/maker.key.pem" --password-file "$K/maker.pw" &&
  esealq key gen --out "$K/signer.key.pem" &&
  esealq cert issue --ca "$K/ca" --pubkey "$K/maker.key.pub.pem" --role maker \
    --subject "C=CN,O=eseal PDF Interop Seal Maker,CN=eseal PDF Interop Seal Maker" --days 3650 --out "$K/maker.crt" &&
  esealq cert issue --ca "$K/ca" --pubkey "$K/signer.key.pub.pem" --role signer \
    --subject "C=CN,O=PDF互操作测试有限公司,CN=PDF互操作测试有限公司" --out "$K/signer.crt" &&
  esealq seal make --maker-cert "$K/maker.crt" --maker-key "$K/maker.key.pem" --maker-password-file "$K/maker.pw" \
    --signer-cert "$K/signer.crt" --kind contract --name PDF互操作测试有限公司 --code 4501030012345 \
    --id 450103001234511 --out "$K/v4.esl" ||
  fail "eseal setup failed: $(tail -5 "$L/eseal-setup.log")"
pass "eseal: CA, seal maker, signer, v4 seal"
TRUST=(--trust "$K/ca/root.pem" --maker-trust "$K/ca/root.pem" --intermediate "$K/ca/issuing.pem" --no-revocation)

openssl genpkey -algorithm SM2 -out "$K/oracle.key.pem" 2>"$L/openssl.log" &&
  openssl req -x509 -new -key "$K/oracle.key.pem" -sm3 -sigopt "distid:1234567812345678" \
    -subj "/CN=PdfOracle PDF interop" -days 30 -out "$K/oracle.crt" 2>>"$L/openssl.log" ||
  fail "openssl could not make an SM2 key and certificate: $(cat "$L/openssl.log")"
pass "openssl: SM2 key and self-signed SM3/SM2 certificate for PdfOracle sign"

# OracleBatch: PdfOracle.check on many files in one JVM. Lines on stdin: FILE<TAB>N<TAB>LOG;
# check's JSON lines go to LOG, and "RC<TAB>FILE" to stdout, RC being what PdfOracle.main exits
# with (check's result; 2 for a usage error or an exception, as main does).
cat >"$OUT/classes/OracleBatch.java" <<'EOF'
import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.Security;

public class OracleBatch {
  public static void main(String[] args) throws Exception {
    PdfOracle.FONT_LOG.setLevel(java.util.logging.Level.SEVERE);
    Security.addProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider());
    PrintStream stdout = System.out;
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      String[] w = line.split("\t");
      if (w.length != 3) throw new IllegalArgumentException("want FILE<TAB>N<TAB>LOG: " + line);
      int rc;
      try (PrintStream log = new PrintStream(new FileOutputStream(w[2]), true, "UTF-8")) {
        System.setOut(log);
        try {
          rc = PdfOracle.check(new String[] {w[0], "--expect", w[1]});
        } catch (Exception e) {
          log.println("PdfOracle: " + e);
          rc = 2;
        } finally {
          System.setOut(stdout);
        }
      }
      stdout.println(rc + "\t" + w[0]);
    }
  }
}
EOF
"$JAVAC" -nowarn -encoding UTF-8 -d "$OUT/classes" -cp "$CP" "$HERE/PdfOracle.java" "$OUT/classes/OracleBatch.java" \
  >"$L/javac.log" 2>&1 || fail "javac PdfOracle.java OracleBatch.java: $(cat "$L/javac.log")"
pass "javac: PdfOracle and OracleBatch"
oracle() { "$JAVA" -cp "$OUT/classes:$CP" PdfOracle "$@"; }

# ---------------------------------------------------------------- helpers
name_of() { basename "$1" .pdf; }

# esign IN OUT [eseal pdf sign args...]: sign with the eseal signer and seal
esign() {
  local in=$1 out=$2 log
  shift 2
  log=$L/sign-$(name_of "$out").log
  if "$ESEAL" pdf sign --seal "$K/v4.esl" --key "$K/signer.key.pem" --cert "$K/signer.crt" \
    --in "$in" --out "$out" "$@" >"$log" 2>&1; then
    return 0
  fi
  err "eseal pdf sign $* on $(basename "$in") failed: $(tr '\n' ' ' <"$log")"
  return 1
}

# qpdf_ok FILE: qpdf --check exits 0 and prints no warning. (No benign warning is allowed: eseal's
# incremental updates, xref table or stream, give none. PDFBox's own xref stream updates do draw
# one, see oracle_selftest.sh; none of those files is checked with qpdf here.)
qpdf_ok() {
  local f=$1 log rc
  log=$L/$(name_of "$f").qpdf.log
  qpdf --check "$f" >"$log" 2>&1
  rc=$?
  if [ $rc -eq 0 ] && ! grep -qi 'warning' "$log"; then
    pass "qpdf --check $(basename "$f"): no errors, no warnings"
  else
    err "qpdf --check $(basename "$f") exited $rc: $(grep -iv '^checking\|^PDF Version\|^File is\|^No syntax\|^errors that' "$log" | head -5 | tr '\n' ' ')"
  fi
}

# fields_formats JSON: "field:format,..." sorted, from eseal's report
eseal_fields() { jq -r '[.signatures[] | .field + ":" + .format] | sort | join(",")' "$1"; }
# the same from PdfOracle's JSON lines
oracle_fields() { jq -s -r '[.[] | select(.summary | not) | (.field // "?") + ":" + .format] | sort | join(",")' "$1"; }

# everify_passed FILE N: eseal pdf verify --json with the eseal CA: exit 0, PASSED, N signatures
# each PASSED; keeps the report in logs/NAME.verify.json
everify_passed() {
  local f=$1 n=$2 json rc got
  json=$L/$(name_of "$f").verify.json
  "$ESEAL" pdf verify --json "${TRUST[@]}" "$f" >"$json" 2>"$L/$(name_of "$f").verify.err"
  rc=$?
  got=$(jq -r '[.verdict, (.signatures | length | tostring), ([.signatures[] | select(.verdict != "PASSED")] | length | tostring)] | join(" ")' "$json" 2>/dev/null)
  if [ $rc -eq 0 ] && [ "$got" = "PASSED $n 0" ]; then
    pass "eseal pdf verify $(basename "$f"): PASSED, $n signature(s) PASSED ($(eseal_fields "$json"))"
  else
    err "eseal pdf verify $(basename "$f"): want exit 0, 'PASSED $n 0' (verdict, signatures, not passed), got exit $rc, '$got' (report $json)"
    jq -r '.signatures[]? | .field + " " + .verdict + ": " + ([.checks[] | select(.result == "fail" or .result == "indeterminate") | .id + " " + .result + " (" + .detail + ")"] | join("; "))' \
      "$json" 2>/dev/null | head -5 | sed 's/^/        /'
  fi
}

# The PdfOracle checks of a section: queue_oracle FILE N, then run_oracle_batch judges them all:
# exit 0, the summary says all N valid, the same fields and formats as eseal's report.
BATCH=""
queue_oracle() { BATCH+="$1"$'\t'"$2"$'\t'"$L/$(name_of "$1").oracle.json"$'\n'; }
run_oracle_batch() {
  local tag=$1 rc file n log want got
  printf '%s' "$BATCH" >"$L/batch-$tag.tsv"
  "$JAVA" -cp "$OUT/classes:$CP" OracleBatch <"$L/batch-$tag.tsv" >"$L/batch-$tag.out" 2>"$L/batch-$tag.err" ||
    { err "OracleBatch ($tag) failed: $(tail -3 "$L/batch-$tag.err")"; BATCH=""; return; }
  while IFS=$'\t' read -r file n log; do
    rc=$(awk -F'\t' -v f="$file" '$2 == f { print $1 }' "$L/batch-$tag.out")
    got=$(tail -1 "$log" | jq -r '[.signatures, .valid, .all_valid] | map(tostring) | join(" ")' 2>/dev/null)
    if [ "$rc" = 0 ] && [ "$got" = "$n $n true" ]; then
      want=$(eseal_fields "$L/$(name_of "$file").verify.json" 2>/dev/null)
      if [ "$(oracle_fields "$log")" = "$want" ]; then
        pass "PdfOracle check --expect $n $(basename "$file"): exit 0, $n valid, fields and formats as eseal's ($want)"
      else
        err "PdfOracle check $(basename "$file"): fields/formats $(oracle_fields "$log"), eseal reports $want"
      fi
    else
      err "PdfOracle check --expect $n $(basename "$file"): exit '$rc', summary (signatures valid all_valid) '$got' (log $log)"
      jq -r 'select(.summary | not) | select(.valid | not) | "        [" + (.index | tostring) + "] " + (.field // "?") + " " + .format + ": " + (.errors | join("; "))' \
        "$log" 2>/dev/null | head -4
    fi
  done <"$L/batch-$tag.tsv"
  BATCH=""
}

# flip FILE OFFSET [MASK]: xor the byte at OFFSET with MASK (default 1), in place
flip() {
  local b
  b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
  [ -n "$b" ] || fail "flip: no byte at $2 in $1"
  # shellcheck disable=SC2059
  printf "$(printf '\\%03o' $((b ^ ${3:-1})))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
offset_of() { grep -a -b -o -F "$2" "$1" | head -1 | cut -d: -f1; }

# ---------------------------------------------------------------- 1.
echo "== 1. eseal signs every signable input; qpdf, PdfOracle and eseal itself must accept every output"
# Page 1 of the inputs says "Party A (seal):" about 226 mm from the top at x 25 mm, page 2 "Party
# B (seal):" at x 113 mm; the 40 mm seal goes over those lines.
P1=(--page 1 --x 60 --y 205)
P2=(--page 2 --x 110 --y 205)
for b in gs objstm linearized qdf; do
  in=$IN/$b.pdf
  # outputs as "FILE N"
  outs=()
  for fmt in seal sign; do
    esign "$in" "$S/$b-$fmt-visible.pdf" --format "$fmt" "${P1[@]}" && outs+=("$S/$b-$fmt-visible.pdf 1")
    esign "$in" "$S/$b-$fmt-invisible.pdf" --format "$fmt" && outs+=("$S/$b-$fmt-invisible.pdf 1")
    esign "$in" "$S/$b-$fmt-riding.pdf" --format "$fmt" --riding right && outs+=("$S/$b-$fmt-riding.pdf 1")
  done
  # in sequence, mixed: the SES seal on page 1, a CMS signature on page 2, then a riding SES seal
  [ -f "$S/$b-seal-visible.pdf" ] &&
    esign "$S/$b-seal-visible.pdf" "$S/$b-two.pdf" --format sign "${P2[@]}" && outs+=("$S/$b-two.pdf 2") &&
    esign "$S/$b-two.pdf" "$S/$b-three.pdf" --format seal --riding right && outs+=("$S/$b-three.pdf 3")
  # a certification that allows form filling and signatures, then another seal
  esign "$in" "$S/$b-certified.pdf" --format seal --certify 2 "${P1[@]}" && outs+=("$S/$b-certified.pdf 1") &&
    esign "$S/$b-certified.pdf" "$S/$b-certified-plus.pdf" --format seal "${P2[@]}" && outs+=("$S/$b-certified-plus.pdf 2")
  for o in "${outs[@]}"; do
    read -r f n <<<"$o"
    qpdf_ok "$f"
    everify_passed "$f" "$n"
    queue_oracle "$f" "$n"
  done
done
echo "   (PdfOracle, one JVM for all of section 1)"
run_oracle_batch 1
# The real command line, once, gives the batch's exit code and output.
f=$S/gs-three.pdf
if [ -f "$L/gs-three.oracle.json" ]; then
  oracle check "$f" --expect 3 >"$L/gs-three.oracle-cli.json" 2>"$L/gs-three.oracle-cli.err"
  rc=$?
  brc=$(awk -F'\t' -v f="$f" '$2 == f { print $1 }' "$L/batch-1.out")
  if [ "$rc" = "$brc" ] && cmp -s "$L/gs-three.oracle-cli.json" "$L/gs-three.oracle.json"; then
    pass "java PdfOracle check --expect 3 gs-three.pdf: exit $rc and output as in the batch"
  else
    err "PdfOracle's command line (exit $rc, $L/gs-three.oracle-cli.json) and OracleBatch (exit $brc, $L/gs-three.oracle.json) disagree"
  fi
fi

# ---------------------------------------------------------------- 2.
echo "== 2. one byte changed inside a signed revision: PdfOracle and eseal must both refuse"
T=$OUT/tampered
# tampered_fails FILE N: PdfOracle (command line) exits 1 with all N invalid; eseal verify exits 1,
# FAILED, each of the N signatures FAILED with its data hash failing.
tampered_fails() {
  local f=$1 n=$2 log json rc got
  log=$L/$(name_of "$f").oracle.json
  oracle check "$f" >"$log" 2>"$L/$(name_of "$f").oracle.err"
  rc=$?
  got=$(tail -1 "$log" | jq -r '[.signatures, .valid] | map(tostring) | join(" ")' 2>/dev/null)
  if [ $rc -eq 1 ] && [ "$got" = "$n 0" ] &&
    [ "$(jq -s '[.[] | select(.summary | not) | select(.digest_ok == false and .valid == false)] | length' "$log")" = "$n" ]; then
    pass "PdfOracle check $(basename "$f"): exit 1, all $n signatures invalid (digest mismatch)"
  else
    err "PdfOracle check $(basename "$f"): want exit 1 and $n of $n invalid by digest, got exit $rc, '$got' (log $log)"
  fi
  json=$L/$(name_of "$f").verify.json
  "$ESEAL" pdf verify --json "${TRUST[@]}" "$f" >"$json" 2>"$L/$(name_of "$f").verify.err"
  rc=$?
  got=$(jq -r '[.verdict, (.signatures | length | tostring),
      ([.signatures[] | select(.verdict == "FAILED" and ([.checks[] | select((.id == "sign.data_hash" or .id == "ses.signature.data_hash") and .result == "fail")] | length) == 1)] | length | tostring)] | join(" ")' \
    "$json" 2>/dev/null)
  if [ $rc -eq 1 ] && [ "$got" = "FAILED $n $n" ]; then
    pass "eseal pdf verify $(basename "$f"): exit 1, FAILED, each of the $n signatures by its data hash"
  else
    err "eseal pdf verify $(basename "$f"): want exit 1, 'FAILED $n $n' (verdict, signatures, failed by data hash), got exit $rc, '$got' (report $json)"
  fi
}
rev1_end=$(stat -c %s "$IN/gs.pdf")
if [ -f "$S/gs-three.pdf" ]; then
  # the title in the Info dictionary (gs.pdf compresses its page text): "contract" -> "bontract"
  cp "$S/gs-three.pdf" "$T/gs-three-title.pdf"
  off=$(offset_of "$T/gs-three-title.pdf" "/Title(eseal PDF interop test contract)")
  if [ -n "$off" ] && [ "$off" -lt "$rev1_end" ]; then
    flip "$T/gs-three-title.pdf" $((off + 30))
    tampered_fails "$T/gs-three-title.pdf" 3
  else
    err "no /Title in the first revision of gs-three.pdf"
  fi
  # a byte in the middle of page 1's content stream (5 0 obj, FlateDecode)
  cp "$S/gs-three.pdf" "$T/gs-three-page1-stream.pdf"
  obj=$(offset_of "$T/gs-three-page1-stream.pdf" "5 0 obj")
  sdata=$(grep -a -b -o 'stream' "$T/gs-three-page1-stream.pdf" | awk -F: -v o="${obj:-0}" '$1 > o { print $1; exit }')
  if [ -n "$obj" ] && [ -n "$sdata" ] && [ "$sdata" -lt "$rev1_end" ]; then
    flip "$T/gs-three-page1-stream.pdf" $((sdata + 7 + 40))
    tampered_fails "$T/gs-three-page1-stream.pdf" 3
  else
    err "no stream of 5 0 obj (page 1's content) in the first revision of gs-three.pdf"
  fi
fi
if [ -f "$S/qdf-seal-visible.pdf" ]; then
  # qdf.pdf keeps the page text plain: "Party A (seal):" -> "Party B (seal):"
  cp "$S/qdf-seal-visible.pdf" "$T/qdf-seal-visible-text.pdf"
  off=$(offset_of "$T/qdf-seal-visible-text.pdf" "Party A")
  if [ -n "$off" ] && [ "$off" -lt "$(stat -c %s "$IN/qdf.pdf")" ]; then
    flip "$T/qdf-seal-visible-text.pdf" $((off + 6)) 3
    tampered_fails "$T/qdf-seal-visible-text.pdf" 1
  else
    err "no 'Party A' page text in the first revision of qdf-seal-visible.pdf"
  fi
fi

# ---------------------------------------------------------------- 3.
echo "== 3. eseal verifies what PdfOracle (PDFBox + BC) signs with SM2"
O=$OUT/oracle-signed
osign() {
  local log
  log=$L/oracle-sign-$(name_of "$2").log
  oracle sign "$@" >"$log" 2>&1 || { err "PdfOracle sign $*: $(cat "$log")"; return 1; }
}
OK=$K/oracle.key.pem
OC=$K/oracle.crt
o_outs=()
osign "$IN/gs.pdf" "$O/pdfbox-cms-1.pdf" "$OK" "$OC" --field OracleCms1 &&
  o_outs+=("$O/pdfbox-cms-1.pdf 1") &&
  osign "$O/pdfbox-cms-1.pdf" "$O/pdfbox-cms-2.pdf" "$OK" "$OC" --visible --field OracleCms2 &&
  o_outs+=("$O/pdfbox-cms-2.pdf 2")
osign "$IN/gs.pdf" "$O/pdfbox-ses.pdf" "$OK" "$OC" --ses --visible --field OracleSes && o_outs+=("$O/pdfbox-ses.pdf 1")
[ ${#o_outs[@]} -eq 3 ] && pass "PdfOracle sign: gs.pdf with CMS (invisible, then visible) and with SES (visible)"

# The checks that only need the document and the signer certificate it carries: each must pass.
CRYPTO_JQ='def need($ids): . as $s | [$ids[] as $id | select(([$s.checks[] | select(.id == $id and .result == "pass")] | length) == 0
             or ([$s.checks[] | select(.id == $id and .result != "pass")] | length) > 0) | $id];
  .signatures[] | .field + "|" + .format + "|" + .verdict + "|" +
    (need(["pdf.byte_range", "pdf.byte_range.contents", "pdf.byte_range.revision"]
          + (if .format == "ses" then ["ses.signature.data_hash", "ses.signature.value"] else ["sign.data_hash", "sign.value"] end))
     | join(" ")) + "|" +
    ([.checks[] | select(.result == "fail" or .result == "indeterminate") | .id + "=" + .result] | join(" "))'
for o in "${o_outs[@]}"; do
  read -r f n <<<"$o"
  base=$(name_of "$f")
  # (a) no trust anchor for the oracle's self-signed certificate: INDETERMINATE for trust only
  json=$L/$base.verify-untrusted.json
  "$ESEAL" pdf verify --json "$f" >"$json" 2>"$L/$base.verify-untrusted.err"
  rc=$?
  nsig=$(jq '.signatures | length' "$json" 2>/dev/null)
  verdict=$(jq -r '.verdict' "$json" 2>/dev/null)
  if [ $rc -ne 3 ] || [ "$verdict" != INDETERMINATE ] || [ "$nsig" != "$n" ]; then
    err "eseal pdf verify $(basename "$f") (no trust anchor): want exit 3, INDETERMINATE, $n signature(s); got exit $rc, $verdict, $nsig (report $json)"
  fi
  while IFS='|' read -r field format sv missing bad; do
    # what may keep it from PASSED: only the trust anchor of the signer (and, for SES, the maker)
    others=$(tr ' ' '\n' <<<"$bad" | grep -v '^$' | grep -Ev '^(signer|maker)\.cert\.chain\.anchor=indeterminate$')
    if [ -z "$missing" ] && [ -z "$others" ] && [ "$sv" = INDETERMINATE ] && [ -n "$bad" ]; then
      pass "eseal pdf verify $(basename "$f") [$field, $format], no anchor: ByteRange, data hash and signature pass; $sv only for: $bad"
    else
      err "eseal pdf verify $(basename "$f") [$field, $format], no anchor: verdict $sv; not passing: '${missing}'; other failures: '${others//$'\n'/ }' (report $json)"
    fi
  done < <(jq -r "$CRYPTO_JQ" "$json" 2>/dev/null)
  # (b) the oracle's certificate as the signer anchor and registered seal maker: PASSED
  json=$L/$base.verify.json
  "$ESEAL" pdf verify --json --trust "$OC" --maker-trust "$OC" --no-revocation "$f" >"$json" 2>"$L/$base.verify.err"
  rc=$?
  got=$(jq -r '[.verdict, (.signatures | length | tostring), ([.signatures[] | select(.verdict != "PASSED")] | length | tostring)] | join(" ")' "$json" 2>/dev/null)
  if [ $rc -eq 0 ] && [ "$got" = "PASSED $n 0" ] && [ -z "$(jq -r "$CRYPTO_JQ" "$json" | cut -d'|' -f4 | tr -d '\n')" ]; then
    pass "eseal pdf verify --trust/--maker-trust oracle.crt $(basename "$f"): exit 0, PASSED, $n signature(s) ($(eseal_fields "$json"))"
  else
    err "eseal pdf verify --trust oracle.crt $(basename "$f"): want exit 0, 'PASSED $n 0', got exit $rc, '$got' (report $json)"
  fi
  queue_oracle "$f" "$n"
done
echo "   (PdfOracle on its own files)"
run_oracle_batch 3

# 3b. certification with no changes allowed (P=1): eseal refuses to add to it; a PDFBox signature
# added anyway must FAIL eseal's DocMDP check on the certification signature.
if esign "$IN/gs.pdf" "$S/gs-certified-p1.pdf" --format seal --certify 1 "${P1[@]}"; then
  log=$L/sign-gs-certified-p1-again.log
  if "$ESEAL" pdf sign --seal "$K/v4.esl" --key "$K/signer.key.pem" --cert "$K/signer.crt" --format seal \
    --in "$S/gs-certified-p1.pdf" --out "$S/gs-certified-p1-again.pdf" "${P2[@]}" >"$log" 2>&1 ||
    [ -e "$S/gs-certified-p1-again.pdf" ]; then
    err "eseal pdf sign added a signature to a --certify 1 document (log $log)"
  else
    pass "eseal pdf sign refuses a document certified with --certify 1: $(grep -m1 . "$log")"
  fi
  if osign "$S/gs-certified-p1.pdf" "$O/gs-certified-p1-pdfbox.pdf" "$OK" "$OC" --field OracleAfterP1; then
    json=$L/gs-certified-p1-pdfbox.verify.json
    "$ESEAL" pdf verify --json "${TRUST[@]}" "$O/gs-certified-p1-pdfbox.pdf" >"$json" 2>/dev/null
    rc=$?
    got=$(jq -r '[.verdict, ([.signatures[] | select(.field == "eseal-1" and .verdict == "FAILED") | .checks[] | select(.id == "pdf.docmdp" and .result == "fail")] | length | tostring)] | join(" ")' "$json" 2>/dev/null)
    if [ $rc -eq 1 ] && [ "$got" = "FAILED 1" ]; then
      pass "a PDFBox signature after a P=1 certification: eseal pdf verify exit 1, FAILED, pdf.docmdp fails"
    else
      err "a PDFBox signature after a P=1 certification: want exit 1, 'FAILED 1' (verdict, pdf.docmdp fail), got exit $rc, '$got' (report $json)"
    fi
  fi
fi

# ---------------------------------------------------------------- 4.
echo "== 4. encrypted and damaged inputs are refused, with a message in Chinese first"
# refused_msg LOG ZH EN: the first "eseal: FILE: 中文 / English" line of LOG says ZH in its
# Chinese part, first, and EN in the English part after " / "; prints the message
refused_msg() {
  local log=$1 zh=$2 en=$3 msg
  msg=$(grep -m1 '^eseal: ' "$log" | sed 's/^eseal: [^:]*: //')
  [[ $msg == *" / "* ]] && [[ ${msg%% / *} == *"$zh"* ]] && [[ ${msg#* / } == *"$en"* ]] && echo "$msg"
}
for spec in "encrypted|加密|encrypted" "damaged|损坏|damaged"; do
  IFS='|' read -r f zh en <<<"$spec"
  for mode in text json; do
    log=$L/verify-$f-$mode.log
    if [ $mode = json ]; then "$ESEAL" pdf verify --json "$IN/$f.pdf" >"$log" 2>&1; else "$ESEAL" pdf verify "$IN/$f.pdf" >"$log" 2>&1; fi
    rc=$?
    if [ $rc -eq 2 ] && msg=$(refused_msg "$log" "$zh" "$en"); then
      pass "eseal pdf verify $( [ $mode = json ] && echo '--json ')$f.pdf: exit 2, '$msg'"
    else
      err "eseal pdf verify ($mode) $f.pdf: want exit 2 and a message naming '$zh' then '$en', got exit $rc: $(head -3 "$log")"
    fi
  done
  log=$L/sign-$f.log
  "$ESEAL" pdf sign --seal "$K/v4.esl" --key "$K/signer.key.pem" --cert "$K/signer.crt" \
    --in "$IN/$f.pdf" --out "$S/$f-signed.pdf" "${P1[@]}" >"$log" 2>&1
  rc=$?
  if [ $rc -ne 0 ] && [ ! -e "$S/$f-signed.pdf" ] && msg=$(refused_msg "$log" "$zh" "$en"); then
    pass "eseal pdf sign $f.pdf: exit $rc, nothing written, '$msg'"
  else
    err "eseal pdf sign $f.pdf: want a non-zero exit, no output and a message naming '$zh' then '$en'; got exit $rc: $(head -3 "$log")"
  fi
done

# ---------------------------------------------------------------- 5.
echo "== 5. pdftoppm renders the seal where it was placed"
R=$OUT/render
f=$S/gs-seal-visible.pdf
if [ -f "$f" ]; then
  # the widget's /Rect, from qpdf, must be the requested box: x 60 mm, top 205 mm below the top
  # of the 842 pt page
  widget=$(qpdf --json --json-key=acroform "$f" | jq -r '.acroform.fields[] | select(.fullname == "eseal-1") | .annotation.object' | cut -d' ' -f1)
  rect=$(qpdf --json --json-key=qpdf --json-object="$widget" "$f" 2>/dev/null | jq -r ".qpdf[1][\"obj:$widget 0 R\"].value[\"/Rect\"] | map(tostring) | join(\" \")")
  pdftoppm -r 50 -f 1 -l 1 -png "$IN/gs.pdf" "$R/unsigned" >"$L/pdftoppm.log" 2>&1 &&
    pdftoppm -r 50 -f 1 -l 1 -png "$f" "$R/sealed" >>"$L/pdftoppm.log" 2>&1 ||
    err "pdftoppm: $(cat "$L/pdftoppm.log")"
  read -ra rect_n <<<"$rect"
  if [ ${#rect_n[@]} -ne 4 ]; then
    err "no /Rect for the widget of eseal-1 in $(basename "$f") (widget object '$widget')"
  elif [ -s "$R/unsigned-1.png" ] && [ -s "$R/sealed-1.png" ]; then
    if cmp -s "$R/unsigned-1.png" "$R/sealed-1.png"; then
      err "pdftoppm: page 1 of gs-seal-visible.pdf renders exactly as the unsigned page"
    elif res=$(python3 - "$R/unsigned-1.png" "$R/sealed-1.png" 50 842 60 205 "${rect_n[@]}" 2>&1 <<'EOF'
import struct, sys, zlib

def png(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and interlace == 0 and ctype in (0, 2, 6), "unexpected PNG format"
            bpp = {0: 1, 2: 3, 6: 4}[ctype]
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, rows, prev = zlib.decompress(idat), [], bytearray(w * bpp)
    stride = w * bpp
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[x * bpp:x * bpp + 3]) if bpp >= 3 else (line[x],) * 3 for x in range(w)])
        prev = line
    return w, h, rows

(w0, h0, a), (w1, h1, b) = png(sys.argv[1]), png(sys.argv[2])
dpi, page_h, want_x_mm, want_top_mm = (float(v) for v in sys.argv[3:7])
x0, y0, x1, y1 = (float(v) for v in sys.argv[7:11])
pt = 72 / 25.4
if abs(x0 - want_x_mm * pt) > 0.5 or abs((page_h - y1) - want_top_mm * pt) > 0.5:
    sys.exit("the widget /Rect [%g %g %g %g] is not at x %g mm, top %g mm" % (x0, y0, x1, y1, want_x_mm, want_top_mm))
if (w0, h0) != (w1, h1):
    sys.exit("the renderings differ in size: %dx%d and %dx%d" % (w0, h0, w1, h1))
s = dpi / 72
bx0, bx1, by0, by1 = x0 * s, x1 * s, (page_h - y1) * s, (page_h - y0) * s
inside = changed = red = outside_changed = 0
for y in range(h0):
    for x in range(w0):
        diff = a[y][x] != b[y][x]
        if bx0 + 1 <= x <= bx1 - 2 and by0 + 1 <= y <= by1 - 2:
            inside += 1
            if diff and b[y][x] != (255, 255, 255):
                changed += 1
            r, g, bl = b[y][x]
            if r > 150 and g < 120 and bl < 120:
                red += 1
        elif diff and not (bx0 - 2 <= x <= bx1 + 2 and by0 - 2 <= y <= by1 + 2):
            outside_changed += 1
if outside_changed:
    sys.exit("%d pixels changed outside the seal's box" % outside_changed)
if changed < inside * 0.05 or red < inside * 0.02:
    sys.exit("only %d of %d pixels in the seal's box changed, %d red" % (changed, inside, red))
print("box %.0f,%.0f-%.0f,%.0f px: %d of %d pixels changed and not white, %d red; none outside"
      % (bx0, by0, bx1, by1, changed, inside, red))
EOF
    ); then
      pass "pdftoppm -r 50 page 1 of gs-seal-visible.pdf: widget /Rect [$rect] at x 60 mm, top 205 mm; $res"
    else
      err "pdftoppm page 1 of gs-seal-visible.pdf: $res (images in $R)"
    fi
  else
    err "pdftoppm made no PNG (log $L/pdftoppm.log)"
  fi
  # eseal pdf render runs the same renderer after its own bounded read of the file: the same
  # pixels as pdftoppm's own run, and a page out of range is a usage error with a message.
  if "$ESEAL" pdf render "$f" --page 1 --dpi 50 --out "$R/eseal-render.png" >"$L/eseal-render.log" 2>&1 &&
    cmp -s "$R/eseal-render.png" "$R/sealed-1.png"; then
    pass "eseal pdf render page 1 of gs-seal-visible.pdf at 50 dpi: the same PNG as pdftoppm's"
  else
    err "eseal pdf render: $(tail -2 "$L/eseal-render.log") (compare $R/eseal-render.png with $R/sealed-1.png)"
  fi
  "$ESEAL" pdf render "$f" --page 99 --out "$R/none.png" >"$L/eseal-render-99.log" 2>&1
  rc=$?
  if [ $rc -eq 2 ] && grep -q "超出文档页数" "$L/eseal-render-99.log" && [ ! -e "$R/none.png" ]; then
    pass "eseal pdf render --page 99: exit 2, '$(head -1 "$L/eseal-render-99.log")'"
  else
    err "eseal pdf render --page 99: exit $rc, $(head -2 "$L/eseal-render-99.log")"
  fi
fi

secs=$(($(date +%s) - start))
if [ $errors -ne 0 ]; then
  echo "interop: FAILED: $errors error(s), $checks check(s) passed, in $secs s; files and logs in $OUT"
  exit 1
fi
echo "interop: PASSED ($checks checks in $secs s; files and logs in $OUT)"
