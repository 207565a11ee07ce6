// Arithmetic modulo the two primes of the SM2 curve sm2p256v1 (GB/T 32918.5, 推荐曲线参数):
// the field prime p and the group order n. Numbers are four 64-bit limbs, least significant
// first, kept in Montgomery form (a·2^256 mod m) so a product needs no division.
//
// Everything here is constant time: no branch and no memory index depends on a value, only on
// the (public) modulus. Carries are turned into all-ones/all-zeros masks instead of
// conditions, so the private scalar and the nonce can flow through these functions (the
// valgrind secret-independence test in sm2_ct_test.cc checks that the compiler kept it so).
// Header-only: the point code calls these in its inner loops and the compiler inlines them
// with the modulus folded in as constants.
#pragma once

#include <cpuid.h>
#include <x86intrin.h>

#include <cstddef>
#include <cstdint>

namespace eseal::crypto::sm2 {

using u64 = uint64_t;
__extension__ typedef unsigned __int128 u128;  // GCC and clang on 64-bit targets

// A residue: 4 limbs, little-endian limb order.
struct Limbs {
  u64 v[4];
};

// ---- Constant-time building blocks ----------------------------------------------------

// All ones if x == 0, else zero.
constexpr u64 IsZeroMask(u64 x) { return ((~x & (x - 1)) >> 63) * ~u64{0}; }
constexpr u64 EqualMask(u64 a, u64 b) { return IsZeroMask(a ^ b); }

// r = mask ? a : r, for whole residues.
inline void CondCopy(Limbs& r, const Limbs& a, u64 mask) {
  for (int i = 0; i < 4; ++i) r.v[i] = (a.v[i] & mask) | (r.v[i] & ~mask);
}

constexpr bool LessThan(const Limbs& a, const Limbs& b) {  // public values only
  for (int i = 3; i >= 0; --i) {
    if (a.v[i] != b.v[i]) return a.v[i] < b.v[i];
  }
  return false;
}

// BMI2 (mulx) and ADX (adcx, adox), from CPUID leaf 7: the fast product mod p uses them.
inline bool DetectMulxAdx() {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (__get_cpuid_max(0, nullptr) < 7) return false;
  __cpuid_count(7, 0, eax, ebx, ecx, edx);
  return (ebx & (1u << 8)) != 0 && (ebx & (1u << 19)) != 0;
}
// Read at start-up. Anything that multiplies before this is initialised sees false and takes
// the portable path, which gives the same results. Not const: valgrind's CPU hides ADX, so
// the secret-independence check (sm2_ct_check.cc) turns the fast path on by hand.
inline bool kHaveMulxAdx = DetectMulxAdx();

// ---- The moduli -------------------------------------------------------------------------

// m, -m^-1 mod 2^64, 2^256 mod m (Montgomery one) and 2^512 mod m (to enter the form).
struct Modulus {
  Limbs m;
  u64 m0inv;
  Limbs r1;
  Limbs r2;
};

constexpr u64 NegInverse64(u64 m0) {
  u64 x = 1;  // correct mod 2 because m0 is odd; each Newton step doubles the bits
  for (int i = 0; i < 6; ++i) x *= 2 - m0 * x;
  return ~x + 1;
}

// (a + b) mod m for a, b < m.
constexpr Limbs AddMod(const Limbs& a, const Limbs& b, const Limbs& m) {
  Limbs t{}, d{};
  u128 c = 0;
  for (int i = 0; i < 4; ++i) {
    c += static_cast<u128>(a.v[i]) + b.v[i];
    t.v[i] = static_cast<u64>(c);
    c >>= 64;
  }
  const u64 carry = static_cast<u64>(c);
  u64 borrow = 0;
  for (int i = 0; i < 4; ++i) {
    const u128 s = static_cast<u128>(t.v[i]) - m.v[i] - borrow;
    d.v[i] = static_cast<u64>(s);
    borrow = static_cast<u64>(s >> 64) & 1;
  }
  // Keep t - m when the sum overflowed 2^256 or did not need the borrow.
  const u64 use_d = ~u64{0} * (carry | (borrow ^ 1));
  for (int i = 0; i < 4; ++i) t.v[i] = (d.v[i] & use_d) | (t.v[i] & ~use_d);
  return t;
}

constexpr Modulus MakeModulus(Limbs m) {
  Modulus mod{m, NegInverse64(m.v[0]), {}, {}};
  // m > 2^255, so 2^256 mod m = 2^256 - m.
  Limbs r1{};
  u64 borrow = 0;
  for (int i = 0; i < 4; ++i) {
    const u128 s = static_cast<u128>(0) - m.v[i] - borrow;
    r1.v[i] = static_cast<u64>(s);
    borrow = static_cast<u64>(s >> 64) & 1;
  }
  mod.r1 = r1;
  Limbs r2 = r1;
  for (int i = 0; i < 256; ++i) r2 = AddMod(r2, r2, m);
  mod.r2 = r2;
  return mod;
}

// p = 2^256 - 2^224 - 2^96 + 2^64 - 1
inline constexpr Modulus kP = MakeModulus(
    {{0xFFFFFFFFFFFFFFFFull, 0xFFFFFFFF00000000ull, 0xFFFFFFFFFFFFFFFFull, 0xFFFFFFFEFFFFFFFFull}});
// n, the order of G (prime; the cofactor is 1)
inline constexpr Modulus kN = MakeModulus(
    {{0x53BBF40939D54123ull, 0x7203DF6B21C6052Bull, 0xFFFFFFFFFFFFFFFFull, 0xFFFFFFFEFFFFFFFFull}});

// ---- Residues of one modulus -----------------------------------------------------------

template <const Modulus& M>
struct Mod {
  static Limbs Add(const Limbs& a, const Limbs& b) {
    unsigned long long t0, t1, t2, t3;
    unsigned char c = _addcarry_u64(0, a.v[0], b.v[0], &t0);
    c = _addcarry_u64(c, a.v[1], b.v[1], &t1);
    c = _addcarry_u64(c, a.v[2], b.v[2], &t2);
    c = _addcarry_u64(c, a.v[3], b.v[3], &t3);
    return Select(t0, t1, t2, t3, c);
  }

