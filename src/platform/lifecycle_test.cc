// The enterprise seal lifecycle through the platform, on SQLite and PostgreSQL.
#include "eseal/ses/seal.h"
#include "eseal/verify/report_json.h"
#include "eseal/verify/ses_verify.h"
#include "eseal/x509/ca.h"
#include "eseal/x509/certificate.h"
#include "platform_fixture.h"

namespace eseal::platform::testing {
namespace {

using LifecycleTest = PlatformTest;

TEST(UsccTest, Gb32100CheckCharacter) {
  EXPECT_TRUE(ValidateUscc("91350100M000100Y43").ok());
  EXPECT_TRUE(ValidateUscc(MakeUscc(12345)).ok());
  EXPECT_FALSE(ValidateUscc("91350100M000100Y44").ok());   // wrong check character
  EXPECT_FALSE(ValidateUscc("91350100M000100Y4").ok());    // 17 characters
  EXPECT_FALSE(ValidateUscc("91350100I000100Y43").ok());   // I is not in the code set
  EXPECT_FALSE(ValidateUscc("91350100M000100Y4I").ok());   // nor as the check character
  // A real code's check character, computed (the test helpers build codes with it).
  EXPECT_EQ(*UsccCheckCharacter("91350100M000100Y4"), '3');
  EXPECT_FALSE(UsccCheckCharacter("91350100M000100Y").ok());
}

TEST_P(LifecycleTest, RegistryRejectsBadUsccAndWritesNothing) {
  Platform::HolderInput in;
  in.uscc = "91350100M000100Y44";
  in.name = "坏代码有限公司";
  in.legal_rep = "李四";
  auto h = P().UpsertHolder(op_, in);
  EXPECT_EQ(h.status().code(), StatusCode::kInvalidArgument);
  auto all = P().ListHolders(op_, {}, Page{});
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->empty());
  // Only the operator (or the regulator feed) loads registry data.
  Holder real = MakeHolder(1, "广西甲有限公司");
  Caller admin = Account(Role::kHolderAdmin, real.id);
  in.uscc = MakeUscc(2);
  EXPECT_EQ(P().UpsertHolder(admin, in).status().code(), StatusCode::kPermissionDenied);
}

TEST_P(LifecycleTest, ApplyApproveMakeAndTheSealVerifies) {
  Holder h = MakeHolder(1, "南宁市某某科技有限公司");
  Caller admin = Account(Role::kHolderAdmin, h.id);
  Seal seal = MakeSeal(admin, "contract");
  EXPECT_EQ(seal.status, SealStatus::kActive);
  EXPECT_EQ(seal.valid_to - seal.valid_from, std::chrono::days(365));
  EXPECT_TRUE(seal.protected_key.empty()) << "keys never leave the platform";
  auto parsed = ses::ParseSeal(seal.seal_der);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->info.property.name, "南宁市某某科技有限公司");
  EXPECT_EQ(parsed->info.esid, seal.esid);
  auto cert = x509::Certificate::FromDer(seal.signer_cert_der);
  ASSERT_TRUE(cert.ok());
  EXPECT_EQ(cert->not_after(), seal.valid_to) << "seal validity equals its certificate's (S4)";
  // The seal verifies against the platform's published trust bundle.
  auto bundle = P().TrustBundlePem();
  ASSERT_TRUE(bundle.ok());
  auto certs = x509::Certificate::FromPemBundle(*bundle);
  ASSERT_TRUE(certs.ok());
  // By role, as an outside verifier would register the bundle: the root for signers, the
  // CA for eseal-policy makers, the maker certificate itself.
  verify::ValidationPolicy policy;
  policy.time.now = clock_.Now();
  for (const auto& c : *certs) {
    if (c.IsSelfIssued()) {
      policy.AddAnchor(c, "root", verify::RolesOf(verify::Role::kSigner));
    } else if (c.is_ca()) {
      policy.intermediates.push_back(c);
    } else {
      policy.AddAnchor(c, "maker", verify::RolesOf(verify::Role::kSealMaker));
    }
  }
  Report r = verify::VerifySeal(*parsed, clock_.Now(), policy);
  EXPECT_EQ(r.verdict(), Verdict::kPassed) << verify::ReportToText(r, true);
}

