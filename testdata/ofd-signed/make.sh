#!/usr/bin/env bash
# Regenerates the golden OFD documents in this folder with eseal's own CLI: a fresh
# development CA (root + issuing CA), a seal maker, a signer, v4 and v1 seals, then
# `eseal ofd sign` in every placement and protection mode over ofdrw's unsigned samples.
# Keys live only in a temporary folder and are thrown away; only certificates, seals
# and signed documents are kept. Usage: make.sh path/to/eseal  (run from anywhere)
set -euo pipefail
ESEAL=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
U="$HERE/../../../shared/testdata/ofdrw/unsigned"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W"
"$ESEAL" ca init --out ca --name "eseal golden" >/dev/null
"$ESEAL" key gen --out maker.pem >/dev/null
"$ESEAL" key gen --out signer.pem >/dev/null
"$ESEAL" cert issue --ca ca --pubkey maker.pub.pem --subject "C=CN,O=eseal golden seal maker,CN=eseal golden seal maker" --role maker --out maker.crt >/dev/null
"$ESEAL" cert issue --ca ca --pubkey signer.pub.pem --subject "C=CN,O=南宁市某某科技有限公司,CN=南宁市某某科技有限公司" --role signer --out signer.crt >/dev/null
"$ESEAL" seal make --maker-cert maker.crt --maker-key maker.pem --signer-cert signer.crt --kind contract --name 南宁市某某科技有限公司 --id 4501000000000001 --out seal-v4.esl >/dev/null
"$ESEAL" seal make --maker-cert maker.crt --maker-key maker.pem --signer-cert signer.crt --kind contract --name 南宁市某某科技有限公司 --id 4501000000000002 --format v1 --out seal-v1.esl >/dev/null
S=(--key signer.pem --cert signer.crt)
"$ESEAL" ofd sign --seal seal-v4.esl "${S[@]}" --in "$U/helloworld.ofd" --out helloworld-seal-continue.ofd --page 1 --x 50 --y 50
"$ESEAL" ofd sign --seal seal-v4.esl "${S[@]}" --in "$U/helloworld.ofd" --out helloworld-seal-whole.ofd --page 1 --x 50 --y 50 --mode whole
"$ESEAL" ofd sign --seal seal-v1.esl "${S[@]}" --in helloworld-seal-continue.ofd --out helloworld-seal-twice.ofd --keyword OFD
"$ESEAL" ofd sign --seal seal-v4.esl "${S[@]}" --in "$U/VPage7.ofd" --out vpage7-riding-right.ofd --riding right
"$ESEAL" ofd sign --seal seal-v4.esl "${S[@]}" --in "$U/VPage7.ofd" --out vpage7-three-appearances.ofd --page 1 --x 20 --y 20 --page 3 --x 100 --y 150 --page 5 --x 150 --y 240
"$ESEAL" ofd sign --format sign "${S[@]}" --in "$U/helloworld.ofd" --out helloworld-sign-gbt35275.ofd
"$ESEAL" ofd sign --seal seal-v4.esl "${S[@]}" --in "$U/invoice-unsigned.ofd" --out invoice-seal-keyword.ofd --keyword 发票 --occurrence 1 --width 30 --height 30
cp ca/chain.pem "$HERE/ca-chain.pem"
cp seal-v4.esl seal-v1.esl signer.crt maker.crt "$HERE/"
cp ./*.ofd "$HERE/"
echo "golden documents written to $HERE"
