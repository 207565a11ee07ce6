// Our own SM2 signature scheme (GB/T 32918.2 §6 数字签名的生成, §7 数字签名的验证) on the
// curve code of sm2_point.h. Works on the digest e = SM3(Z_A || M); sm2.cc computes e and
// chooses between this and OpenSSL (Sm2Backend).
//
// Signing uses the identity s = (1 + d)^-1·(k + r) - r mod n (equal to the standard's
// (1 + d)^-1·(k - r·d)), so with (1 + d)^-1 computed once per key a signature costs one k·G,
// one inversion of Z and one product mod n. It runs in constant time in d and k.
#pragma once

#include <cstdint>

#include "eseal/base/bytes.h"
#include "sm2_point.h"

namespace eseal::crypto::sm2 {

// Per-key secret state: d and (1 + d)^-1 in Montgomery form mod n. Wiped on destruction.
struct SigningScalars {
  Limbs d{};
  Limbs inv_one_plus_d{};
  ~SigningScalars() { SecureZero(this, sizeof *this); }
};

// d from 32 big-endian bytes with 1 <= d <= n-2 (the caller checked the range).
void MakeSigningScalars(const uint8_t d_be[32], SigningScalars* out);

// r||s (64 bytes) for digest e and nonce k (1 <= k <= n-1, secret). False when this k gives
// r = 0, r + k = n or s = 0: the caller draws another k. Constant time in d and k apart from
// that final (negligibly likely) outcome.
bool SignDigest(const SigningScalars& key, const uint8_t e[32], const Limbs& k, uint8_t rs[64]);

// A fresh uniform k in [1, n-1] from the system RNG, by rejection (only rejected draws
// depend on the branch).
Status RandomNonce(Limbs* k);

// True iff r||s is a valid signature of digest e under `pub`. Public inputs, variable time.
// `pub_table` is pub's own fixed-base table, if the caller keeps one (sm2_point.h).
bool VerifyDigestVartime(const AffinePoint& pub, const uint8_t e[32], const uint8_t rs[64],
                         const FixedBaseTable* pub_table = nullptr);

// Strict DER SEQUENCE{INTEGER r, INTEGER s} <-> 64-byte r||s, without OpenSSL. Decoding
// refuses BER lengths, superfluous or missing sign bytes, negative numbers, values wider
// than 32 bytes, zero, and trailing bytes.
Bytes EncodeSignatureDer(const uint8_t rs[64]);
bool DecodeSignatureDer(ByteView der, uint8_t rs[64]);

}  // namespace eseal::crypto::sm2
