#include "eseal/crypto/sm4.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace eseal::crypto {
namespace {

using testing::Hex;
using testing::ReadVectors;

const Bytes kKey = Bytes{0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
                         0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10};

TEST(Sm4Test, KnownAnswersFromGmT0002) {
  auto vectors = ReadVectors("sm4_kat.txt");
  ASSERT_EQ(vectors.size(), 2u);
  for (const auto& v : vectors) {
    Bytes key = Hex(v.at("key"));
    Bytes block = Hex(v.at("plaintext"));
    int iterations = std::stoi(v.at("iterations"));
    for (int i = 0; i < iterations; ++i) {
      auto next = Sm4EncryptBlock(key, block);
      ASSERT_TRUE(next.ok()) << next.status().ToString();
      block = std::move(*next);
    }
    EXPECT_EQ(HexEncode(block), v.at("ciphertext")) << iterations << " iterations";
  }
}

TEST(Sm4Test, BlockRejectsWrongSizes) {
  EXPECT_EQ(Sm4EncryptBlock(Bytes(15), Bytes(16)).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Sm4EncryptBlock(Bytes(16), Bytes(17)).status().code(), StatusCode::kInvalidArgument);
}

TEST(Sm4CbcTest, RoundTripsEveryLengthWithPkcs7Padding) {
  Bytes iv(16, 0x42);
  for (size_t n = 0; n <= 48; ++n) {
    Bytes pt(n);
    for (size_t i = 0; i < n; ++i) pt[i] = static_cast<uint8_t>(i);
    auto ct = Sm4CbcEncrypt(kKey, iv, pt);
    ASSERT_TRUE(ct.ok());
    EXPECT_EQ(ct->size(), (n / 16 + 1) * 16) << n;
    auto back = Sm4CbcDecrypt(kKey, iv, *ct);
    ASSERT_TRUE(back.ok()) << n << ": " << back.status().ToString();
    EXPECT_EQ(*back, pt);
  }
}

TEST(Sm4CbcTest, FirstBlockIsEcbOfPlaintextXorIv) {
  Bytes iv = Hex("000102030405060708090a0b0c0d0e0f");
  Bytes pt(16, 0x11);
  auto ct = Sm4CbcEncrypt(kKey, iv, pt);
  ASSERT_TRUE(ct.ok());
  Bytes x(16);
  for (int i = 0; i < 16; ++i) x[i] = pt[i] ^ iv[i];
  auto ecb = Sm4EncryptBlock(kKey, x);
  ASSERT_TRUE(ecb.ok());
  EXPECT_EQ(Bytes(ct->begin(), ct->begin() + 16), *ecb);
}

// With a one-block ciphertext, P = D(C) xor IV, so changing the IV sets the decrypted
// padding bytes to whatever the test wants.
TEST(Sm4CbcTest, PaddingIsCheckedExactly) {
  Bytes iv(16, 0);
  Bytes pt(15, 0x33);  // padded with a single 0x01
  auto ct = Sm4CbcEncrypt(kKey, iv, pt);
  ASSERT_TRUE(ct.ok());
  ASSERT_EQ(ct->size(), 16u);
  auto with_last = [&](uint8_t last, uint8_t second_last) {
    Bytes v = iv;
    v[15] ^= 0x01 ^ last;
    v[14] ^= 0x33 ^ second_last;
    return Sm4CbcDecrypt(kKey, v, *ct);
  };
  EXPECT_TRUE(with_last(0x01, 0x33).ok());
  auto two = with_last(0x02, 0x02);
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(two->size(), 14u);
  EXPECT_EQ(with_last(0x02, 0x03).status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(with_last(0x00, 0x33).status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(with_last(0x11, 0x33).status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(with_last(0xFF, 0x33).status().code(), StatusCode::kDataLoss);
  // 0x10 needs the whole block to be 0x10.
  EXPECT_EQ(with_last(0x10, 0x10).status().code(), StatusCode::kDataLoss);
}

TEST(Sm4CbcTest, FullPaddingBlockIsAccepted) {
  Bytes iv(16, 9);
  Bytes pt(16, 0x10);
  auto ct = Sm4CbcEncrypt(kKey, iv, pt);
  ASSERT_TRUE(ct.ok());
  ASSERT_EQ(ct->size(), 32u);
  auto back = Sm4CbcDecrypt(kKey, iv, *ct);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, pt);
}

TEST(Sm4CbcTest, RejectsBadSizes) {
  Bytes iv(16);
  EXPECT_EQ(Sm4CbcDecrypt(kKey, iv, {}).status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(Sm4CbcDecrypt(kKey, iv, Bytes(17)).status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(Sm4CbcEncrypt(kKey, Bytes(8), Bytes(4)).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Sm4CbcEncrypt(Bytes(32), iv, Bytes(4)).status().code(), StatusCode::kInvalidArgument);
}

TEST(Sm4CtrTest, IsItsOwnInverseForOddLengths) {
  Bytes iv = Hex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
  for (size_t n : {0u, 1u, 15u, 16u, 17u, 100u}) {
    Bytes pt(n, 0xAB);
    auto ct = Sm4Ctr(kKey, iv, pt);
    ASSERT_TRUE(ct.ok());
    EXPECT_EQ(ct->size(), n);
    if (n > 0) {
      EXPECT_NE(*ct, pt);
    }
    auto back = Sm4Ctr(kKey, iv, *ct);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, pt);
  }
}

// The counter is one 128-bit big-endian integer: carries cross the 32- and 64-bit halves.
TEST(Sm4CtrTest, CounterCarriesAcrossAllSixteenBytes) {
  struct Case {
    const char* iv;
    const char* next;
  } cases[] = {
      {"ffffffffffffffffffffffffffffffff", "00000000000000000000000000000000"},
      {"0000000000000000ffffffffffffffff", "00000000000000010000000000000000"},
      {"000000000000000000000000ffffffff", "00000000000000000000000100000000"},
  };
  for (const auto& c : cases) {
    Bytes iv = Hex(c.iv);
    auto ks = Sm4Ctr(kKey, iv, Bytes(32, 0));
    ASSERT_TRUE(ks.ok());
    auto b0 = Sm4EncryptBlock(kKey, iv);
    auto b1 = Sm4EncryptBlock(kKey, Hex(c.next));
    ASSERT_TRUE(b0.ok() && b1.ok());
    EXPECT_EQ(Bytes(ks->begin(), ks->begin() + 16), *b0) << c.iv;
    EXPECT_EQ(Bytes(ks->begin() + 16, ks->end()), *b1) << c.iv;
  }
}

}  // namespace
}  // namespace eseal::crypto
