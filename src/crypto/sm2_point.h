// Points of the SM2 curve y^2 = x^3 - 3x + b over F_p (sm2p256v1, a = p - 3), for our own SM2.
//
// Two families, never mixed by accident:
//   - constant time (for the private scalar and the nonce): homogeneous projective points
//     with the complete formulas of Renes, Costello and Batina (eprint 2015/1060, a = -3),
//     which have no exceptional cases, and a fixed-base table of multiples of G read by
//     scanning every entry with masks;
//   - variable time, names ending in Vartime (public inputs only: verification): Jacobian
//     points with the cheaper a = -3 doubling, wNAF recoding and direct table indexing.
// Coordinates are Montgomery residues mod p (sm2_field.h).
#pragma once

#include <array>
#include <cstdint>
#include <memory>

#include "sm2_field.h"

namespace eseal::crypto::sm2 {

struct AffinePoint {
  Limbs x, y;  // Montgomery form; never the point at infinity
};

// (X:Y:Z) with x = X/Z, y = Y/Z; infinity is (0:1:0).
struct ProjectivePoint {
  Limbs x, y, z;
};

// 32 big-endian x, then y (no 04 prefix) → a point, after checking that both coordinates
// are below p and that the point is on the curve. False for anything else. Public input.
bool DecodeAffine(const uint8_t xy[64], AffinePoint* out);
void EncodeAffine(const AffinePoint& p, uint8_t xy[64]);

// k·G in constant time, for 0 < k < n (k in ordinary, not Montgomery, form). Returns the
// affine point; the caller's k stays secret: no branch or index depends on it.
AffinePoint ScalarBaseMult(const Limbs& k);

// Multiples of one point in signed 6-bit windows: row i holds j·2^(6i)·P for j = 1..32
// (88 KiB). G's is built once per process; a public key that verifies often gets its own
// (Sm2PublicKey keeps it, within a process-wide bound), so t·P needs no doubling either.
struct FixedBaseTable {
  using Rows = std::array<std::array<AffinePoint, 32>, 44>;
  Rows rows;
};
std::unique_ptr<FixedBaseTable> BuildFixedBaseTable(const AffinePoint& p);

// x-coordinate check for verification: true iff s·G + t·P is not infinity and its affine x,
// reduced mod n, equals `want_x_mod_n`. s, t, want in ordinary form, public. With `p_table`
// (P's own table) t·P is 44 additions; without it, a width-5 wNAF with 256 doublings.
bool DoubleScalarCheckVartime(const Limbs& s, const Limbs& t, const AffinePoint& p,
                              const Limbs& want_x_mod_n,
                              const FixedBaseTable* p_table = nullptr);

// The same point sum computed with the constant-time formulas only (slow; tests compare the
// two families against each other and against OpenSSL).
bool DoubleScalarMultSlowForTest(const Limbs& s, const Limbs& t, const AffinePoint& p,
                                 AffinePoint* out);

// Low-level access for tests.
ProjectivePoint AddComplete(const ProjectivePoint& a, const ProjectivePoint& b);
ProjectivePoint AddMixedComplete(const ProjectivePoint& a, const AffinePoint& b);
ProjectivePoint DoubleComplete(const ProjectivePoint& a);
bool ToAffine(const ProjectivePoint& p, AffinePoint* out);  // false for infinity
const AffinePoint& Generator();

}  // namespace eseal::crypto::sm2
