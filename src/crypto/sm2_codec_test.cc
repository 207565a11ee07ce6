// SM2 key containers (SPKI, PKCS#8, SEC1, PEM) and signature value encodings.
#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "eseal/crypto/sm2.h"
#include "internal.h"
#include "test_util.h"

namespace eseal::crypto {
namespace {

using internal::OidEcPublicKey;
using internal::OidSm2;
using internal::Tlv;
using testing::Hex;

const char kD[] = "3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8";
const char kPoint[] =
    "0409F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020"
    "CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13";
const uint8_t kOidPrime256v1[] = {0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07};
const uint8_t kOidRsa[] = {0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01};

Bytes Cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}
Bytes Seq(std::initializer_list<Bytes> parts) { return Tlv(0x30, Cat(parts)); }
Bytes Oid(ByteView v) { return Tlv(0x06, v); }
Bytes BitString(ByteView v) { return Tlv(0x03, Concat(Bytes{0}, v)); }
Bytes Int(uint8_t v) { return Bytes{0x02, 0x01, v}; }
Bytes Null() { return Bytes{0x05, 0x00}; }
Bytes Spki(const Bytes& alg, const Bytes& point) { return Seq({alg, BitString(point)}); }
Bytes EcAlg() { return Seq({Oid(OidEcPublicKey()), Oid(OidSm2())}); }

// ECPrivateKey{1, d, [0] params?, [1] pub?}
Bytes EcPrivateKey(const Bytes& d, const Bytes& params_oid, const Bytes& point) {
  Bytes body = Cat({Int(1), Tlv(0x04, d)});
  if (!params_oid.empty()) body = Cat({body, Tlv(0xA0, Oid(params_oid))});
  if (!point.empty()) body = Cat({body, Tlv(0xA1, BitString(point))});
  return Tlv(0x30, body);
}
Bytes Pkcs8(uint8_t version, const Bytes& alg, const Bytes& ec) {
  return Seq({Int(version), alg, Tlv(0x04, ec)});
}

std::string Pem(std::string_view label, ByteView der) {
  SecretBytes p = internal::EncodePem(label, der);
  return std::string(AsChars(p.view()));
}

Bytes SecretToBytes(const SecretBytes& s) { return Bytes(s.view().begin(), s.view().end()); }

// ---- SubjectPublicKeyInfo -------------------------------------------------------------

TEST(Sm2SpkiTest, ExactEncoding) {
  auto pub = Sm2PublicKey::FromPoint(Hex(kPoint));
  ASSERT_TRUE(pub.ok());
  EXPECT_EQ(HexEncode(pub->ToSpkiDer(), true),
            std::string("3059301306072A8648CE3D020106082A811CCF5501822D034200") + kPoint);
  auto back = Sm2PublicKey::FromSpkiDer(pub->ToSpkiDer());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, *pub);
}

TEST(Sm2SpkiTest, SameBytesAsOpenSsl) {
  auto key = Sm2PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  SecretBytes pkcs8 = key->ToPkcs8Der();
  const unsigned char* p = pkcs8.data();
  EVP_PKEY* pkey = d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(pkcs8.size()));
  ASSERT_NE(pkey, nullptr) << "OpenSSL cannot read our PKCS#8";
  EXPECT_TRUE(EVP_PKEY_is_a(pkey, "SM2"));
  unsigned char* der = nullptr;
  int len = i2d_PUBKEY(pkey, &der);
  ASSERT_GT(len, 0);
  EXPECT_EQ(HexEncode(ByteView(der, static_cast<size_t>(len))),
            HexEncode(key->PublicKey().ToSpkiDer()));
  OPENSSL_free(der);
  // And OpenSSL's PKCS#8 PEM of that key reads back to the same key here.
  BIO* bio = BIO_new(BIO_s_mem());
  ASSERT_EQ(PEM_write_bio_PrivateKey(bio, pkey, nullptr, nullptr, 0, nullptr, nullptr), 1);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  auto again = Sm2PrivateKey::FromPem(std::string_view(data, static_cast<size_t>(n)));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->PublicKey(), key->PublicKey());
  BIO_free(bio);
  EVP_PKEY_free(pkey);
}

