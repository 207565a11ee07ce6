#include "eseal/crypto/sm3.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <iostream>
#include <random>
#include <vector>

#include "sm3_internal.h"
#include "test_util.h"

namespace eseal::crypto {
namespace {

using testing::Hex;
using testing::ReadVectors;

std::string DigestHex(const Sm3Digest& d) { return HexEncode(ByteView(d)); }

TEST(Sm3Test, KnownAnswersFromGmT0004) {
  auto vectors = ReadVectors("sm3_kat.txt");
  ASSERT_EQ(vectors.size(), 2u);
  for (const auto& v : vectors) {
    EXPECT_EQ(DigestHex(Sm3::Hash(AsBytes(v.at("message_ascii")))), v.at("digest"))
        << v.at("message_ascii");
  }
}

TEST(Sm3Test, IncrementalEqualsOneShotForEverySplit) {
  std::string msg(200, '\0');
  for (size_t i = 0; i < msg.size(); ++i) msg[i] = static_cast<char>(i * 7 + 3);
  Sm3Digest want = Sm3::Hash(AsBytes(msg));
  for (size_t split = 0; split <= msg.size(); split += 13) {
    Sm3 h;
    h.Update(AsBytes(std::string_view(msg).substr(0, split)));
    h.Update({});
    h.Update(AsBytes(std::string_view(msg).substr(split)));
    EXPECT_EQ(h.Final(), want) << "split at " << split;
  }
}

TEST(Sm3Test, FinalResetsForReuseAndMoveWorks) {
  Sm3 h;
  h.Update(AsBytes("abc"));
  Sm3Digest first = h.Final();
  h.Update(AsBytes("abc"));
  EXPECT_EQ(h.Final(), first);
  Sm3 moved = std::move(h);
  moved.Update(AsBytes("abc"));
  EXPECT_EQ(moved.Final(), first);
  EXPECT_EQ(Sm3Bytes(AsBytes("abc")), Bytes(first.begin(), first.end()));
}

TEST(Sm3Test, EmptyInputHasTheStandardDigest) {
  // SM3("") as computed by every implementation (e.g. `openssl dgst -sm3 /dev/null`).
  EXPECT_EQ(DigestHex(Sm3::Hash({})),
            "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b");
  EXPECT_EQ(Sm3().Final(), Sm3::Hash({}));
}

// ---- Our SM3 against OpenSSL's EVP_sm3 (the oracle) ------------------------------------

// The generator is seeded with a fixed value so a failure is reproducible; the case index
// is printed with every failure.
constexpr uint64_t kSeed = 0x5EA1'0003'2905'2016;

Bytes RandomBytes(std::mt19937_64& rng, size_t n) {
  Bytes b(n);
  for (auto& x : b) x = static_cast<uint8_t>(rng());
  return b;
}

Sm3Digest OpenSslSm3(ByteView data) {
  Sm3Digest d{};
  unsigned int len = 0;
  static const uint8_t kEmpty = 0;
  if (EVP_Digest(data.empty() ? &kEmpty : data.data(), data.size(), d.data(), &len, EVP_sm3(),
                 nullptr) != 1 ||
      len != d.size()) {
    ADD_FAILURE() << "EVP_Digest(SM3) failed";
  }
  return d;
}

TEST(Sm3Test, PaddingBoundariesMatchOpenSsl) {
  // Every length around the one- and two-block padding cases (55/56 bytes: the length field
  // still fits or no longer fits; 64: an extra block of padding only) and a few blocks on.
  std::mt19937_64 rng(kSeed);
  Bytes msg = RandomBytes(rng, 64 * 5 + 1);
  for (size_t n = 0; n <= msg.size(); ++n) {
    ByteView v(msg.data(), n);
    EXPECT_EQ(Sm3::Hash(v), OpenSslSm3(v)) << "length " << n;
  }
}

TEST(Sm3Test, RandomLengthsAndSplitsMatchOpenSsl) {
  // 3,000 messages of 0..10,000 bytes, each hashed one-shot and through Update in 1..6
  // pieces cut at random points (empty pieces included), against EVP_sm3.
  std::mt19937_64 rng(kSeed + 1);
  Sm3 reused;  // one object for all cases: Final must reset it exactly
  for (int i = 0; i < 3000; ++i) {
    const size_t n = rng() % 10001;
    Bytes msg = RandomBytes(rng, n);
    const Sm3Digest want = OpenSslSm3(msg);
    ASSERT_EQ(Sm3::Hash(msg), want) << "case " << i << ", length " << n;
    const int pieces = 1 + static_cast<int>(rng() % 6);
    std::vector<size_t> cuts{0, n};
    for (int k = 1; k < pieces; ++k) cuts.push_back(rng() % (n + 1));
    std::sort(cuts.begin(), cuts.end());
    for (size_t k = 0; k + 1 < cuts.size(); ++k) {
      reused.Update(ByteView(msg.data() + cuts[k], cuts[k + 1] - cuts[k]));
    }
    ASSERT_EQ(reused.Final(), want) << "case " << i << ", length " << n << ", " << pieces
                                    << " pieces";
  }
}

TEST(Sm3Test, CompressMatchesThePortableCode) {
  // On x86 Sm3Compress runs the SSE2 message schedule; Sm3CompressPortable is the plain C++
  // used elsewhere. Both must agree on every block, from random chaining values, so the
  // portable code stays tested on this machine too.
  std::mt19937_64 rng(kSeed + 7);
  for (int i = 0; i < 2000; ++i) {
    uint32_t v1[8], v2[8];
    for (int k = 0; k < 8; ++k) v1[k] = v2[k] = static_cast<uint32_t>(rng());
    const size_t nblocks = 1 + rng() % 4;
    Bytes blocks = RandomBytes(rng, nblocks * 64 + 1);
    const uint8_t* at = blocks.data() + (rng() % 2);  // unaligned too
    internal::Sm3Compress(v1, at, nblocks);
    internal::Sm3CompressPortable(v2, at, nblocks);
    ASSERT_TRUE(std::equal(v1, v1 + 8, v2)) << "case " << i;
  }
}

TEST(Sm3Test, ByteAtATimeAndBlockAlignedUpdates) {
  std::mt19937_64 rng(kSeed + 2);
  Bytes msg = RandomBytes(rng, 1000);
  Sm3 one;
  for (uint8_t b : msg) one.Update(ByteView(&b, 1));
  EXPECT_EQ(one.Final(), OpenSslSm3(msg));
  Sm3 blocks;
  for (size_t at = 0; at < 960; at += 64) blocks.Update(ByteView(msg.data() + at, 64));
  blocks.Update(ByteView(msg.data() + 960, 40));
  EXPECT_EQ(blocks.Final(), OpenSslSm3(msg));
}

TEST(Sm3Test, CopyForksTheStream) {
  Sm3 a;
  a.Update(AsBytes("abc"));
  Sm3 b = a;
  a.Update(AsBytes("def"));
  b.Update(AsBytes("xyz"));
  EXPECT_EQ(a.Final(), Sm3::Hash(AsBytes("abcdef")));
  EXPECT_EQ(b.Final(), Sm3::Hash(AsBytes("abcxyz")));
}

TEST(Sm3Test, ByteCountCountsWhatIsHashed) {
  const uint64_t before = Sm3ByteCount();
  Sm3 h;
  h.Update(AsBytes("12345"));
  (void)Sm3::Hash(AsBytes("123"));
  Bytes a(100), b(7);
  std::vector<ByteView> many{a, b};
  std::vector<Sm3Digest> out(2);
  Sm3HashMany(many, out);
  EXPECT_EQ(Sm3ByteCount() - before, 5u + 3u + 107u);
}

// ---- Multi-buffer ---------------------------------------------------------------------

// Sm3HashMany against Sm3::Hash for batches of 0..40 messages whose lengths differ per lane:
// empty, around the padding boundaries, and up to a few hundred blocks, so lanes finish at
// different times, take the next message, sit idle, and hand over to the scalar finish.
TEST(Sm3HashManyTest, MatchesOneByOneWithDifferentLengthsPerLane) {
  std::cout << "[ INFO     ] Sm3HashMany uses " << internal::Sm3HashManyCode()
            << " on this CPU; the lesser codes are forced below\n";
  std::mt19937_64 rng(kSeed + 3);
  const size_t kEdges[] = {0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 129};
  for (int batch = 0; batch < 300; ++batch) {
    const size_t n = rng() % 41;
    std::vector<Bytes> msgs(n);
    for (auto& m : msgs) {
      switch (rng() % 4) {
        case 0: m = RandomBytes(rng, kEdges[rng() % std::size(kEdges)]); break;
        case 1: m = RandomBytes(rng, rng() % 200); break;
        case 2: m = RandomBytes(rng, rng() % 5000); break;
        default: m = RandomBytes(rng, rng() % 40000); break;
      }
    }
    std::vector<ByteView> views(msgs.begin(), msgs.end());
    std::vector<Sm3Digest> out(n);
    Sm3HashMany(views, out);
    for (size_t i = 0; i < n; ++i) {
      ASSERT_EQ(out[i], Sm3::Hash(msgs[i]))
          << "batch " << batch << ", message " << i << " of " << n << ", length "
          << msgs[i].size();
    }
    // The lesser codes Sm3HashMany does not pick on a CPU that has better (eight AVX-512VL
    // lanes, eight AVX2 lanes; each falls back to what the CPU has) and the scalar
    // fallback, each against the same one-by-one digests.
    std::vector<const uint8_t*> data(n);
    std::vector<size_t> len(n);
    for (size_t i = 0; i < n; ++i) data[i] = msgs[i].data(), len[i] = msgs[i].size();
    for (auto pref : {internal::LanePreference::kAvx512Vl, internal::LanePreference::kAvx2,
                      internal::LanePreference::kScalar}) {
      std::vector<Sm3Digest> forced(n);
      internal::Sm3HashManyImpl(data.data(), len.data(), n,
                                reinterpret_cast<uint8_t(*)[32]>(forced.data()), pref);
      ASSERT_EQ(forced, out) << "batch " << batch << ", forced "
                             << internal::Sm3HashManyCode(pref, n);
    }
  }
}

TEST(Sm3HashManyTest, OneLongMessageAmongShortOnes) {
  // The long message outlives every other lane: the idle lanes must not disturb it and the
  // scalar finish must pick it up mid-message.
  std::mt19937_64 rng(kSeed + 4);
  std::vector<Bytes> msgs;
  msgs.push_back(RandomBytes(rng, 300000 + 17));
  for (int i = 0; i < 20; ++i) msgs.push_back(RandomBytes(rng, 64 * (i + 1) + i));
  std::vector<ByteView> views(msgs.begin(), msgs.end());
  std::vector<Sm3Digest> out(msgs.size());
  Sm3HashMany(views, out);
  for (size_t i = 0; i < msgs.size(); ++i) {
    EXPECT_EQ(out[i], OpenSslSm3(msgs[i])) << "message " << i;
  }
}

TEST(Sm3HashManyTest, EqualLengthsAndTheKnownAnswers) {
  std::vector<ByteView> views(19, AsBytes("abc"));
  views[7] = AsBytes("abcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcd");
  std::vector<Sm3Digest> out(views.size());
  Sm3HashMany(views, out);
  for (size_t i = 0; i < out.size(); ++i) {
    EXPECT_EQ(DigestHex(out[i]),
              i == 7 ? "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
                     : "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")
        << i;
  }
}

TEST(HmacSm3Test, MatchesOpenSslOnRandomKeysAndMessages) {
  // Key lengths across the block size (a key over 64 bytes is hashed first).
  std::mt19937_64 rng(kSeed + 5);
  for (int i = 0; i < 1000; ++i) {
    Bytes key = RandomBytes(rng, rng() % 200);
    Bytes msg = RandomBytes(rng, rng() % 3000);
    Sm3Digest want{};
    unsigned int len = 0;
    static const uint8_t kEmpty = 0;
    ASSERT_NE(HMAC(EVP_sm3(), key.empty() ? &kEmpty : key.data(), static_cast<int>(key.size()),
                   msg.empty() ? &kEmpty : msg.data(), msg.size(), want.data(), &len),
              nullptr);
    ASSERT_EQ(HmacSm3(key, msg), want) << "case " << i << ", key " << key.size()
                                       << " bytes, message " << msg.size() << " bytes";
  }
}

TEST(Pbkdf2HmacSm3Test, MatchesOpenSslOnRandomInputs) {
  // Passwords and salts of 0..150 bytes (so the salt's block count and INT(i) placement
  // vary), 1..40 iterations, outputs of 1..100 bytes (several blocks T_i, a partial last).
  std::mt19937_64 rng(kSeed + 6);
  for (int i = 0; i < 300; ++i) {
    Bytes pw = RandomBytes(rng, rng() % 150);
    Bytes salt = RandomBytes(rng, rng() % 150);
    const uint32_t iter = 1 + static_cast<uint32_t>(rng() % 40);
    const size_t length = 1 + rng() % 100;
    Bytes want(length);
    static const uint8_t kEmpty = 0;
    ASSERT_EQ(PKCS5_PBKDF2_HMAC(reinterpret_cast<const char*>(pw.empty() ? &kEmpty : pw.data()),
                                static_cast<int>(pw.size()), salt.empty() ? &kEmpty : salt.data(),
                                static_cast<int>(salt.size()), static_cast<int>(iter), EVP_sm3(),
                                static_cast<int>(length), want.data()),
              1);
    auto got = Pbkdf2HmacSm3(pw, salt, iter, length);
    ASSERT_TRUE(got.ok());
    ASSERT_EQ(Bytes(got->view().begin(), got->view().end()), want)
        << "case " << i << ": password " << pw.size() << " bytes, salt " << salt.size()
        << " bytes, " << iter << " iterations, " << length << " bytes";
  }
}

TEST(Pbkdf2HmacSm3Test, PlatformIterationCountMatchesOpenSsl) {
  // The platform's real setting (200,000 iterations, 32 bytes), once.
  const std::string pw = "correct horse battery staple";
  Bytes salt(16, 7);
  Bytes want(32);
  ASSERT_EQ(PKCS5_PBKDF2_HMAC(pw.data(), static_cast<int>(pw.size()), salt.data(),
                              static_cast<int>(salt.size()), 200000, EVP_sm3(), 32, want.data()),
            1);
  auto got = Pbkdf2HmacSm3(AsBytes(pw), salt, 200000, 32);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(Bytes(got->view().begin(), got->view().end()), want);
}

TEST(HmacSm3Test, DependsOnKeyAndData) {
  Sm3Digest a = HmacSm3(AsBytes("key"), AsBytes("data"));
  EXPECT_NE(a, HmacSm3(AsBytes("kez"), AsBytes("data")));
  EXPECT_NE(a, HmacSm3(AsBytes("key"), AsBytes("dat4")));
  EXPECT_NE(a, Sm3::Hash(AsBytes("data")));
}

TEST(HmacSm3Test, KeyPaddingRulesOfRfc2104) {
  // An empty key and a block-sized (64-byte) key of zeros pad to the same K0.
  Bytes zeros(64, 0);
  EXPECT_EQ(HmacSm3({}, AsBytes("msg")), HmacSm3(zeros, AsBytes("msg")));
  // A key longer than the block is replaced by its hash.
  Bytes long_key(100, 0x5A);
  Sm3Digest hashed = Sm3::Hash(long_key);
  EXPECT_EQ(HmacSm3(long_key, AsBytes("msg")), HmacSm3(ByteView(hashed), AsBytes("msg")));
}

TEST(HmacSm3Test, MatchesTheDefinition) {
  // HMAC(K, m) = H((K0 ^ opad) || H((K0 ^ ipad) || m)), computed with our SM3.
  Bytes key = Hex("0102030405060708090a0b0c0d0e0f10");
  std::string msg = "The quick brown fox jumps over the lazy dog";
  Bytes k0(64, 0);
  std::copy(key.begin(), key.end(), k0.begin());
  Bytes ipad(64), opad(64);
  for (int i = 0; i < 64; ++i) {
    ipad[i] = k0[i] ^ 0x36;
    opad[i] = k0[i] ^ 0x5c;
  }
  Sm3 inner;
  inner.Update(ipad);
  inner.Update(AsBytes(msg));
  Sm3Digest ih = inner.Final();
  Sm3 outer;
  outer.Update(opad);
  outer.Update(ByteView(ih));
  EXPECT_EQ(HmacSm3(key, AsBytes(msg)), outer.Final());
}

TEST(Pbkdf2HmacSm3Test, FirstBlockWithOneIterationIsHmacOfSaltAndIndex) {
  // RFC 8018: T_1 = U_1 = PRF(P, S || INT(1)) when c = 1.
  Bytes salt = ToBytes("salt");
  auto dk = Pbkdf2HmacSm3(AsBytes("password"), salt, 1, 32);
  ASSERT_TRUE(dk.ok());
  Bytes s1 = salt;
  s1.insert(s1.end(), {0, 0, 0, 1});
  Sm3Digest u1 = HmacSm3(AsBytes("password"), s1);
  EXPECT_EQ(Bytes(dk->view().begin(), dk->view().end()), Bytes(u1.begin(), u1.end()));
}

TEST(Pbkdf2HmacSm3Test, SecondIterationXorsTheChain) {
  Bytes salt = ToBytes("NaCl");
  auto dk = Pbkdf2HmacSm3(AsBytes("pw"), salt, 2, 32);
  ASSERT_TRUE(dk.ok());
  Bytes s1 = salt;
  s1.insert(s1.end(), {0, 0, 0, 1});
  Sm3Digest u1 = HmacSm3(AsBytes("pw"), s1);
  Sm3Digest u2 = HmacSm3(AsBytes("pw"), ByteView(u1));
  Bytes want(32);
  for (int i = 0; i < 32; ++i) want[i] = u1[i] ^ u2[i];
  EXPECT_EQ(Bytes(dk->view().begin(), dk->view().end()), want);
}

TEST(Pbkdf2HmacSm3Test, LongerOutputsExtendShorterOnes) {
  auto a = Pbkdf2HmacSm3(AsBytes("pw"), AsBytes("salt"), 10, 20);
  auto b = Pbkdf2HmacSm3(AsBytes("pw"), AsBytes("salt"), 10, 70);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(b->size(), 70u);
  EXPECT_TRUE(std::equal(a->view().begin(), a->view().end(), b->view().begin()));
}

TEST(Pbkdf2HmacSm3Test, RejectsBadArguments) {
  EXPECT_EQ(Pbkdf2HmacSm3(AsBytes("pw"), AsBytes("salt"), 0, 32).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(Pbkdf2HmacSm3(AsBytes("pw"), AsBytes("salt"), 1, 0).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(Pbkdf2HmacSm3(AsBytes("pw"), AsBytes("salt"), 0x80000000u, 32).status().code(),
            StatusCode::kInvalidArgument);
  // An empty password and an empty salt are legal in RFC 8018.
  EXPECT_TRUE(Pbkdf2HmacSm3({}, {}, 1, 32).ok());
}

}  // namespace
}  // namespace eseal::crypto