  // The run-time paths use the carry-flag intrinsics: the compiler turns them into add/adc
  // and sub/sbb chains, where the portable __int128 form above compiled to a loop.
  static Limbs Sub(const Limbs& a, const Limbs& b) {
    unsigned long long r0, r1, r2, r3;
    unsigned char borrow = _subborrow_u64(0, a.v[0], b.v[0], &r0);
    borrow = _subborrow_u64(borrow, a.v[1], b.v[1], &r1);
    borrow = _subborrow_u64(borrow, a.v[2], b.v[2], &r2);
    borrow = _subborrow_u64(borrow, a.v[3], b.v[3], &r3);
    const u64 mask = u64{0} - borrow;  // add m back when a < b
    unsigned char c = _addcarry_u64(0, r0, M.m.v[0] & mask, &r0);
    c = _addcarry_u64(c, r1, M.m.v[1] & mask, &r1);
    c = _addcarry_u64(c, r2, M.m.v[2] & mask, &r2);
    _addcarry_u64(c, r3, M.m.v[3] & mask, &r3);
    return Limbs{{r0, r1, r2, r3}};
  }

  static Limbs Neg(const Limbs& a) { return Sub(Limbs{}, a); }

  // Montgomery product a·b·2^-256 mod m (CIOS: one limb of a per round, reduced each round).
  static Limbs Mul(const Limbs& a, const Limbs& b) {
    if constexpr (&M == &kP) {
      return MulSpecialP(a, b);
    } else {
      return MulGeneric(a, b);
    }
  }

