#include "eseal/x509/crl.h"

#include <gtest/gtest.h>

#include "eseal/asn1/der.h"
#include "eseal/x509/builder.h"
#include "test_util.h"

namespace eseal::x509 {
namespace {

using namespace eseal::x509::testing;

TEST(CrlTest, ParsesOpenSslCrl) {
  Certificate root = MustCertPem(Own("x509/openssl-sm2-root.pem"));
  Certificate leaf = MustCertPem(Own("x509/openssl-sm2-leaf.pem"));
  auto crl = Crl::FromPem(MustReadText(Own("x509/openssl-sm2-crl.pem")));
  ASSERT_TRUE(crl.ok()) << crl.status().ToString();
  EXPECT_EQ(crl->version(), 2);
  EXPECT_EQ(crl->issuer(), root.subject());
  EXPECT_EQ(crl->crl_number(), Bytes{0x01});
  EXPECT_EQ(crl->authority_key_id(), root.subject_key_id());
  ASSERT_TRUE(crl->next_update().has_value());
  EXPECT_EQ(*crl->next_update() - crl->this_update(), std::chrono::seconds(30 * 86400));
  ASSERT_EQ(crl->entries().size(), 1u);
  const RevokedEntry* e = crl->Lookup(leaf.serial());
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->reason, RevocationReason::kKeyCompromise);
  EXPECT_EQ(e->revocation_date, crl->this_update());
  EXPECT_NE(crl->Lookup(Bytes{0x00, 0x0a, 0x0b, 0x0c}), nullptr);  // leading zero ignored
  EXPECT_EQ(crl->Lookup(Bytes{0x0a, 0x0b}), nullptr);
  EXPECT_EQ(crl->Lookup(Bytes{0x0a, 0x0b, 0x0d}), nullptr);
  EXPECT_TRUE(crl->IsSignedBy(root));
  EXPECT_FALSE(crl->IsSignedBy(leaf));
  auto again = Crl::FromPem(crl->ToPem());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->der(), crl->der());
}

