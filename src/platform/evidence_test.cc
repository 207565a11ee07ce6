// Evidence records and signed seal-status answers from the platform: a signature
// re-verifies PASSED from its evidence record alone years after the seal was revoked and
// every CRL of the time rotated away, where the same offline verifier without the record
// cannot decide; the maker's signed answers say what the registry says, never "in force"
// for a seal or holder that is not.
#include "eseal/ses/seal.h"
#include "eseal/ses/seal_status_response.h"
#include "eseal/verify/evidence_record.h"
#include "eseal/verify/ofd_verifier.h"
#include "eseal/verify/seal_status_check.h"
#include "internal.h"
#include "platform_fixture.h"

namespace eseal::platform::testing {
namespace {

using EvidenceTest = PlatformTest;

PlatformImpl& Impl(Platform& p) { return static_cast<PlatformImpl&>(p); }

// What a relying party years later holds besides the document: the platform's published
// roots (its root for signers, its maker, its TSA) — no CRLs, no intermediates, no access
// to the platform's records.
verify::ValidationPolicy OfflinePolicy(Platform& p, Time now) {
  const Identity& id = Impl(p).identity();
  verify::ValidationPolicy policy;
  policy.time.now = now;
  policy.AddAnchor(id.root, "root", verify::RolesOf(verify::Role::kSigner));
  policy.AddAnchor(id.maker.cert, "maker", verify::RolesOf(verify::Role::kSealMaker));
  for (const x509::Certificate& tsa : Impl(p).TsaCertificates()) {
    policy.AddAnchor(tsa, "tsa", verify::RolesOf(verify::Role::kTsa));
  }
  return policy;
}

const Check* FindIn(const verify::OfdVerification& v, std::string_view id) {
  if (v.signatures.empty()) return nullptr;
  return v.signatures[0].report.Find(id);
}

TEST_P(EvidenceTest, ASignatureReVerifiesFromItsEvidenceAloneYearsLater) {
  Holder h = MakeHolder(1, "证据测试有限公司");
  Caller admin = Account(Role::kHolderAdmin, h.id);
  Seal seal = MakeSeal(admin, "contract");
  auto out = Sign(admin, seal, "correct horse");
  ASSERT_TRUE(out.ok()) << out.status().ToString();

  auto der = P().Evidence(out->record.signed_hash);
  ASSERT_TRUE(der.ok()) << der.status().ToString();
  auto ev = verify::ParseEvidenceRecord(*der);
  ASSERT_TRUE(ev.ok()) << ev.status().ToString();
  EXPECT_EQ(HexEncode(ev->signature_hash), out->record.signed_hash);
  EXPECT_EQ(ev->signed_at, out->record.signed_at);
  EXPECT_EQ(ev->certificates.size(), 5u);  // root, issuing CA, maker, signer, TSA
  EXPECT_EQ(ev->crls.size(), 2u);          // the root's and the issuing CA's, current at signing
  ASSERT_TRUE(ev->seal_status.has_value());
  auto answer = ses::ParseSealStatusResponse(*ev->seal_status);
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->data.status, ses::SealStatus::kInForce);
  ASSERT_TRUE(ev->signature_timestamp.has_value());
  EXPECT_EQ(ev->archive_timestamps.size(), 1u);
  auto none = P().Evidence(std::string(64, '0'));
  EXPECT_EQ(none.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(none.status().message().rfind("本平台没有", 0), 0u) << none.status().message();
  EXPECT_EQ(P().Evidence("not hex").status().code(), StatusCode::kInvalidArgument);

  // The seal is revoked, three years pass: seal and signer certificate expired, the CRLs
  // of signing time long superseded.
  ASSERT_TRUE(P().Revoke(admin, seal.id, "企业注销").ok());
  clock_.Advance(std::chrono::days(3 * 365));

  // Offline, without the record: the issuing CA and every CRL are missing: undecided.
  verify::OfdVerifyOptions bare;
  bare.policy = OfflinePolicy(P(), clock_.Now());
  auto without = verify::VerifyOfd(out->document, bare);
  ASSERT_TRUE(without.ok());
  EXPECT_EQ(without->verdict(), Verdict::kIndeterminate);

  // With it: PASSED, judged at the token's genTime, the seal in force then by its maker's word.
  verify::OfdVerifyOptions with;
  with.policy = OfflinePolicy(P(), clock_.Now());
  Report evidence_report = verify::ApplyEvidence(*ev, with.policy);
  EXPECT_EQ(evidence_report.verdict(), Verdict::kPassed);
  ASSERT_NE(evidence_report.Find("evidence.archive_timestamp"), nullptr);
  EXPECT_EQ(evidence_report.Find("evidence.archive_timestamp")->result, CheckResult::kPass);
  auto v = verify::VerifyOfd(out->document, with);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->verdict(), Verdict::kPassed);
  const Check* time = FindIn(*v, "time.validation");
  ASSERT_NE(time, nullptr);
  EXPECT_NE(time->detail.find("timestamp"), std::string::npos) << time->detail;
  const Check* status = FindIn(*v, "status.seal_at_signing");
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(status->result, CheckResult::kPass) << status->detail;