  // (t0..t4) += ai·b; returns the carry out of t4 (the round's sixth limb).
  [[gnu::always_inline]] static unsigned long long AddRowProduct(
      u64 ai, const Limbs& b, unsigned long long& t0, unsigned long long& t1,
      unsigned long long& t2, unsigned long long& t3, unsigned long long& t4) {
    u128 c = static_cast<u128>(ai) * b.v[0] + t0;
    t0 = static_cast<u64>(c);
    c = (c >> 64) + static_cast<u128>(ai) * b.v[1] + t1;
    t1 = static_cast<u64>(c);
    c = (c >> 64) + static_cast<u128>(ai) * b.v[2] + t2;
    t2 = static_cast<u64>(c);
    c = (c >> 64) + static_cast<u128>(ai) * b.v[3] + t3;
    t3 = static_cast<u64>(c);
    c = (c >> 64) + t4;
    t4 = static_cast<u64>(c);
    return static_cast<u64>(c >> 64);
  }

  static Limbs MulGeneric(const Limbs& a, const Limbs& b) {
    unsigned long long t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0;
#pragma GCC unroll 4
    for (int i = 0; i < 4; ++i) {
      const unsigned long long t5 = AddRowProduct(a.v[i], b, t0, t1, t2, t3, t4);

      const u64 q = t0 * M.m0inv;
      u128 c = static_cast<u128>(q) * M.m.v[0] + t0;
      c = (c >> 64) + static_cast<u128>(q) * M.m.v[1] + t1;
      t0 = static_cast<u64>(c);
      c = (c >> 64) + static_cast<u128>(q) * M.m.v[2] + t2;
      t1 = static_cast<u64>(c);
      c = (c >> 64) + static_cast<u128>(q) * M.m.v[3] + t3;
      t2 = static_cast<u64>(c);
      c = (c >> 64) + t4;
      t3 = static_cast<u64>(c);
      t4 = t5 + static_cast<u64>(c >> 64);
    }
    return ReduceOnce({{t0, t1, t2, t3}}, t4);
  }

  // For p the reduction needs no multiplication: -p^-1 ≡ 1 (mod 2^64), so the round's
  // quotient q is the low limb itself, and q·p = q·(2^256 - 2^224 - 2^96 + 2^64 - 1) is
  // shifts. Adding q·p and dropping the (now zero) low limb adds
  // q·(2^192 - 2^160 - 2^32 + 1): + [q, 0, 0, q] - [q<<32, q>>32, q<<32, q>>32] in limbs.
  static Limbs MulSpecialP(const Limbs& a, const Limbs& b) {
    if (__builtin_expect(kHaveMulxAdx, 1)) return MulSpecialPMulx(a, b);
    unsigned long long t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0;
#pragma GCC unroll 4
    for (int i = 0; i < 4; ++i) {
      const unsigned long long t5 = AddRowProduct(a.v[i], b, t0, t1, t2, t3, t4);

      const unsigned long long q = t0, lo = q << 32, hi = q >> 32;
      unsigned char cy = _addcarry_u64(0, t1, q, &t0);
      cy = _addcarry_u64(cy, t2, 0, &t1);
      cy = _addcarry_u64(cy, t3, 0, &t2);
      cy = _addcarry_u64(cy, t4, q, &t3);
      t4 = t5 + cy;
      unsigned char bw = _subborrow_u64(0, t0, lo, &t0);
      bw = _subborrow_u64(bw, t1, hi, &t1);
      bw = _subborrow_u64(bw, t2, lo, &t2);
      bw = _subborrow_u64(bw, t3, hi, &t3);
      t4 -= bw;
    }
    return Select(t0, t1, t2, t3, t4);
  }

  // A dedicated squaring (ten limb products, then four shift-only reduction rounds on the
  // 512-bit square) measured slower than this product on this machine: its long carry
  // chains cost more than the six products it saves.
  static Limbs Sqr(const Limbs& a) { return Mul(a, a); }

