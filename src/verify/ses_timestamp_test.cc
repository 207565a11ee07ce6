// A timestamp (时间戳) proves when an SES signature existed: with one, a revocation after
// genTime no longer counts against the signature, a claim later than genTime contradicts
// it, and a token from a TSA nobody trusts proves nothing. The tokens come from the tsp
// tests' independent writer (src/tsp/test_token.h), over the signature value as GB/T 38540
// timeStamp requires.
#include <gtest/gtest.h>

#include "eseal/crypto/random.h"
#include "eseal/crypto/sm3.h"
#include "eseal/ses/make.h"
#include "eseal/verify/report_json.h"
#include "eseal/verify/ses_verify.h"
#include "eseal/x509/ca.h"
#include "test_token.h"

namespace eseal::verify {
namespace {

Time At(const char* s) { return *ParseTime(s); }

std::string Param(const Check* c, const std::string& key) {
  if (c == nullptr) return "<no check>";
  for (const auto& [k, v] : c->params) {
    if (k == key) return v;
  }
  return "<no param>";
}

struct World {
  crypto::Sm2PrivateKey root_key = *crypto::Sm2PrivateKey::Generate();
  crypto::Sm2PrivateKey maker_key = *crypto::Sm2PrivateKey::Generate();
  crypto::Sm2PrivateKey signer_key = *crypto::Sm2PrivateKey::Generate();
  x509::Certificate root, maker, signer;
  tsp::testing::Pki tsa = tsp::testing::MakePki();
  ses::Seal seal;

  World() {
    Rng& rng = crypto::SystemRng();
    root = *x509::MakeRootCertificate(*x509::Name::Parse("C=CN,O=eseal test,CN=Test Root"), root_key,
                                      At("2026-01-01T00:00:00Z"), At("2036-01-01T00:00:00Z"), rng);
    maker = *x509::IssueCertificate(
        root, root_key,
        x509::IssueRequest{*x509::Name::Parse("C=CN,O=eseal test,CN=Seal Maker"), maker_key.PublicKey(),
                           x509::CertificateRole::kSealMaker, At("2026-01-01T00:00:00Z"),
                           At("2031-01-01T00:00:00Z")},
        rng);
    x509::IssueRequest s{*x509::Name::Parse("C=CN,O=某某有限公司,CN=某某有限公司"), signer_key.PublicKey(),
                         x509::CertificateRole::kSigner, At("2026-11-01T00:00:00Z"),
                         At("2027-11-01T00:00:00Z")};
    s.serial = Bytes{0x5a, 0x01};
    signer = *x509::IssueCertificate(root, root_key, s, rng);
    ses::SealSpec spec;
    spec.vid = "ESEAL";
    spec.esid = "45010000000077";
    spec.type = ses::kTypeContract;
    spec.name = "某某有限公司合同专用章";
    spec.signer_certs = {signer.der()};
    spec.create_date = At("2026-11-01T00:00:00Z");
    spec.valid_start = At("2026-11-01T00:00:00Z");
    spec.valid_end = At("2027-11-01T00:00:00Z");
    spec.picture = ses::Picture{"PNG", Bytes{0x89, 'P', 'N', 'G'}, 40, 40};
    seal = *ses::MakeSeal(spec, maker.der(), maker_key);
  }

  // Signed (claimed) at `claimed`; with a token of `gen_time` over the value when given.
  ses::Signature Sign(Time claimed, const Bytes& hash, std::optional<std::string> gen_time) const {
    auto made = ses::SignWithSeal(seal, signer.der(), signer_key, ses::SignSpec{claimed, hash, "x"});
    EXPECT_TRUE(made.ok()) << made.status().ToString();
    ses::Signature sig = *made;
    if (gen_time) {
      tsp::testing::TokenSpec t;
      t.stamped = sig.signature;
      t.gen_time = *gen_time;
      sig.timestamp = tsp::testing::MakeToken(t, tsa.tsa, tsa.tsa_key);
    }
    return *ses::ParseSignature(ses::EncodeSignature(sig));
  }