TEST(Sm2SpkiTest, AcceptsTheSm2AlgorithmOidForms) {
  Bytes point = Hex(kPoint);
  for (const Bytes& alg :
       {Seq({Oid(OidSm2())}), Seq({Oid(OidSm2()), Null()}), Seq({Oid(OidSm2()), Oid(OidSm2())})}) {
    auto pub = Sm2PublicKey::FromSpkiDer(Spki(alg, point));
    ASSERT_TRUE(pub.ok()) << HexEncode(alg) << ": " << pub.status().ToString();
    EXPECT_EQ(pub->Point(), point);
  }
}

TEST(Sm2SpkiTest, AcceptsACompressedPoint) {
  Bytes point = Hex(kPoint);
  Bytes compressed(point.begin(), point.begin() + 33);
  compressed[0] = static_cast<uint8_t>(0x02 | (point[64] & 1));
  auto pub = Sm2PublicKey::FromSpkiDer(Spki(EcAlg(), compressed));
  ASSERT_TRUE(pub.ok()) << pub.status().ToString();
  EXPECT_EQ(pub->Point(), point);
  compressed[0] ^= 1;  // the other y
  auto other = Sm2PublicKey::FromSpkiDer(Spki(EcAlg(), compressed));
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->Point(), point);
}

TEST(Sm2SpkiTest, RejectsOtherCurvesAlgorithmsAndBadDer) {
  Bytes point = Hex(kPoint);
  struct Case {
    const char* name;
    Bytes der;
  } cases[] = {
      {"P-256 curve", Spki(Seq({Oid(OidEcPublicKey()), Oid(kOidPrime256v1)}), point)},
      {"no curve", Spki(Seq({Oid(OidEcPublicKey())}), point)},
      {"explicit curve", Spki(Seq({Oid(OidEcPublicKey()), Seq({Int(1)})}), point)},
      {"RSA", Spki(Seq({Oid(kOidRsa), Null()}), point)},
      {"id-ecPublicKey with NULL", Spki(Seq({Oid(OidEcPublicKey()), Null()}), point)},
      {"trailing byte", Concat(Spki(EcAlg(), point), Bytes{0})},
      {"extra element", Seq({EcAlg(), BitString(point), Null()})},
      {"unused bits", Seq({EcAlg(), Tlv(0x03, Concat(Bytes{1}, point))})},
      {"off-curve point", Spki(EcAlg(), Concat(Bytes(point.begin(), point.end() - 1), Bytes{0}))},
      {"empty", {}},
      {"hybrid point", Spki(EcAlg(), Concat(Bytes{0x06}, Bytes(point.begin() + 1, point.end())))},
  };
  for (const auto& c : cases) {
    auto r = Sm2PublicKey::FromSpkiDer(c.der);
    EXPECT_FALSE(r.ok()) << c.name;
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << c.name;
    }
  }
}

TEST(Sm2SpkiTest, RejectsNonMinimalLengthsAndEveryTruncation) {
  Bytes good = Spki(EcAlg(), Hex(kPoint));
  Bytes long_form = good;
  long_form.insert(long_form.begin() + 1, 0x81);  // 30 81 59: 0x59 < 0x80 must be short
  EXPECT_FALSE(Sm2PublicKey::FromSpkiDer(long_form).ok());
  Bytes indefinite = good;
  indefinite[1] = 0x80;
  EXPECT_FALSE(Sm2PublicKey::FromSpkiDer(indefinite).ok());
  for (size_t n = 0; n < good.size(); ++n) {
    EXPECT_FALSE(Sm2PublicKey::FromSpkiDer(ByteView(good).first(n)).ok()) << n;
  }
}

TEST(Sm2SpkiTest, PemRoundTripAndVariants) {
  auto pub = Sm2PublicKey::FromPoint(Hex(kPoint));
  ASSERT_TRUE(pub.ok());
  std::string pem = pub->ToPem();
  EXPECT_EQ(pem.rfind("-----BEGIN PUBLIC KEY-----\n", 0), 0u);
  auto back = Sm2PublicKey::FromPem(pem);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, *pub);
  // CRLF line ends and surrounding text are fine.
  std::string crlf;
  for (char c : pem) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  EXPECT_TRUE(Sm2PublicKey::FromPem("subject=whatever\r\n" + crlf + "trailer\n").ok());
  auto wrong = Sm2PublicKey::FromPem(Pem("CERTIFICATE", pub->ToSpkiDer()));
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().message().find("CERTIFICATE"), std::string::npos);
  EXPECT_FALSE(Sm2PublicKey::FromPem("").ok());
  EXPECT_FALSE(Sm2PublicKey::FromPem("-----BEGIN PUBLIC KEY-----\nAAAA\n").ok());
  EXPECT_FALSE(
      Sm2PublicKey::FromPem("-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----\n").ok());
}