  // The same product with BMI2's mulx and ADX's two carry chains (adcx for the low halves,
  // adox for the high halves), on CPUs that have them (kHaveMulxAdx, read once at start-up).
  // Inlined, it measured 1.35x (throughput) to 1.7x (latency) the compiler's code above. The
  // reduction rounds are the same shift-only ones.
  static Limbs MulSpecialPMulx(const Limbs& a, const Limbs& b) {
    unsigned long long t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0, t5;
    MulxRound(a.v[0], b.v, t0, t1, t2, t3, t4, t5);
    MulxRound(a.v[1], b.v, t1, t2, t3, t4, t5, t0);
    MulxRound(a.v[2], b.v, t2, t3, t4, t5, t0, t1);
    MulxRound(a.v[3], b.v, t3, t4, t5, t0, t1, t2);
    return Select(t4, t5, t0, t1, t2);
  }

  // One CIOS round on (t0..t4): t += ai·b, then q = t0 and t += q·p, shifted down one limb
  // into (t1..t5). The caller renames t1..t5 as the next round's t0..t4.
  static void MulxRound(u64 ai, const u64* b, unsigned long long& t0, unsigned long long& t1,
                        unsigned long long& t2, unsigned long long& t3, unsigned long long& t4,
                        unsigned long long& t5) {
    unsigned long long lo, hi, zero;
    asm("xorl %k[zero], %k[zero]\n\t"  // zero, and CF = OF = 0
        "mulxq 0(%[b]), %[lo], %[hi]\n\t"
        "adcxq %[lo], %[t0]\n\t"
        "adoxq %[hi], %[t1]\n\t"
        "mulxq 8(%[b]), %[lo], %[hi]\n\t"
        "adcxq %[lo], %[t1]\n\t"
        "adoxq %[hi], %[t2]\n\t"
        "mulxq 16(%[b]), %[lo], %[hi]\n\t"
        "adcxq %[lo], %[t2]\n\t"
        "adoxq %[hi], %[t3]\n\t"
        "mulxq 24(%[b]), %[lo], %[hi]\n\t"
        "adcxq %[lo], %[t3]\n\t"
        "adoxq %[hi], %[t4]\n\t"
        "movq $0, %[t5]\n\t"  // mov leaves the flags alone
        "adcxq %[zero], %[t4]\n\t"
        "adoxq %[zero], %[t5]\n\t"
        "adcxq %[zero], %[t5]\n\t"
        // + q·(2^192 - 2^160 - 2^32 + 1) above q = t0 (see MulSpecialP)
        "movq %[t0], %[lo]\n\t"
        "movq %[t0], %[hi]\n\t"
        "shlq $32, %[lo]\n\t"
        "shrq $32, %[hi]\n\t"
        "addq %[t0], %[t1]\n\t"
        "adcq $0, %[t2]\n\t"
        "adcq $0, %[t3]\n\t"
        "adcq %[t0], %[t4]\n\t"
        "adcq $0, %[t5]\n\t"
        "subq %[lo], %[t1]\n\t"
        "sbbq %[hi], %[t2]\n\t"
        "sbbq %[lo], %[t3]\n\t"
        "sbbq %[hi], %[t4]\n\t"
        "sbbq $0, %[t5]\n\t"
        : [t0] "+r"(t0), [t1] "+r"(t1), [t2] "+r"(t2), [t3] "+r"(t3), [t4] "+r"(t4),
          [t5] "=&r"(t5), [lo] "=&r"(lo), [hi] "=&r"(hi), [zero] "=&r"(zero)
        : "d"(ai), [b] "r"(b), "m"(*(const u64(*)[4])b)
        : "cc");
  }

  // t + carry·2^256 < 2m  →  its residue.
  static Limbs ReduceOnce(const Limbs& t, u64 carry) {
    return Select(t.v[0], t.v[1], t.v[2], t.v[3], carry);
  }

