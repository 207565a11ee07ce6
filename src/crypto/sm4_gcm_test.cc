#include <gtest/gtest.h>

#include "eseal/crypto/sm4.h"
#include "test_util.h"

namespace eseal::crypto {
namespace {

using testing::Hex;
using testing::ReadVectors;

struct GcmCase {
  Bytes key, nonce, aad, plaintext, sealed;
};

GcmCase Rfc8998() {
  auto v = ReadVectors("sm4_gcm_rfc8998.txt");
  if (v.size() != 1) {
    ADD_FAILURE() << "expected one RFC 8998 record";
    return {};
  }
  const auto& r = v[0];
  return GcmCase{Hex(r.at("key")), Hex(r.at("nonce")), Hex(r.at("aad")), Hex(r.at("plaintext")),
                 Concat(Hex(r.at("ciphertext")), Hex(r.at("tag")))};
}

TEST(Sm4GcmTest, Rfc8998AppendixA1Seal) {
  GcmCase c = Rfc8998();
  auto sealed = Sm4GcmSeal(c.key, c.nonce, c.aad, c.plaintext);
  ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
  EXPECT_EQ(HexEncode(*sealed), HexEncode(c.sealed));
}

TEST(Sm4GcmTest, Rfc8998AppendixA1Open) {
  GcmCase c = Rfc8998();
  auto opened = Sm4GcmOpen(c.key, c.nonce, c.aad, c.sealed);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(*opened, c.plaintext);
}

TEST(Sm4GcmTest, PartialBlockVectors) {
  auto vectors = ReadVectors("sm4_gcm_bc.txt");
  ASSERT_EQ(vectors.size(), 6u);
  for (const auto& v : vectors) {
    Bytes key = Hex(v.at("key")), nonce = Hex(v.at("nonce")), aad = Hex(v.at("aad"));
    Bytes pt = Hex(v.at("plaintext"));
    auto sealed = Sm4GcmSeal(key, nonce, aad, pt);
    ASSERT_TRUE(sealed.ok());
    EXPECT_EQ(HexEncode(*sealed), v.at("sealed")) << v.at("plaintext");
    auto opened = Sm4GcmOpen(key, nonce, aad, Hex(v.at("sealed")));
    ASSERT_TRUE(opened.ok());
    EXPECT_EQ(*opened, pt);
  }
}

TEST(Sm4GcmTest, EveryFlippedBitOfCiphertextOrTagIsRejected) {
  GcmCase c = Rfc8998();
  for (size_t i = 0; i < c.sealed.size(); ++i) {
    for (int bit = 0; bit < 8; bit += 7) {
      Bytes bad = c.sealed;
      bad[i] ^= static_cast<uint8_t>(1 << bit);
      auto r = Sm4GcmOpen(c.key, c.nonce, c.aad, bad);
      ASSERT_FALSE(r.ok()) << "byte " << i;
      EXPECT_EQ(r.status().code(), StatusCode::kUnauthenticated);
    }
  }
}

TEST(Sm4GcmTest, AlteredAadNonceOrKeyIsRejected) {
  GcmCase c = Rfc8998();
  for (size_t i = 0; i < c.aad.size(); ++i) {
    Bytes aad = c.aad;
    aad[i] ^= 0x80;
    EXPECT_EQ(Sm4GcmOpen(c.key, c.nonce, aad, c.sealed).status().code(),
              StatusCode::kUnauthenticated);
  }
  Bytes shorter_aad(c.aad.begin(), c.aad.end() - 1);
  EXPECT_EQ(Sm4GcmOpen(c.key, c.nonce, shorter_aad, c.sealed).status().code(),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(Sm4GcmOpen(c.key, c.nonce, {}, c.sealed).status().code(), StatusCode::kUnauthenticated);
  Bytes nonce = c.nonce;
  nonce[11] ^= 1;
  EXPECT_EQ(Sm4GcmOpen(c.key, nonce, c.aad, c.sealed).status().code(),
            StatusCode::kUnauthenticated);
  Bytes key = c.key;
  key[0] ^= 1;
  EXPECT_EQ(Sm4GcmOpen(key, c.nonce, c.aad, c.sealed).status().code(),
            StatusCode::kUnauthenticated);
}

TEST(Sm4GcmTest, TruncationAndExtensionAreRejected) {
  GcmCase c = Rfc8998();
  Bytes cut(c.sealed.begin(), c.sealed.end() - 1);
  EXPECT_EQ(Sm4GcmOpen(c.key, c.nonce, c.aad, cut).status().code(), StatusCode::kUnauthenticated);
  Bytes longer = c.sealed;
  longer.push_back(0);
  EXPECT_EQ(Sm4GcmOpen(c.key, c.nonce, c.aad, longer).status().code(),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(Sm4GcmOpen(c.key, c.nonce, c.aad, Bytes(15)).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(Sm4GcmTest, EmptyPlaintextStillAuthenticatesTheAad) {
  Bytes key(16, 7), nonce(12, 9);
  auto tag = Sm4GcmSeal(key, nonce, AsBytes("header"), {});
  ASSERT_TRUE(tag.ok());
  EXPECT_EQ(tag->size(), 16u);
  auto ok = Sm4GcmOpen(key, nonce, AsBytes("header"), *tag);
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(ok->empty());
  EXPECT_FALSE(Sm4GcmOpen(key, nonce, AsBytes("heade!"), *tag).ok());
}

TEST(Sm4GcmTest, RoundTripsManyLengths) {
  Bytes key(16, 1), nonce(12, 2);
  for (size_t n = 0; n < 70; ++n) {
    Bytes pt(n, static_cast<uint8_t>(n));
    Bytes aad(n % 19, 0xA5);
    auto sealed = Sm4GcmSeal(key, nonce, aad, pt);
    ASSERT_TRUE(sealed.ok());
    ASSERT_EQ(sealed->size(), n + 16);
    auto opened = Sm4GcmOpen(key, nonce, aad, *sealed);
    ASSERT_TRUE(opened.ok()) << n;
    EXPECT_EQ(*opened, pt);
  }
}

TEST(Sm4GcmTest, RejectsBadKeyAndNonceSizes) {
  EXPECT_EQ(Sm4GcmSeal(Bytes(15), Bytes(12), {}, {}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Sm4GcmSeal(Bytes(16), Bytes(16), {}, {}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Sm4GcmOpen(Bytes(16), Bytes(8), {}, Bytes(16)).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace eseal::crypto