  // A record edited by anyone (its CRLs swapped out) no longer matches its archive timestamp.
  verify::EvidenceRecord edited = *ev;
  edited.crls.pop_back();
  verify::ValidationPolicy p2 = OfflinePolicy(P(), clock_.Now());
  Report r2 = verify::ApplyEvidence(edited, p2);
  EXPECT_EQ(r2.verdict(), Verdict::kFailed);
  EXPECT_EQ(r2.Find("evidence.archive_timestamp")->result, CheckResult::kFail);
  EXPECT_TRUE(p2.crls.empty());  // nothing from a failed record is used
}

TEST_P(EvidenceTest, SignedSealStatusAnswersSayWhatTheRegistrySays) {
  Holder h = MakeHolder(1, "状态应答测试有限公司");
  Caller admin = Account(Role::kHolderAdmin, h.id);
  Seal seal = MakeSeal(admin, "contract");
  auto seal_der = ses::ParseSeal(seal.seal_der);
  ASSERT_TRUE(seal_der.ok());

  auto answer = [&](std::optional<Bytes> nonce = std::nullopt) {
    auto der = P().SignedSealStatus(seal.esid, nonce);
    EXPECT_TRUE(der.ok()) << der.status().ToString();
    auto r = ses::ParseSealStatusResponse(der.ok() ? *der : Bytes{});
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : ses::SealStatusResponse{};
  };
  ses::SealStatusResponse a = answer(Bytes{0xAB, 0xCD});
  EXPECT_EQ(a.data.status, ses::SealStatus::kInForce);
  EXPECT_EQ(a.data.esid, seal.esid);
  EXPECT_EQ(a.data.nonce, (Bytes{0xAB, 0xCD}));
  // Signed by the seal's own maker: the verifier's checks pass with the maker as anchor.
  verify::ValidationPolicy policy = OfflinePolicy(P(), clock_.Now());
  policy.intermediates.push_back(Impl(P()).identity().issuing.cert);
  policy.check_revocation = false;
  Bytes nonce{0xAB, 0xCD};
  Report checked = verify::VerifySealStatusResponse(a.der, *seal_der, clock_.Now(), true, policy, ByteView(nonce));
  EXPECT_EQ(checked.Find("status.response.signature")->result, CheckResult::kPass);
  EXPECT_EQ(checked.Find("status.response.nonce")->result, CheckResult::kPass);

  clock_.Advance(std::chrono::hours(1));
  ASSERT_TRUE(P().Suspend(admin, seal.id, "暂停使用").ok());
  a = answer();
  EXPECT_EQ(a.data.status, ses::SealStatus::kSuspended);
  ASSERT_TRUE(a.data.since.has_value());
  EXPECT_EQ(*a.data.since, clock_.Now());
  ASSERT_TRUE(P().Resume(admin, seal.id, "恢复").ok());
  EXPECT_EQ(answer().data.status, ses::SealStatus::kInForce);

  // An abnormal holder's seal is not in force, whatever the seal's own row says.
  Platform::HolderInput in;
  in.uscc = h.uscc;
  in.name = h.name;
  in.legal_rep = "张三";
  in.status = HolderStatus::kAbnormal;
  ASSERT_TRUE(P().UpsertHolder(op_, in).ok());
  EXPECT_EQ(answer().data.status, ses::SealStatus::kHolderInactive);

  ASSERT_TRUE(P().Revoke(op_, seal.id, "印章遗失").ok());
  a = answer();
  EXPECT_EQ(a.data.status, ses::SealStatus::kRevoked);
  EXPECT_EQ(P().SignedSealStatus("NO-SUCH-SEAL", std::nullopt).status().code(), StatusCode::kNotFound);
}

// Renewal (RFC 4998's idea): before the archive timestamp's TSA certificate ends, the
// platform rotates its TSA and stamps the record again, so the record outlives the TSA.
TEST_P(EvidenceTest, RenewalRotatesTheTsaAndKeepsTheRecordVerifiable) {
  Holder h = MakeHolder(1, "续期测试有限公司");
  Caller admin = Account(Role::kHolderAdmin, h.id);
  Seal seal = MakeSeal(admin, "contract");
  auto out = Sign(admin, seal, "correct horse");
  ASSERT_TRUE(out.ok());
  auto first = P().Evidence(out->record.signed_hash);
  ASSERT_TRUE(first.ok());
  // Not due: nothing to do.
  auto n = P().RenewEvidence();
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 0);
  const x509::Certificate old_tsa = Impl(P()).Tsa()->keyed.cert;

