#include "eseal/x509/chain.h"

#include <gtest/gtest.h>

#include "eseal/x509/builder.h"
#include "test_util.h"

namespace eseal::x509 {
namespace {

using namespace eseal::x509::testing;

std::string Dump(const Report& r) {
  std::string out = std::string(VerdictName(r.verdict())) + "\n";
  for (const Check& c : r.checks()) {
    out += "  " + c.id + " " + std::string(CheckResultName(c.result)) + ": " + c.detail + "\n";
  }
  return out;
}

std::string Param(const Check* c, std::string_view key) {
  if (!c) return "";
  for (const auto& [k, v] : c->params) {
    if (k == key) return v;
  }
  return "";
}

// Root → issuing CA (pathLen 0) → leaf, the shape the built-in CA makes.
class ChainTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { keys_ = new Keys{NewKey(), NewKey(), NewKey(), NewKey()}; }
  static void TearDownTestSuite() {
    delete keys_;
    keys_ = nullptr;
  }

  void SetUp() override {
    root_name_ = N("CN=Test Root,O=eseal,C=CN");
    ca_name_ = N("CN=Test Issuing CA,O=eseal,C=CN");
    root_params_ =
        CaParams(root_name_, root_name_, keys_->root.PublicKey(), keys_->root.PublicKey());
    ca_params_ = CaParams(root_name_, ca_name_, keys_->ca.PublicKey(), keys_->root.PublicKey(), 0);
    leaf_params_ = LeafParams(ca_name_, N("CN=Signer,O=eseal,C=CN"), keys_->leaf.PublicKey(),
                              keys_->ca.PublicKey());
    Rebuild();
  }

  void Rebuild() {
    root_ = Build(root_params_, keys_->root);
    ca_ = Build(ca_params_, keys_->root);
    leaf_ = Build(leaf_params_, keys_->ca);
    store_ = TrustStore();
    store_.Add(root_, "test root");
  }

  Crl MakeCrlFor(const crypto::Sm2Signer& signer, const Name& issuer,
                 std::vector<CrlEntryParams> entries, Time this_update = T(2026, 6, 1),
                 std::optional<Time> next_update = T(2026, 12, 1)) {
    CrlParams p;
    p.issuer = issuer;
    p.this_update = this_update;
    p.next_update = next_update;
    p.crl_number = {0x01};
    p.entries = std::move(entries);
    return Crl::FromDer(BuildCrl(p, signer).value()).value();
  }
  // CRLs from the issuing CA (for the leaf) and the root (for the issuing CA).
  std::vector<Crl> GoodCrls(std::vector<CrlEntryParams> leaf_entries = {}) {
    return {MakeCrlFor(keys_->ca, ca_name_, std::move(leaf_entries)),
            MakeCrlFor(keys_->root, root_name_, {})};
  }

  ChainResult Validate(Time at, const std::vector<Crl>& crls, ChainOptions opts = {}) {
    ChainResult r = ValidateChain(leaf_, {ca_}, store_, crls, at, opts);
    std::printf("%s", Dump(r.report).c_str());
    return r;
  }

