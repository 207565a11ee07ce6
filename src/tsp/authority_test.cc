// The TSA (时间戳服务机构): every token it issues passes tsp::VerifyTimestampToken, and every
// bad request gets a rejection with the right failInfo and no token.
#include "eseal/tsp/authority.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "eseal/crypto/random.h"
#include "eseal/crypto/sm3.h"
#include "eseal/tsp/timestamp_token.h"
#include "eseal/x509/ca.h"
#include "eseal/x509/name.h"
#include "internal.h"
#include "test_token.h"

namespace eseal::tsp {
namespace {

// The checks that did not pass, for failure messages.
std::string Dump(const Report& r) {
  std::string out;
  for (const Check& c : r.checks()) {
    if (c.result != CheckResult::kPass && c.result != CheckResult::kInfo) out += c.id + ": " + c.detail + "\n";
  }
  return out;
}

const Bytes kData = {'c', 'o', 'n', 't', 'r', 'a', 'c', 't'};

class FixedSerial final : public SerialSource {
 public:
  Result<Bytes> Next() override { return Bytes{0x0A, 0x0B, 0x0C}; }
};

class AuthorityTest : public ::testing::Test {
 protected:
  AuthorityTest()
      : pki_(testing::MakePki()),
        clock_(FromCivil(CivilTime{2026, 6, 1, 12, 0, 0}).value()),
        serials_(crypto::SystemRng()) {}

  TimestampAuthority Tsa(TsaOptions o = {}) {
    auto key = std::make_shared<crypto::Sm2PrivateKey>(pki_.tsa_key);
    return TimestampAuthority::Create(key, pki_.tsa, std::move(o), clock_, serials_).value();
  }
  TimestampRequest Request(bool sm3 = true) {
    TimestampRequest q;
    q.hash_algorithm = sm3 ? asn1::oids::Sm3() : Sha256();
    q.hashed_message = *tsp::internal::Digest(q.hash_algorithm, kData);
    q.nonce = Bytes{0x35, 0x8F, 0x01, 0x22, 0x9A, 0x00, 0x7C, 0x11};
    q.cert_req = true;
    return q;
  }
  TimestampVerifyOptions Options() {
    TimestampVerifyOptions o;
    o.tsa_anchors.Add(pki_.root, "test root");
    o.crls = {pki_.crl};
    return o;
  }
  // Respond, and the token of a granted answer.
  Bytes Token(const TimestampAuthority& tsa, const TimestampRequest& q) {
    auto resp = ParseTimestampResponse(tsa.Respond(EncodeTimestampRequest(q)));
    EXPECT_TRUE(resp.ok()) << resp.status().ToString();
    if (!resp.ok() || !resp->token) return {};
    EXPECT_EQ(resp->status, 0);
    EXPECT_EQ(resp->fail_info, 0u);
    return *resp->token;
  }

  testing::Pki pki_;
  FixedClock clock_;
  RandomSerialSource serials_;
};

TEST_F(AuthorityTest, GrantedTokenVerifiesAtTheInjectedTime) {
  TimestampAuthority tsa = Tsa();
  Bytes token = Token(tsa, Request());
  TimestampVerification v = VerifyTimestampToken(token, kData, Options());
  EXPECT_EQ(v.report.verdict(), Verdict::kPassed) << Dump(v.report);
  ASSERT_TRUE(v.gen_time);
  EXPECT_EQ(*v.gen_time, clock_.Now());
  auto t = ParseTimestampToken(token);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->info.nonce, Request().nonce);  // echoed
  EXPECT_EQ(t->info.policy, DefaultTsaPolicy());
  EXPECT_EQ(t->info.gen_time_text, "20260601120000Z");
  ASSERT_TRUE(t->info.accuracy && t->info.accuracy->seconds);
  EXPECT_EQ(*t->info.accuracy->seconds, 1);
  EXPECT_EQ(t->info.tsa_directory_name, pki_.tsa.subject().der());
  EXPECT_EQ(t->info.serial.size(), 17u);
  EXPECT_EQ(t->signed_data.version, 3);
  ASSERT_EQ(t->signed_data.certificates.size(), 1u);  // certReq honoured
  EXPECT_EQ(t->signed_data.certificates[0], pki_.tsa.der());
  EXPECT_EQ(t->signed_data.signer_infos[0].digest_encryption_algorithm.oid, asn1::oids::Sm2WithSm3());
}

TEST_F(AuthorityTest, WithoutCertReqTheTokenCarriesNoCertificate) {
  TimestampRequest q = Request();
  q.cert_req = false;
  q.nonce.reset();
  Bytes token = Token(Tsa(), q);
  auto t = ParseTimestampToken(token);
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(t->signed_data.certificates.empty());
  EXPECT_FALSE(t->info.nonce);
  TimestampVerification alone = VerifyTimestampToken(token, kData, Options());
  EXPECT_EQ(alone.report.verdict(), Verdict::kIndeterminate);
  EXPECT_EQ(alone.report.ResultOf("tsp.signer.cert"), CheckResult::kIndeterminate);
  TimestampVerifyOptions o = Options();
  o.intermediates = {pki_.tsa};
  EXPECT_EQ(VerifyTimestampToken(token, kData, o).report.verdict(), Verdict::kPassed);
}

TEST_F(AuthorityTest, Sha256ImprintIsAcceptedAndChainSent) {
  TsaOptions opts;
  opts.chain = {pki_.root};
  Bytes token = Token(Tsa(opts), Request(false));
  auto t = ParseTimestampToken(token);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->info.hash_algorithm, Sha256());
  EXPECT_EQ(t->signed_data.certificates.size(), 2u);
  TimestampVerification v = VerifyTimestampToken(token, kData, Options());
  EXPECT_EQ(v.report.verdict(), Verdict::kPassed) << Dump(v.report);
  // The digest alone is enough to verify (ts verify --digest).
  TimestampVerifyOptions o = Options();
  o.expected_imprint = Request(false).hashed_message;
  EXPECT_EQ(VerifyTimestampToken(token, {}, o).report.verdict(), Verdict::kPassed);
}

