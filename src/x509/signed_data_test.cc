// GB/T 35275 SignedData: every real sample parses and re-encodes byte for byte; what we
// make has exactly ofdrw's GBT35275PKCS9DSContainer encoding; signatures verify; hostile
// input is refused.
#include "eseal/x509/signed_data.h"

#include <gtest/gtest.h>

#include "eseal/asn1/der.h"
#include "eseal/crypto/sm3.h"
#include "test_util.h"

namespace eseal::x509 {
namespace {

using namespace eseal::x509::testing;

struct Sample {
  std::string file;
  bool attributes;       // signed attributes with messageDigest
  bool raw_rs;           // encryptedDigest is raw r||s (oesplugin)
  std::string xml_file;  // the Signature.xml it signs
};

std::vector<Sample> Samples() {
  const std::string e = "ofdrw/extracted/";
  return {
      {e + "ofdrw-sign-gbt35275/SignedValue.dat", false, false,
       e + "ofdrw-sign-gbt35275/Signature.xml"},
      {e + "ofdrw-sign-gbt35275-pkcs9/SignedValue.dat", true, false,
       e + "ofdrw-sign-gbt35275-pkcs9/Signature.xml"},
      {e + "oesplugin-gbt35275-raw-rs/SignedValue.dat", false, true,
       e + "oesplugin-gbt35275-raw-rs/Signature.xml"},
  };
}

bool Verifies(const Certificate& cert, ByteView message, ByteView sig) {
  auto key = cert.public_key();
  if (!key.ok()) return false;
  if (key->Verify(message, sig)) return true;
  if (sig.size() == 64) {
    auto der = crypto::Sm2RawToDer(sig);
    return der.ok() && key->Verify(message, *der);
  }
  return false;
}

TEST(SignedData, RealSamplesParseReencodeAndVerify) {
  for (const Sample& s : Samples()) {
    SCOPED_TRACE(s.file);
    Bytes der = MustRead(Shared(s.file));
    ASSERT_TRUE(LooksLikeSignedData(der));
    auto sd = ParseSignedData(der);
    ASSERT_TRUE(sd.ok()) << sd.status().ToString();
    EXPECT_EQ(EncodeSignedData(*sd), der);
    EXPECT_EQ(sd->content_info_type, asn1::oids::Gbt35275SignedData());
    ASSERT_EQ(sd->signer_infos.size(), 1u);
    const SignerInfo& si = sd->signer_infos[0];
    EXPECT_EQ(si.has_authenticated_attributes(), s.attributes);
    Bytes digest = crypto::Sm3Bytes(MustRead(Shared(s.xml_file)));
    if (s.attributes) {
      EXPECT_EQ(MessageDigestAttribute(si).value(), digest);
      EXPECT_TRUE(SigningTimeAttribute(si).ok());
      EXPECT_EQ(ContentTypeAttribute(si).value(), asn1::oids::Gbt35275Data());
      EXPECT_FALSE(sd->content.has_value());
    } else {
      ASSERT_TRUE(sd->content.has_value());
      EXPECT_EQ(*sd->content, digest);
    }
    auto cert = FindSignerCertificate(*sd, si);
    ASSERT_TRUE(cert.has_value());
    EXPECT_EQ(si.encrypted_digest.size() == 64, s.raw_rs);
    EXPECT_TRUE(Verifies(*cert, SignedMessage(*sd, si), si.encrypted_digest));
  }
}

// GOMAIN's Type="Sign" values: PKCS#7 data OID, NULL parameters, and authenticated
// attributes in non-DER order — the signature covers them as written.
TEST(SignedData, GomainAttributesKeepTheirOrder) {
  // The value is inside testPathClip.ofd; the x509 tests have no zip reader, so this test
  // builds the same shape: attributes contentType, messageDigest, signingTime.
  auto key = NewKey();
  Name n = N("CN=GOMAIN test,O=x,C=CN");
  CertificateParams p = LeafParams(n, n, key.PublicKey(), key.PublicKey());
  Certificate cert = Build(p, key);
  auto attr = [](const asn1::Oid& type, const std::function<void(asn1::Writer&)>& value) {
    asn1::Writer w;
    w.AddSequence([&](asn1::Writer& s) {
      s.AddOid(type);
      s.AddSet(value);
    });
    return std::move(w).Finish();
  };
  Bytes digest(32, 0x42);
  Bytes a1 = attr(asn1::oids::Pkcs9ContentType(), [](asn1::Writer& w) { w.AddOid(asn1::oids::Pkcs7Data()); });
  Bytes a2 = attr(asn1::oids::Pkcs9MessageDigest(), [&](asn1::Writer& w) { w.AddOctetString(digest); });
  Bytes a3 = attr(asn1::oids::Pkcs9SigningTime(), [](asn1::Writer& w) { w.AddUtcTime(T(2022, 11, 16, 11, 20, 58)); });
  Bytes attrs_set = asn1::EncodeTlv(asn1::kSet, Concat(Concat(a1, a2), a3));
  Bytes sig = key.Sign(attrs_set).value();
  Bytes attrs_tagged = attrs_set;
  attrs_tagged[0] = 0xA0;

  SignedData sd;
  sd.content_info_type = asn1::oids::Gbt35275SignedData();
  sd.digest_algorithms = {AlgorithmId{asn1::oids::Sm3(), Bytes{0x05, 0x00}}};
  sd.content_type = asn1::oids::Pkcs7Data();
  sd.certificates = {cert.der()};
  SignerInfo si;
  si.issuer_der = cert.issuer().der();
  si.serial = cert.serial();
  si.digest_algorithm = AlgorithmId{asn1::oids::Sm3(), Bytes{0x05, 0x00}};
  si.authenticated_attributes_der = attrs_tagged;
  si.digest_encryption_algorithm = AlgorithmId{asn1::oids::Sm2Sign(), Bytes{0x05, 0x00}};
  si.encrypted_digest = sig;
  sd.signer_infos = {si};
  Bytes der = EncodeSignedData(sd);

  auto back = ParseSignedData(der);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(EncodeSignedData(*back), der);
  const SignerInfo& b = back->signer_infos[0];
  ASSERT_EQ(b.authenticated_attributes.size(), 3u);
  EXPECT_EQ(b.authenticated_attributes[1].type, asn1::oids::Pkcs9MessageDigest());
  EXPECT_EQ(MessageDigestAttribute(b).value(), digest);
  EXPECT_EQ(SignedMessage(*back, b), attrs_set);
  EXPECT_TRUE(Verifies(cert, SignedMessage(*back, b), b.encrypted_digest));
}

// What MakeSignedData writes is ofdrw's GBT35275PKCS9DSContainer output byte for byte,
// apart from the random SM2 signature value: put ofdrw's value in and the bytes match.
TEST(SignedData, MakeMatchesOfdrwPkcs9ByteForByte) {
  Bytes ofdrw = MustRead(Shared("ofdrw/extracted/ofdrw-sign-gbt35275-pkcs9/SignedValue.dat"));
  Bytes xml = MustRead(Shared("ofdrw/extracted/ofdrw-sign-gbt35275-pkcs9/Signature.xml"));
  Certificate cert = MustCertPem(Shared("ofdrw/keys/sign_cert.pem"));
  auto key = crypto::Sm2PrivateKey::FromPem(MustReadText(Shared("ofdrw/keys/sign_key.pem")));
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  SignedDataSpec spec;
  spec.form = SignedDataSpec::Form::kAttributes;
  spec.signing_time = T(2026, 11, 23, 9, 30, 35);
  auto made = MakeSignedData(crypto::Sm3Bytes(xml), cert, *key, spec);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  EXPECT_TRUE(Verifies(cert, SignedMessage(*made, made->signer_infos[0]),
                       made->signer_infos[0].encrypted_digest));
  EXPECT_EQ(ParseSignedData(made->der).value().der, made->der);

  auto theirs = ParseSignedData(ofdrw).value();
  SignedData swapped = *made;
  swapped.signer_infos[0].encrypted_digest = theirs.signer_infos[0].encrypted_digest;
  EXPECT_EQ(EncodeSignedData(swapped), ofdrw);
}

TEST(SignedData, MakeContentDigestFormMatchesOfdrw) {
  Bytes ofdrw = MustRead(Shared("ofdrw/extracted/ofdrw-sign-gbt35275/SignedValue.dat"));
  Bytes xml = MustRead(Shared("ofdrw/extracted/ofdrw-sign-gbt35275/Signature.xml"));
  Certificate cert = MustCertPem(Shared("ofdrw/keys/sign_cert.pem"));
  auto key = crypto::Sm2PrivateKey::FromPem(MustReadText(Shared("ofdrw/keys/sign_key.pem")));
  ASSERT_TRUE(key.ok());
  SignedDataSpec spec;
  spec.form = SignedDataSpec::Form::kContentDigest;
  auto made = MakeSignedData(crypto::Sm3Bytes(xml), cert, *key, spec);
  ASSERT_TRUE(made.ok());
  auto theirs = ParseSignedData(ofdrw).value();
  SignedData swapped = *made;
  swapped.signer_infos[0].encrypted_digest = theirs.signer_infos[0].encrypted_digest;
  EXPECT_EQ(EncodeSignedData(swapped), ofdrw);
}

TEST(SignedData, RefusesKeyOfAnotherCertificate) {
  Certificate cert = MustCertPem(Shared("ofdrw/keys/sign_cert.pem"));
  auto other = NewKey();
  auto made = MakeSignedData(Bytes(32, 1), cert, other, {});
  EXPECT_EQ(made.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(MakeSignedData(Bytes(31, 1), cert, other, {}).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(SignedData, RejectsMalformed) {
  Bytes der = MustRead(Shared("ofdrw/extracted/ofdrw-sign-gbt35275-pkcs9/SignedValue.dat"));
  // Trailing data, truncation, wrong content type, every single-byte truncation point.
  Bytes trailing = der;
  trailing.push_back(0);
  EXPECT_FALSE(ParseSignedData(trailing).ok());
  for (size_t n = 0; n < der.size(); n += 7) {
    EXPECT_FALSE(ParseSignedData(ByteView(der).first(n)).ok()) << n;
  }
  Bytes wrong = der;
  wrong[4 + 2 + 9] ^= 0x01;  // last arc of the outer content type OID
  auto r = ParseSignedData(wrong);
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(LooksLikeSignedData(Bytes{0x30, 0x00}));
  EXPECT_FALSE(ParseSignedData(Bytes{}).ok());
}

// A SignedData carrying 100,000 copies of one certificate (a work attack: each would be
// parsed and offered to path building). The parse keeps the cap's worth, says so, and stops
// reading the field; everything after it still parses. Counted, not timed.
TEST(SignedData, CertificatesBeyondTheCapAreNotRead) {
  Bytes der = MustRead(Shared("ofdrw/extracted/ofdrw-sign-gbt35275/SignedValue.dat"));
  auto sd = ParseSignedData(der);
  ASSERT_TRUE(sd.ok()) << sd.status().ToString();
  EXPECT_FALSE(sd->too_many_certificates);
  ASSERT_FALSE(sd->certificates.empty());
  const Bytes one = sd->certificates[0];
  // The [0] field's content is the certificates back to back: one buffer of 100,000.
  Bytes many;
  many.reserve(one.size() * 100000);
  for (int i = 0; i < 100000; ++i) many.insert(many.end(), one.begin(), one.end());
  SignedData hostile = *sd;
  hostile.certificates = {std::move(many)};
  Bytes big = EncodeSignedData(hostile);
  ASSERT_GT(big.size(), one.size() * 100000);

  auto capped = ParseSignedData(big);
  ASSERT_TRUE(capped.ok()) << capped.status().ToString();
  EXPECT_TRUE(capped->too_many_certificates);
  EXPECT_EQ(capped->certificates.size(), kMaxSignedDataCertificates);
  EXPECT_EQ(capped->certificates[31], one);
  ASSERT_EQ(capped->signer_infos.size(), 1u);
  EXPECT_EQ(capped->signer_infos[0].encrypted_digest, sd->signer_infos[0].encrypted_digest);
  EXPECT_EQ(capped->content, sd->content);

  auto small_cap = ParseSignedData(big, 2);
  ASSERT_TRUE(small_cap.ok());
  EXPECT_TRUE(small_cap->too_many_certificates);
  EXPECT_EQ(small_cap->certificates.size(), 2u);

  // Exactly at the cap is not too many.
  SignedData at_cap = *sd;
  at_cap.certificates.assign(kMaxSignedDataCertificates, one);
  auto fits = ParseSignedData(EncodeSignedData(at_cap));
  ASSERT_TRUE(fits.ok());
  EXPECT_FALSE(fits->too_many_certificates);
  EXPECT_EQ(fits->certificates.size(), kMaxSignedDataCertificates);

}

}  // namespace
}  // namespace eseal::x509
