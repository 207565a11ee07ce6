#include "eseal/x509/certificate.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>

#include "eseal/asn1/der.h"
#include "test_util.h"

namespace eseal::x509 {
namespace {

using namespace eseal::x509::testing;

// ---- The vendor survey: every certificate embedded in the ofdrw sample files ------------

// The brief's shape: a SEQUENCE of three elements whose first is a SEQUENCE.
bool LooksLikeCertificate(ByteView der) {
  auto e = asn1::ParseSingle(der);
  if (!e.ok() || e->tag != asn1::kSequence) return false;
  asn1::Reader r(e->content);
  int n = 0;
  bool first_seq = false;
  while (!r.empty()) {
    auto x = r.ReadElement();
    if (!x.ok()) return false;
    if (n == 0) first_seq = x->tag == asn1::kSequence;
    ++n;
  }
  return n == 3 && first_seq;
}

// A certificate written directly as an element (GB/T 35275 SignedData certificates):
// SEQUENCE { SEQUENCE, SEQUENCE, BIT STRING }.
bool LooksLikeEmbeddedCertificate(ByteView der) {
  if (!LooksLikeCertificate(der)) return false;
  asn1::Reader r(asn1::ParseSingle(der)->content);
  return r.ReadElement().ok() && r.PeekIs(asn1::kSequence) && r.ReadElement().ok() &&
         r.PeekIs(asn1::kBitString);
}

struct Found {
  std::string file;
  Bytes der;
};

// Walks every element; returns false if the file is not a clean DER tree.
bool Walk(asn1::Reader r, const std::string& file, std::vector<Found>* in_octets,
          std::vector<Found>* direct) {
  while (!r.empty()) {
    auto e = r.ReadElement();
    if (!e.ok()) return false;
    if (e->tag == asn1::kOctetString && LooksLikeCertificate(e->content)) {
      in_octets->push_back(Found{file, Bytes(e->content.begin(), e->content.end())});
    } else if (e->tag == asn1::kSequence && LooksLikeEmbeddedCertificate(e->encoding)) {
      direct->push_back(Found{file, Bytes(e->encoding.begin(), e->encoding.end())});
    }
    if (e->tag & asn1::kConstructed) {
      if (!Walk(asn1::Reader(e->content), file, in_octets, direct)) return false;
    }
  }
  return true;
}

std::vector<std::string> VendorFiles() {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  std::string base = Shared("ofdrw");
  for (const auto& e : fs::directory_iterator(base + "/seals")) files.push_back(e.path().string());
  for (const auto& e : fs::directory_iterator(base + "/ses-values")) {
    if (e.path().extension() == ".dat") files.push_back(e.path().string());
  }
  for (const auto& d : fs::directory_iterator(base + "/extracted")) {
    for (const char* name : {"SignedValue.dat", "SignValue.dat", "Seal.esl"}) {
      fs::path p = d.path() / name;
      if (fs::exists(p)) files.push_back(p.string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(VendorCertificateSurvey, ParsesEveryEmbeddedCertificate) {
  std::vector<std::string> files = VendorFiles();
  ASSERT_EQ(files.size(), 22u);
  std::vector<Found> in_octets, direct;
  for (const std::string& f : files) {
    Bytes data = MustRead(f);
    bool clean = Walk(asn1::Reader(data), f, &in_octets, &direct);
    EXPECT_TRUE(clean) << f << " is not a clean DER tree";
  }
  // Every OCTET STRING holding a certificate, counting repeats (one seal embeds the
  // signer certificate in several files).
  EXPECT_EQ(in_octets.size(), 46u);
  // Certificates written directly (GB/T 35275 SignedData.certificates).
  EXPECT_EQ(direct.size(), 3u);

  std::map<Bytes, Certificate> unique;
  for (const auto* list : {&in_octets, &direct}) {
    for (const Found& f : *list) {
      auto c = Certificate::FromDer(f.der);
      ASSERT_TRUE(c.ok()) << f.file << ": " << c.status().ToString();
      if (unique.emplace(f.der, *c).second) {
        std::string rel = f.file.substr(Shared("ofdrw/").size());
        std::printf(
            "[survey] %s\n  subject: %s\n  issuer:  %s\n  serial %s, v%d, %s .. %s, "
            "KU %s, %zu ext\n",
            rel.c_str(), c->subject().ToString().c_str(), c->issuer().ToString().c_str(),
            c->SerialHex().c_str(), c->version(), FormatRfc3339(c->not_before()).c_str(),
            FormatRfc3339(c->not_after()).c_str(),
            c->key_usage() ? KeyUsageToString(*c->key_usage()).c_str() : "-",
            c->extensions().size());
        EXPECT_TRUE(c->public_key().ok()) << rel;
        EXPECT_EQ(c->signature_algorithm(), asn1::oids::Sm2WithSm3());
      }
    }
  }
  EXPECT_EQ(unique.size(), 11u);
  std::set<std::string> subjects, serials;
  std::map<std::string, std::vector<std::string>> tolerated;
  for (const auto& [der, c] : unique) {
    subjects.insert(c.subject().CommonName());
    serials.insert(c.SerialHex());
    if (!c.tolerances().empty()) tolerated[c.SerialHex()] = c.tolerances();
  }
  // Vendor deviations from DER, accepted behind named tolerances: the JSGXCA certificates
  // (dianju sample) write KeyUsage as 03 02 00 C0 / 03 02 00 F8 (trailing zero bits) and
  // basicConstraints as 30 03 01 01 00 (cA FALSE written out); the certificate from the
  // CEGN Class 2 CA (oesplugin sample) does both too.
  const std::vector<std::string> both = {"basic_constraints_explicit_false",
                                         "key_usage_trailing_zero_bits"};
  auto sorted = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  EXPECT_EQ(tolerated.size(), 3u);
  EXPECT_EQ(sorted(tolerated["778800000023AF56E2DE7D1D"]), both);
  EXPECT_EQ(sorted(tolerated["77880000001DE408E5B881C5"]), both);
  EXPECT_EQ(sorted(tolerated["3DF500F20004A9BC"]), both);
  for (const char* cn :
       {"Test Certificate", "国家税务总局浙江省税务局", "苏州统一电子印章", "32050000011053",
        "国家税务总局电子印章测试系统", "全国统一发票监制章国家税务总局重庆市税务局",
        "37030000001721", "山东省政府统一电子印章制作系统", "test111"}) {
    EXPECT_TRUE(subjects.count(cn)) << cn;
  }
  for (const char* serial :
       {"01719D2DAB60", "01719D2E201D", "017AF20E3374", "16030000101CA1",
        "778800000023AF56E2DE7D1D", "65A6EE38170A1468ABCC12464EF7D5C60EF6A589"}) {
    EXPECT_TRUE(serials.count(serial)) << serial;
  }
}

// ---- The ofdrw keys/ certificates --------------------------------------------------------

TEST(OfdrwKeys, ParseAndIssuedByTheRoot) {
  Certificate root = MustCertPem(Shared("ofdrw/keys/root_cert.pem"));
  Certificate user = MustCertPem(Shared("ofdrw/keys/user_cert.pem"));
  Certificate sealer = MustCertPem(Shared("ofdrw/keys/sealer_cert.pem"));
  Certificate sign = MustCertPem(Shared("ofdrw/keys/sign_cert.pem"));
  EXPECT_EQ(root.subject().CommonName(), "OFD Reader and WriterROOT Certificate");
  EXPECT_TRUE(root.IsSelfIssued());
  EXPECT_TRUE(root.is_ca());
  // The root's keyUsage lacks keyCertSign (README: why `openssl verify` rejects it).
  ASSERT_TRUE(root.key_usage().has_value());
  EXPECT_EQ(*root.key_usage(), kDigitalSignature | kNonRepudiation);
  EXPECT_TRUE(root.IsSignedBy(root));

  EXPECT_EQ(user.SerialHex(), "01719D2DAB60");
  EXPECT_EQ(sealer.SerialHex(), "01719D2E201D");
  EXPECT_EQ(sign.SerialHex(), "017AF20E3374");
  // Found: all three really are signed by the root (default SM2 ID), as the README says.
  EXPECT_TRUE(user.IsSignedBy(root));
  EXPECT_TRUE(sealer.IsSignedBy(root));
  EXPECT_TRUE(sign.IsSignedBy(root));
  EXPECT_FALSE(user.IsSignedBy(sealer));
  EXPECT_FALSE(root.IsSignedBy(user));
  for (const Certificate* c : {&user, &sealer, &sign}) {
    EXPECT_EQ(c->issuer(), root.subject());
    EXPECT_FALSE(c->is_ca());
    EXPECT_TRUE(c->has_basic_constraints());
    EXPECT_EQ(c->subject().ToString(),
              "C=CN, O=OFD R&W, ST=Zhejiang, L=Hangzhou, CN=Test Certificate");
    ASSERT_TRUE(c->ext_key_usage().has_value());
    EXPECT_EQ(c->ext_key_usage()->at(0), oids::KpClientAuth());
  }
  EXPECT_EQ(FormatRfc3339(user.not_before()), "2020-04-21T14:39:08Z");
  EXPECT_EQ(FormatRfc3339(user.not_after()), "2022-04-21T14:39:08Z");
  // The user certificate is the one embedded in the test seal.
  Bytes esl = MustRead(Shared("ofdrw/seals/UserV4.esl"));
  auto it = std::search(esl.begin(), esl.end(), user.der().begin(), user.der().end());
  EXPECT_NE(it, esl.end());
  // Fingerprints are SM3 over the DER.
  EXPECT_EQ(user.Fingerprint().size(), 32u);
  EXPECT_NE(user.Fingerprint(), sealer.Fingerprint());
}

TEST(CertificateTest, PemBundleAndRoundTrip) {
  std::string bundle = MustReadText(Shared("ofdrw/keys/user_cert.pem")) +
                       MustReadText(Shared("ofdrw/keys/root_cert.pem"));
  auto certs = Certificate::FromPemBundle(bundle);
  ASSERT_TRUE(certs.ok()) << certs.status().ToString();
  ASSERT_EQ(certs->size(), 2u);
  EXPECT_TRUE((*certs)[0].IsSignedBy((*certs)[1]));
  auto again = Certificate::FromPem((*certs)[0].ToPem());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, (*certs)[0]);
  EXPECT_FALSE(Certificate::FromPem("no pem here").ok());
  EXPECT_FALSE(
      Certificate::FromPemBundle("-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----\n")
          .ok());
}

// ---- Differential: certificates made by the openssl CLI ------------------------------------

TEST(CertificateTest, OpenSslMadeCertificatesVerify) {
  Certificate root = MustCertPem(Own("x509/openssl-sm2-root.pem"));
  Certificate leaf = MustCertPem(Own("x509/openssl-sm2-leaf.pem"));
  Certificate v1 = MustCertPem(Own("x509/openssl-sm2-v1.pem"));
  EXPECT_TRUE(root.IsSignedBy(root));
  EXPECT_TRUE(leaf.IsSignedBy(root));
  EXPECT_TRUE(v1.IsSignedBy(root));
  EXPECT_FALSE(leaf.IsSignedBy(leaf));
  EXPECT_EQ(root.version(), 3);
  EXPECT_EQ(root.SerialHex(), "1234");
  EXPECT_TRUE(root.is_ca());
  EXPECT_EQ(root.key_usage(), std::optional<uint32_t>(kKeyCertSign | kCrlSign));
  EXPECT_EQ(root.subject_key_id(), root.authority_key_id());
  EXPECT_EQ(leaf.SerialHex(), "0A0B0C");
  EXPECT_EQ(leaf.authority_key_id(), root.subject_key_id());
  EXPECT_EQ(leaf.crl_distribution_points(),
            std::vector<std::string>{"http://crl.example.test/openssl-sm2.crl"});
  EXPECT_EQ(leaf.key_usage(), std::optional<uint32_t>(kDigitalSignature | kNonRepudiation));
  EXPECT_EQ(leaf.public_key_algorithm(), asn1::oids::EcPublicKey());
  EXPECT_EQ(leaf.public_key_curve(), asn1::oids::Sm2Curve());
  EXPECT_EQ(v1.version(), 1);
  EXPECT_TRUE(v1.extensions().empty());
  EXPECT_FALSE(v1.key_usage().has_value());
}

TEST(CertificateTest, FreshOpenSslReqX509VerifiesWithIsSignedBy) {
  if (!HaveOpenSsl()) GTEST_SKIP() << "openssl CLI not found";
  std::string dir = TempDir();
  auto r = RunCommand("cd " + dir +
                      " && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:SM2 -out k.pem"
                      " && openssl req -x509 -new -key k.pem -sm3 -sigopt distid:1234567812345678"
                      " -subj '/C=CN/O=eseal/CN=openssl req test' -days 30 -out c.pem");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  Certificate c = MustCertPem(dir + "/c.pem");
  EXPECT_TRUE(c.IsSignedBy(c));
  EXPECT_EQ(c.subject().ToString(), "C=CN, O=eseal, CN=openssl req test");
  // Without the distinguishing ID OpenSSL hashes another Z: not interoperable, and our
  // verification (default ID) must say so.
  r = RunCommand(
      "cd " + dir +
      " && openssl req -x509 -new -key k.pem -sm3 -subj '/CN=no distid' -days 30 -out d.pem");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  Certificate d = MustCertPem(dir + "/d.pem");
  EXPECT_FALSE(d.IsSignedBy(d));
  std::filesystem::remove_all(dir);
}

// ---- Strictness: negatives made by mutating a good certificate --------------------------------

class MutationTest : public ::testing::Test {
 protected:
  void SetUp() override { good_ = MustCertPem(Own("x509/openssl-sm2-leaf.pem")).der(); }
  // Replaces the first occurrence of `from` (same length as `to`).
  Bytes Replace(const Bytes& from, const Bytes& to) {
    Bytes out = good_;
    auto it = std::search(out.begin(), out.end(), from.begin(), from.end());
    EXPECT_NE(it, out.end());
    if (it != out.end()) std::copy(to.begin(), to.end(), it);
    return out;
  }
  Bytes good_;
};

TEST_F(MutationTest, GoodOneParses) { ASSERT_TRUE(Certificate::FromDer(good_).ok()); }

TEST_F(MutationTest, RejectsTrailingData) {
  Bytes b = good_;
  b.push_back(0x00);
  EXPECT_FALSE(Certificate::FromDer(b).ok());
  // Data after the signature inside the outer SEQUENCE: grow the outer length by one.
  Bytes inner(good_.begin() + 4, good_.end());
  inner.push_back(0x05);
  inner.push_back(0x00);
  Bytes c = asn1::EncodeTlv(asn1::kSequence, inner);
  EXPECT_FALSE(Certificate::FromDer(c).ok());
}

TEST_F(MutationTest, RejectsBadVersions) {
  EXPECT_FALSE(
      Certificate::FromDer(Replace({0xa0, 0x03, 0x02, 0x01, 0x02}, {0xa0, 0x03, 0x02, 0x01, 0x03}))
          .ok());
  EXPECT_FALSE(
      Certificate::FromDer(Replace({0xa0, 0x03, 0x02, 0x01, 0x02}, {0xa0, 0x03, 0x02, 0x01, 0x00}))
          .ok());
  // v2 (1) with extensions is not allowed either.
  EXPECT_FALSE(
      Certificate::FromDer(Replace({0xa0, 0x03, 0x02, 0x01, 0x02}, {0xa0, 0x03, 0x02, 0x01, 0x01}))
          .ok());
  // The version as IMPLICIT [0] instead of EXPLICIT.
  EXPECT_FALSE(
      Certificate::FromDer(Replace({0xa0, 0x03, 0x02, 0x01, 0x02}, {0xa1, 0x03, 0x02, 0x01, 0x02}))
          .ok());
}

TEST_F(MutationTest, RejectsWrongTags) {
  Bytes b = good_;
  b[0] = 0x31;  // SET instead of SEQUENCE
  EXPECT_FALSE(Certificate::FromDer(b).ok());
  // Serial INTEGER 0A0B0C as an OCTET STRING.
  EXPECT_FALSE(
      Certificate::FromDer(Replace({0x02, 0x03, 0x0a, 0x0b, 0x0c}, {0x04, 0x03, 0x0a, 0x0b, 0x0c}))
          .ok());
  // The signatureAlgorithm OID as a UTF8String.
  EXPECT_FALSE(
      Certificate::FromDer(Replace({0x06, 0x08, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x83, 0x75},
                                   {0x0c, 0x08, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x83, 0x75}))
          .ok());
  // The signature BIT STRING as an OCTET STRING (the last 0x03 length-prefixed element).
  Bytes sig = good_;
  size_t pos = sig.size() - 1;
  while (pos > 0 && !(sig[pos] == 0x03 && sig[pos + 1] + pos + 2 == sig.size())) --pos;
  ASSERT_GT(pos, 0u);
  sig[pos] = 0x04;
  EXPECT_FALSE(Certificate::FromDer(sig).ok());
}

TEST_F(MutationTest, RejectsAlgorithmMismatchAndNonDer) {
  // Change the inner (TBS) signature OID's last arc only: 1.2.156.10197.1.501 → .502.
  Bytes alg = {0x06, 0x08, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x83, 0x75};
  Bytes b = Replace(alg, {0x06, 0x08, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x83, 0x76});
  EXPECT_FALSE(Certificate::FromDer(b).ok());
  // Non-minimal outer length: 30 82 LL LL → 30 83 00 LL LL.
  ASSERT_EQ(good_[1], 0x82);
  Bytes nm = {0x30, 0x83, 0x00};
  nm.insert(nm.end(), good_.begin() + 2, good_.end());
  EXPECT_FALSE(Certificate::FromDer(nm).ok());
  // Truncated anywhere.
  for (size_t n : {size_t{0}, size_t{1}, size_t{10}, good_.size() / 2, good_.size() - 1}) {
    EXPECT_FALSE(Certificate::FromDer(ByteView(good_.data(), n)).ok()) << n;
  }
  // keyUsage critical written as explicit FALSE (the DEFAULT must be omitted).
  EXPECT_FALSE(Certificate::FromDer(Replace({0x55, 0x1d, 0x0f, 0x01, 0x01, 0xff},
                                            {0x55, 0x1d, 0x0f, 0x01, 0x01, 0x00}))
                   .ok());
  // A negative serial.
  EXPECT_FALSE(
      Certificate::FromDer(Replace({0x02, 0x03, 0x0a, 0x0b, 0x0c}, {0x02, 0x03, 0x8a, 0x0b, 0x0c}))
          .ok());
  // An invalid date (month 13) in notBefore.
  Certificate c = *Certificate::FromDer(good_);
  std::string nb = FormatGeneralized(c.not_before()).substr(2, 12) + "Z";  // UTCTime text
  Bytes from = {0x17, 0x0d};
  from.insert(from.end(), nb.begin(), nb.end());
  Bytes to = from;
  to[4] = '1';
  to[5] = '3';
  EXPECT_FALSE(Certificate::FromDer(Replace(from, to)).ok());
}

TEST_F(MutationTest, KeyUsageWithTrailingZeroBitsIsToleratedByName) {
  // 03 02 07 80 (digitalSignature... here: the leaf's 03 02 06 C0) → 03 02 00 C0.
  Bytes b = Replace({0x03, 0x02, 0x06, 0xc0}, {0x03, 0x02, 0x00, 0xc0});
  auto c = Certificate::FromDer(b);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->key_usage(), std::optional<uint32_t>(kDigitalSignature | kNonRepudiation));
  EXPECT_EQ(c->tolerances(), std::vector<std::string>{"key_usage_trailing_zero_bits"});
  EXPECT_TRUE(Certificate::FromDer(good_)->tolerances().empty());
  // Unused bits that are not zero stay an error.
  EXPECT_FALSE(
      Certificate::FromDer(Replace({0x03, 0x02, 0x06, 0xc0}, {0x03, 0x02, 0x06, 0xc1})).ok());
}

TEST_F(MutationTest, EveryOneByteChangeIsHandled) {
  // Parsing must never crash; a change in the signed part must never verify.
  Certificate root = MustCertPem(Own("x509/openssl-sm2-root.pem"));
  Certificate good = *Certificate::FromDer(good_);
  size_t tbs_end =
      static_cast<size_t>(good.tbs_der().data() - good.der().data()) + good.tbs_der().size();
  int parsed = 0;
  for (size_t i = 0; i < good_.size(); i += 3) {
    Bytes b = good_;
    b[i] ^= 0x01;
    auto c = Certificate::FromDer(b);
    if (!c.ok()) continue;
    ++parsed;
    if (i < tbs_end) {
      EXPECT_FALSE(c->IsSignedBy(root)) << "byte " << i;
    }
  }
  EXPECT_GT(parsed, 0);
}

TEST(CertificateTest, BuilderOutputParsesWithAllExtensions) {
  auto key = NewKey();
  CertificateParams p =
      LeafParams(N("CN=issuer,C=CN"), N("CN=leaf,C=CN"), key.PublicKey(), key.PublicKey());
  p.ext_key_usage = {oids::KpEmailProtection()};
  p.policies = {asn1::MustOid("1.2.3.4")};
  p.crl_distribution_points = {"http://a.test/1.crl", "ldap://b.test/c=cn"};
  p.basic_constraints = BasicConstraintsParams{false, std::nullopt, false};
  p.not_after = T(2050, 6, 1);  // GeneralizedTime from 2050
  Certificate c = Build(p, key);
  EXPECT_EQ(c.version(), 3);
  EXPECT_FALSE(c.is_ca());
  EXPECT_TRUE(c.has_basic_constraints());
  EXPECT_EQ(c.ext_key_usage()->size(), 1u);
  EXPECT_EQ(c.policies().size(), 1u);
  EXPECT_EQ(c.crl_distribution_points().size(), 2u);
  EXPECT_EQ(c.not_after(), T(2050, 6, 1));
  EXPECT_EQ(c.UnhandledCriticalExtension(), nullptr);
  EXPECT_TRUE(c.IsSignedBy(c));  // same key signs and is certified here
  Bytes gt = {0x18, 0x0f, '2', '0', '5', '0', '0', '6', '0', '1'};
  EXPECT_NE(std::search(c.der().begin(), c.der().end(), gt.begin(), gt.end()), c.der().end());

  p.extra_extensions.push_back(Extension{asn1::MustOid("1.2.3.99"), true, {0x05, 0x00}});
  Certificate u = Build(p, key);
  ASSERT_NE(u.UnhandledCriticalExtension(), nullptr);
  EXPECT_EQ(u.UnhandledCriticalExtension()->id.ToString(), "1.2.3.99");

  // Duplicate extensions are rejected by the parser.
  p.extra_extensions = {Extension{asn1::oids::KeyUsage(), false, {0x03, 0x02, 0x07, 0x80}}};
  auto dup = BuildCertificate(p, key);
  ASSERT_TRUE(dup.ok());
  EXPECT_FALSE(Certificate::FromDer(*dup).ok());

  CertificateParams v1 = LeafParams(N("CN=i"), N("CN=s"), key.PublicKey(), key.PublicKey());
  v1.version = 1;
  EXPECT_FALSE(BuildCertificate(v1, key).ok());  // has extensions
  v1.key_usage.reset();
  v1.subject_key_id.clear();
  v1.authority_key_id.clear();
  Certificate c1 = Build(v1, key);
  EXPECT_EQ(c1.version(), 1);
}

TEST(CertificateTest, NonSm2KeyParsesButHasNoSm2PublicKey) {
  // P-256 SubjectPublicKeyInfo (id-ecPublicKey, prime256v1) with the generator as the key.
  auto p256 = HexDecode(
      "3059301306072a8648ce3d020106082a8648ce3d030107034200"
      "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
      "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5");
  ASSERT_TRUE(p256.ok());
  auto key = NewKey();
  CertificateParams p = LeafParams(N("CN=i"), N("CN=p256"), key.PublicKey(), key.PublicKey());
  p.spki_der = *p256;
  Certificate c = Build(p, key);
  EXPECT_FALSE(c.public_key().ok());
  EXPECT_EQ(c.public_key_curve().ToString(), "1.2.840.10045.3.1.7");
  EXPECT_FALSE(c.IsSignedBy(c));
}

}  // namespace
}  // namespace eseal::x509
