#include "eseal/crypto/key_protection.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "eseal/crypto/random.h"
#include "test_util.h"

namespace eseal::crypto {
namespace {

using testing::CountingRng;
using testing::FailingRng;

constexpr KeyProtectionOptions kFast{.iterations = 1000};
constexpr char kWrongSecretMessage[] = "wrong protection password or key-encryption key";

class KeyProtectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto k = Sm2PrivateKey::Generate();
    ASSERT_TRUE(k.ok());
    key_ = std::make_unique<Sm2PrivateKey>(std::move(*k));
  }
  Bytes Protect(const Kek* kek, std::string_view pw = "correct horse") {
    auto blob = ProtectPrivateKey(*key_, AsBytes(pw), kek, SystemRng(), kFast);
    EXPECT_TRUE(blob.ok()) << blob.status().ToString();
    return blob.ok() ? *blob : Bytes{};
  }
  bool SameKey(const Sm2PrivateKey& k) { return k.PublicKey() == key_->PublicKey(); }

  std::unique_ptr<Sm2PrivateKey> key_;
  std::unique_ptr<FileKek> kek_ = FileKek::FromBytes(Bytes(32, 0x11));
  std::unique_ptr<FileKek> other_kek_ = FileKek::FromBytes(Bytes(32, 0x22));
};

bool Contains(ByteView hay, ByteView needle) {
  return std::search(hay.begin(), hay.end(), needle.begin(), needle.end()) != hay.end();
}

TEST_F(KeyProtectionTest, RoundTripWithoutKek) {
  Bytes blob = Protect(nullptr);
  auto back = UnprotectPrivateKey(blob, AsBytes("correct horse"), nullptr);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(SameKey(*back));
}

TEST_F(KeyProtectionTest, RoundTripWithKek) {
  Bytes blob = Protect(kek_.get());
  auto back = UnprotectPrivateKey(blob, AsBytes("correct horse"), kek_.get());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(SameKey(*back));
  // A KEK re-created from the same bytes (e.g. after a restart) works too.
  auto same = FileKek::FromBytes(Bytes(32, 0x11));
  EXPECT_TRUE(UnprotectPrivateKey(blob, AsBytes("correct horse"), same.get()).ok());
}

TEST_F(KeyProtectionTest, BlobNeverHoldsTheKeyInClear) {
  for (const Kek* kek : {static_cast<const Kek*>(nullptr), static_cast<const Kek*>(kek_.get())}) {
    Bytes blob = Protect(kek);
    SecretBytes pkcs8 = key_->ToPkcs8Der();
    SecretBytes d = key_->Scalar();
    EXPECT_FALSE(Contains(blob, pkcs8.view()));
    EXPECT_FALSE(Contains(blob, d.view()));
    EXPECT_FALSE(Contains(blob, d.view().first(8)));
    EXPECT_EQ(blob.size(), 38 + (kek ? kek->Id().size() : 0) + pkcs8.size() + 16);
  }
}

TEST_F(KeyProtectionTest, FreshSaltAndNonceEachTime) {
  Bytes a = Protect(nullptr);
  Bytes b = Protect(nullptr);
  EXPECT_NE(a, b);
  EXPECT_NE(Bytes(a.begin() + 9, a.begin() + 37), Bytes(b.begin() + 9, b.begin() + 37));
}

TEST_F(KeyProtectionTest, WrongPasswordIsUnauthenticated) {
  Bytes blob = Protect(kek_.get());
  for (std::string_view pw : {"correct hors", "correct horsE", "", "correct horse "}) {
    auto r = UnprotectPrivateKey(blob, AsBytes(pw), kek_.get());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kUnauthenticated);
    EXPECT_EQ(r.status().message(), kWrongSecretMessage);
  }
}

TEST_F(KeyProtectionTest, WrongKekIsUnauthenticated) {
  Bytes blob = Protect(kek_.get());
  auto r = UnprotectPrivateKey(blob, AsBytes("correct horse"), other_kek_.get());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(r.status().message().rfind(kWrongSecretMessage, 0), 0u) << r.status().message();
}