TEST_P(LifecycleTest, NoDuplicateActiveSealOfAKindButNumberedBusinessCopies) {
  Holder h = MakeHolder(1, "广西乙有限公司");
  Caller admin = Account(Role::kHolderAdmin, h.id);
  Seal first = MakeSeal(admin, "contract");
  Platform::ApplyInput again;
  again.seal_kind = "contract";
  again.password = Pw("another password");
  auto dup = P().Apply(admin, std::move(again));
  ASSERT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(dup.status().message().find(first.esid), std::string::npos) << "the existing seal is named";
  Seal b1 = MakeSeal(admin, "business");
  Seal b2 = MakeSeal(admin, "business");
  EXPECT_EQ(b1.copy_no, 1);
  EXPECT_EQ(b2.copy_no, 2);
}

TEST_P(LifecycleTest, InactiveHoldersCannotApply) {
  Holder h = MakeHolder(1, "异常经营有限公司", HolderStatus::kAbnormal);
  Caller admin = Account(Role::kHolderAdmin, h.id);
  Platform::ApplyInput in;
  in.seal_kind = "legal-name";
  in.password = Pw("correct horse");
  auto app = P().Apply(admin, std::move(in));
  EXPECT_EQ(app.status().code(), StatusCode::kFailedPrecondition);
  // Another holder's admin can't apply for this one, and holders can't review.
  Holder other = MakeHolder(2, "其他有限公司");
  Caller other_admin = Account(Role::kHolderAdmin, other.id);
  Platform::ApplyInput in2;
  in2.holder_id = h.id;
  in2.seal_kind = "legal-name";
  in2.password = Pw("correct horse");
  EXPECT_EQ(P().Apply(other_admin, std::move(in2)).status().code(), StatusCode::kPermissionDenied);
}

TEST_P(LifecycleTest, RejectionAndAutoApprove) {
  Holder h = MakeHolder(1, "广西丙有限公司");
  Caller admin = Account(Role::kHolderAdmin, h.id);
  Platform::ApplyInput in;
  in.seal_kind = "finance";
  in.password = Pw("correct horse");
  auto app = P().Apply(admin, std::move(in));
  ASSERT_TRUE(app.ok());
  EXPECT_EQ(P().Review(admin, app->id, true, "").status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(P().Review(op_, app->id, false, "").status().code(), StatusCode::kInvalidArgument);
  auto rejected = P().Review(op_, app->id, false, "材料不全");
  ASSERT_TRUE(rejected.ok());
  EXPECT_EQ(rejected->status, ApplicationStatus::kRejected);
  ASSERT_TRUE(P().SetAutoApprove(op_, true).ok());
  Platform::ApplyInput in2;
  in2.seal_kind = "finance";
  in2.password = Pw("correct horse");
  auto auto_app = P().Apply(admin, std::move(in2));
  ASSERT_TRUE(auto_app.ok()) << auto_app.status().ToString();
  EXPECT_EQ(auto_app->status, ApplicationStatus::kCompleted);
  EXPECT_FALSE(auto_app->result_seal_id.empty());
}

TEST_P(LifecycleTest, RenewOnlyInTheLastThirtyDays) {
  Holder h = MakeHolder(1, "广西丁有限公司");
  Caller admin = Account(Role::kHolderAdmin, h.id);
  Seal seal = MakeSeal(admin, "contract", "correct horse");
  Platform::ApplyInput early;
  early.type = ApplicationType::kRenew;
  early.seal_id = seal.id;
  auto refused = P().Apply(admin, std::move(early));
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
  clock_.Advance(std::chrono::days(340));
  Platform::ApplyInput renew;
  renew.type = ApplicationType::kRenew;
  renew.seal_id = seal.id;
  auto app = P().Apply(admin, std::move(renew));
  ASSERT_TRUE(app.ok()) << app.status().ToString();
  auto done = P().Review(op_, app->id, true, "");
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  auto fresh = P().GetSeal(admin, done->result_seal_id);
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->valid_to, clock_.Now() + std::chrono::days(365));
  EXPECT_EQ(fresh->replaces_id, seal.id);
  EXPECT_EQ(P().GetSeal(admin, seal.id)->status, SealStatus::kSuperseded);
  // Same key, same password: the renewed seal signs.
  auto signed_doc = Sign(admin, *fresh, "correct horse");
  EXPECT_TRUE(signed_doc.ok()) << signed_doc.status().ToString();
}