TEST_F(AuthorityTest, FlippedByteIsCaught) {
  Bytes token = Token(Tsa(), Request());
  Bytes imprint = Request().hashed_message;
  auto at = std::search(token.begin(), token.end(), imprint.begin(), imprint.end());
  ASSERT_NE(at, token.end());
  *at ^= 0x01;
  TimestampVerification v = VerifyTimestampToken(token, kData, Options());
  EXPECT_EQ(v.report.verdict(), Verdict::kFailed);
  EXPECT_EQ(v.report.ResultOf("tsp.signer.message_digest"), CheckResult::kFail);
  EXPECT_EQ(v.report.ResultOf("tsp.imprint"), CheckResult::kFail);
  EXPECT_FALSE(v.gen_time);
}

struct Bad {
  const char* name;
  FailInfo fail;
};

TEST_F(AuthorityTest, BadRequestsGetRejectionWithTheRightFailInfoAndNoToken) {
  TimestampAuthority tsa = Tsa();
  Bytes good = EncodeTimestampRequest(Request());
  auto with = [&](auto change) {
    TimestampRequest q = Request();
    change(q);
    return EncodeTimestampRequest(q);
  };
  std::vector<std::pair<Bytes, Bad>> cases = {
      {Bytes{'h', 'e', 'l', 'l', 'o'}, {"garbage", FailInfo::kBadDataFormat}},
      {Bytes(good.begin(), good.end() - 1), {"truncated", FailInfo::kBadDataFormat}},
      {Bytes(kMaxRequestSize + 1, 0x30), {"oversized", FailInfo::kBadDataFormat}},
      {with([](TimestampRequest& q) { q.version = 2; }), {"version 2", FailInfo::kBadRequest}},
      {with([](TimestampRequest& q) { q.hash_algorithm = Sha1(); q.hashed_message.resize(20); }),
       {"SHA-1 imprint", FailInfo::kBadAlg}},
      {with([](TimestampRequest& q) { q.hash_algorithm = asn1::MustOid("1.2.3.4.5"); }),
       {"unknown hash OID", FailInfo::kBadAlg}},
      {with([](TimestampRequest& q) { q.hashed_message.resize(20); }), {"short imprint", FailInfo::kBadDataFormat}},
      {with([](TimestampRequest& q) { q.policy = asn1::MustOid("1.2.3.4.9"); }),
       {"unaccepted policy", FailInfo::kUnacceptedPolicy}},
      {with([](TimestampRequest& q) {
         q.extensions.push_back(x509::Extension{asn1::MustOid("1.2.3.4.6"), true, Bytes{0x05, 0x00}});
       }),
       {"critical unknown extension", FailInfo::kUnacceptedExtension}},
  };
  for (const auto& [der, bad] : cases) {
    auto r = ParseTimestampResponse(tsa.Respond(der));
    ASSERT_TRUE(r.ok()) << bad.name << ": " << r.status().ToString();
    EXPECT_EQ(r->status, 2) << bad.name;
    EXPECT_EQ(r->fail_info, 1u << static_cast<int>(bad.fail)) << bad.name;
    EXPECT_FALSE(r->token) << bad.name;
    EXPECT_FALSE(r->status_text.empty()) << bad.name;
  }
  // The TSA's own policy asked for explicitly is granted.
  EXPECT_FALSE(Token(tsa, [&] { TimestampRequest q = Request(); q.policy = DefaultTsaPolicy(); return q; }()).empty());
}

