#!/usr/bin/env bash
# Makes the PDF inputs for the PDF interop tests from producers that are not eseal: Ghostscript's
# pdfwrite (from a small PostScript program, 2 A4 pages of text) and qpdf's rewrites of that file.
# Each file is small; all but encrypted.pdf are byte-for-byte the same on every run.
#
#   gs.pdf          Ghostscript 10 pdfwrite: classic xref table, 2 pages, Helvetica text
#                   ("Party A (seal):" on page 1). /ID and the dates are pinned (SOURCE_DATE_EPOCH,
#                   and the random /ID is overwritten in place with a fixed one of the same length).
#   objstm.pdf      qpdf --object-streams=generate: a cross-reference stream and object streams
#   linearized.pdf  qpdf --linearize: linearized ("fast web view"), with hint stream
#   qdf.pdf         qpdf --qdf: uncompressed, one object per line block, the QDF form
#   encrypted.pdf   qpdf --encrypt user owner 256: AES-256 (R6), user password "user",
#                   owner password "owner" (--static-id --static-aes-iv, but qpdf's random file
#                   key still makes it differ per run)
#   damaged.pdf     gs.pdf cut in the middle of its xref table (no trailer, no startxref, no %%EOF)
#
# Usage: make_inputs.sh OUTDIR      prints the path of every file it made, one a line
# Needs: gs (ghostscript), qpdf, perl.
set -euo pipefail

OUT=${1:?usage: make_inputs.sh OUTDIR}
fail() { echo "make_inputs: FAILED: $*" >&2; exit 1; }
for tool in gs qpdf perl; do
  command -v "$tool" >/dev/null || fail "$tool not found (scripts/deps.sh installs ghostscript and qpdf)"
done
mkdir -p "$OUT" || fail "cannot create $OUT"
OUT=$(cd "$OUT" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

cat >"$WORK/contract.ps" <<'EOF'
%!PS-Adobe-3.0
%%Title: eseal PDF interop test contract
%%Pages: 2
%%EndComments
/F { /Helvetica findfont exch scalefont setfont } bind def
/L { moveto show } bind def
<< /PageSize [595 842] >> setpagedevice
%%Page: 1 1
18 F (Test contract for eseal PDF interop) 72 760 L
12 F (Page 1 of 2. This file was made by Ghostscript pdfwrite from PostScript.) 72 730 L
(Clause 1. The parties agree to test electronic seals on this document.) 72 712 L
(Party A \(seal\):) 72 200 L
(Date:) 72 180 L
showpage
%%Page: 2 2
12 F (Page 2 of 2.) 72 760 L
(Clause 2. Signatures and seals are appended as incremental updates.) 72 742 L
(Party B \(seal\):) 320 200 L
(Date:) 320 180 L
showpage
%%EOF
EOF

# Ghostscript honours SOURCE_DATE_EPOCH for /CreationDate, /ModDate and the XMP dates; its /ID
# is random, so it is replaced in place by a fixed value of the same length (offsets unchanged).
SOURCE_DATE_EPOCH=1700000000 gs -q -dNOPAUSE -dBATCH -dSAFER -sDEVICE=pdfwrite \
  -dCompatibilityLevel=1.7 -o "$WORK/gs.pdf" "$WORK/contract.ps" >"$WORK/gs.log" 2>&1 ||
  fail "gs: $(cat "$WORK/gs.log")"
ID=0123456789ABCDEF0123456789ABCDEF
perl -0777 -pi -e "s{/ID \\[<[0-9A-Fa-f]{32}><[0-9A-Fa-f]{32}>\\]}{/ID [<$ID><$ID>]}g or die qq(no /ID\\n)" \
  "$WORK/gs.pdf" || fail "could not pin the /ID of gs.pdf"
cp "$WORK/gs.pdf" "$OUT/gs.pdf"
echo "$OUT/gs.pdf"

# qpdf exits 3 when it succeeded with warnings; that is a failure here (the input is clean).
q() { qpdf "$@" >"$WORK/qpdf.log" 2>&1 || fail "qpdf $*: $(cat "$WORK/qpdf.log")"; }

q --deterministic-id --object-streams=generate "$OUT/gs.pdf" "$OUT/objstm.pdf"
echo "$OUT/objstm.pdf"
q --deterministic-id --linearize "$OUT/gs.pdf" "$OUT/linearized.pdf"
echo "$OUT/linearized.pdf"
q --deterministic-id --qdf "$OUT/gs.pdf" "$OUT/qdf.pdf"
echo "$OUT/qdf.pdf"
q --static-id --static-aes-iv --encrypt user owner 256 -- "$OUT/gs.pdf" "$OUT/encrypted.pdf"
echo "$OUT/encrypted.pdf"

# damaged.pdf: cut in the middle of the xref table that startxref points at.
xref=$(tail -c 64 "$OUT/gs.pdf" | tr '\r' '\n' | grep -A1 '^startxref$' | tail -1)
case $xref in '' | *[!0-9]*) fail "no startxref in gs.pdf" ;; esac
[ "$(dd if="$OUT/gs.pdf" bs=1 skip="$xref" count=4 2>/dev/null)" = xref ] ||
  fail "startxref of gs.pdf does not point at an xref table"
trailer=$(grep -a -b -o 'trailer' "$OUT/gs.pdf" | tail -1 | cut -d: -f1)
[ -n "$trailer" ] && [ "$trailer" -gt "$xref" ] || fail "no trailer after the xref table of gs.pdf"
cut=$((xref + (trailer - xref) / 2))
head -c "$cut" "$OUT/gs.pdf" >"$OUT/damaged.pdf"
echo "$OUT/damaged.pdf"