  struct Keys {
    crypto::Sm2PrivateKey root, ca, leaf, other;
  };
  static Keys* keys_;
  Name root_name_, ca_name_;
  CertificateParams root_params_, ca_params_, leaf_params_;
  Certificate root_, ca_, leaf_;
  TrustStore store_;
};
ChainTest::Keys* ChainTest::keys_ = nullptr;

TEST_F(ChainTest, GoodChainPasses) {
  ChainResult r = Validate(T(2026, 7, 1), GoodCrls());
  EXPECT_EQ(r.report.verdict(), Verdict::kPassed) << Dump(r.report);
  ASSERT_EQ(r.path.size(), 3u);
  EXPECT_EQ(r.path[1], ca_);
  ASSERT_TRUE(r.anchor.has_value());
  EXPECT_EQ(r.anchor->label, "test root");
  const Check* anchor = r.report.Find("cert.chain.anchor");
  ASSERT_NE(anchor, nullptr);
  EXPECT_EQ(anchor->result, CheckResult::kPass);
  EXPECT_EQ(Param(anchor, "anchor"), "C=CN, O=eseal, CN=Test Root");
  EXPECT_TRUE(r.report.Has("cert.signature", CheckResult::kPass));
  EXPECT_TRUE(r.report.Has("cert.ca.basic_constraints", CheckResult::kPass));
  EXPECT_TRUE(r.report.Has("cert.ca.key_usage", CheckResult::kPass));
  EXPECT_TRUE(r.report.Has("cert.ca.path_length", CheckResult::kPass));
  EXPECT_EQ(r.report.ResultOf("cert.leaf.key_usage"), CheckResult::kPass);
  EXPECT_EQ(r.report.ResultOf("cert.revocation"), CheckResult::kPass);
  EXPECT_TRUE(r.report.FailedIds().empty());
  // Two links checked, three validities, two revocation checks (leaf, issuing CA).
  int sigs = 0, validity = 0, revocation = 0;
  for (const Check& c : r.report.checks()) {
    sigs += c.id == "cert.signature";
    validity += c.id == "cert.validity";
    revocation += c.id == "cert.revocation";
  }
  EXPECT_EQ(sigs, 2);
  EXPECT_EQ(validity, 3);
  EXPECT_EQ(revocation, 2);
}

TEST_F(ChainTest, ExpiredLeafAtTime) {
  ChainResult r = Validate(T(2027, 2, 1), GoodCrls());
  EXPECT_EQ(r.report.verdict(), Verdict::kFailed);
  EXPECT_EQ(r.report.FailedIds(), std::vector<std::string>{"cert.validity"});
  const Check* c = r.report.Find("cert.validity");
  EXPECT_EQ(c->result, CheckResult::kFail);
  EXPECT_EQ(Param(c, "depth"), "0");
  EXPECT_EQ(Param(c, "reason"), "expired");
  // The same leaf checked at a signing time inside its validity passes.
  EXPECT_EQ(Validate(T(2026, 11, 30), GoodCrls()).report.verdict(), Verdict::kPassed);
}

TEST_F(ChainTest, NotYetValidLeaf) {
  ChainResult r = Validate(T(2025, 12, 31), GoodCrls());
  EXPECT_EQ(r.report.FailedIds(), std::vector<std::string>{"cert.validity"});
  EXPECT_EQ(Param(r.report.Find("cert.validity"), "reason"), "not_yet_valid");
}

TEST_F(ChainTest, ExpiredIntermediate) {
  ca_params_.not_after = T(2026, 3, 1);
  Rebuild();
  ChainResult r = Validate(T(2026, 7, 1), GoodCrls());
  EXPECT_EQ(r.report.verdict(), Verdict::kFailed);
  bool found = false;
  for (const Check& c : r.report.checks()) {
    if (c.id == "cert.validity" && c.result == CheckResult::kFail) {
      EXPECT_EQ(Param(&c, "depth"), "1");
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(ChainTest, RevokedBeforeTimeFailsRevokedAfterPasses) {
  auto crls = GoodCrls({{leaf_params_.serial, T(2026, 5, 1), RevocationReason::kKeyCompromise}});
  ChainResult before = Validate(T(2026, 5, 2), crls);
  EXPECT_EQ(before.report.verdict(), Verdict::kFailed);
  EXPECT_EQ(before.report.FailedIds(), std::vector<std::string>{"cert.revocation"});
  const Check* c = before.report.Find("cert.revocation");
  EXPECT_EQ(Param(c, "revocation_date"), "2026-05-01T00:00:00Z");
  EXPECT_EQ(Param(c, "reason"), "keyCompromise");
  EXPECT_NE(c->detail.find("2026-05-01"), std::string::npos);

  // Signed before the revocation: still valid (DESIGN.md "Trust model").
  ChainResult after = Validate(T(2026, 4, 30), crls);
  EXPECT_EQ(after.report.verdict(), Verdict::kPassed) << Dump(after.report);
  EXPECT_EQ(after.report.Find("cert.revocation")->result, CheckResult::kPass);
  EXPECT_NE(after.report.Find("cert.revocation")->detail.find("after"), std::string::npos);
}

TEST_F(ChainTest, RevokedIntermediate) {
  std::vector<Crl> crls = {
      MakeCrlFor(keys_->ca, ca_name_, {}),
      MakeCrlFor(keys_->root, root_name_,
                 {{ca_params_.serial, T(2026, 1, 1), RevocationReason::kCaCompromise}})};
  ChainResult r = Validate(T(2026, 7, 1), crls);
  EXPECT_EQ(r.report.FailedIds(), std::vector<std::string>{"cert.revocation"});
}

TEST_F(ChainTest, NoCrlIsIndeterminateAndRevocationOffIsSkipped) {
  ChainResult none = Validate(T(2026, 7, 1), {});
  EXPECT_EQ(none.report.verdict(), Verdict::kIndeterminate);
  EXPECT_EQ(none.report.ResultOf("cert.revocation"), CheckResult::kIndeterminate);
  EXPECT_EQ(Param(none.report.Find("cert.revocation"), "reason"), "no_crl");

  ChainOptions off;
  off.check_revocation = false;
  ChainResult skipped = Validate(T(2026, 7, 1), {}, off);
  EXPECT_EQ(skipped.report.verdict(), Verdict::kPassed);
  EXPECT_EQ(skipped.report.ResultOf("cert.revocation"), CheckResult::kSkipped);
  EXPECT_NE(skipped.report.Find("cert.revocation")->detail.find("off"), std::string::npos);
}

TEST_F(ChainTest, CrlFromWrongKeyOrStaleIsNotUsed) {
  std::vector<Crl> forged = {MakeCrlFor(keys_->other, ca_name_, {}),
                             MakeCrlFor(keys_->root, root_name_, {})};
  ChainResult r = Validate(T(2026, 7, 1), forged);
  EXPECT_EQ(r.report.verdict(), Verdict::kIndeterminate);
  EXPECT_EQ(Param(r.report.Find("cert.revocation"), "reason"), "crl_signature");

  std::vector<Crl> stale = {MakeCrlFor(keys_->ca, ca_name_, {}, T(2026, 1, 1), T(2026, 2, 1)),
                            MakeCrlFor(keys_->root, root_name_, {})};
  ChainResult s = Validate(T(2026, 7, 1), stale);
  EXPECT_EQ(s.report.ResultOf("cert.revocation"), CheckResult::kIndeterminate);
  EXPECT_EQ(Param(s.report.Find("cert.revocation"), "reason"), "crl_stale");
  // A later CRL (issued after the signing time) answers for an earlier time.
  std::vector<Crl> later = {MakeCrlFor(keys_->ca, ca_name_, {}, T(2026, 9, 1), T(2026, 9, 8)),
                            MakeCrlFor(keys_->root, root_name_, {})};
  EXPECT_EQ(Validate(T(2026, 7, 1), later).report.verdict(), Verdict::kPassed);
}

TEST_F(ChainTest, MissingAnchorIsIndeterminate) {
  store_ = TrustStore();
  ChainResult r = Validate(T(2026, 7, 1), GoodCrls());
  EXPECT_EQ(r.report.verdict(), Verdict::kIndeterminate);
  const Check* a = r.report.Find("cert.chain.anchor");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->result, CheckResult::kIndeterminate);
  EXPECT_EQ(Param(a, "reason"), "no_anchors");
  EXPECT_FALSE(r.anchor.has_value());
}

TEST_F(ChainTest, WrongAnchorIsIndeterminateNoMatch) {
  Name other = N("CN=Other Root,C=CN");
  store_ = TrustStore();
  store_.Add(Build(CaParams(other, other, keys_->other.PublicKey(), keys_->other.PublicKey()),
                   keys_->other));
  // The real root is offered only as an untrusted certificate.
  ChainResult r = ValidateChain(leaf_, {ca_, root_}, store_, GoodCrls(), T(2026, 7, 1));
  EXPECT_EQ(r.report.verdict(), Verdict::kIndeterminate) << Dump(r.report);
  EXPECT_EQ(Param(r.report.Find("cert.chain.anchor"), "reason"), "no_match");
  EXPECT_EQ(Param(r.report.Find("cert.chain.anchor"), "top"), root_name_.ToString());
  EXPECT_EQ(r.path.size(), 3u);
}

TEST_F(ChainTest, AnchorWithSameNameButOtherKeyDoesNotMatch) {
  store_ = TrustStore();
  CertificateParams impostor =
      CaParams(root_name_, root_name_, keys_->other.PublicKey(), keys_->other.PublicKey());
  store_.Add(Build(impostor, keys_->other));
  ChainResult r = Validate(T(2026, 7, 1), GoodCrls());
  EXPECT_NE(r.report.verdict(), Verdict::kPassed) << Dump(r.report);
}

TEST_F(ChainTest, MissingIntermediate) {
  ChainResult r = ValidateChain(leaf_, {}, store_, GoodCrls(), T(2026, 7, 1));
  EXPECT_EQ(r.report.verdict(), Verdict::kIndeterminate);
  EXPECT_EQ(r.report.ResultOf("cert.path.build"), CheckResult::kIndeterminate);
  EXPECT_EQ(Param(r.report.Find("cert.chain.anchor"), "reason"), "no_match");
}

TEST_F(ChainTest, BrokenSignature) {
  // A leaf that names the issuing CA but is signed by another key.
  leaf_ = Build(leaf_params_, keys_->other);
  ChainResult r = Validate(T(2026, 7, 1), GoodCrls());
  EXPECT_EQ(r.report.verdict(), Verdict::kFailed);
  const Check* c = r.report.Find("cert.signature");
  EXPECT_EQ(c->result, CheckResult::kFail);
  EXPECT_EQ(Param(c, "depth"), "0");
  // Tampered bytes in a good leaf: the one-byte change in the TBS fails the signature.
  Bytes der = Build(leaf_params_, keys_->ca).der();
  size_t cn = static_cast<size_t>(
      std::search(der.begin(), der.end(), std::begin("Signer"), std::end("Signer") - 1) -
      der.begin());
  ASSERT_LT(cn, der.size());
  der[cn] = 's';
  leaf_ = *Certificate::FromDer(der);
  ChainResult t = Validate(T(2026, 7, 1), GoodCrls());
  EXPECT_EQ(t.report.FailedIds(), std::vector<std::string>{"cert.signature"});
}

TEST_F(ChainTest, CaWithoutKeyCertSignFailsUnlessTolerated) {
  ca_params_.key_usage = kDigitalSignature | kNonRepudiation | kCrlSign;
  Rebuild();
  ChainResult strict = Validate(T(2026, 7, 1), GoodCrls());
  EXPECT_EQ(strict.report.verdict(), Verdict::kFailed);
  EXPECT_EQ(strict.report.FailedIds(), std::vector<std::string>{"cert.ca.key_usage"});
  EXPECT_EQ(strict.report.Find("cert.ca.key_usage.tolerated"), nullptr);

  ChainOptions tolerant;
  tolerant.tolerate_ca_without_key_cert_sign = true;
  ChainResult t = Validate(T(2026, 7, 1), GoodCrls(), tolerant);
  EXPECT_EQ(t.report.verdict(), Verdict::kPassed) << Dump(t.report);
  EXPECT_EQ(t.report.ResultOf("cert.ca.key_usage.tolerated"), CheckResult::kWarning);
  EXPECT_EQ(Param(t.report.Find("cert.ca.key_usage.tolerated"), "tolerance"),
            "ca_without_key_cert_sign");
}

TEST_F(ChainTest, IssuerWithoutBasicConstraints) {
  ca_params_.basic_constraints.reset();
  Rebuild();
  ChainResult r = Validate(T(2026, 7, 1), GoodCrls());
  EXPECT_EQ(r.report.FailedIds(), std::vector<std::string>{"cert.ca.basic_constraints"});
}

TEST_F(ChainTest, PathLengthExceeded) {
  // Root → issuing (pathLen 0) → sub CA → leaf: one CA too many below the issuing CA.
  Name sub_name = N("CN=Sub CA,C=CN");
  CertificateParams sub =
      CaParams(ca_name_, sub_name, keys_->other.PublicKey(), keys_->ca.PublicKey());
  Certificate sub_ca = Build(sub, keys_->ca);
  leaf_params_.issuer = sub_name;
  leaf_params_.authority_key_id = KeyIdentifier(keys_->other.PublicKey());
  Certificate leaf = Build(leaf_params_, keys_->other);
  std::vector<Crl> crls = GoodCrls();
  crls.push_back(MakeCrlFor(keys_->other, sub_name, {}));
  ChainResult r = ValidateChain(leaf, {sub_ca, ca_}, store_, crls, T(2026, 7, 1));
  std::printf("%s", Dump(r.report).c_str());
  ASSERT_EQ(r.path.size(), 4u);
  EXPECT_EQ(r.report.FailedIds(), std::vector<std::string>{"cert.ca.path_length"});
  for (const Check& c : r.report.checks()) {
    if (c.id == "cert.ca.path_length" && c.result == CheckResult::kFail) {
      EXPECT_EQ(Param(&c, "depth"), "2");
    }
  }
}

TEST_F(ChainTest, LeafWithoutSigningKeyUsage) {
  leaf_params_.key_usage = kKeyEncipherment;
  Rebuild();
  ChainResult r = Validate(T(2026, 7, 1), GoodCrls());
  EXPECT_EQ(r.report.FailedIds(), std::vector<std::string>{"cert.leaf.key_usage"});
  ChainOptions any;
  any.leaf_purpose = LeafPurpose::kAny;
  EXPECT_EQ(Validate(T(2026, 7, 1), GoodCrls(), any).report.verdict(), Verdict::kPassed);
}

// RFC 5280 §4.2: a critical extension eseal cannot process leaves the certificate
// unusable to it — not proven bad, so INDETERMINATE, never PASS.
TEST_F(ChainTest, UnknownCriticalExtensionIsIndeterminate) {
  leaf_params_.extra_extensions.push_back(
      Extension{asn1::MustOid("1.2.3.4.5"), true, {0x05, 0x00}});
  Rebuild();
  ChainResult r = Validate(T(2026, 7, 1), GoodCrls());
  EXPECT_EQ(r.report.verdict(), Verdict::kIndeterminate);
  EXPECT_EQ(r.report.ResultOf("cert.critical_extension"), CheckResult::kIndeterminate);
  EXPECT_EQ(Param(r.report.Find("cert.critical_extension"), "oid"), "1.2.3.4.5");
}

// Validating now (no proven signing time): a revocation at or before now cannot be placed
// after the signature, so it is INDETERMINATE — and FAILED when the key was compromised.
TEST_F(ChainTest, UnprovenTimeRevocationIsIndeterminateKeyCompromiseFails) {
  ChainOptions now;
  now.time_proven = false;
  auto superseded = GoodCrls({{leaf_params_.serial, T(2026, 5, 1), RevocationReason::kSuperseded}});
  ChainResult r = Validate(T(2026, 7, 1), superseded, now);
  EXPECT_EQ(r.report.verdict(), Verdict::kIndeterminate) << Dump(r.report);
  EXPECT_EQ(r.report.ResultOf("cert.revocation"), CheckResult::kIndeterminate);
  EXPECT_EQ(Param(r.report.Find("cert.revocation"), "time_proven"), "false");

  auto compromised = GoodCrls({{leaf_params_.serial, T(2026, 5, 1), RevocationReason::kKeyCompromise}});
  ChainResult k = Validate(T(2026, 7, 1), compromised, now);
  EXPECT_EQ(k.report.FailedIds(), std::vector<std::string>{"cert.revocation"});
  EXPECT_EQ(Param(k.report.Find("cert.revocation"), "reason"), "keyCompromise");
}

// Times are whole seconds: a revocation dated the same second as the time judged at counts
// as before it, unless the time comes from a record that orders the signature first.
TEST_F(ChainTest, SameSecondRevocationCountsAsBeforeUnlessTheRecordOrdersIt) {
  auto crls = GoodCrls({{leaf_params_.serial, T(2026, 5, 1), RevocationReason::kSuperseded}});
  EXPECT_EQ(Validate(T(2026, 5, 1), crls).report.FailedIds(), std::vector<std::string>{"cert.revocation"});
  ChainOptions ordered;
  ordered.same_second_revocation_is_later = true;
  EXPECT_EQ(Validate(T(2026, 5, 1), crls, ordered).report.verdict(), Verdict::kPassed);
  EXPECT_EQ(Validate(T(2026, 5, 1) + std::chrono::seconds(1), crls, ordered).report.FailedIds(),
            std::vector<std::string>{"cert.revocation"});
}

// The invalidity date says since when the key was unsafe; it counts when earlier.
TEST_F(ChainTest, InvalidityDateEarlierThanRevocationCounts) {
  CrlEntryParams e{leaf_params_.serial, T(2026, 5, 1), RevocationReason::kKeyCompromise};
  e.invalidity_date = T(2026, 3, 1);
  auto crls = GoodCrls({e});
  ChainResult r = Validate(T(2026, 4, 1), crls);
  EXPECT_EQ(r.report.FailedIds(), std::vector<std::string>{"cert.revocation"});
  EXPECT_EQ(Param(r.report.Find("cert.revocation"), "revocation_date"), "2026-03-01T00:00:00Z");
  EXPECT_EQ(Validate(T(2026, 2, 1), crls).report.verdict(), Verdict::kPassed);
}

// Validating now: a certificate that has since expired is INDETERMINATE, not FAILED.
TEST_F(ChainTest, UnprovenTimeExpiryIsIndeterminate) {
  ChainOptions now;
  now.time_proven = false;
  now.check_revocation = false;
  Time after_expiry = leaf_.not_after() + std::chrono::hours(24);
  ChainResult r = Validate(after_expiry, {}, now);
  const Check* c = nullptr;
  for (const Check& k : r.report.checks()) {
    if (k.id == "cert.validity" && Param(&k, "depth") == "0") c = &k;
  }
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->result, CheckResult::kIndeterminate);
  EXPECT_EQ(Param(c, "reason"), "expired");
  ChainOptions proven = now;
  proven.time_proven = true;
  EXPECT_EQ(Validate(after_expiry, {}, proven).report.verdict(), Verdict::kFailed);
}

TEST_F(ChainTest, IntermediateAsAnchor) {
  store_ = TrustStore();
  store_.Add(ca_, "issuing CA");
  ChainResult r = ValidateChain(leaf_, {}, store_, GoodCrls(), T(2026, 7, 1));
  EXPECT_EQ(r.report.verdict(), Verdict::kPassed) << Dump(r.report);
  EXPECT_EQ(r.path.size(), 2u);
  EXPECT_EQ(r.anchor->label, "issuing CA");
  // Anchored at the issuing CA: even an expired root above it does not matter.
  root_params_.not_after = T(2021, 1, 1);
  Rebuild();
  store_ = TrustStore();
  store_.Add(ca_);
  EXPECT_EQ(ValidateChain(leaf_, {root_}, store_, GoodCrls(), T(2026, 7, 1)).report.verdict(),
            Verdict::kPassed);
}

TEST_F(ChainTest, LeafAsAnchor) {
  store_ = TrustStore();
  store_.Add(leaf_, "registered maker certificate");
  ChainResult r = ValidateChain(leaf_, {}, store_, {}, T(2026, 7, 1));
  EXPECT_EQ(r.report.verdict(), Verdict::kPassed) << Dump(r.report);
  EXPECT_EQ(r.path.size(), 1u);
  EXPECT_EQ(r.report.ResultOf("cert.chain.anchor"), CheckResult::kPass);
  EXPECT_EQ(r.report.Find("cert.signature"), nullptr);
  // Its validity is still checked.
  EXPECT_EQ(ValidateChain(leaf_, {}, store_, {}, T(2030, 1, 1)).report.verdict(), Verdict::kFailed);
}

TEST_F(ChainTest, PrefersTheIssuerWhoseSignatureVerifies) {
  // A decoy with the issuing CA's name and no key identifiers, listed first.
  CertificateParams decoy =
      CaParams(root_name_, ca_name_, keys_->other.PublicKey(), keys_->root.PublicKey(), 0);
  decoy.subject_key_id.clear();
  Certificate d = Build(decoy, keys_->root);
  ChainResult r = ValidateChain(leaf_, {d, ca_}, store_, GoodCrls(), T(2026, 7, 1));
  EXPECT_EQ(r.report.verdict(), Verdict::kPassed) << Dump(r.report);
  EXPECT_EQ(r.path[1], ca_);
}

TEST_F(ChainTest, SelfSignedLeafWithoutAnchor) {
  Name self = N("CN=Self,C=CN");
  CertificateParams p = LeafParams(self, self, keys_->other.PublicKey(), keys_->other.PublicKey());
  Certificate c = Build(p, keys_->other);
  ChainResult r = ValidateChain(c, {}, store_, {}, T(2026, 7, 1));
  EXPECT_EQ(r.report.verdict(), Verdict::kIndeterminate);
  EXPECT_EQ(r.report.ResultOf("cert.path.build"), CheckResult::kSkipped);  // not reported
  EXPECT_EQ(r.report.ResultOf("cert.revocation"), CheckResult::kSkipped);
}

// ---- The ofdrw test certificates chain to keys/root_cert.pem only with the tolerance ----

TEST(OfdrwChain, ChainsToRootOnlyWithTolerance) {
  Certificate root = MustCertPem(Shared("ofdrw/keys/root_cert.pem"));
  TrustStore store;
  store.Add(root, "ofdrw test root");
  ChainOptions opts;
  opts.check_revocation = false;  // ofdrw publishes no CRL
  for (const char* name : {"user_cert.pem", "sealer_cert.pem", "sign_cert.pem"}) {
    Certificate leaf = MustCertPem(Shared(std::string("ofdrw/keys/") + name));
    Time at = T(2021, 9, 1);  // inside every validity period
    ChainResult strict = ValidateChain(leaf, {}, store, {}, at, opts);
    EXPECT_EQ(strict.report.verdict(), Verdict::kFailed) << name;
    EXPECT_EQ(strict.report.FailedIds(), std::vector<std::string>{"cert.ca.key_usage"}) << name;

    ChainOptions tolerant = opts;
    tolerant.tolerate_ca_without_key_cert_sign = true;
    ChainResult t = ValidateChain(leaf, {}, store, {}, at, tolerant);
    EXPECT_EQ(t.report.verdict(), Verdict::kPassed) << name << "\n" << Dump(t.report);
    EXPECT_EQ(t.report.ResultOf("cert.ca.key_usage.tolerated"), CheckResult::kWarning);
    EXPECT_EQ(t.report.ResultOf("cert.chain.anchor"), CheckResult::kPass);

    // Today they have expired.
    ChainResult now = ValidateChain(leaf, {}, store, {}, T(2026, 11, 1), tolerant);
    EXPECT_EQ(now.report.FailedIds(), std::vector<std::string>{"cert.validity"}) << name;
  }
}

}  // namespace
}  // namespace eseal::x509