// ---- PKCS#8 and SEC1 --------------------------------------------------------------------

TEST(Sm2Pkcs8Test, ExactEncodingAndRoundTrip) {
  auto key = Sm2PrivateKey::FromScalar(Hex(kD));
  ASSERT_TRUE(key.ok());
  Bytes expected = Pkcs8(0, EcAlg(), EcPrivateKey(Hex(kD), {}, Hex(kPoint)));
  EXPECT_EQ(HexEncode(SecretToBytes(key->ToPkcs8Der())), HexEncode(expected));
  auto back = Sm2PrivateKey::FromPkcs8Der(key->ToPkcs8Der().view());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(SecretToBytes(back->Scalar()), Hex(kD));
  std::string pem(AsChars(key->ToPem().view()));
  EXPECT_EQ(pem.rfind("-----BEGIN PRIVATE KEY-----\n", 0), 0u);
  auto from_pem = Sm2PrivateKey::FromPem(pem);
  ASSERT_TRUE(from_pem.ok());
  EXPECT_EQ(from_pem->PublicKey(), key->PublicKey());
}

TEST(Sm2Pkcs8Test, AcceptsTolerableVariants) {
  Bytes d = Hex(kD), point = Hex(kPoint);
  struct Case {
    const char* name;
    Bytes der;
  } cases[] = {
      {"SM2 algorithm OID", Pkcs8(0, Seq({Oid(OidSm2())}), EcPrivateKey(d, {}, point))},
      {"SM2 OID with NULL", Pkcs8(0, Seq({Oid(OidSm2()), Null()}), EcPrivateKey(d, {}, point))},
      {"version 1", Pkcs8(1, EcAlg(), EcPrivateKey(d, {}, point))},
      {"no public key", Pkcs8(0, EcAlg(), EcPrivateKey(d, {}, {}))},
      {"curve in ECPrivateKey",
       Pkcs8(0, EcAlg(), EcPrivateKey(d, Bytes(OidSm2().begin(), OidSm2().end()), point))},
      {"curve only in ECPrivateKey",
       Pkcs8(0, Seq({Oid(OidEcPublicKey())}),
             EcPrivateKey(d, Bytes(OidSm2().begin(), OidSm2().end()), {}))},
      {"33-byte d with a leading zero",
       Pkcs8(0, EcAlg(), EcPrivateKey(Concat(Bytes{0}, d), {}, point))},
  };
  for (const auto& c : cases) {
    auto key = Sm2PrivateKey::FromPkcs8Der(c.der);
    ASSERT_TRUE(key.ok()) << c.name << ": " << key.status().ToString();
    EXPECT_EQ(key->PublicKey().Point(), point) << c.name;
  }
}

TEST(Sm2Pkcs8Test, AcceptsAShortScalar) {
  Bytes d(32, 0);
  d[30] = 0x12;
  d[31] = 0x34;
  auto ref = Sm2PrivateKey::FromScalar(d);
  ASSERT_TRUE(ref.ok());
  auto key =
      Sm2PrivateKey::FromPkcs8Der(Pkcs8(0, EcAlg(), EcPrivateKey(Bytes{0x12, 0x34}, {}, {})));
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(key->PublicKey(), ref->PublicKey());
}

