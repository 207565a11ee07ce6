// Our own SM2 against OpenSSL 3, which shares no code with it: the field and scalar
// arithmetic against BIGNUM, k·G against EC_POINT_mul, signatures each way, and the edge
// cases the equations single out. ESEAL_SM2_DIFF_COUNT raises the number of random cases
// (the long run in docs/benchmarks.md uses 1,000,000); the default keeps ./test.sh quick.
#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/rand.h>

#include <cstdlib>
#include <cstring>

#include "eseal/crypto/sm2.h"
#include "internal.h"
#include "sm2_native.h"

namespace eseal::crypto {
namespace {

using sm2::Fn;
using sm2::Fp;
using sm2::Limbs;

int Count(int fallback) {
  const char* env = std::getenv("ESEAL_SM2_DIFF_COUNT");
  return env != nullptr ? std::max(1, std::atoi(env)) : fallback;
}

struct BnDeleter {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
using Bn = std::unique_ptr<BIGNUM, BnDeleter>;

Bn ToBn(const Limbs& a) {
  uint8_t be[32];
  sm2::LimbsToBytes(a, be);
  return Bn(BN_bin2bn(be, 32, nullptr));
}

Limbs FromBn(const BIGNUM* b) {
  uint8_t be[32];
  EXPECT_EQ(BN_bn2binpad(b, be, 32), 32);
  return sm2::LimbsFromBytes(be);
}

Limbs RandomBelow(const Limbs& m) {
  Bn bm = ToBn(m), r(BN_new());
  EXPECT_EQ(BN_rand_range(r.get(), bm.get()), 1);
  return FromBn(r.get());
}

// Tests that switch backends put the process's choice back (the whole binary also runs under
// ESEAL_CRYPTO=openssl).
class Sm2DifferentialTest : public ::testing::Test {
 protected:
  void TearDown() override { SetSm2Backend(saved_); }
  Sm2Backend saved_ = CurrentSm2Backend();
};

bool Same(const Limbs& a, const Limbs& b) { return std::memcmp(a.v, b.v, sizeof a.v) == 0; }

// Values next to the edges of [0, m): 0, 1, 2, m-1, m-2, 2^255, 2^64-1, ...
std::vector<Limbs> EdgeValues(const Limbs& m) {
  std::vector<Limbs> out = {Limbs{{0, 0, 0, 0}}, Limbs{{1, 0, 0, 0}}, Limbs{{2, 0, 0, 0}},
                            Limbs{{~0ull, 0, 0, 0}}, Limbs{{0, 0, 0, 1ull << 63}}};
  for (uint64_t d = 1; d <= 3; ++d) {
    Limbs x = m;
    x.v[0] -= d;  // no borrow: both moduli end in a limb above 3
    out.push_back(x);
  }
  return out;
}

template <class F>
void CheckModulus(const Limbs& m, int count) {
  Bn bm = ToBn(m);
  BN_CTX* ctx = BN_CTX_new();
  std::vector<Limbs> values = EdgeValues(m);
  for (int i = 0; i < count; ++i) values.push_back(RandomBelow(m));
  for (size_t i = 0; i < values.size(); ++i) {
    const Limbs& a = values[i];
    const Limbs& b = values[(i * 7 + 3) % values.size()];
    Bn ba = ToBn(a), bb = ToBn(b), want(BN_new());
    // add, sub, mul through the Montgomery form
    ASSERT_EQ(BN_mod_add(want.get(), ba.get(), bb.get(), bm.get(), ctx), 1);
    ASSERT_TRUE(Same(F::Add(a, b), FromBn(want.get()))) << "add, case " << i;
    ASSERT_EQ(BN_mod_sub(want.get(), ba.get(), bb.get(), bm.get(), ctx), 1);
    ASSERT_TRUE(Same(F::Sub(a, b), FromBn(want.get()))) << "sub, case " << i;
    ASSERT_EQ(BN_mod_mul(want.get(), ba.get(), bb.get(), bm.get(), ctx), 1);
    const Limbs prod = F::FromMont(F::Mul(F::ToMont(a), F::ToMont(b)));
    ASSERT_TRUE(Same(prod, FromBn(want.get()))) << "mul, case " << i;
    if (!BN_is_zero(ba.get())) {
      ASSERT_NE(BN_mod_inverse(want.get(), ba.get(), bm.get(), ctx), nullptr);
      ASSERT_TRUE(Same(F::FromMont(F::Inv(F::ToMont(a))), FromBn(want.get()))) << "inv " << i;
    }
  }
  BN_CTX_free(ctx);
}

TEST(Sm2FieldTest, ArithmeticModPMatchesBignum) { CheckModulus<Fp>(sm2::kP.m, Count(2000)); }
TEST(Sm2FieldTest, ArithmeticModNMatchesBignum) { CheckModulus<Fn>(sm2::kN.m, Count(2000)); }

// On a CPU with BMI2/ADX the product mod p above ran in mulx/adx assembly; the portable code
// must agree too (it is what other CPUs, and valgrind's, run).
TEST(Sm2FieldTest, PortableProductModPMatchesBignum) {
  const bool saved = sm2::kHaveMulxAdx;
  sm2::kHaveMulxAdx = false;
  CheckModulus<Fp>(sm2::kP.m, Count(2000));
  sm2::kHaveMulxAdx = saved;
  if (saved) {  // and both paths give the same bytes on random inputs
    for (int i = 0; i < 1000; ++i) {
      const Limbs a = RandomBelow(sm2::kP.m), b = RandomBelow(sm2::kP.m);
      sm2::kHaveMulxAdx = false;
      const Limbs portable = Fp::Mul(a, b);
      sm2::kHaveMulxAdx = true;
      ASSERT_TRUE(Same(portable, Fp::Mul(a, b))) << "case " << i;
    }
  }
}

Bytes OpenSslBaseMult(const Limbs& k) {
  Bn bk = ToBn(k);
  const EC_GROUP* g = internal::Sm2Group();
  EC_POINT* p = EC_POINT_new(g);
  Bytes out(65);
  EXPECT_EQ(EC_POINT_mul(g, p, bk.get(), nullptr, nullptr, nullptr), 1);
  EXPECT_EQ(EC_POINT_point2oct(g, p, POINT_CONVERSION_UNCOMPRESSED, out.data(), 65, nullptr), 65u);
  EC_POINT_free(p);
  return out;
}

Bytes Encode(const sm2::AffinePoint& p) {
  Bytes out(65, 0x04);
  sm2::EncodeAffine(p, out.data() + 1);
  return out;
}

TEST(Sm2PointTest, BaseMultMatchesOpenSsl) {
  std::vector<Limbs> ks = {Limbs{{1, 0, 0, 0}}, Limbs{{2, 0, 0, 0}}, Limbs{{63, 0, 0, 0}},
                           Limbs{{64, 0, 0, 0}}, Limbs{{0, 0, 0, 1ull << 63}}};
  Limbs n1 = sm2::kN.m, n2 = sm2::kN.m;
  n1.v[0] -= 1;
  n2.v[0] -= 2;
  ks.push_back(n1);
  ks.push_back(n2);
  // Every window at the recoding's turning points: all digits 32 (no carry), all 33
  // (carry everywhere), all 63 (negative digits with carry).
  for (uint64_t w : {32ull, 33ull, 63ull, 31ull}) {
    Limbs k{};
    for (int bit = 0; bit + 6 <= 252; bit += 6) k.v[bit / 64] |= w << (bit % 64);
    for (int bit = 0; bit < 256; bit += 6) {
      if (bit % 64 > 58) {  // windows across a limb boundary
        k.v[bit / 64] |= w << (bit % 64);
        if (bit / 64 + 1 < 4) k.v[bit / 64 + 1] |= w >> (64 - bit % 64);
      }
    }
    if (!sm2::LessThan(k, sm2::kN.m)) k.v[3] &= 0x7FFFFFFFFFFFFFFFull;
    ks.push_back(k);
  }
  for (int i = 0; i < Count(2000) / 4; ++i) ks.push_back(RandomBelow(sm2::kN.m));
  for (const Limbs& k : ks) {
    if (Fn::IsZero(k)) continue;
    ASSERT_EQ(Encode(sm2::ScalarBaseMult(k)), OpenSslBaseMult(k));
  }
}

TEST(Sm2PointTest, VartimeSumMatchesTheCompleteFormulas) {
  for (int i = 0; i < Count(2000) / 10; ++i) {
    const Limbs s = RandomBelow(sm2::kN.m), t = RandomBelow(sm2::kN.m);
    const sm2::AffinePoint p = sm2::ScalarBaseMult(RandomBelow(sm2::kN.m));
    sm2::AffinePoint sum;
    ASSERT_TRUE(sm2::DoubleScalarMultSlowForTest(s, t, p, &sum));
    const Limbs x = Fp::FromMont(sum.x);
    const Limbs x_mod_n = Fn::ReduceOnce(x, 0);
    EXPECT_TRUE(sm2::DoubleScalarCheckVartime(s, t, p, x_mod_n));
    Limbs wrong = x_mod_n;
    wrong.v[0] ^= 1;
    EXPECT_FALSE(sm2::DoubleScalarCheckVartime(s, t, p, wrong));
    if (i < 10) {  // P's own table (a hot key) gives the same answers
      const auto table = sm2::BuildFixedBaseTable(p);
      EXPECT_TRUE(sm2::DoubleScalarCheckVartime(s, t, p, x_mod_n, table.get()));
      EXPECT_FALSE(sm2::DoubleScalarCheckVartime(s, t, p, wrong, table.get()));
    }
  }
}

TEST(Sm2PointTest, VartimeSumHandlesInfinityAndDoubling) {
  const sm2::AffinePoint& g = sm2::Generator();
  const Limbs s = RandomBelow(sm2::kN.m);
  // s·G + (n - s)·G is infinity: never a valid x, whatever is asked.
  const Limbs minus_s = Fn::Neg(s);
  for (const Limbs& want : {Limbs{}, Limbs{{1, 0, 0, 0}}}) {
    EXPECT_FALSE(sm2::DoubleScalarCheckVartime(s, minus_s, g, want));
  }
  // s·G + s·G = 2s·G: the addition meets equal points.
  const Limbs x2s = Fn::ReduceOnce(Fp::FromMont(sm2::ScalarBaseMult(Fn::Add(s, s)).x), 0);
  EXPECT_TRUE(sm2::DoubleScalarCheckVartime(s, s, g, x2s));
}

// A point whose x lies in [n, p): the verifier must compare x mod n, not x.
TEST(Sm2PointTest, SumWithXAboveTheOrderIsComparedModN) {
  BN_CTX* ctx = BN_CTX_new();
  Bn p = ToBn(sm2::kP.m), x = ToBn(sm2::kN.m), rhs(BN_new()), y(BN_new()), t(BN_new());
  Bn b(BN_new()), three(BN_new());
  BIGNUM* bp = b.get();
  ASSERT_NE(BN_hex2bn(&bp, "28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93"), 0);
  BN_set_word(three.get(), 3);
  bool found = false;
  for (int i = 0; i < 200 && !found; ++i) {
    BN_add_word(x.get(), 1);
    // rhs = x^3 - 3x + b
    BN_mod_sqr(t.get(), x.get(), p.get(), ctx);
    BN_mod_mul(rhs.get(), t.get(), x.get(), p.get(), ctx);
    BN_mod_mul(t.get(), three.get(), x.get(), p.get(), ctx);
    BN_mod_sub(rhs.get(), rhs.get(), t.get(), p.get(), ctx);
    BN_mod_add(rhs.get(), rhs.get(), b.get(), p.get(), ctx);
    if (BN_mod_sqrt(y.get(), rhs.get(), p.get(), ctx) != nullptr) found = true;
  }
  ASSERT_TRUE(found);
  uint8_t xy[64];
  BN_bn2binpad(x.get(), xy, 32);
  BN_bn2binpad(y.get(), xy + 32, 32);
  sm2::AffinePoint pt;
  ASSERT_TRUE(sm2::DecodeAffine(xy, &pt));
  // 0·G + 1·P = P
  Bn x_minus_n(BN_new());
  Bn n = ToBn(sm2::kN.m);
  BN_sub(x_minus_n.get(), x.get(), n.get());
  EXPECT_TRUE(sm2::DoubleScalarCheckVartime(Limbs{}, Limbs{{1, 0, 0, 0}}, pt, FromBn(x_minus_n.get())));
  BN_CTX_free(ctx);
}

TEST(Sm2PointTest, DecodeRefusesWhatIsNotACurvePoint) {
  uint8_t xy[64];
  const Bytes g = Encode(sm2::Generator());
  std::memcpy(xy, g.data() + 1, 64);
  sm2::AffinePoint p;
  EXPECT_TRUE(sm2::DecodeAffine(xy, &p));
  xy[63] ^= 1;  // off the curve
  EXPECT_FALSE(sm2::DecodeAffine(xy, &p));
  std::memset(xy, 0, 64);  // (0, 0) is not on the curve (b != 0)
  EXPECT_FALSE(sm2::DecodeAffine(xy, &p));
  // x = p: not a field element, even though x ≡ 0.
  sm2::LimbsToBytes(sm2::kP.m, xy);
  EXPECT_FALSE(sm2::DecodeAffine(xy, &p));
  // y + p for the generator's x: the same residue, not canonical.
  std::memcpy(xy, g.data() + 1, 64);
  Limbs y = sm2::LimbsFromBytes(xy + 32);
  unsigned char c = 0;
  for (int i = 0; i < 4; ++i) c = _addcarry_u64(c, y.v[i], sm2::kP.m.v[i], reinterpret_cast<unsigned long long*>(&y.v[i]));
  if (c == 0) {
    sm2::LimbsToBytes(y, xy + 32);
    EXPECT_FALSE(sm2::DecodeAffine(xy, &p));
  }
}

// Signatures each way between the backends, with the ID, message and key random.
TEST_F(Sm2DifferentialTest, OursAndOpenSslAcceptEachOthersSignatures) {
  const int count = Count(2000) / 4;
  for (int i = 0; i < count; ++i) {
    auto key = Sm2PrivateKey::Generate();
    ASSERT_TRUE(key.ok());
    Bytes msg(static_cast<size_t>(i % 300));
    RAND_bytes(msg.data(), static_cast<int>(msg.size()));
    const std::string id = i % 3 == 0 ? std::string(kDefaultSm2Id) : "ALICE123@YAHOO.COM";
    SetSm2Backend(Sm2Backend::kEseal);
    auto ours = key->Sign(msg, id);
    ASSERT_TRUE(ours.ok());
    SetSm2Backend(Sm2Backend::kOpenSsl);
    auto theirs = key->Sign(msg, id);
    ASSERT_TRUE(theirs.ok());
    ASSERT_TRUE(key->PublicKey().Verify(msg, *ours, id)) << "OpenSSL refused ours, case " << i;
    SetSm2Backend(Sm2Backend::kEseal);
    ASSERT_TRUE(key->PublicKey().Verify(msg, *theirs, id)) << "we refused OpenSSL's, case " << i;
    // One flipped bit of the message fails under both.
    if (!msg.empty()) {
      msg[i % msg.size()] ^= 0x10;
      EXPECT_FALSE(key->PublicKey().Verify(msg, *theirs, id));
      SetSm2Backend(Sm2Backend::kOpenSsl);
      EXPECT_FALSE(key->PublicKey().Verify(msg, *ours, id));
      SetSm2Backend(Sm2Backend::kEseal);
    }
  }
}

// With the same k both give the same bytes: the equations, not just a valid signature.
TEST_F(Sm2DifferentialTest, FixedKGivesOpenSslsBytes) {
  auto key = Sm2PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  for (int i = 0; i < Count(2000) / 10; ++i) {
    uint8_t kb[32];
    sm2::LimbsToBytes(RandomBelow(sm2::kN.m), kb);
    const Bytes msg = {static_cast<uint8_t>(i), 1, 2, 3};
    SetSm2Backend(Sm2Backend::kEseal);
    auto ours = Sm2SignWithFixedKForTest(*key, msg, kDefaultSm2Id, ByteView(kb, 32));
    SetSm2Backend(Sm2Backend::kOpenSsl);
    auto theirs = Sm2SignWithFixedKForTest(*key, msg, kDefaultSm2Id, ByteView(kb, 32));
    SetSm2Backend(Sm2Backend::kEseal);
    ASSERT_EQ(ours.ok(), theirs.ok());
    if (ours.ok()) {
      ASSERT_EQ(*ours, *theirs) << "case " << i;
    }
  }
}

// k = n - 1, k = 1, and a k with r + k = n (made by choosing e): refused or equal to OpenSSL.
TEST_F(Sm2DifferentialTest, EdgeNoncesAgreeWithOpenSsl) {
  auto key = Sm2PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  sm2::SigningScalars scalars;
  SecretBytes d = key->Scalar();
  sm2::MakeSigningScalars(d.data(), &scalars);
  // r + k = n: with k = 1, x1 = xG, pick e = n - 1 - xG mod n so that r = n - 1.
  const Limbs k1{{1, 0, 0, 0}};
  const Limbs xg = Fn::ReduceOnce(Fp::FromMont(sm2::Generator().x), 0);
  Limbs n_minus_1 = sm2::kN.m;
  n_minus_1.v[0] -= 1;
  const Limbs e = Fn::Sub(n_minus_1, xg);
  uint8_t eb[32], rs[64], kb[32];
  sm2::LimbsToBytes(e, eb);
  EXPECT_FALSE(sm2::SignDigest(scalars, eb, k1, rs)) << "r + k = n must be refused";
  sm2::LimbsToBytes(k1, kb);
  EXPECT_FALSE(internal::OpenSslSm2SignWithFixedK(d.view(), ByteView(eb, 32), ByteView(kb, 32)).ok());
  // r = 0: e = n - xG with k = 1.
  const Limbs e0 = Fn::Neg(xg);
  sm2::LimbsToBytes(e0, eb);
  EXPECT_FALSE(sm2::SignDigest(scalars, eb, k1, rs)) << "r = 0 must be refused";
  // k = n - 1 and k = 1 with an ordinary e: the same bytes as OpenSSL.
  for (const Limbs& k : {n_minus_1, k1}) {
    sm2::LimbsToBytes(RandomBelow(sm2::kN.m), eb);
    sm2::LimbsToBytes(k, kb);
    ASSERT_TRUE(sm2::SignDigest(scalars, eb, k, rs));
    auto theirs = internal::OpenSslSm2SignWithFixedK(d.view(), ByteView(eb, 32), ByteView(kb, 32));
    ASSERT_TRUE(theirs.ok());
    EXPECT_EQ(sm2::EncodeSignatureDer(rs), *theirs);
  }
}

// r and s outside [1, n-1], r + s = n, and DER that is not strict: both backends refuse.
TEST_F(Sm2DifferentialTest, OutOfRangeAndNonCanonicalSignaturesAreRefusedByBoth) {
  auto key = Sm2PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  const Bytes msg = {1, 2, 3};
  auto good = key->Sign(msg);
  ASSERT_TRUE(good.ok());
  auto raw = Sm2DerToRaw(*good);
  ASSERT_TRUE(raw.ok());
  const Limbs r = sm2::LimbsFromBytes(raw->data()), s = sm2::LimbsFromBytes(raw->data() + 32);
  std::vector<Bytes> bad;
  auto with = [&](const Limbs& rr, const Limbs& ss) {
    uint8_t rs[64];
    sm2::LimbsToBytes(rr, rs);
    sm2::LimbsToBytes(ss, rs + 32);
    bad.push_back(sm2::EncodeSignatureDer(rs));
  };
  Limbs r_plus_n = r, s_plus_n = s;
  unsigned char c1 = 0, c2 = 0;
  for (int i = 0; i < 4; ++i) {
    c1 = _addcarry_u64(c1, r.v[i], sm2::kN.m.v[i], reinterpret_cast<unsigned long long*>(&r_plus_n.v[i]));
    c2 = _addcarry_u64(c2, s.v[i], sm2::kN.m.v[i], reinterpret_cast<unsigned long long*>(&s_plus_n.v[i]));
  }
  if (c1 == 0) with(r_plus_n, s);  // r + n: the same residue, out of range
  if (c2 == 0) with(r, s_plus_n);
  with(sm2::kN.m, s);
  with(r, sm2::kN.m);
  with(r, Fn::Neg(r));  // r + s = n
  with(Limbs{}, s);     // r = 0 (the encoder writes 02 01 00)
  Bytes padded = *good;  // a superfluous leading zero in r
  padded.insert(padded.begin() + 4, 0x00);
  padded[3] += 1;
  padded[1] += 1;
  bad.push_back(padded);
  Bytes long_form = *good;  // BER long-form length
  long_form.insert(long_form.begin() + 1, 0x81);
  bad.push_back(long_form);
  Bytes trailing = *good;
  trailing.push_back(0);
  bad.push_back(trailing);
  for (size_t i = 0; i < bad.size(); ++i) {
    SetSm2Backend(Sm2Backend::kEseal);
    EXPECT_FALSE(key->PublicKey().Verify(msg, bad[i])) << "ours accepted bad case " << i;
    SetSm2Backend(Sm2Backend::kOpenSsl);
    EXPECT_FALSE(key->PublicKey().Verify(msg, bad[i])) << "OpenSSL accepted bad case " << i;
  }
  SetSm2Backend(Sm2Backend::kEseal);
  EXPECT_TRUE(key->PublicKey().Verify(msg, *good));
}

// A key that verifies again and again switches to its own table after Impl::kHotAfter
// verifications; its verdicts before and after agree with OpenSSL's, good and bad alike.
TEST_F(Sm2DifferentialTest, AHotKeyGivesTheSameVerdicts) {
  auto key = Sm2PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  auto pub = Sm2PublicKey::FromPoint(key->PublicKey().Point());
  ASSERT_TRUE(pub.ok());
  for (int i = 0; i < 60; ++i) {
    Bytes msg = {static_cast<uint8_t>(i), 7};
    SetSm2Backend(Sm2Backend::kOpenSsl);
    auto sig = key->Sign(msg);
    ASSERT_TRUE(sig.ok());
    if (i % 3 == 1) msg[1] ^= 1;  // a third are for another message
    const bool theirs = pub->Verify(msg, *sig);
    SetSm2Backend(Sm2Backend::kEseal);
    EXPECT_EQ(pub->Verify(msg, *sig), theirs) << "verification " << i;
    EXPECT_EQ(theirs, i % 3 != 1);
  }
  EXPECT_NE(pub->impl().HotTable(), nullptr);
}

TEST_F(Sm2DifferentialTest, OurDerMatchesOpenSslsEncoder) {
  for (int i = 0; i < 200; ++i) {
    uint8_t rs[64];
    sm2::LimbsToBytes(RandomBelow(sm2::kN.m), rs);
    sm2::LimbsToBytes(RandomBelow(sm2::kN.m), rs + 32);
    if (i % 4 == 0) std::memset(rs, 0, 9);  // short r
    if (i % 4 == 1) rs[32] = 0x80;          // s needs a sign byte
    auto theirs = Sm2RawToDer(ByteView(rs, 64));
    ASSERT_TRUE(theirs.ok());
    ASSERT_EQ(sm2::EncodeSignatureDer(rs), *theirs);
    uint8_t back[64];
    ASSERT_TRUE(sm2::DecodeSignatureDer(*theirs, back));
    ASSERT_EQ(std::memcmp(back, rs, 64), 0);
  }
}

TEST(Sm2BackendTest, NamesParseAndTheChoiceHolds) {
  EXPECT_EQ(*ParseSm2Backend("openssl"), Sm2Backend::kOpenSsl);
  EXPECT_EQ(*ParseSm2Backend("eseal"), Sm2Backend::kEseal);
  EXPECT_FALSE(ParseSm2Backend("gmssl").ok());
  const Sm2Backend before = CurrentSm2Backend();
  SetSm2Backend(Sm2Backend::kOpenSsl);
  EXPECT_EQ(Sm2BackendName(CurrentSm2Backend()), "openssl");
  SetSm2Backend(before);
}

}  // namespace
}  // namespace eseal::crypto
