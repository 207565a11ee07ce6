#!/usr/bin/env bash
# The command-line demo: a CA, a seal maker and a signer, a contract seal with a generated
# image, a file signed with it and verified, then verified again after a change.
set -euo pipefail
ESEAL=${ESEAL:-build/apps/eseal}
OUT=${1:-out/demo}
rm -rf "$OUT" && mkdir -p "$OUT"
step() { printf '\n== %s\n' "$*"; }

step "make a CA (SM2 root + issuing CA)"
$ESEAL ca init --out "$OUT/ca" --name "eseal Demo"
step "make keys for the seal maker (password-protected) and the signer"
printf 'demo maker password\n' > "$OUT/maker.pw" && chmod 600 "$OUT/maker.pw"
$ESEAL key gen --out "$OUT/maker.key.pem" --password-file "$OUT/maker.pw"
$ESEAL key gen --out "$OUT/signer.key.pem"
step "issue the seal-maker and signer certificates"
$ESEAL cert issue --ca "$OUT/ca" --pubkey "$OUT/maker.key.pub.pem" --role maker \
  --subject "C=CN,O=eseal Demo Seal Maker,CN=eseal Demo Seal Maker" --days 3650 --out "$OUT/maker.crt"
$ESEAL cert issue --ca "$OUT/ca" --pubkey "$OUT/signer.key.pub.pem" --role signer \
  --subject "C=CN,O=广西示例科技有限公司,CN=广西示例科技有限公司" --out "$OUT/signer.crt"
step "publish the CA's revocation list; what a verifier trusts, by role"
$ESEAL ca crl --ca "$OUT/ca"
TRUST=(--trust "$OUT/ca/root.pem" --maker-trust "$OUT/ca/root.pem" --intermediate "$OUT/ca/issuing.pem"
  --crl "$OUT/ca/crl.pem" --crl "$OUT/ca/root-crl.pem")
step "make a contract seal (合同专用章) with a generated image"
$ESEAL seal make --maker-cert "$OUT/maker.crt" --maker-key "$OUT/maker.key.pem" \
  --maker-password-file "$OUT/maker.pw" --signer-cert "$OUT/signer.crt" \
  --kind contract --name 广西示例科技有限公司 --code 4501030012345 --id 450103001234501 \
  --out "$OUT/contract.esl"
$ESEAL seal inspect "$OUT/contract.esl" --image-out "$OUT/contract.png"
$ESEAL seal verify "$OUT/contract.esl" "${TRUST[@]}"
step "sign a file with the seal and verify the signature"
printf '购销合同 第 2026-001 号\n甲方：广西示例科技有限公司\n' > "$OUT/contract.txt"
$ESEAL sign --seal "$OUT/contract.esl" --key "$OUT/signer.key.pem" --cert "$OUT/signer.crt" \
  --in "$OUT/contract.txt" --out "$OUT/contract.sig"
$ESEAL verify --sig "$OUT/contract.sig" --in "$OUT/contract.txt" "${TRUST[@]}"
step "change one character of the file: verification must fail (exit 1)"
sed -i 's/2026-001/2026-002/' "$OUT/contract.txt"
set +e
$ESEAL verify --sig "$OUT/contract.sig" --in "$OUT/contract.txt" "${TRUST[@]}"
rc=$?
set -e
[ "$rc" -eq 1 ] || { echo "expected exit 1, got $rc" >&2; exit 1; }
printf '\ndemo finished: everything is in %s (seal image: %s/contract.png)\n' "$OUT" "$OUT"