// A KEK that claims the right id but derives differently (the id is only a hint).
class ImpostorKek final : public Kek {
 public:
  explicit ImpostorKek(std::string id) : id_(std::move(id)) {}
  std::string Id() const override { return id_; }
  Result<SecretBytes> Derive(ByteView) const override { return SecretBytes(Bytes(32, 7)); }

 private:
  std::string id_;
};

TEST_F(KeyProtectionTest, KekWithTheRightIdButWrongKeyFailsTheTag) {
  Bytes blob = Protect(kek_.get());
  ImpostorKek impostor(kek_->Id());
  auto r = UnprotectPrivateKey(blob, AsBytes("correct horse"), &impostor);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(r.status().message(), kWrongSecretMessage);
}

TEST_F(KeyProtectionTest, MissingOrUnexpectedKek) {
  Bytes with = Protect(kek_.get());
  auto missing = UnprotectPrivateKey(with, AsBytes("correct horse"), nullptr);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(missing.status().message().find(kek_->Id()), std::string::npos);
  Bytes without = Protect(nullptr);
  auto unexpected = UnprotectPrivateKey(without, AsBytes("correct horse"), kek_.get());
  ASSERT_FALSE(unexpected.ok());
  EXPECT_EQ(unexpected.status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(KeyProtectionTest, PasswordAloneOrKekAloneCannotOpenAKekBlob) {
  Bytes blob = Protect(kek_.get());
  // Forge a password-only blob from the KEK blob by dropping the KEK id: the header is the
  // GCM AAD and the key differs, so it fails.
  std::string id = kek_->Id();
  Bytes forged(blob.begin(), blob.begin() + 37);
  forged.push_back(0);
  forged.insert(forged.end(), blob.begin() + 38 + static_cast<long>(id.size()), blob.end());
  auto r = UnprotectPrivateKey(forged, AsBytes("correct horse"), nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnauthenticated);
}

TEST_F(KeyProtectionTest, EveryTruncationFailsCleanly) {
  Bytes blob = Protect(kek_.get());
  for (size_t n = 0; n < blob.size(); ++n) {
    auto r = UnprotectPrivateKey(ByteView(blob).first(n), AsBytes("correct horse"), kek_.get());
    ASSERT_FALSE(r.ok()) << n;
    auto code = r.status().code();
    EXPECT_TRUE(code == StatusCode::kDataLoss || code == StatusCode::kInvalidArgument ||
                code == StatusCode::kUnauthenticated)
        << n << ": " << r.status().ToString();
  }
}

TEST_F(KeyProtectionTest, EveryFlippedByteFailsCleanly) {
  for (const Kek* kek : {static_cast<const Kek*>(nullptr), static_cast<const Kek*>(kek_.get())}) {
    Bytes blob = Protect(kek);
    for (size_t i = 0; i < blob.size(); ++i) {
      Bytes bad = blob;
      bad[i] ^= 0x01;
      auto r = UnprotectPrivateKey(bad, AsBytes("correct horse"), kek);
      ASSERT_FALSE(r.ok()) << "byte " << i;
      auto code = r.status().code();
      EXPECT_TRUE(code == StatusCode::kDataLoss || code == StatusCode::kInvalidArgument ||
                  code == StatusCode::kUnauthenticated || code == StatusCode::kFailedPrecondition)
          << i << ": " << r.status().ToString();
    }
  }
}

TEST_F(KeyProtectionTest, HeaderChecks) {
  Bytes blob = Protect(nullptr);
  Bytes v2 = blob;
  v2[4] = 2;
  auto r = UnprotectPrivateKey(v2, AsBytes("correct horse"), nullptr);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("version 2"), std::string::npos);
  Bytes magic = blob;
  magic[0] = 'X';
  EXPECT_EQ(UnprotectPrivateKey(magic, AsBytes("correct horse"), nullptr).status().code(),
            StatusCode::kInvalidArgument);
  Bytes absurd = blob;
  absurd[5] = 0x7F;  // ~2 billion iterations: refused before any work
  EXPECT_EQ(UnprotectPrivateKey(absurd, AsBytes("correct horse"), nullptr).status().code(),
            StatusCode::kInvalidArgument);
  Bytes zero_iter = blob;
  std::fill(zero_iter.begin() + 5, zero_iter.begin() + 9, 0);
  EXPECT_EQ(UnprotectPrivateKey(zero_iter, AsBytes("correct horse"), nullptr).status().code(),
            StatusCode::kInvalidArgument);
  Bytes long_id = blob;
  long_id[37] = 200;
  EXPECT_EQ(UnprotectPrivateKey(long_id, AsBytes("correct horse"), nullptr).status().code(),
            StatusCode::kDataLoss);
  Bytes huge = blob;
  huge.resize(5000, 0);
  EXPECT_EQ(UnprotectPrivateKey(huge, AsBytes("correct horse"), nullptr).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(KeyProtectionTest, DeterministicWithAnInjectedRng) {
  CountingRng r1, r2;
  auto a = ProtectPrivateKey(*key_, AsBytes("pw"), nullptr, r1, kFast);
  auto b = ProtectPrivateKey(*key_, AsBytes("pw"), nullptr, r2, kFast);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
  // Header layout: magic, version, iterations, salt (bytes 1..16 from the counter), nonce.
  EXPECT_EQ(HexEncode(ByteView(*a).first(9)),
            "45534b50010000"
            "03e8");
  EXPECT_EQ((*a)[9], 1);
  EXPECT_EQ((*a)[25], 17);
  EXPECT_EQ((*a)[37], 0);
}

TEST_F(KeyProtectionTest, RejectsBadOptionsAndRngFailure) {
  FailingRng failing;
  EXPECT_EQ(ProtectPrivateKey(*key_, AsBytes("pw"), nullptr, failing, kFast).status().code(),
            StatusCode::kUnavailable);
  EXPECT_EQ(ProtectPrivateKey(*key_, {}, nullptr, SystemRng(), kFast).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ProtectPrivateKey(*key_, AsBytes("pw"), nullptr, SystemRng(), {.iterations = 0})
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(
      ProtectPrivateKey(*key_, AsBytes("pw"), nullptr, SystemRng(), {.iterations = 10'000'001})
          .status()
          .code(),
      StatusCode::kInvalidArgument);
}

TEST_F(KeyProtectionTest, PemArmourRoundTrip) {
  Bytes blob = Protect(kek_.get());
  std::string pem = ProtectedKeyToPem(blob);
  EXPECT_EQ(pem.rfind("-----BEGIN ESEAL PROTECTED PRIVATE KEY-----\n", 0), 0u);
  auto back = ProtectedKeyFromPem(pem);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, blob);
  EXPECT_FALSE(ProtectedKeyFromPem(std::string(AsChars(key_->ToPem().view()))).ok());
}

TEST_F(KeyProtectionTest, LoadPrivateKeyPemHandlesBothKinds) {
  std::string protected_pem = ProtectedKeyToPem(Protect(kek_.get()));
  auto a = LoadPrivateKeyPem(protected_pem, AsBytes("correct horse"), kek_.get());
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_TRUE(SameKey(*a));
  EXPECT_EQ(LoadPrivateKeyPem(protected_pem, AsBytes("nope"), kek_.get()).status().code(),
            StatusCode::kUnauthenticated);
  SecretBytes plain = key_->ToPem();
  auto b = LoadPrivateKeyPem(AsChars(plain.view()), AsBytes("ignored"), nullptr);
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE(SameKey(*b));
  EXPECT_EQ(LoadPrivateKeyPem("-----BEGIN ENCRYPTED PRIVATE KEY-----\nMAA=\n"
                              "-----END ENCRYPTED PRIVATE KEY-----\n",
                              AsBytes("pw"), nullptr)
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  EXPECT_FALSE(LoadPrivateKeyPem("garbage", AsBytes("pw"), nullptr).ok());
}

TEST_F(KeyProtectionTest, ErrorsNeverContainThePassword) {
  Bytes blob = Protect(nullptr, "s3cr3t-passw0rd");
  ASSERT_GT(blob.size(), 100u);
  Bytes bad = blob;
  bad[blob.size() / 2] ^= 1;
  for (const Bytes& b : {blob, bad}) {
    auto r = UnprotectPrivateKey(b, AsBytes("s3cr3t-passw0rd-typo"), nullptr);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().ToString().find("s3cr3t"), std::string::npos);
  }
}

}  // namespace
}  // namespace eseal::crypto