TEST_P(LifecycleTest, ExpiryIsAutomatic) {
  Holder h = MakeHolder(1, "广西戊有限公司");
  Caller admin = Account(Role::kHolderAdmin, h.id);
  Seal seal = MakeSeal(admin, "contract");
  clock_.Advance(std::chrono::days(366));
  EXPECT_EQ(P().GetSeal(admin, seal.id)->status, SealStatus::kExpired);
  auto n = P().ExpireSeals();
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1);
  auto refused = Sign(admin, seal, "correct horse");
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
  // After expiry, a new seal of the kind may be applied for.
  Seal next = MakeSeal(admin, "contract");
  EXPECT_EQ(next.status, SealStatus::kActive);
}

TEST_P(LifecycleTest, ChangeIssuesANewSealAndInvalidatesTheOld) {
  Holder h = MakeHolder(1, "旧名称有限公司");
  Caller admin = Account(Role::kHolderAdmin, h.id);
  Seal old = MakeSeal(admin, "legal-name");
  // The registry says the name changed.
  Platform::HolderInput upd;
  upd.uscc = h.uscc;
  upd.name = "新名称有限公司";
  upd.legal_rep = "张三";
  ASSERT_TRUE(P().UpsertHolder(op_, upd).ok());
  Platform::ApplyInput ch;
  ch.type = ApplicationType::kChange;
  ch.seal_id = old.id;
  ch.reason = "名称变更";
  auto app = P().Apply(admin, std::move(ch));
  ASSERT_TRUE(app.ok()) << app.status().ToString();
  auto done = P().Review(op_, app->id, true, "");
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  auto fresh = P().GetSeal(admin, done->result_seal_id);
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->name, "新名称有限公司");
  EXPECT_EQ(P().GetSeal(admin, old.id)->status, SealStatus::kSuperseded);
  auto status = P().SealStatusAtTime(old.esid, clock_.Now());
  ASSERT_TRUE(status.ok());
  EXPECT_FALSE(status->valid);
  EXPECT_EQ(status->status, SealStatus::kSuperseded);
  EXPECT_EQ(Sign(admin, old, "correct horse").status().code(), StatusCode::kFailedPrecondition);
}

TEST_P(LifecycleTest, SuspendResumeRevokeAndStatusAtTime) {
  Holder h = MakeHolder(1, "广西己有限公司");
  Caller admin = Account(Role::kHolderAdmin, h.id);
  Seal seal = MakeSeal(admin, "contract");
  Time made = clock_.Now();
  clock_.Advance(std::chrono::hours(1));
  ASSERT_TRUE(P().Suspend(admin, seal.id, "印章保管人出差").ok());
  EXPECT_EQ(Sign(admin, seal, "correct horse").status().code(), StatusCode::kFailedPrecondition);
  clock_.Advance(std::chrono::hours(1));
  ASSERT_TRUE(P().Resume(admin, seal.id, "返回").ok());
  EXPECT_TRUE(Sign(admin, seal, "correct horse").ok());
  clock_.Advance(std::chrono::hours(1));
  ASSERT_TRUE(P().Revoke(admin, seal.id, "失控").ok());
  EXPECT_EQ(Sign(admin, seal, "correct horse").status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(P().Resume(admin, seal.id, "x").status().code(), StatusCode::kFailedPrecondition);
  auto at_made = P().SealStatusAtTime(seal.esid, made + std::chrono::minutes(1));
  ASSERT_TRUE(at_made.ok());
  EXPECT_TRUE(at_made->valid);
  auto suspended = P().SealStatusAtTime(seal.esid, made + std::chrono::minutes(90));
  EXPECT_EQ(suspended->status, SealStatus::kSuspended);
  auto now = P().SealStatusAtTime(seal.esid, std::nullopt);
  EXPECT_EQ(now->status, SealStatus::kRevoked);
  EXPECT_FALSE(now->valid);
  // The revoked certificate is in the CRL the platform publishes.
  auto crl_der = P().CurrentCrl();
  ASSERT_TRUE(crl_der.ok());
  auto crl = x509::Crl::FromDer(*crl_der);
  ASSERT_TRUE(crl.ok());
  auto serial = HexDecode(seal.cert_serial_hex);
  const x509::RevokedEntry* e = crl->Lookup(*serial);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->reason, x509::RevocationReason::kKeyCompromise);
}