TEST_F(AuthorityTest, SerialsAreUniqueOverAThousandTokens) {
  TimestampAuthority tsa = Tsa();
  std::set<Bytes> serials;
  Bytes imprint = crypto::Sm3Bytes(kData);
  for (int i = 0; i < 1000; ++i) {
    auto token = tsa.Stamp(imprint, asn1::oids::Sm3());
    ASSERT_TRUE(token.ok());
    serials.insert(ParseTimestampToken(*token)->info.serial);
  }
  EXPECT_EQ(serials.size(), 1000u);
}

TEST_F(AuthorityTest, StampIsSelfContainedAndUsesTheInjectedSerial) {
  FixedSerial fixed;
  auto key = std::make_shared<crypto::Sm2PrivateKey>(pki_.tsa_key);
  auto tsa = TimestampAuthority::Create(key, pki_.tsa, {}, clock_, fixed);
  ASSERT_TRUE(tsa.ok());
  auto token = tsa->Stamp(crypto::Sm3Bytes(kData), asn1::oids::Sm3());
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(ParseTimestampToken(*token)->info.serial, (Bytes{0x0A, 0x0B, 0x0C}));
  EXPECT_EQ(VerifyTimestampToken(*token, kData, Options()).report.verdict(), Verdict::kPassed);
  EXPECT_FALSE(tsa->Stamp(Bytes(20, 1), Sha1()).ok());
  EXPECT_FALSE(tsa->Stamp(Bytes(20, 1), asn1::oids::Sm3()).ok());
}

TEST_F(AuthorityTest, RefusesCertificatesThatCannotBeTsas) {
  auto key = std::make_shared<crypto::Sm2PrivateKey>(pki_.tsa_key);
  for (const char* eku : {"noncritical", "none", "extra"}) {
    testing::Pki other = testing::MakePki(eku);
    auto k = std::make_shared<crypto::Sm2PrivateKey>(other.tsa_key);
    auto r = TimestampAuthority::Create(k, other.tsa, {}, clock_, serials_);
    ASSERT_FALSE(r.ok()) << eku;
    EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition) << eku;
  }
  auto wrong = TimestampAuthority::Create(std::make_shared<crypto::Sm2PrivateKey>(pki_.root_key), pki_.tsa, {},
                                          clock_, serials_);
  EXPECT_EQ(wrong.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(AuthorityTest, BuiltInCaIssuesATsaCertificateWhoseTokensVerify) {
  auto root_key = crypto::Sm2PrivateKey::Generate().value();
  auto tsa_key = std::make_shared<crypto::Sm2PrivateKey>(crypto::Sm2PrivateKey::Generate().value());
  Time t0 = FromCivil(CivilTime{2026, 1, 1}).value();
  auto root = x509::MakeRootCertificate(x509::Name::Parse("CN=Root,O=eseal tests,C=CN").value(), root_key, t0,
                                        t0 + kDay * 3650, crypto::SystemRng());
  ASSERT_TRUE(root.ok());
  x509::IssueRequest req{x509::Name::Parse("CN=eseal TSA,O=eseal tests,C=CN").value(), tsa_key->PublicKey(),
                         x509::CertificateRole::kTimestamping, t0, t0 + kDay * 365};
  auto cert = x509::IssueCertificate(*root, root_key, req, crypto::SystemRng());
  ASSERT_TRUE(cert.ok()) << cert.status().ToString();
  const x509::Extension* eku = cert->FindExtension(asn1::oids::ExtKeyUsage());
  ASSERT_NE(eku, nullptr);
  EXPECT_TRUE(eku->critical);
  ASSERT_TRUE(cert->ext_key_usage());
  EXPECT_EQ(*cert->ext_key_usage(), std::vector<asn1::Oid>{IdKpTimeStamping()});
  EXPECT_EQ(*cert->key_usage(), x509::kDigitalSignature | x509::kNonRepudiation);
  EXPECT_EQ(x509::CertificateRoleName(x509::CertificateRole::kTimestamping), "tsa");
  EXPECT_EQ(x509::ParseCertificateRole("tsa").value(), x509::CertificateRole::kTimestamping);
  auto tsa = TimestampAuthority::Create(tsa_key, *cert, {}, clock_, serials_);
  ASSERT_TRUE(tsa.ok()) << tsa.status().ToString();
  Bytes token = Token(*tsa, Request());
  TimestampVerifyOptions o;
  o.tsa_anchors.Add(*root);
  o.check_revocation = false;
  TimestampVerification v = VerifyTimestampToken(token, kData, o);
  EXPECT_EQ(v.report.verdict(), Verdict::kPassed) << Dump(v.report);
}

}  // namespace
}  // namespace eseal::tsp