  // The signer's key was compromised on 2026-12-10; verified on 2027-06-01 with the CA's
  // CRL saying so, the TSA root trusted (its CRL current) when `trust_tsa`.
  ValidationPolicy Policy(bool trust_tsa) const {
    ValidationPolicy p;
    p.AddAnchor(root, "test root", RolesOf(Role::kSigner) | RolesOf(Role::kSealMaker),
                {x509::SealMakerPolicy()});
    x509::CrlRequest crl{At("2027-05-01T00:00:00Z"), At("2027-07-01T00:00:00Z"), {0x07},
                         {{signer.serial(), At("2026-12-10T00:00:00Z"), x509::RevocationReason::kKeyCompromise,
                           std::nullopt}}};
    p.crls.push_back(*x509::MakeCrl(root, root_key, crl));
    if (trust_tsa) {
      p.AddAnchor(tsa.root, "test TSA root", RolesOf(Role::kTsa));
      x509::CrlRequest tcrl{At("2027-01-01T00:00:00Z"), At("2027-12-01T00:00:00Z"), {0x03}, {}};
      p.crls.push_back(*x509::MakeCrl(tsa.root, tsa.root_key, tcrl));
    }
    p.time.now = At("2027-06-01T00:00:00Z");
    return p;
  }
};

const World& W() {
  static const World* w = new World;
  return *w;
}

const Bytes kHash = crypto::Sm3Bytes(ToBytes("contract"));

// Signed and timestamped on 20 November, key compromised on 10 December: the timestamp proves the
// signature older than the compromise, so it stays PASSED; judged at genTime.
TEST(SesTimestamp, ProvenTimeBeforeCompromiseKeepsTheSignatureValid) {
  ses::Signature sig = W().Sign(At("2026-11-20T03:04:05Z"), kHash, "20261120030600Z");
  Report r = VerifySesSignature(sig, kHash, W().Policy(true));
  EXPECT_EQ(r.verdict(), Verdict::kPassed) << ReportToText(r, true);
  EXPECT_EQ(Param(r.Find("time.validation"), "source"), "timestamp");
  EXPECT_EQ(Param(r.Find("time.validation"), "time"), "2026-11-20T03:06:00Z");
  EXPECT_EQ(r.ResultOf("time.claim"), CheckResult::kPass);
  EXPECT_EQ(r.ResultOf("signer.cert.revocation"), CheckResult::kPass);
}

// The same signature without a timestamp: nothing places it before the compromise.
TEST(SesTimestamp, WithoutATimestampTheCompromiseCounts) {
  ses::Signature sig = W().Sign(At("2026-11-20T03:04:05Z"), kHash, std::nullopt);
  Report r = VerifySesSignature(sig, kHash, W().Policy(true));
  EXPECT_EQ(r.FailedIds(), std::vector<std::string>{"signer.cert.revocation"}) << ReportToText(r, true);
  EXPECT_EQ(Param(r.Find("time.validation"), "source"), "verification_time");
}

// A token made after the compromise proves nothing earlier: FAILED on the revocation.
TEST(SesTimestamp, TimestampAfterCompromiseFails) {
  ses::Signature sig = W().Sign(At("2026-11-20T03:04:05Z"), kHash, "20261215000000Z");
  Report r = VerifySesSignature(sig, kHash, W().Policy(true));
  std::vector<std::string> f = r.FailedIds();
  EXPECT_NE(std::find(f.begin(), f.end(), "signer.cert.revocation"), f.end()) << ReportToText(r, true);
  EXPECT_EQ(Param(r.Find("time.validation"), "source"), "timestamp");
}

// The signer claims a time an hour after the token's genTime: the claim contradicts proof.
TEST(SesTimestamp, ClaimLaterThanTheTimestampFails) {
  ses::Signature sig = W().Sign(At("2026-11-20T04:10:00Z"), kHash, "20261120030600Z");
  Report r = VerifySesSignature(sig, kHash, W().Policy(true));
  EXPECT_EQ(r.FailedIds(), std::vector<std::string>{"time.claim"}) << ReportToText(r, true);
}

// A token from a TSA the relying party does not trust proves no time: judged now.
TEST(SesTimestamp, UntrustedTsaProvesNothing) {
  ses::Signature sig = W().Sign(At("2026-11-20T03:04:05Z"), kHash, "20261120030600Z");
  Report r = VerifySesSignature(sig, kHash, W().Policy(false));
  EXPECT_EQ(r.ResultOf("tsa.cert.chain.anchor"), CheckResult::kIndeterminate) << ReportToText(r, true);
  EXPECT_EQ(Param(r.Find("time.validation"), "source"), "verification_time");
  EXPECT_EQ(r.verdict(), Verdict::kFailed);  // the compromise, judged now
}

// A token over other bytes (not this signature value) is no proof either.
TEST(SesTimestamp, TokenOverOtherDataFailsTheImprint) {
  ses::Signature sig = W().Sign(At("2026-11-20T03:04:05Z"), kHash, std::nullopt);
  tsp::testing::TokenSpec t;
  t.stamped = ToBytes("some other signature value");
  t.gen_time = "20261120030600Z";
  sig.timestamp = tsp::testing::MakeToken(t, W().tsa.tsa, W().tsa.tsa_key);
  Report r = VerifySesSignature(*ses::ParseSignature(ses::EncodeSignature(sig)), kHash, W().Policy(true));
  EXPECT_EQ(r.ResultOf("tsp.imprint"), CheckResult::kFail) << ReportToText(r, true);
  EXPECT_EQ(Param(r.Find("time.validation"), "source"), "verification_time");
}

}  // namespace
}  // namespace eseal::verify