TEST_P(LifecycleTest, PasswordChangeNeedsAnApprovedApplication) {
  Holder h = MakeHolder(1, "广西庚有限公司");
  Caller admin = Account(Role::kHolderAdmin, h.id);
  Seal seal = MakeSeal(admin, "contract", "old password");
  Platform::ApplyInput in;
  in.type = ApplicationType::kPasswordChange;
  in.seal_id = seal.id;
  auto app = P().Apply(admin, std::move(in));
  ASSERT_TRUE(app.ok());
  EXPECT_EQ(P().ChangePassword(admin, app->id, Pw("old password"), Pw("new password")).code(),
            StatusCode::kFailedPrecondition) << "not approved yet";
  ASSERT_TRUE(P().Review(op_, app->id, true, "").ok());
  EXPECT_EQ(P().ChangePassword(admin, app->id, Pw("not the old one"), Pw("new password")).code(),
            StatusCode::kUnauthenticated);
  ASSERT_TRUE(P().ChangePassword(admin, app->id, Pw("old password"), Pw("new password")).ok());
  EXPECT_EQ(Sign(admin, seal, "old password").status().code(), StatusCode::kUnauthenticated);
  EXPECT_TRUE(Sign(admin, seal, "new password").ok());
  EXPECT_EQ(P().ChangePassword(admin, app->id, Pw("new password"), Pw("newer password")).code(),
            StatusCode::kFailedPrecondition) << "an application is used once";
}

TEST_P(LifecycleTest, RestartKeepsEverything) {
  Holder h = MakeHolder(1, "广西辛有限公司");
  Caller admin = Account(Role::kHolderAdmin, h.id);
  Seal seal = MakeSeal(admin, "contract");
  Open();  // a restart over the same database and KEK
  auto again = P().GetSeal(op_, seal.id);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->seal_der, seal.seal_der);
  auto c = P().Authenticate(operator_token_);
  EXPECT_TRUE(c.ok());
  EXPECT_TRUE(Sign(admin, seal, "correct horse").ok());
}

// Re-registering a USCC on record changes only what it is given and audits before/after.
TEST_P(LifecycleTest, ReRegisteringAUsccChangesOnlyTheFieldsGiven) {
  ASSERT_TRUE(P().UpsertArea(op_, Area{"450000", "广西壮族自治区", AreaLevel::kRegion, ""}).ok());
  ASSERT_TRUE(P().UpsertArea(op_, Area{"450100", "南宁市", AreaLevel::kCity, "450000"}).ok());
  Platform::HolderInput in;
  in.uscc = MakeUscc(7);
  in.name = "广西示例科技有限公司";
  in.legal_rep = "李四";
  in.area_code = "450100";
  auto h = P().UpsertHolder(op_, in);
  ASSERT_TRUE(h.ok()) << h.status().ToString();

  // A new USCC needs name and legal representative.
  Platform::HolderInput bare;
  bare.uscc = MakeUscc(8);
  bare.name = "只有名称有限公司";
  EXPECT_EQ(P().UpsertHolder(op_, bare).status().code(), StatusCode::kInvalidArgument);

  Platform::HolderInput rename;
  rename.uscc = in.uscc;
  rename.name = "广西示例科技股份有限公司";
  auto after = P().UpsertHolder(op_, rename);
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ(after->id, h->id);
  EXPECT_EQ(after->name, "广西示例科技股份有限公司");
  EXPECT_EQ(after->legal_rep, "李四");
  EXPECT_EQ(after->area_code, "450100");
  EXPECT_EQ(after->status, HolderStatus::kActive);
  auto got = P().GetHolder(op_, h->id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->legal_rep, "李四");
  EXPECT_EQ(got->area_code, "450100");

  // The same values again change nothing and audit nothing; a kind change is refused.
  ASSERT_TRUE(P().UpsertHolder(op_, rename).ok());
  Platform::HolderInput dept = rename;
  dept.kind = HolderKind::kDepartment;
  EXPECT_EQ(P().UpsertHolder(op_, dept).status().code(), StatusCode::kFailedPrecondition);
  // Status alone.
  Platform::HolderInput abnormal;
  abnormal.uscc = in.uscc;
  abnormal.status = HolderStatus::kAbnormal;
  ASSERT_TRUE(P().UpsertHolder(op_, abnormal).ok());

  auto audit = P().ListAudit(op_, 0, 1000);
  ASSERT_TRUE(audit.ok());
  std::vector<std::string> updates;
  for (const AuditEntry& e : *audit) {
    if (e.action == "holder.updated" && e.object_id == h->id) updates.push_back(e.details_json);
  }
  ASSERT_EQ(updates.size(), 2u);
  EXPECT_EQ(updates[0], "{\"uscc\":\"" + in.uscc +
                            "\",\"before\":{\"name\":\"广西示例科技有限公司\"},"
                            "\"after\":{\"name\":\"广西示例科技股份有限公司\"}}");
  EXPECT_EQ(updates[1], "{\"uscc\":\"" + in.uscc +
                            "\",\"before\":{\"status\":\"active\"},\"after\":{\"status\":\"abnormal\"}}");
}

