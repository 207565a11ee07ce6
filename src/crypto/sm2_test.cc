#include "eseal/crypto/sm2.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "eseal/crypto/sm3.h"
#include "test_util.h"

namespace eseal::crypto {
namespace {

using testing::Hex;
using testing::ReadVectors;

// n of sm2p256v1.
const char kOrderHex[] = "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123";

struct Kat {
  std::string id, message;
  Bytes d, point, z, e, k, rs;
};

Kat LoadKat() {
  auto v = ReadVectors("sm2_sign_kat.txt");
  if (v.size() != 1) {
    ADD_FAILURE() << "expected one SM2 record";
    return {};
  }
  const auto& r = v[0];
  Kat k;
  k.id = r.at("id_ascii");
  k.message = r.at("message_ascii");
  k.d = Hex(r.at("d"));
  k.point = Concat(Bytes{0x04}, Concat(Hex(r.at("x")), Hex(r.at("y"))));
  k.z = Hex(r.at("z"));
  k.e = Hex(r.at("e"));
  k.k = Hex(r.at("k"));
  k.rs = Concat(Hex(r.at("r")), Hex(r.at("s")));
  return k;
}

Sm2PrivateKey MustGenerate() {
  auto k = Sm2PrivateKey::Generate();
  EXPECT_TRUE(k.ok()) << k.status().ToString();
  return std::move(*k);
}

TEST(Sm2KatTest, PublicKeyOfTheExampleScalar) {
  Kat kat = LoadKat();
  auto key = Sm2PrivateKey::FromScalar(kat.d);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(HexEncode(key->PublicKey().Point()), HexEncode(kat.point));
}

TEST(Sm2KatTest, ZAndMessageDigest) {
  Kat kat = LoadKat();
  ASSERT_EQ(kat.id, kDefaultSm2Id);
  auto pub = Sm2PublicKey::FromPoint(kat.point);
  ASSERT_TRUE(pub.ok());
  Bytes z = pub->ComputeZ(kat.id);
  EXPECT_EQ(HexEncode(z), HexEncode(kat.z));
  EXPECT_EQ(pub->ComputeZ(), z);  // the default ID is the example's
  EXPECT_EQ(HexEncode(Sm3Bytes(Concat(z, AsBytes(kat.message)))), HexEncode(kat.e));
}

TEST(Sm2KatTest, SignatureWithTheExampleK) {
  Kat kat = LoadKat();
  auto key = Sm2PrivateKey::FromScalar(kat.d);
  ASSERT_TRUE(key.ok());
  auto sig = Sm2SignWithFixedKForTest(*key, AsBytes(kat.message), kat.id, kat.k);
  ASSERT_TRUE(sig.ok()) << sig.status().ToString();
  auto raw = Sm2DerToRaw(*sig);
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(HexEncode(*raw, true), HexEncode(kat.rs, true));
}

TEST(Sm2KatTest, OurVerifyAcceptsTheExampleSignature) {
  Kat kat = LoadKat();
  auto pub = Sm2PublicKey::FromPoint(kat.point);
  ASSERT_TRUE(pub.ok());
  auto der = Sm2RawToDer(kat.rs);
  ASSERT_TRUE(der.ok());
  EXPECT_TRUE(pub->Verify(AsBytes(kat.message), *der));
  EXPECT_TRUE(pub->Verify(AsBytes(kat.message), *der, kat.id));
  EXPECT_FALSE(pub->Verify(AsBytes("message digesT"), *der));
  EXPECT_FALSE(pub->Verify(AsBytes(kat.message), *der, "ALICE123@YAHOO.COM"));
}

// The example is sometimes quoted with the ID of the GM/T 0003.2 example; with that ID the
// same d and k give a different signature, so the vector file must say which ID it uses.
TEST(Sm2KatTest, TheIdEntersTheSignature) {
  Kat kat = LoadKat();
  auto key = Sm2PrivateKey::FromScalar(kat.d);
  ASSERT_TRUE(key.ok());
  auto sig = Sm2SignWithFixedKForTest(*key, AsBytes(kat.message), "ALICE123@YAHOO.COM", kat.k);
  ASSERT_TRUE(sig.ok());
  auto raw = Sm2DerToRaw(*sig);
  ASSERT_TRUE(raw.ok());
  EXPECT_NE(*raw, kat.rs);
  // s depends on r, so both differ; and that signature verifies under its own ID only.
  EXPECT_TRUE(key->PublicKey().Verify(AsBytes(kat.message), *sig, "ALICE123@YAHOO.COM"));
  EXPECT_FALSE(key->PublicKey().Verify(AsBytes(kat.message), *sig));
}

TEST(Sm2KatTest, FixedKRejectsOutOfRangeK) {
  Kat kat = LoadKat();
  auto key = Sm2PrivateKey::FromScalar(kat.d);
  ASSERT_TRUE(key.ok());
  EXPECT_FALSE(Sm2SignWithFixedKForTest(*key, AsBytes("m"), kDefaultSm2Id, Bytes(32, 0)).ok());
  EXPECT_FALSE(Sm2SignWithFixedKForTest(*key, AsBytes("m"), kDefaultSm2Id, Hex(kOrderHex)).ok());
  EXPECT_FALSE(Sm2SignWithFixedKForTest(*key, AsBytes("m"), kDefaultSm2Id, Bytes(31, 1)).ok());
}

TEST(Sm2SignTest, SignThenVerify) {
  Sm2PrivateKey key = MustGenerate();
  std::string msg = "seal this document";
  auto sig = key.Sign(AsBytes(msg));
  ASSERT_TRUE(sig.ok()) << sig.status().ToString();
  EXPECT_EQ((*sig)[0], 0x30);
  EXPECT_GE(sig->size(), 8u);
  EXPECT_LE(sig->size(), 72u);
  EXPECT_TRUE(key.PublicKey().Verify(AsBytes(msg), *sig));
}

TEST(Sm2SignTest, EveryFlippedByteOfTheSignatureFails) {
  Sm2PrivateKey key = MustGenerate();
  auto sig = key.Sign(AsBytes("abc"));
  ASSERT_TRUE(sig.ok());
  for (size_t i = 0; i < sig->size(); ++i) {
    Bytes bad = *sig;
    bad[i] ^= 0x01;
    EXPECT_FALSE(key.PublicKey().Verify(AsBytes("abc"), bad)) << "byte " << i;
  }
}

TEST(Sm2SignTest, WrongMessageKeyOrIdFails) {
  Sm2PrivateKey key = MustGenerate();
  Sm2PrivateKey other = MustGenerate();
  auto sig = key.Sign(AsBytes("abc"));
  ASSERT_TRUE(sig.ok());
  EXPECT_FALSE(key.PublicKey().Verify(AsBytes("abd"), *sig));
  EXPECT_FALSE(key.PublicKey().Verify(AsBytes(""), *sig));
  EXPECT_FALSE(other.PublicKey().Verify(AsBytes("abc"), *sig));
  EXPECT_FALSE(key.PublicKey().Verify(AsBytes("abc"), *sig, "1234567812345679"));
  EXPECT_FALSE(key.PublicKey().Verify(AsBytes("abc"), *sig, ""));
}

TEST(Sm2SignTest, TheIdMatters) {
  Sm2PrivateKey key = MustGenerate();
  auto sig = key.Sign(AsBytes("abc"), "ALICE123@YAHOO.COM");
  ASSERT_TRUE(sig.ok());
  EXPECT_TRUE(key.PublicKey().Verify(AsBytes("abc"), *sig, "ALICE123@YAHOO.COM"));
  EXPECT_FALSE(key.PublicKey().Verify(AsBytes("abc"), *sig));
  // OpenSSL's own default (no ID set) is the empty ID; ours is 1234567812345678.
  auto empty = key.Sign(AsBytes("abc"), "");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(key.PublicKey().Verify(AsBytes("abc"), *empty, ""));
  EXPECT_FALSE(key.PublicKey().Verify(AsBytes("abc"), *empty));
}

TEST(Sm2SignTest, OurSignatureMatchesTheEquationsViaFixedK) {
  // The fixed-k signer (our own arithmetic) and OpenSSL's verifier agree on random keys.
  Sm2PrivateKey key = MustGenerate();
  Bytes k(32, 0x5C);
  auto sig = Sm2SignWithFixedKForTest(key, AsBytes("hello"), kDefaultSm2Id, k);
  ASSERT_TRUE(sig.ok());
  EXPECT_TRUE(key.PublicKey().Verify(AsBytes("hello"), *sig));
}

TEST(Sm2SignTest, SignaturesAreRandomised) {
  Sm2PrivateKey key = MustGenerate();
  auto a = key.Sign(AsBytes("abc"));
  auto b = key.Sign(AsBytes("abc"));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
}

TEST(Sm2SignTest, EmptyAndLargeMessages) {
  Sm2PrivateKey key = MustGenerate();
  auto sig = key.Sign({});
  ASSERT_TRUE(sig.ok());
  EXPECT_TRUE(key.PublicKey().Verify({}, *sig));
  Bytes big(1 << 20, 0x61);
  auto sig2 = key.Sign(big);
  ASSERT_TRUE(sig2.ok());
  EXPECT_TRUE(key.PublicKey().Verify(big, *sig2));
  big[12345] ^= 1;
  EXPECT_FALSE(key.PublicKey().Verify(big, *sig2));
}

TEST(Sm2SignTest, OverlongIdIsRefused) {
  Sm2PrivateKey key = MustGenerate();
  std::string id(8191, 'x');
  EXPECT_EQ(key.Sign(AsBytes("m"), id).status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(key.PublicKey().ComputeZ(id).empty());
  std::string max_id(8190, 'x');
  auto sig = key.Sign(AsBytes("m"), max_id);
  ASSERT_TRUE(sig.ok());
  EXPECT_TRUE(key.PublicKey().Verify(AsBytes("m"), *sig, max_id));
  EXPECT_FALSE(key.PublicKey().Verify(AsBytes("m"), *sig, id));
}

TEST(Sm2VerifyTest, MalformedSignaturesAreSimplyInvalid) {
  Sm2PrivateKey key = MustGenerate();
  auto sig = key.Sign(AsBytes("abc"));
  ASSERT_TRUE(sig.ok());
  auto raw = Sm2DerToRaw(*sig);
  ASSERT_TRUE(raw.ok());
  const auto& pub = key.PublicKey();
  EXPECT_FALSE(pub.Verify(AsBytes("abc"), {}));
  EXPECT_FALSE(pub.Verify(AsBytes("abc"), *raw));  // raw r||s is not DER
  Bytes trailing = *sig;
  trailing.push_back(0);
  EXPECT_FALSE(pub.Verify(AsBytes("abc"), trailing));
  Bytes truncated(sig->begin(), sig->end() - 1);
  EXPECT_FALSE(pub.Verify(AsBytes("abc"), truncated));
  EXPECT_FALSE(pub.Verify(AsBytes("abc"), Bytes(300, 0x30)));
  // r = 0, s = 0 and r = n are out of range.
  EXPECT_FALSE(pub.Verify(AsBytes("abc"), Hex("3006020100020101")));
  EXPECT_FALSE(pub.Verify(AsBytes("abc"), Hex("3006020101020100")));
  Bytes n = Hex(kOrderHex);
  Bytes r_is_n = Hex("3026022100");
  r_is_n.insert(r_is_n.end(), n.begin(), n.end());
  r_is_n.insert(r_is_n.end(), {0x02, 0x01, 0x01});
  r_is_n[1] = static_cast<uint8_t>(r_is_n.size() - 2);
  EXPECT_FALSE(pub.Verify(AsBytes("abc"), r_is_n));
}

TEST(Sm2KeyTest, ScalarRange) {
  Bytes n = Hex(kOrderHex);
  auto minus = [](Bytes v, uint8_t k) {
    v.back() = static_cast<uint8_t>(v.back() - k);  // n ends in 0x23: no borrow
    return v;
  };
  EXPECT_EQ(Sm2PrivateKey::FromScalar(Bytes(32, 0)).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Sm2PrivateKey::FromScalar(n).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Sm2PrivateKey::FromScalar(minus(n, 1)).status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Sm2PrivateKey::FromScalar(minus(n, 2)).ok());
  EXPECT_EQ(Sm2PrivateKey::FromScalar(Bytes(31, 1)).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Sm2PrivateKey::FromScalar(Bytes(33, 1)).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Sm2PrivateKey::FromScalar(Bytes(32, 0xFF)).status().code(),
            StatusCode::kInvalidArgument);
  Bytes one(32, 0);
  one[31] = 1;
  auto k1 = Sm2PrivateKey::FromScalar(one);
  ASSERT_TRUE(k1.ok());
  // 1*G = G.
  EXPECT_EQ(HexEncode(k1->PublicKey().Point(), true),
            "0432C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7"
            "BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0");
}

TEST(Sm2KeyTest, ScalarRoundTrip) {
  Sm2PrivateKey key = MustGenerate();
  SecretBytes d = key.Scalar();
  EXPECT_EQ(d.size(), 32u);
  auto again = Sm2PrivateKey::FromScalar(d.view());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->PublicKey(), key.PublicKey());
  EXPECT_FALSE(MustGenerate().PublicKey() == key.PublicKey());
}

TEST(Sm2KeyTest, FromPointValidates) {
  Kat kat = LoadKat();
  EXPECT_TRUE(Sm2PublicKey::FromPoint(kat.point).ok());
  Bytes off = kat.point;
  off[64] ^= 1;
  EXPECT_EQ(Sm2PublicKey::FromPoint(off).status().code(), StatusCode::kInvalidArgument);
  Bytes compressed = kat.point;
  compressed[0] = 0x02;
  EXPECT_EQ(Sm2PublicKey::FromPoint(compressed).status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(Sm2PublicKey::FromPoint(Bytes(kat.point.begin(), kat.point.begin() + 33)).ok());
  EXPECT_FALSE(Sm2PublicKey::FromPoint(Bytes{0x00}).ok());
  Bytes zeros(65, 0);
  zeros[0] = 4;
  EXPECT_FALSE(Sm2PublicKey::FromPoint(zeros).ok());
  // A coordinate >= p is not a field element.
  Bytes big(65, 0xFF);
  big[0] = 4;
  EXPECT_FALSE(Sm2PublicKey::FromPoint(big).ok());
}

TEST(Sm2KeyTest, FingerprintIsSm3OfSpki) {
  Sm2PrivateKey key = MustGenerate();
  Bytes fp = key.PublicKey().Fingerprint();
  EXPECT_EQ(fp.size(), 32u);
  EXPECT_EQ(fp, Sm3Bytes(key.PublicKey().ToSpkiDer()));
}

TEST(Sm2KeyTest, KeysMayBeSharedBetweenThreads) {
  Sm2PrivateKey key = MustGenerate();
  std::atomic<int> failures{0};
  auto work = [&] {
    for (int i = 0; i < 50; ++i) {
      std::string msg = "message " + std::to_string(i);
      auto sig = key.Sign(AsBytes(msg));
      if (!sig.ok() || !key.PublicKey().Verify(AsBytes(msg), *sig)) ++failures;
    }
  };
  std::thread a(work), b(work);
  a.join();
  b.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace eseal::crypto