class BuiltCrlTest : public ::testing::Test {
 protected:
  BuiltCrlTest() : key_(NewKey()) {
    issuer_ = Build(
        CaParams(N("CN=CRL CA,C=CN"), N("CN=CRL CA,C=CN"), key_.PublicKey(), key_.PublicKey()),
        key_);
    params_.issuer = issuer_.subject();
    params_.this_update = T(2026, 3, 1);
    params_.next_update = T(2026, 3, 8);
    params_.crl_number = {0x01, 0x00};
    params_.authority_key_id = issuer_.subject_key_id();
    params_.entries = {
        {{0x01}, T(2026, 1, 2), RevocationReason::kKeyCompromise},
        {{0x80, 0x00}, T(2026, 1, 3), std::nullopt},
        {{0x05}, T(2026, 1, 4), RevocationReason::kUnspecified},
        {{0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
         T(2026, 1, 5),
         RevocationReason::kCertificateHold},
        {{0x03}, T(2051, 1, 5), RevocationReason::kAaCompromise},
    };
  }
  crypto::Sm2PrivateKey key_;
  Certificate issuer_;
  CrlParams params_;
};

TEST_F(BuiltCrlTest, RoundTrip) {
  auto der = BuildCrl(params_, key_);
  ASSERT_TRUE(der.ok()) << der.status().ToString();
  auto crl = Crl::FromDer(*der);
  ASSERT_TRUE(crl.ok()) << crl.status().ToString();
  EXPECT_TRUE(crl->IsSignedBy(issuer_));
  EXPECT_EQ(crl->crl_number(), (Bytes{0x01, 0x00}));
  EXPECT_EQ(crl->this_update(), T(2026, 3, 1));
  EXPECT_EQ(crl->next_update(), std::optional<Time>(T(2026, 3, 8)));
  ASSERT_EQ(crl->entries().size(), 5u);
  EXPECT_EQ(crl->Lookup(Bytes{0x01})->reason, RevocationReason::kKeyCompromise);
  EXPECT_EQ(crl->Lookup(Bytes{0x80, 0x00})->reason, std::nullopt);
  // Unspecified is written as no reasonCode (RFC 5280 §5.3.1).
  EXPECT_EQ(crl->Lookup(Bytes{0x05})->reason, std::nullopt);
  EXPECT_EQ(crl->Lookup(Bytes{0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})->reason,
            RevocationReason::kCertificateHold);
  EXPECT_EQ(crl->Lookup(Bytes{0x03})->revocation_date, T(2051, 1, 5));
  EXPECT_EQ(crl->Lookup(Bytes{0x02}), nullptr);
  EXPECT_EQ(crl->Lookup(Bytes{0x00}), nullptr);
  // Tampering with the signed part breaks the signature.
  Bytes bad = *der;
  bad[crl->tbs_der().data() - crl->der().data() + 20] ^= 1;
  auto tampered = Crl::FromDer(bad);
  if (tampered.ok()) {
    EXPECT_FALSE(tampered->IsSignedBy(issuer_));
  }
}

TEST_F(BuiltCrlTest, EmptyListAndNoNextUpdate) {
  params_.entries.clear();
  params_.next_update.reset();
  params_.crl_number.clear();
  auto crl = Crl::FromDer(BuildCrl(params_, key_).value());
  ASSERT_TRUE(crl.ok()) << crl.status().ToString();
  EXPECT_TRUE(crl->entries().empty());
  EXPECT_FALSE(crl->next_update().has_value());
  EXPECT_TRUE(crl->crl_number().empty());
  EXPECT_TRUE(crl->IsSignedBy(issuer_));
}

TEST_F(BuiltCrlTest, StrictRejects) {
  Bytes good = BuildCrl(params_, key_).value();
  ASSERT_TRUE(Crl::FromDer(good).ok());
  Bytes trailing = good;
  trailing.push_back(0);
  EXPECT_FALSE(Crl::FromDer(trailing).ok());
  // Version 3 (INTEGER 2) does not exist for CRLs.
  Bytes v = good;
  Bytes pat = {0x02, 0x01, 0x01};
  auto pos = std::search(v.begin(), v.end(), pat.begin(), pat.end());
  ASSERT_NE(pos, v.end());
  pos[2] = 0x02;
  EXPECT_FALSE(Crl::FromDer(v).ok());
  // Duplicate serials.
  params_.entries.push_back({{0x01}, T(2026, 2, 2), std::nullopt});
  EXPECT_FALSE(Crl::FromDer(BuildCrl(params_, key_).value()).ok());
  // Unknown reason code 7.
  params_.entries.pop_back();
  Bytes reason = BuildCrl(params_, key_).value();
  Bytes kc = {0x0a, 0x01, 0x01};  // ENUMERATED keyCompromise
  auto r = std::search(reason.begin(), reason.end(), kc.begin(), kc.end());
  ASSERT_NE(r, reason.end());
  r[2] = 7;
  EXPECT_FALSE(Crl::FromDer(reason).ok());
  // A Certificate is not a CRL.
  EXPECT_FALSE(Crl::FromDer(issuer_.der()).ok());
  EXPECT_FALSE(Crl::FromPem(issuer_.ToPem()).ok());
  // nextUpdate before thisUpdate is refused by the builder.
  params_.next_update = T(2020, 1, 1);
  EXPECT_FALSE(BuildCrl(params_, key_).ok());
}

TEST(CrlTest, ReasonNames) {
  EXPECT_EQ(RevocationReasonName(RevocationReason::kKeyCompromise), "keyCompromise");
  EXPECT_EQ(ParseRevocationReason("keycompromise").value(), RevocationReason::kKeyCompromise);
  EXPECT_EQ(ParseRevocationReason("4").value(), RevocationReason::kSuperseded);
  EXPECT_FALSE(ParseRevocationReason("7").ok());
  EXPECT_FALSE(ParseRevocationReason("stolen").ok());
}

TEST(CrlTest, OpenSslReadsOurCrl) {
  if (!HaveOpenSsl()) GTEST_SKIP() << "openssl CLI not found";
  auto key = NewKey();
  Certificate issuer =
      Build(CaParams(N("CN=Our CRL CA,O=eseal,C=CN"), N("CN=Our CRL CA,O=eseal,C=CN"),
                     key.PublicKey(), key.PublicKey()),
            key);
  CrlParams p;
  p.issuer = issuer.subject();
  p.this_update = T(2026, 3, 1);
  p.next_update = T(2026, 4, 1);
  p.crl_number = {0x2a};
  p.authority_key_id = issuer.subject_key_id();
  p.entries = {{{0x0a, 0xbc}, T(2026, 2, 1), RevocationReason::kKeyCompromise},
               {{0x0d}, T(2026, 2, 2), RevocationReason::kCessationOfOperation}};
  auto crl = Crl::FromDer(BuildCrl(p, key).value());
  ASSERT_TRUE(crl.ok());
  std::string dir = TempDir();
  ASSERT_TRUE(WriteFileAtomic(dir + "/c.pem", crl->ToPem()).ok());
  auto r = RunCommand("openssl crl -in " + dir + "/c.pem -noout -text");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::printf("%s", r.output.c_str());
  for (const char* want :
       {"Version 2 (0x1)", "SM2-with-SM3", "Issuer: C = CN, O = eseal, CN = Our CRL CA",
        "Last Update: Mar  1 00:00:00 2026 GMT", "Next Update: Apr  1 00:00:00 2026 GMT",
        "X509v3 CRL Number", "42", "X509v3 Authority Key Identifier", "Serial Number: 0ABC",
        "Key Compromise", "Serial Number: 0D", "Cessation Of Operation"}) {
    EXPECT_NE(r.output.find(want), std::string::npos) << want;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace eseal::x509