  // (t0..t3) + carry·2^256 < 2m  →  its residue: subtract m, keep the difference when the sum
  // overflowed or the subtraction did not borrow. Scalars, not arrays, so that GCC keeps them
  // in registers (an array whose address goes to an intrinsic lives in memory).
  static Limbs Select(unsigned long long t0, unsigned long long t1, unsigned long long t2,
                      unsigned long long t3, u64 carry) {
    unsigned long long d0, d1, d2, d3;
    unsigned char borrow = _subborrow_u64(0, t0, M.m.v[0], &d0);
    borrow = _subborrow_u64(borrow, t1, M.m.v[1], &d1);
    borrow = _subborrow_u64(borrow, t2, M.m.v[2], &d2);
    borrow = _subborrow_u64(borrow, t3, M.m.v[3], &d3);
    const u64 use_d = u64{0} - (carry | (borrow ^ 1u));
    return Limbs{{(d0 & use_d) | (t0 & ~use_d), (d1 & use_d) | (t1 & ~use_d),
                  (d2 & use_d) | (t2 & ~use_d), (d3 & use_d) | (t3 & ~use_d)}};
  }

  static Limbs ToMont(const Limbs& a) { return Mul(a, M.r2); }
  static Limbs FromMont(const Limbs& a) { return Mul(a, Limbs{{1, 0, 0, 0}}); }
  static const Limbs& One() { return M.r1; }  // 1 in Montgomery form

  // a^(m-2) = a^-1 (Fermat; m is prime). The exponent is the public modulus, so branching on
  // its bits leaks nothing about a. Fixed 4-bit windows: 255 squarings and 64 products.
  static Limbs Inv(const Limbs& a) {
    Limbs e = M.m;
    e.v[0] -= 2;  // m is odd and > 2: no borrow
    Limbs pow[16];
    pow[0] = One();
    for (int i = 1; i < 16; ++i) pow[i] = Mul(pow[i - 1], a);
    Limbs r = One();
    bool started = false;
    for (int w = 63; w >= 0; --w) {
      const unsigned digit = static_cast<unsigned>(e.v[w / 16] >> ((w % 16) * 4)) & 0xF;
      if (started) {
        for (int k = 0; k < 4; ++k) r = Sqr(r);
      }
      if (digit != 0) {
        r = started ? Mul(r, pow[digit]) : pow[digit];
        started = true;
      }
    }
    return r;
  }

  // All ones if a ≡ 0 (a fully reduced).
  static u64 IsZero(const Limbs& a) { return IsZeroMask(a.v[0] | a.v[1] | a.v[2] | a.v[3]); }
  static u64 Equal(const Limbs& a, const Limbs& b) {
    return IsZeroMask((a.v[0] ^ b.v[0]) | (a.v[1] ^ b.v[1]) | (a.v[2] ^ b.v[2]) |
                      (a.v[3] ^ b.v[3]));
  }
};

using Fp = Mod<kP>;
using Fn = Mod<kN>;

// ---- Bytes ------------------------------------------------------------------------------

// 32 big-endian bytes → limbs (no range check).
inline Limbs LimbsFromBytes(const uint8_t b[32]) {
  Limbs r;
  for (int i = 0; i < 4; ++i) {
    u64 w = 0;
    for (int j = 0; j < 8; ++j) w = (w << 8) | b[(3 - i) * 8 + j];
    r.v[i] = w;
  }
  return r;
}

inline void LimbsToBytes(const Limbs& a, uint8_t b[32]) {
  for (int i = 0; i < 4; ++i) {
    for (int j = 0; j < 8; ++j) b[(3 - i) * 8 + j] = static_cast<uint8_t>(a.v[i] >> (56 - 8 * j));
  }
}

// All ones if a < m, in constant time (for secret scalars).
inline u64 LessThanMask(const Limbs& a, const Limbs& m) {
  u64 borrow = 0;
  for (int i = 0; i < 4; ++i) {
    const u128 s = static_cast<u128>(a.v[i]) - m.v[i] - borrow;
    borrow = static_cast<u64>(s >> 64) & 1;
  }
  return ~u64{0} * borrow;
}

}  // namespace eseal::crypto::sm2