// An approver's use requests are found in the query: a province's 1,000 older requests for
// another holder's seal do not push the newest one out of the list.
TEST_P(LifecycleTest, UseRequestsAreListedForTheirApproverPastAThousand) {
  Holder busy = MakeHolder(1, "广西忙碌有限公司");
  Caller busy_admin = Account(Role::kHolderAdmin, busy.id);
  Seal busy_seal = MakeSeal(busy_admin, "contract");
  {
    auto tx = store_->Begin();
    ASSERT_TRUE(tx.ok());
    for (int i = 0; i < 1000; ++i) {
      UsageRequest r;
      r.id = "req_old" + std::to_string(1000 + i);
      r.seal_id = busy_seal.id;
      r.requester_id = busy_admin.account_id;
      r.document_hash = std::string(64, 'a');
      r.purpose = "历史用章";
      r.created_at = clock_.Now() - std::chrono::hours(24) + std::chrono::seconds(i);
      ASSERT_TRUE((*tx)->usage_requests().Insert(r).ok());
    }
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  Holder h = MakeHolder(2, "广西新来有限公司");
  Caller admin = Account(Role::kHolderAdmin, h.id);
  Seal seal = MakeSeal(admin, "contract");
  std::string newest;
  for (int i = 0; i < 5; ++i) {
    clock_.Advance(std::chrono::seconds(1));
    auto r = P().RequestUse(admin, Platform::UseRequestInput{seal.id, std::string(64, 'b'), "签订合同"});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    newest = r->id;
  }
  auto mine = P().ListUsageRequests(admin, "", Page{});
  ASSERT_TRUE(mine.ok()) << mine.status().ToString();
  ASSERT_EQ(mine->size(), 5u);
  EXPECT_EQ(mine->back().id, newest);
  for (const UsageRequest& r : *mine) EXPECT_EQ(r.seal_id, seal.id);
  // Limit and offset count only the caller's own.
  auto page = P().ListUsageRequests(admin, "", Page{2, 4});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ(page->front().id, newest);
  auto busy_page = P().ListUsageRequests(busy_admin, "", Page{3, 0});
  ASSERT_TRUE(busy_page.ok());
  EXPECT_EQ(busy_page->size(), 3u);
  // The operator pages through all 1,005.
  auto last = P().ListUsageRequests(op_, "", Page{1000, 1000});
  ASSERT_TRUE(last.ok());
  ASSERT_EQ(last->size(), 5u);
  EXPECT_EQ(last->back().id, newest);
}

ESEAL_PLATFORM_BACKENDS(LifecycleTest);

}  // namespace
}  // namespace eseal::platform::testing
