// Bindings need consent (docs/security.md "Bindings and vendor authorisations"), on both
// backends: an enterprise client's holder only after that holder's administrator confirms;
// filing only from a vendor's registered makers and under the seal's own kind and name; a
// vendor authorised with the password signs without it, and withdrawal or expiry destroys
// the key copy (checked in the database directly).
#include <atomic>
#include <thread>

#include "platform_fixture.h"

namespace eseal::platform::testing {
namespace {

class BindingsTest : public PlatformTest {
 protected:
  struct Applied {
    Caller caller;
    std::string token;
  };
  Applied Approved(ClientType type, const std::string& name, const std::string& holder = "") {
    auto cl = P().ApplyForAccess(Platform::ClientApplication{name, "签章服务", "ops@example.cn", holder, type});
    EXPECT_TRUE(cl.ok()) << cl.status().ToString();
    if (!cl.ok()) return {};
    auto d = P().ReviewClient(op_, cl->id, true, "");
    EXPECT_TRUE(d.ok()) << d.status().ToString();
    auto c = P().Authenticate(d->token);
    EXPECT_TRUE(c.ok());
    return {c.ok() ? *c : Caller{}, d->token};
  }
  int64_t Rows(const std::string& sql) {
    auto r = store::QuerySqlForTest(url_, sql);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() && !r->empty() ? std::stoll(r->front().front()) : -1;
  }
  int64_t AuditCount(const std::string& action) {
    return Rows("SELECT COUNT(*) FROM audit_log WHERE action = '" + action + "'");
  }
};

TEST_P(BindingsTest, AnEnterpriseClientIsBoundOnlyWhenTheHoldersAdministratorConfirms) {
  Holder h = MakeHolder(1, "绑定测试有限公司");
  Holder other = MakeHolder(2, "另一家有限公司");
  Caller admin = Account(Role::kHolderAdmin, h.id);
  Caller other_admin = Account(Role::kHolderAdmin, other.id);
  Seal seal = MakeSeal(admin, "contract");

  Applied ent = Approved(ClientType::kEnterprise, "企业自有系统", h.id);
  EXPECT_TRUE(ent.caller.holder_id.empty()) << "operator approval does not bind";
  EXPECT_EQ(Sign(ent.caller, seal, "correct horse").status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(P().GetSeal(ent.caller, seal.id).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(P().ListSeals(ent.caller, {}, Page{}).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(AuditCount("client.binding_requested"), 1);

  // The holder admin sees the request; another holder's admin neither sees nor decides it.
  auto mine = P().ListBindingRequests(admin, BindingStatus::kRequested, Page{});
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->front().client_id, ent.caller.client_id);
  auto theirs = P().ListBindingRequests(other_admin, std::nullopt, Page{});
  ASSERT_TRUE(theirs.ok());
  EXPECT_TRUE(theirs->empty());
  EXPECT_EQ(P().DecideBinding(other_admin, ent.caller.client_id, true, "").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(P().DecideBinding(op_, ent.caller.client_id, true, "").status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(P().DecideBinding(ent.caller, ent.caller.client_id, true, "").status().code(),
            StatusCode::kPermissionDenied);
  auto again = P().Authenticate(ent.token);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->holder_id.empty());

  auto ok = P().DecideBinding(admin, ent.caller.client_id, true, "");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->status, BindingStatus::kConfirmed);
  EXPECT_EQ(AuditCount("client.binding_confirmed"), 1);
  auto bound = P().Authenticate(ent.token);
  ASSERT_TRUE(bound.ok());
  EXPECT_EQ(bound->holder_id, h.id);
  EXPECT_TRUE(P().GetSeal(*bound, seal.id).ok());
  auto signed_doc = Sign(*bound, seal, "correct horse");
  EXPECT_TRUE(signed_doc.ok()) << signed_doc.status().ToString();
  EXPECT_EQ(P().DecideBinding(admin, ent.caller.client_id, false, "改主意").status().code(),
            StatusCode::kFailedPrecondition);
}

TEST_P(BindingsTest, ARefusedBindingBindsNothingAndOtherClientTypesHaveNoHolder) {
  Holder h = MakeHolder(1, "拒绝绑定有限公司");
  Caller admin = Account(Role::kHolderAdmin, h.id);
  Applied ent = Approved(ClientType::kEnterprise, "冒名系统", h.id);
  EXPECT_EQ(P().DecideBinding(admin, ent.caller.client_id, false, "").status().code(), StatusCode::kInvalidArgument);
  auto refused = P().DecideBinding(admin, ent.caller.client_id, false, "不是本企业的系统");
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->status, BindingStatus::kRefused);
  EXPECT_EQ(AuditCount("client.binding_refused"), 1);
  auto c = P().Authenticate(ent.token);
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->holder_id.empty());
  EXPECT_EQ(Rows("SELECT COUNT(*) FROM clients WHERE holder_id IS NOT NULL"), 0);
  EXPECT_EQ(P().DecideBinding(admin, ent.caller.client_id, true, "").status().code(), StatusCode::kFailedPrecondition);

  // A vendor (or feed) cannot even ask for a holder.
  auto vendor = P().ApplyForAccess(Platform::ClientApplication{"服务商", "代签", "a@b.cn", h.id, ClientType::kVendor});
  EXPECT_EQ(vendor.status().code(), StatusCode::kInvalidArgument);
}

TEST_P(BindingsTest, AVendorAuthorisedWithThePasswordSignsWithoutItUntilWithdrawn) {
  Holder h = MakeHolder(1, "代签测试有限公司");
  Caller admin = Account(Role::kHolderAdmin, h.id);
  Seal seal = MakeSeal(admin, "contract");
  Applied vendor = Approved(ClientType::kVendor, "服务商甲");
  Applied rival = Approved(ClientType::kVendor, "服务商乙");
  EXPECT_EQ(P().GetSeal(vendor.caller, seal.id).status().code(), StatusCode::kPermissionDenied);

  // Without a key copy, no password is a parameter error, never a counted guess.
  EXPECT_EQ(Sign(admin, seal, "").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Sign(vendor.caller, seal, "").status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(Rows("SELECT failed_attempts FROM seals WHERE id = '" + seal.id + "'"), 0);

  // A wrong password makes no authorisation and counts as a wrong guess.
  EXPECT_EQ(P().Authorise(admin, vendor.caller.client_id, {seal.id}, clock_.Now() + std::chrono::days(30),
                          Pw("wrong password")).status().code(),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(Rows("SELECT COUNT(*) FROM authorisations"), 0);
  auto auth = P().Authorise(admin, vendor.caller.client_id, {seal.id}, clock_.Now() + std::chrono::days(30),
                            Pw("correct horse"));
  ASSERT_TRUE(auth.ok()) << auth.status().ToString();
  EXPECT_EQ(Rows("SELECT COUNT(*) FROM authorisation_keys WHERE authorisation_id = '" + auth->id + "'"), 1);

  // Signs without the password; reads the seal it is authorised for.
  auto ok = Sign(vendor.caller, seal, "");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->record.client_id, vendor.caller.client_id);
  EXPECT_TRUE(P().GetSeal(vendor.caller, seal.id).ok());
  auto listed = P().ListSeals(vendor.caller, {}, Page{});
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->items.front().id, seal.id);

  // Another vendor's token cannot use this copy, even presenting the right client id.
  Caller forged = vendor.caller;
  forged.unlock = rival.caller.unlock;
  EXPECT_EQ(Sign(forged, seal, "").status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(Sign(rival.caller, seal, "").status().code(), StatusCode::kPermissionDenied);

  // Withdrawal deletes the copy (in the database) and signing stops.
  ASSERT_TRUE(P().WithdrawAuthorisation(admin, auth->id).ok());
  EXPECT_EQ(Rows("SELECT COUNT(*) FROM authorisation_keys WHERE authorisation_id = '" + auth->id + "'"), 0);
  EXPECT_EQ(Sign(vendor.caller, seal, "").status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(P().GetSeal(vendor.caller, seal.id).status().code(), StatusCode::kPermissionDenied);
}

TEST_P(BindingsTest, ExpiryDestroysTheKeyCopy) {
  Holder h = MakeHolder(1, "到期测试有限公司");
  Caller admin = Account(Role::kHolderAdmin, h.id);
  Seal seal = MakeSeal(admin, "contract");
  Applied vendor = Approved(ClientType::kVendor, "服务商丙");
  auto auth = P().Authorise(admin, vendor.caller.client_id, {seal.id}, clock_.Now() + std::chrono::hours(1),
                            Pw("correct horse"));
  ASSERT_TRUE(auth.ok()) << auth.status().ToString();
  ASSERT_TRUE(Sign(vendor.caller, seal, "").ok());
  clock_.Advance(std::chrono::hours(2));
  EXPECT_EQ(Sign(vendor.caller, seal, "").status().code(), StatusCode::kPermissionDenied);
  auto n = P().DestroyExpiredAuthorisationKeys();
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 1);
  EXPECT_EQ(Rows("SELECT COUNT(*) FROM authorisation_keys"), 0);
  EXPECT_EQ(AuditCount("authorisation.key_destroyed"), 1);
}

// The insider with the database but not the KEK-held context: a key copy moved to another
// authorisation (so it survives the withdrawal of its own) or relabelled as another seal's
// opens nothing, since the copy's key and GCM tag bind its authorisation, seal and client.
TEST_P(BindingsTest, AKeyCopyMovedInTheDatabaseOpensNothing) {
  Holder h = MakeHolder(1, "挪用测试有限公司");
  Caller admin = Account(Role::kHolderAdmin, h.id);
  Seal contract = MakeSeal(admin, "contract");
  Seal finance = MakeSeal(admin, "finance");
  Applied vendor = Approved(ClientType::kVendor, "服务商丁");
  Time until = clock_.Now() + std::chrono::days(30);
  auto with_copy = P().Authorise(admin, vendor.caller.client_id, {contract.id}, until, Pw("correct horse"));
  ASSERT_TRUE(with_copy.ok()) << with_copy.status().ToString();
  auto without = P().Authorise(admin, vendor.caller.client_id, {contract.id, finance.id}, until, SecretBytes());
  ASSERT_TRUE(without.ok()) << without.status().ToString();
  ASSERT_TRUE(Sign(vendor.caller, contract, "").ok());
  int64_t signed_before = Rows("SELECT COUNT(*) FROM signatures");

  // Moved to the authorisation the holder gave without its password, then the holder
  // withdraws the one it gave the password for: the moved copy survives the delete.
  ASSERT_TRUE(store::ExecuteSqlForTest(url_, "UPDATE authorisation_keys SET authorisation_id = '" + without->id +
                                              "' WHERE authorisation_id = '" + with_copy->id + "'")
                  .ok());
  ASSERT_TRUE(P().WithdrawAuthorisation(admin, with_copy->id).ok());
  ASSERT_EQ(Rows("SELECT COUNT(*) FROM authorisation_keys"), 1);
  EXPECT_EQ(Sign(vendor.caller, contract, "").status().code(), StatusCode::kUnauthenticated);

  // Relabelled as the finance seal's copy.
  ASSERT_TRUE(store::ExecuteSqlForTest(url_, "UPDATE authorisation_keys SET seal_id = '" + finance.id + "'").ok());
  EXPECT_EQ(Sign(vendor.caller, finance, "").status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(Rows("SELECT COUNT(*) FROM signatures"), signed_before);
}

// Withdrawal racing signatures in flight: every signature made with the copy commits before
// the withdrawal does (audit order is commit order), and none after it. A plain read of the
// copy in the final transaction let a signature commit after the withdrawal on PostgreSQL.
TEST_P(BindingsTest, AWithdrawalRacingSignaturesWinsFromItsCommitOn) {
  Holder h = MakeHolder(1, "撤回竞争有限公司");
  Caller admin = Account(Role::kHolderAdmin, h.id);
  Seal seal = MakeSeal(admin, "contract");
  Applied vendor = Approved(ClientType::kVendor, "服务商戊");
  auto auth = P().Authorise(admin, vendor.caller.client_id, {seal.id}, clock_.Now() + std::chrono::days(30),
                            Pw("correct horse"));
  ASSERT_TRUE(auth.ok()) << auth.status().ToString();

  constexpr int kSigners = 6;
  std::atomic<int> made{0};
  std::atomic<int> unexpected{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kSigners; ++i) {
    threads.emplace_back([&] {
      for (int n = 0; n < 40; ++n) {
        auto r = Sign(vendor.caller, seal, "");
        if (r.ok()) {
          ++made;
          continue;
        }
        StatusCode code = r.status().code();
        if (code != StatusCode::kFailedPrecondition && code != StatusCode::kPermissionDenied) ++unexpected;
        return;
      }
    });
  }
  threads.emplace_back([&] {
    while (made.load() < kSigners) std::this_thread::yield();
    auto w = P().WithdrawAuthorisation(admin, auth->id);
    if (!w.ok()) ++unexpected;
  });
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(unexpected.load(), 0);
  EXPECT_EQ(Rows("SELECT COUNT(*) FROM authorisation_keys"), 0);
  int64_t withdrawn = Rows("SELECT seq FROM audit_log WHERE action = 'authorisation.withdrawn'");
  int64_t last_signed = Rows("SELECT COALESCE(MAX(seq), 0) FROM audit_log WHERE action = 'seal.signed' AND "
                             "details_json LIKE '%" + auth->id + "%'");
  EXPECT_GT(last_signed, 0);
  EXPECT_LT(last_signed, withdrawn) << "a signature with the copy committed after its withdrawal";
  EXPECT_EQ(Rows("SELECT COUNT(*) FROM signatures"), made.load());
}

ESEAL_PLATFORM_BACKENDS(BindingsTest);

}  // namespace
}  // namespace eseal::platform::testing