TEST(Sm2Pkcs8Test, RejectsBadKeys) {
  Bytes d = Hex(kD), point = Hex(kPoint);
  auto other = Sm2PrivateKey::Generate();
  ASSERT_TRUE(other.ok());
  Bytes n = Hex("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123");
  Bytes p256(std::begin(kOidPrime256v1), std::end(kOidPrime256v1));
  struct Case {
    const char* name;
    Bytes der;
  } cases[] = {
      {"mismatched public key", Pkcs8(0, EcAlg(), EcPrivateKey(d, {}, other->PublicKey().Point()))},
      {"P-256",
       Pkcs8(0, Seq({Oid(OidEcPublicKey()), Oid(kOidPrime256v1)}), EcPrivateKey(d, {}, {}))},
      {"P-256 inside", Pkcs8(0, EcAlg(), EcPrivateKey(d, p256, {}))},
      {"no curve anywhere", Pkcs8(0, Seq({Oid(OidEcPublicKey())}), EcPrivateKey(d, {}, {}))},
      {"RSA", Pkcs8(0, Seq({Oid(kOidRsa), Null()}), EcPrivateKey(d, {}, {}))},
      {"PKCS#8 version 2", Pkcs8(2, EcAlg(), EcPrivateKey(d, {}, {}))},
      {"ECPrivateKey version 0", Pkcs8(0, EcAlg(), Seq({Int(0), Tlv(0x04, d)}))},
      {"zero scalar", Pkcs8(0, EcAlg(), EcPrivateKey(Bytes(32, 0), {}, {}))},
      {"scalar n", Pkcs8(0, EcAlg(), EcPrivateKey(n, {}, {}))},
      {"33 significant bytes", Pkcs8(0, EcAlg(), EcPrivateKey(Concat(Bytes{1}, d), {}, {}))},
      {"trailing data", Concat(Pkcs8(0, EcAlg(), EcPrivateKey(d, {}, {})), Bytes{0, 0})},
      {"trailing data inside", Pkcs8(0, EcAlg(), Concat(EcPrivateKey(d, {}, {}), Bytes{5, 0}))},
      {"not a key", Bytes{0x30, 0x00}},
  };
  for (const auto& c : cases) {
    auto key = Sm2PrivateKey::FromPkcs8Der(c.der);
    EXPECT_FALSE(key.ok()) << c.name;
    if (!key.ok()) {
      EXPECT_EQ(key.status().code(), StatusCode::kInvalidArgument) << c.name;
    }
  }
}

TEST(Sm2Sec1Test, EcPrivateKeyPemWithParametersBlock) {
  Bytes sec1 = EcPrivateKey(Hex(kD), Bytes(OidSm2().begin(), OidSm2().end()), Hex(kPoint));
  std::string pem =
      "-----BEGIN EC PARAMETERS-----\nBggqgRzPVQGCLQ==\n-----END EC PARAMETERS-----\n" +
      Pem("EC PRIVATE KEY", sec1);
  auto key = Sm2PrivateKey::FromPem(pem);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(key->PublicKey().Point(), Hex(kPoint));
}

TEST(Sm2Sec1Test, EcPrivateKeyMustNameItsCurve) {
  Bytes sec1 = EcPrivateKey(Hex(kD), {}, Hex(kPoint));
  auto key = Sm2PrivateKey::FromPem(Pem("EC PRIVATE KEY", sec1));
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().code(), StatusCode::kInvalidArgument);
}

TEST(Sm2PemTest, EncryptedKeysAreRefusedWithoutPrompting) {
  std::string legacy =
      "-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: "
      "AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n"
      "AAAA\n-----END EC PRIVATE KEY-----\n";
  auto a = Sm2PrivateKey::FromPem(legacy);
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("encrypted"), std::string::npos);
  auto b = Sm2PrivateKey::FromPem(Pem("ENCRYPTED PRIVATE KEY", Bytes{0x30, 0x00}));
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), StatusCode::kInvalidArgument);
}

TEST(Sm2PemTest, ErrorsNeverEchoKeyMaterial) {
  Bytes d = Hex(kD);
  auto other = Sm2PrivateKey::Generate();
  ASSERT_TRUE(other.ok());
  auto key = Sm2PrivateKey::FromPkcs8Der(
      Pkcs8(0, EcAlg(), EcPrivateKey(d, {}, other->PublicKey().Point())));
  ASSERT_FALSE(key.ok());
  std::string msg = key.status().ToString();
  EXPECT_EQ(msg.find(HexEncode(d)), std::string::npos);
  EXPECT_EQ(msg.find(HexEncode(d, true)), std::string::npos);
  EXPECT_EQ(msg.find(HexEncode(ByteView(d).first(4))), std::string::npos);
}

// ---- Signature values ----------------------------------------------------------------

TEST(Sm2SignatureValueTest, HighBitsGetAZeroPrefix) {
  Bytes raw =
      Hex("F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3"
          "B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA");
  auto der = Sm2RawToDer(raw);
  ASSERT_TRUE(der.ok());
  EXPECT_EQ(HexEncode(*der, true),
            "3046022100F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3"
            "022100B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA");
  auto back = Sm2DerToRaw(*der);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, raw);
}

