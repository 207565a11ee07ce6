#include "eseal/crypto/sm3.h"

#include <gtest/gtest.h>

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
