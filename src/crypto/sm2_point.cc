// SM2 curve points: the complete constant-time formulas, the fixed-base table of G, and the
// variable-time double-scalar multiplication used by verification. See sm2_point.h.
#include "sm2_point.h"

#include <array>
#include <cstring>
#include <memory>
#include <vector>

#include "eseal/base/bytes.h"

namespace eseal::crypto::sm2 {
namespace {

// b = 28E9FA9E 9D9F5E34 4D5A9E4B CF6509A7 F39789F5 15AB8F92 DDBCBD41 4D940E93
constexpr Limbs kB = {{0xDDBCBD414D940E93ull, 0xF39789F515AB8F92ull, 0x4D5A9E4BCF6509A7ull,
                       0x28E9FA9E9D9F5E34ull}};
constexpr Limbs kGx = {{0x715A4589334C74C7ull, 0x8FE30BBFF2660BE1ull, 0x5F9904466A39C994ull,
                        0x32C4AE2C1F198119ull}};
constexpr Limbs kGy = {{0x02DF32E52139F0A0ull, 0xD0A9877CC62A4740ull, 0x59BDCEE36B692153ull,
                        0xBC3736A2F4F6779Cull}};

const Limbs& BMont() {
  static const Limbs b = Fp::ToMont(kB);
  return b;
}

Limbs Triple(const Limbs& a) { return Fp::Add(Fp::Add(a, a), a); }

// ---- The fixed-base table --------------------------------------------------------------
// Signed 6-bit windows: k = Σ d_i·2^(6i), d_i in [-32, 32], i = 0..43 (43 windows cover 258
// bits; the 44th takes the last carry). Row i holds j·2^(6i)·G for j = 1..32, affine, so a
// lookup is one mixed addition and no doubling at all: 44 additions per k·G.
constexpr int kWindowBits = 6;
constexpr int kWindows = 44;
constexpr int kRowSize = 1 << (kWindowBits - 1);  // 32

using Table = FixedBaseTable::Rows;

std::unique_ptr<Table> BuildTable(const AffinePoint& point) {
  std::vector<ProjectivePoint> pts;
  pts.reserve(kWindows * kRowSize);
  ProjectivePoint base{point.x, point.y, Fp::One()};
  for (int i = 0; i < kWindows; ++i) {
    ProjectivePoint p = base;
    pts.push_back(p);
    for (int j = 1; j < kRowSize; ++j) {
      p = AddComplete(p, base);
      pts.push_back(p);
    }
    base = DoubleComplete(p);  // 2·32·2^(6i)·G = 2^(6(i+1))·G
  }
  // One inversion for all (Montgomery's trick); the table is public, so plain code is fine.
  std::vector<Limbs> prefix(pts.size());
  Limbs acc = Fp::One();
  for (size_t i = 0; i < pts.size(); ++i) {
    prefix[i] = acc;
    acc = Fp::Mul(acc, pts[i].z);
  }
  Limbs inv = Fp::Inv(acc);
  auto table = std::make_unique<Table>();
  for (size_t i = pts.size(); i-- > 0;) {
    const Limbs zinv = Fp::Mul(inv, prefix[i]);
    inv = Fp::Mul(inv, pts[i].z);
    (*table)[i / kRowSize][i % kRowSize] = {Fp::Mul(pts[i].x, zinv), Fp::Mul(pts[i].y, zinv)};
  }
  return table;
}

const Table& BaseTable() {
  static const std::unique_ptr<Table> table = BuildTable(Generator());
  return *table;
}

// Bits [pos, pos + 6) of k (zero past bit 255). pos is public.
u64 Window(const Limbs& k, int pos) {
  const int limb = pos / 64, off = pos % 64;
  u64 w = limb < 4 ? k.v[limb] >> off : 0;
  if (off > 64 - kWindowBits && limb + 1 < 4) w |= k.v[limb + 1] << (64 - off);
  return w & ((1u << kWindowBits) - 1);
}

// Booth-style signed recoding without branches: |d_i| and a mask that is all ones when
// d_i < 0.
void Recode(const Limbs& k, u64 abs[kWindows], u64 neg[kWindows]) {
  u64 carry = 0;
  for (int i = 0; i < kWindows - 1; ++i) {
    const u64 w = Window(k, i * kWindowBits) + carry;  // 0..64
    const u64 big = (static_cast<u64>(kRowSize) - w) >> 63;  // w > 32
    const u64 big_mask = ~u64{0} * big;
    abs[i] = (w & ~big_mask) | ((64 - w) & big_mask);
    neg[i] = big_mask;
    carry = big;
  }
  abs[kWindows - 1] = carry;
  neg[kWindows - 1] = 0;
}

// row[idx - 1], or zeros for idx = 0, reading every entry: each is masked by
// (j + 1 == idx) and OR-ed in, so the memory touched is the same for every idx.
// With AVX2 (checked at run time) a point is two 256-bit loads; otherwise eight words.
using V4 = u64 __attribute__((vector_size(32)));

__attribute__((target("avx2"))) AffinePoint SelectFromRowAvx2(const AffinePoint* row, u64 idx) {
  V4 x{}, y{};
  for (int j = 0; j < kRowSize; ++j) {
    const u64 m = EqualMask(static_cast<u64>(j + 1), idx);
    const V4 mv = {m, m, m, m};
    V4 ex, ey;
    std::memcpy(&ex, row[j].x.v, sizeof ex);
    std::memcpy(&ey, row[j].y.v, sizeof ey);
    x |= ex & mv;
    y |= ey & mv;
  }
  AffinePoint out;
  std::memcpy(out.x.v, &x, sizeof x);
  std::memcpy(out.y.v, &y, sizeof y);
  return out;
}

AffinePoint SelectFromRowPortable(const AffinePoint* row, u64 idx) {
  AffinePoint out{};
  for (int j = 0; j < kRowSize; ++j) {
    const u64 m = EqualMask(static_cast<u64>(j + 1), idx);
    for (int l = 0; l < 4; ++l) {
      out.x.v[l] |= row[j].x.v[l] & m;
      out.y.v[l] |= row[j].y.v[l] & m;
    }
  }
  return out;
}

AffinePoint SelectFromRow(const AffinePoint* row, u64 idx) {
  static const bool avx2 = __builtin_cpu_supports("avx2");
  return avx2 ? SelectFromRowAvx2(row, idx) : SelectFromRowPortable(row, idx);
}

ProjectivePoint ScalarBaseMultProjective(const Limbs& k) {
  const Table& table = BaseTable();
  u64 abs[kWindows], neg[kWindows];
  Recode(k, abs, neg);
  ProjectivePoint acc{Limbs{}, Fp::One(), Limbs{}};
  for (int i = 0; i < kWindows; ++i) {
    AffinePoint sel = SelectFromRow(table[i].data(), abs[i]);
    CondCopy(sel.y, Fp::Neg(sel.y), neg[i]);
    const ProjectivePoint sum = AddMixedComplete(acc, sel);
    const u64 take = ~IsZeroMask(abs[i]);
    CondCopy(acc.x, sum.x, take);
    CondCopy(acc.y, sum.y, take);
    CondCopy(acc.z, sum.z, take);
  }
  SecureZero(abs, sizeof abs);  // do not leave the digits of k on the stack
  SecureZero(neg, sizeof neg);
  return acc;
}

// ---- Variable time (public inputs) -----------------------------------------------------

// Jacobian (X:Y:Z): x = X/Z^2, y = Y/Z^3; infinity has Z = 0.
struct Jacobian {
  Limbs x, y, z;
};

bool IsInfinity(const Jacobian& p) { return Fp::IsZero(p.z) != 0; }

// a = -3 doubling (dbl-2001-b): 3M + 5S.
Jacobian DoubleVartime(const Jacobian& p) {
  if (IsInfinity(p)) return p;
  const Limbs delta = Fp::Sqr(p.z);
  const Limbs gamma = Fp::Sqr(p.y);
  const Limbs beta = Fp::Mul(p.x, gamma);
  const Limbs alpha = Triple(Fp::Mul(Fp::Sub(p.x, delta), Fp::Add(p.x, delta)));
  const Limbs beta2 = Fp::Add(beta, beta);
  const Limbs beta4 = Fp::Add(beta2, beta2);
  Jacobian r;
  r.x = Fp::Sub(Fp::Sqr(alpha), Fp::Add(beta4, beta4));
  r.z = Fp::Sub(Fp::Sub(Fp::Sqr(Fp::Add(p.y, p.z)), gamma), delta);
  Limbs g2 = Fp::Sqr(gamma);
  g2 = Fp::Add(g2, g2);
  g2 = Fp::Add(g2, g2);
  g2 = Fp::Add(g2, g2);
  r.y = Fp::Sub(Fp::Mul(alpha, Fp::Sub(beta4, r.x)), g2);
  return r;
}

// General addition (add-2007-bl) with its exceptional cases handled by branches.
Jacobian AddVartime(const Jacobian& a, const Jacobian& b) {
  if (IsInfinity(a)) return b;
  if (IsInfinity(b)) return a;
  const Limbs z1z1 = Fp::Sqr(a.z), z2z2 = Fp::Sqr(b.z);
  const Limbs u1 = Fp::Mul(a.x, z2z2), u2 = Fp::Mul(b.x, z1z1);
  const Limbs s1 = Fp::Mul(Fp::Mul(a.y, b.z), z2z2);
  const Limbs s2 = Fp::Mul(Fp::Mul(b.y, a.z), z1z1);
  const Limbs h = Fp::Sub(u2, u1);
  Limbs rr = Fp::Sub(s2, s1);
  if (Fp::IsZero(h)) {
    if (Fp::IsZero(rr)) return DoubleVartime(a);
    return Jacobian{Fp::One(), Fp::One(), Limbs{}};
  }
  rr = Fp::Add(rr, rr);
  const Limbs h2 = Fp::Add(h, h);
  const Limbs i = Fp::Sqr(h2);
  const Limbs j = Fp::Mul(h, i);
  const Limbs v = Fp::Mul(u1, i);
  Jacobian r;
  r.x = Fp::Sub(Fp::Sub(Fp::Sqr(rr), j), Fp::Add(v, v));
  const Limbs s1j = Fp::Mul(s1, j);
  r.y = Fp::Sub(Fp::Mul(rr, Fp::Sub(v, r.x)), Fp::Add(s1j, s1j));
  r.z = Fp::Mul(Fp::Sub(Fp::Sub(Fp::Sqr(Fp::Add(a.z, b.z)), z1z1), z2z2), h);
  return r;
}

// Mixed addition (madd-2007-bl): b is affine.
Jacobian AddAffineVartime(const Jacobian& a, const AffinePoint& b) {
  if (IsInfinity(a)) return Jacobian{b.x, b.y, Fp::One()};
  const Limbs z1z1 = Fp::Sqr(a.z);
  const Limbs u2 = Fp::Mul(b.x, z1z1);
  const Limbs s2 = Fp::Mul(Fp::Mul(b.y, a.z), z1z1);
  const Limbs h = Fp::Sub(u2, a.x);
  Limbs rr = Fp::Sub(s2, a.y);
  if (Fp::IsZero(h)) {
    if (Fp::IsZero(rr)) return DoubleVartime(a);
    return Jacobian{Fp::One(), Fp::One(), Limbs{}};
  }
  rr = Fp::Add(rr, rr);
  const Limbs hh = Fp::Sqr(h);
  const Limbs i = Fp::Add(Fp::Add(hh, hh), Fp::Add(hh, hh));
  const Limbs j = Fp::Mul(h, i);
  const Limbs v = Fp::Mul(a.x, i);
  Jacobian r;
  r.x = Fp::Sub(Fp::Sub(Fp::Sqr(rr), j), Fp::Add(v, v));
  const Limbs y1j = Fp::Mul(a.y, j);
  r.y = Fp::Sub(Fp::Mul(rr, Fp::Sub(v, r.x)), Fp::Add(y1j, y1j));
  r.z = Fp::Sub(Fp::Sub(Fp::Sqr(Fp::Add(a.z, h)), z1z1), hh);
  return r;
}

Jacobian Negate(const Jacobian& p) { return Jacobian{p.x, Fp::Neg(p.y), p.z}; }

// Width-5 NAF of a public scalar < 2^256: digits odd in [-15, 15] or 0, 257 at most.
constexpr int kNafWidth = 5;
int Wnaf(Limbs k, int8_t naf[258]) {
  int len = 0;
  auto nonzero = [&] { return (k.v[0] | k.v[1] | k.v[2] | k.v[3]) != 0; };
  while (nonzero()) {
    int d = 0;
    if (k.v[0] & 1) {
      d = static_cast<int>(k.v[0] & ((1u << kNafWidth) - 1));
      if (d >= (1 << (kNafWidth - 1))) d -= 1 << kNafWidth;
      // k -= d (k stays below 2^256: it is < n and at most 15 is added)
      u128 c = d > 0 ? static_cast<u128>(k.v[0]) - static_cast<u64>(d)
                     : static_cast<u128>(k.v[0]) + static_cast<u64>(-d);
      k.v[0] = static_cast<u64>(c);
      for (int i = 1; i < 4; ++i) {
        if (d > 0) {
          c = static_cast<u128>(k.v[i]) - ((c >> 64) & 1);
        } else {
          c = static_cast<u128>(k.v[i]) + (c >> 64);
        }
        k.v[i] = static_cast<u64>(c);
      }
    }
    naf[len++] = static_cast<int8_t>(d);
    for (int i = 0; i < 3; ++i) k.v[i] = (k.v[i] >> 1) | (k.v[i + 1] << 63);
    k.v[3] >>= 1;
  }
  return len;
}

Jacobian ScalarBaseMultVartime(const Limbs& s, const Table& table) {
  u64 abs[kWindows], neg[kWindows];
  Recode(s, abs, neg);
  Jacobian acc{Fp::One(), Fp::One(), Limbs{}};
  for (int i = 0; i < kWindows; ++i) {
    if (abs[i] == 0) continue;
    AffinePoint q = table[i][abs[i] - 1];
    if (neg[i]) q.y = Fp::Neg(q.y);
    acc = AddAffineVartime(acc, q);
  }
  return acc;
}

Jacobian ScalarMultVartime(const Limbs& t, const AffinePoint& p) {
  int8_t naf[258];
  const int len = Wnaf(t, naf);
  // Odd multiples P, 3P, ..., 15P.
  Jacobian odd[1 << (kNafWidth - 2)];
  odd[0] = Jacobian{p.x, p.y, Fp::One()};
  const Jacobian p2 = DoubleVartime(odd[0]);
  for (int i = 1; i < (1 << (kNafWidth - 2)); ++i) odd[i] = AddVartime(odd[i - 1], p2);
  Jacobian acc{Fp::One(), Fp::One(), Limbs{}};
  for (int i = len - 1; i >= 0; --i) {
    acc = DoubleVartime(acc);
    const int d = naf[i];
    if (d > 0) acc = AddVartime(acc, odd[d / 2]);
    if (d < 0) acc = AddVartime(acc, Negate(odd[-d / 2]));
  }
  return acc;
}

}  // namespace

const AffinePoint& Generator() {
  static const AffinePoint g{Fp::ToMont(kGx), Fp::ToMont(kGy)};
  return g;
}

// ---- Complete formulas (Renes-Costello-Batina 2015, a = -3) ------------------------------

ProjectivePoint AddComplete(const ProjectivePoint& p, const ProjectivePoint& q) {
  const Limbs& b = BMont();
  const Limbs xx = Fp::Mul(p.x, q.x), yy = Fp::Mul(p.y, q.y), zz = Fp::Mul(p.z, q.z);
  const Limbs xy = Fp::Sub(Fp::Mul(Fp::Add(p.x, p.y), Fp::Add(q.x, q.y)), Fp::Add(xx, yy));
  const Limbs yz = Fp::Sub(Fp::Mul(Fp::Add(p.y, p.z), Fp::Add(q.y, q.z)), Fp::Add(yy, zz));
  const Limbs xz = Fp::Sub(Fp::Mul(Fp::Add(p.x, p.z), Fp::Add(q.x, q.z)), Fp::Add(xx, zz));
  const Limbs bzz3 = Triple(Fp::Sub(xz, Fp::Mul(b, zz)));
  const Limbs yy_m = Fp::Sub(yy, bzz3), yy_p = Fp::Add(yy, bzz3);
  const Limbs zz3 = Triple(zz);
  const Limbs bxz3 = Triple(Fp::Sub(Fp::Mul(b, xz), Fp::Add(zz3, xx)));
  const Limbs xx3_m_zz3 = Fp::Sub(Triple(xx), zz3);
  return ProjectivePoint{
      Fp::Sub(Fp::Mul(yy_p, xy), Fp::Mul(yz, bxz3)),
      Fp::Add(Fp::Mul(yy_p, yy_m), Fp::Mul(xx3_m_zz3, bxz3)),
      Fp::Add(Fp::Mul(yy_m, yz), Fp::Mul(xy, xx3_m_zz3)),
  };
}

// The same with Z2 = 1; complete as long as q is a real point (the caller never passes
// infinity, and discards the sum when its table digit was zero).
ProjectivePoint AddMixedComplete(const ProjectivePoint& p, const AffinePoint& q) {
  const Limbs& b = BMont();
  const Limbs xx = Fp::Mul(p.x, q.x), yy = Fp::Mul(p.y, q.y);
  const Limbs xy = Fp::Sub(Fp::Mul(Fp::Add(p.x, p.y), Fp::Add(q.x, q.y)), Fp::Add(xx, yy));
  const Limbs yz = Fp::Add(Fp::Mul(q.y, p.z), p.y);
  const Limbs xz = Fp::Add(Fp::Mul(q.x, p.z), p.x);
  const Limbs bz3 = Triple(Fp::Sub(xz, Fp::Mul(b, p.z)));
  const Limbs yy_m = Fp::Sub(yy, bz3), yy_p = Fp::Add(yy, bz3);
  const Limbs z3 = Triple(p.z);
  const Limbs bxz3 = Triple(Fp::Sub(Fp::Mul(b, xz), Fp::Add(z3, xx)));
  const Limbs xx3_m_z3 = Fp::Sub(Triple(xx), z3);
  return ProjectivePoint{
      Fp::Sub(Fp::Mul(yy_p, xy), Fp::Mul(yz, bxz3)),
      Fp::Add(Fp::Mul(yy_p, yy_m), Fp::Mul(xx3_m_z3, bxz3)),
      Fp::Add(Fp::Mul(yy_m, yz), Fp::Mul(xy, xx3_m_z3)),
  };
}

ProjectivePoint DoubleComplete(const ProjectivePoint& p) { return AddComplete(p, p); }

bool ToAffine(const ProjectivePoint& p, AffinePoint* out) {
  if (Fp::IsZero(p.z)) return false;
  const Limbs zinv = Fp::Inv(p.z);
  *out = {Fp::Mul(p.x, zinv), Fp::Mul(p.y, zinv)};
  return true;
}

bool DecodeAffine(const uint8_t xy[64], AffinePoint* out) {
  const Limbs x = LimbsFromBytes(xy), y = LimbsFromBytes(xy + 32);
  if (!LessThan(x, kP.m) || !LessThan(y, kP.m)) return false;
  const Limbs xm = Fp::ToMont(x), ym = Fp::ToMont(y);
  // y^2 == x^3 - 3x + b
  const Limbs rhs = Fp::Add(Fp::Sub(Fp::Mul(Fp::Sqr(xm), xm), Triple(xm)), BMont());
  if (!Fp::Equal(Fp::Sqr(ym), rhs)) return false;
  *out = {xm, ym};
  return true;
}

void EncodeAffine(const AffinePoint& p, uint8_t xy[64]) {
  LimbsToBytes(Fp::FromMont(p.x), xy);
  LimbsToBytes(Fp::FromMont(p.y), xy + 32);
}

AffinePoint ScalarBaseMult(const Limbs& k) {
  // k in (0, n): never infinity, so no test of Z (that would be a branch on k; valgrind's
  // secret-independence run found the one ToAffine has).
  const ProjectivePoint p = ScalarBaseMultProjective(k);
  const Limbs zinv = Fp::Inv(p.z);
  return AffinePoint{Fp::Mul(p.x, zinv), Fp::Mul(p.y, zinv)};
}

std::unique_ptr<FixedBaseTable> BuildFixedBaseTable(const AffinePoint& p) {
  auto out = std::make_unique<FixedBaseTable>();
  out->rows = *BuildTable(p);
  return out;
}

bool DoubleScalarCheckVartime(const Limbs& s, const Limbs& t, const AffinePoint& p,
                              const Limbs& want_x_mod_n, const FixedBaseTable* p_table) {
  const Jacobian tp = p_table != nullptr ? ScalarBaseMultVartime(t, p_table->rows)
                                         : ScalarMultVartime(t, p);
  const Jacobian sum = AddVartime(ScalarBaseMultVartime(s, BaseTable()), tp);
  if (IsInfinity(sum)) return false;
  // x = X/Z^2 without an inversion: x ≡ want (mod n) and x < p leaves two candidates.
  const Limbs z2 = Fp::Sqr(sum.z);
  if (Fp::Equal(Fp::Mul(Fp::ToMont(want_x_mod_n), z2), sum.x)) return true;
  Limbs alt;
  u128 c = 0;
  for (int i = 0; i < 4; ++i) {
    c += static_cast<u128>(want_x_mod_n.v[i]) + kN.m.v[i];
    alt.v[i] = static_cast<u64>(c);
    c >>= 64;
  }
  if (c != 0 || !LessThan(alt, kP.m)) return false;
  return Fp::Equal(Fp::Mul(Fp::ToMont(alt), z2), sum.x) != 0;
}

bool DoubleScalarMultSlowForTest(const Limbs& s, const Limbs& t, const AffinePoint& p,
                                 AffinePoint* out) {
  const ProjectivePoint sg = ScalarBaseMultProjective(s);
  ProjectivePoint tp{Limbs{}, Fp::One(), Limbs{}};
  const ProjectivePoint pp{p.x, p.y, Fp::One()};
  for (int bit = 255; bit >= 0; --bit) {
    tp = DoubleComplete(tp);
    if ((t.v[bit / 64] >> (bit % 64)) & 1) tp = AddComplete(tp, pp);
  }
  return ToAffine(AddComplete(sg, tp), out);
}

}  // namespace eseal::crypto::sm2