  // 100 days before the TSA certificate ends: a new TSA, and the record renewed with it.
  clock_.Set(old_tsa.not_after() - std::chrono::days(100));
  n = P().RenewEvidence();
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 1);
  const x509::Certificate new_tsa = Impl(P()).Tsa()->keyed.cert;
  EXPECT_FALSE(new_tsa == old_tsa);
  EXPECT_GT(new_tsa.not_after(), old_tsa.not_after());
  ASSERT_EQ(Impl(P()).TsaCertificates().size(), 2u);
  auto renewed = P().Evidence(out->record.signed_hash);
  ASSERT_TRUE(renewed.ok());
  auto ev = verify::ParseEvidenceRecord(*renewed);
  ASSERT_TRUE(ev.ok());
  ASSERT_EQ(ev->archive_timestamps.size(), 2u);
  n = P().RenewEvidence();  // done until the new TSA nears its end
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 0);
  bool rotated = false;
  auto audit = P().ListAudit(op_, 0, 1000);
  ASSERT_TRUE(audit.ok());
  for (const AuditEntry& e : *audit) rotated = rotated || e.action == "tsa.rotated";
  EXPECT_TRUE(rotated);
  // A restart keeps the new TSA and remembers the old one.
  Open();
  EXPECT_TRUE(Impl(P()).Tsa()->keyed.cert == new_tsa);
  EXPECT_EQ(Impl(P()).TsaCertificates().size(), 2u);

  // Two years on, the old TSA certificate has ended: the renewed record still proves the
  // signature; the record as it was before renewal cannot.
  clock_.Advance(std::chrono::days(2 * 365));
  verify::OfdVerifyOptions with;
  with.policy = OfflinePolicy(P(), clock_.Now());
  Report r = verify::ApplyEvidence(*ev, with.policy);
  EXPECT_EQ(r.verdict(), Verdict::kPassed);
  auto v = verify::VerifyOfd(out->document, with);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->verdict(), Verdict::kPassed);

  auto stale = verify::ParseEvidenceRecord(*first);
  ASSERT_TRUE(stale.ok());
  verify::ValidationPolicy p2 = OfflinePolicy(P(), clock_.Now());
  Report r2 = verify::ApplyEvidence(*stale, p2);
  EXPECT_EQ(r2.verdict(), Verdict::kIndeterminate);
  ASSERT_NE(r2.Find("evidence.renewal"), nullptr);
  EXPECT_EQ(r2.Find("evidence.renewal")->result, CheckResult::kIndeterminate);
}

ESEAL_PLATFORM_BACKENDS(EvidenceTest);

}  // namespace
}  // namespace eseal::platform::testing