// DER verifies as is; raw r||s verifies and says so (the caller reports the tolerance);
// another message fails in either form.
TEST(Sm2SignatureValueTest, VerifyDerOrRawNamesTheRawForm) {
  Sm2PrivateKey key = Sm2PrivateKey::Generate().value();
  const Bytes msg = ToBytes("message"), other = ToBytes("other message");
  Bytes der = key.Sign(msg).value();
  Bytes raw = Sm2DerToRaw(der).value();
  bool was_raw = true;
  EXPECT_TRUE(VerifySm2DerOrRaw(key.PublicKey(), msg, der, &was_raw));
  EXPECT_FALSE(was_raw);
  EXPECT_TRUE(VerifySm2DerOrRaw(key.PublicKey(), msg, raw, &was_raw));
  EXPECT_TRUE(was_raw);
  EXPECT_FALSE(VerifySm2DerOrRaw(key.PublicKey(), other, der, &was_raw));
  EXPECT_FALSE(VerifySm2DerOrRaw(key.PublicKey(), other, raw, &was_raw));
  EXPECT_FALSE(was_raw);
}

TEST(Sm2SignatureValueTest, LeadingZerosAreDroppedAndRestored) {
  Bytes raw(64, 0);
  raw[2] = 0x01;  // r = 0x0001...: two leading zero bytes
  raw[31] = 0x22;
  raw[63] = 0x7F;  // s = 0x7F
  auto der = Sm2RawToDer(raw);
  ASSERT_TRUE(der.ok());
  EXPECT_EQ(HexEncode(*der),
            "3023021e01000000000000000000000000000000000000000000000000000000002202017f");
  auto back = Sm2DerToRaw(*der);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, raw);
  Bytes high(64, 0);
  high[32] = 0x80;  // s with the high bit set after no leading zeros
  high[31] = 0x80;  // r = 0x80: one byte needing a zero prefix
  auto der2 = Sm2RawToDer(high);
  ASSERT_TRUE(der2.ok());
  EXPECT_EQ(HexEncode(ByteView(*der2).first(8)), "3027020200800221");
  auto back2 = Sm2DerToRaw(*der2);
  ASSERT_TRUE(back2.ok());
  EXPECT_EQ(*back2, high);
}

TEST(Sm2SignatureValueTest, RoundTripsRandomValues) {
  Bytes raw(64);
  uint32_t x = 12345;
  for (int i = 0; i < 500; ++i) {
    for (auto& b : raw) {
      x = x * 1103515245u + 12345u;
      b = static_cast<uint8_t>(x >> 24);
    }
    // Every so often, force leading zeros or high bits.
    if (i % 3 == 0) raw[0] = 0;
    if (i % 5 == 0) raw[32] = 0x80;
    if (i % 7 == 0) std::fill(raw.begin(), raw.begin() + 9, 0);
    auto der = Sm2RawToDer(raw);
    ASSERT_TRUE(der.ok());
    auto back = Sm2DerToRaw(*der);
    ASSERT_TRUE(back.ok());
    ASSERT_EQ(*back, raw);
  }
}

TEST(Sm2SignatureValueTest, RejectsNonDerAndOutOfRange) {
  EXPECT_FALSE(Sm2RawToDer(Bytes(63, 1)).ok());
  EXPECT_FALSE(Sm2RawToDer(Bytes(64, 0)).ok());
  Bytes r_zero(64, 1);
  std::fill(r_zero.begin(), r_zero.begin() + 32, 0);
  EXPECT_FALSE(Sm2RawToDer(r_zero).ok());
  const char* bad[] = {
      "",
      "3006020101020101"
      "00",                  // trailing byte
      "300702020001020101",  // non-minimal r (leading 00 before 0x01)
      "3006020180020101",    // negative r
      "3006020100020101",    // r = 0
      "30810602010102010",   // odd garbage
      "3081060201010201"
      "01",                      // long-form length 6 (must be short)
      "3007020101020101",        // length says 7, content is 6
      "31060201010201 01",       // SET, not SEQUENCE
      "300502010102",            // truncated
      "3009020101020101020101",  // three integers
  };
  for (const char* h : bad) {
    std::string clean;
    for (const char* c = h; *c; ++c) {
      if (*c != ' ') clean += *c;
    }
    auto bytes = HexDecode(clean);
    Bytes in = bytes.ok() ? *bytes : Bytes{0x30, 0x81};
    EXPECT_FALSE(Sm2DerToRaw(in).ok()) << h;
  }
  // 33 significant bytes of r.
  Bytes big =
      Hex("3026022101"
          "0000000000000000000000000000000000000000000000000000000000000000"
          "020101");
  EXPECT_FALSE(Sm2DerToRaw(big).ok());
}

}  // namespace
}  // namespace eseal::crypto
