// Interoperability with a vendor: ofdrw (BouncyCastle) signatures and key files.
#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "eseal/crypto/key_protection.h"
#include "eseal/crypto/sm2.h"
#include "test_util.h"

namespace eseal::crypto {
namespace {

using testing::ReadShared;

// The SPKI of a PEM certificate, extracted with OpenSSL (test only: certificate parsing
// belongs to the x509 module).
Bytes CertificateSpki(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (cert == nullptr) {
    ADD_FAILURE() << "cannot read certificate";
    return {};
  }
  unsigned char* der = nullptr;
  int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &der);
  Bytes out(der, der + (len > 0 ? len : 0));
  OPENSSL_free(der);
  X509_free(cert);
  return out;
}

Sm2PublicKey CertKey(const std::string& name) {
  auto key = Sm2PublicKey::FromSpkiDer(CertificateSpki(ReadShared("ofdrw/keys/" + name)));
  EXPECT_TRUE(key.ok()) << name << ": " << key.status().ToString();
  return std::move(*key);
}

constexpr char kRawDir[] = "ofdrw/extracted/ofdrw-sign-raw-sm2/";

TEST(Sm2VendorTest, OfdrwSignatureVerifiesWithTheSignersKey) {
  std::string signed_xml = ReadShared(std::string(kRawDir) + "Signature.xml");
  std::string sig = ReadShared(std::string(kRawDir) + "SignedValue.dat");
  ASSERT_FALSE(signed_xml.empty());
  ASSERT_FALSE(sig.empty());
  Sm2PublicKey user = CertKey("user_cert.pem");
  EXPECT_TRUE(user.Verify(AsBytes(signed_xml), AsBytes(sig)));
  EXPECT_TRUE(user.Verify(AsBytes(signed_xml), AsBytes(sig), kDefaultSm2Id));
}

TEST(Sm2VendorTest, OfdrwSignatureFailsWithAnotherKeyOrIdOrByte) {
  std::string signed_xml = ReadShared(std::string(kRawDir) + "Signature.xml");
  std::string sig = ReadShared(std::string(kRawDir) + "SignedValue.dat");
  EXPECT_FALSE(CertKey("sign_cert.pem").Verify(AsBytes(signed_xml), AsBytes(sig)));
  Sm2PublicKey user = CertKey("user_cert.pem");
  EXPECT_FALSE(user.Verify(AsBytes(signed_xml), AsBytes(sig), ""));
  std::string changed = signed_xml;
  changed[changed.size() / 2] ^= 0x01;
  EXPECT_FALSE(user.Verify(AsBytes(changed), AsBytes(sig)));
}

TEST(Sm2VendorTest, OfdrwSignatureValueIsStrictDer) {
  std::string sig = ReadShared(std::string(kRawDir) + "SignedValue.dat");
  auto raw = Sm2DerToRaw(AsBytes(sig));
  ASSERT_TRUE(raw.ok()) << raw.status().ToString();
  auto der = Sm2RawToDer(*raw);
  ASSERT_TRUE(der.ok());
  EXPECT_EQ(*der, ToBytes(sig));
}

TEST(Sm2VendorTest, Pkcs8KeyFileMatchesItsCertificate) {
  auto key = Sm2PrivateKey::FromPem(ReadShared("ofdrw/keys/user_key.pem"));
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(key->PublicKey(), CertKey("user_cert.pem"));
  EXPECT_FALSE(key->PublicKey() == CertKey("sign_cert.pem"));
  // It signs what the certificate's key verifies.
  auto sig = key->Sign(AsBytes("ofd"));
  ASSERT_TRUE(sig.ok());
  EXPECT_TRUE(CertKey("user_cert.pem").Verify(AsBytes("ofd"), *sig));
}

TEST(Sm2VendorTest, Sec1KeyFileMatchesItsCertificate) {
  auto key = Sm2PrivateKey::FromPem(ReadShared("ofdrw/keys/sign_key.pem"));
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(key->PublicKey(), CertKey("sign_cert.pem"));
}

TEST(Sm2VendorTest, LoadPrivateKeyPemReadsUnencryptedVendorFiles) {
  for (const char* f : {"user_key.pem", "sign_key.pem", "root_key.pem", "sealer_key.pem"}) {
    auto key = LoadPrivateKeyPem(ReadShared(std::string("ofdrw/keys/") + f), {}, nullptr);
    EXPECT_TRUE(key.ok()) << f << ": " << key.status().ToString();
  }
  auto root = LoadPrivateKeyPem(ReadShared("ofdrw/keys/root_key.pem"), {}, nullptr);
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(root->PublicKey(), CertKey("root_cert.pem"));
}

TEST(Sm2VendorTest, CertificateKeyReEncodesToTheSameSpki) {
  Bytes spki = CertificateSpki(ReadShared("ofdrw/keys/user_cert.pem"));
  auto key = Sm2PublicKey::FromSpkiDer(spki);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->ToSpkiDer(), spki);
}

}  // namespace
}  // namespace eseal::crypto
