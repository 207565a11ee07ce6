// Our own SM2 signing and verification; see sm2_native.h.
#include "sm2_native.h"

#include <cstring>

#include "eseal/crypto/random.h"

namespace eseal::crypto::sm2 {

void MakeSigningScalars(const uint8_t d_be[32], SigningScalars* out) {
  out->d = LimbsFromBytes(d_be);
  const Limbs one_plus_d = Fn::Add(out->d, Limbs{{1, 0, 0, 0}});
  // Inv works in Montgomery form: (1+d)R → (1+d)^-1·R, which is what SignDigest multiplies by.
  out->inv_one_plus_d = Fn::Inv(Fn::ToMont(one_plus_d));
}

bool SignDigest(const SigningScalars& key, const uint8_t e[32], const Limbs& k, uint8_t rs[64]) {
  // (x1, y1) = k·G;  r = (e + x1) mod n. e < 2^256 < 2n and x1 < p < 2n: one subtraction each.
  const AffinePoint kg = ScalarBaseMult(k);
  const Limbs x1 = Fn::ReduceOnce(Fp::FromMont(kg.x), 0);
  const Limbs en = Fn::ReduceOnce(LimbsFromBytes(e), 0);
  const Limbs r = Fn::Add(en, x1);
  // s = (1 + d)^-1·(k + r) - r: Mul of a Montgomery and an ordinary residue is ordinary.
  const Limbs k_plus_r = Fn::Add(k, r);
  const Limbs s = Fn::Sub(Fn::Mul(key.inv_one_plus_d, k_plus_r), r);
  const u64 bad = Fn::IsZero(r) | Fn::IsZero(k_plus_r) | Fn::IsZero(s);
  LimbsToBytes(r, rs);
  LimbsToBytes(s, rs + 32);
  return bad == 0;
}

Status RandomNonce(Limbs* k) {
  uint8_t buf[32];
  for (int attempt = 0; attempt < 64; ++attempt) {
    RETURN_IF_ERROR(SystemRng().Fill(std::span<uint8_t>(buf, sizeof buf)));
    const Limbs cand = LimbsFromBytes(buf);
    if ((LessThanMask(cand, kN.m) & ~Fn::IsZero(cand)) != 0) {
      *k = cand;
      SecureZero(buf, sizeof buf);
      return Status::Ok();
    }
  }
  SecureZero(buf, sizeof buf);
  // 64 draws all >= n has probability 2^-2048: the RNG is broken.
  return InternalError("the random number generator gave no usable SM2 nonce");
}

bool VerifyDigestVartime(const AffinePoint& pub, const uint8_t e[32], const uint8_t rs[64],
                         const FixedBaseTable* pub_table) {
  const Limbs r = LimbsFromBytes(rs), s = LimbsFromBytes(rs + 32);
  // 1 <= r, s <= n-1 (GB/T 32918.2 §7.1 B1, B2)
  if (Fn::IsZero(r) || Fn::IsZero(s) || !LessThan(r, kN.m) || !LessThan(s, kN.m)) return false;
  const Limbs t = Fn::Add(r, s);
  if (Fn::IsZero(t)) return false;  // B5
  const Limbs en = Fn::ReduceOnce(LimbsFromBytes(e), 0);
  // R = (e + x1) mod n == r  ⇔  x1 ≡ r - e (mod n)
  return DoubleScalarCheckVartime(s, t, pub, Fn::Sub(r, en), pub_table);
}

namespace {

void AppendInteger(Bytes& out, const uint8_t v[32]) {
  int start = 0;
  while (start < 31 && v[start] == 0) ++start;
  const bool pad = (v[start] & 0x80) != 0;
  out.push_back(0x02);
  out.push_back(static_cast<uint8_t>(32 - start + (pad ? 1 : 0)));
  if (pad) out.push_back(0x00);
  out.insert(out.end(), v + start, v + 32);
}

// Reads INTEGER at in[*pos]; a positive value of at most 32 bytes, minimally encoded.
bool ReadInteger(ByteView in, size_t* pos, uint8_t out[32]) {
  if (*pos + 2 > in.size() || in[*pos] != 0x02) return false;
  const size_t len = in[*pos + 1];
  const size_t start = *pos + 2;
  if (len == 0 || len > 33 || start + len > in.size()) return false;
  const uint8_t* v = in.data() + start;
  if (v[0] & 0x80) return false;                              // negative
  if (len > 1 && v[0] == 0 && (v[1] & 0x80) == 0) return false;  // superfluous zero
  size_t skip = (v[0] == 0 && len > 1) ? 1 : 0;
  if (len - skip > 32) return false;
  std::memset(out, 0, 32);
  std::memcpy(out + 32 - (len - skip), v + skip, len - skip);
  *pos = start + len;
  return true;
}

}  // namespace

Bytes EncodeSignatureDer(const uint8_t rs[64]) {
  Bytes body;
  body.reserve(70);
  AppendInteger(body, rs);
  AppendInteger(body, rs + 32);
  Bytes out;
  out.reserve(body.size() + 2);
  out.push_back(0x30);
  out.push_back(static_cast<uint8_t>(body.size()));  // at most 70: short form
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

bool DecodeSignatureDer(ByteView der, uint8_t rs[64]) {
  if (der.size() < 2 || der[0] != 0x30 || der[1] >= 0x80 || der[1] != der.size() - 2) {
    return false;
  }
  size_t pos = 2;
  if (!ReadInteger(der, &pos, rs) || !ReadInteger(der, &pos, rs + 32)) return false;
  if (pos != der.size()) return false;
  auto zero = [](const uint8_t* v) {
    uint8_t acc = 0;
    for (int i = 0; i < 32; ++i) acc |= v[i];
    return acc == 0;
  };
  return !zero(rs) && !zero(rs + 32);
}

}  // namespace eseal::crypto::sm2
