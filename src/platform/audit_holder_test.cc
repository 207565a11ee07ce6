// A holder reads its own seals' audit trail (GET /api/v1/seals/{id}/audit): its
// administrator and users granted the seal see the entries about that seal and nothing
// else; another holder's administrator and an ungranted user are refused.
#include "platform_fixture.h"

namespace eseal::platform::testing {
namespace {

class AuditHolderTest : public PlatformTest {};

TEST_P(AuditHolderTest, HolderReadsItsOwnSealsTrailOnly) {
  Holder h = MakeHolder(1, "审计查阅测试有限公司");
  Holder other = MakeHolder(2, "另一家测试有限公司");
  Caller admin = Account(Role::kHolderAdmin, h.id);
  Caller user = Account(Role::kHolderUser, h.id);
  Caller granted = Account(Role::kHolderUser, h.id);
  Caller other_admin = Account(Role::kHolderAdmin, other.id);
  Seal seal = MakeSeal(admin, "contract");
  Seal second = MakeSeal(admin, "finance");
  Seal theirs = MakeSeal(other_admin, "contract");
  ASSERT_TRUE(P().GrantSeal(admin, SealGrant{seal.id, granted.account_id, true, false}).ok());
  ASSERT_TRUE(Sign(granted, seal, "correct horse").ok());
  ASSERT_TRUE(P().Suspend(admin, seal.id, "盘点").ok());

  auto trail = P().ListSealAudit(admin, seal.id, Page{100, 0});
  ASSERT_TRUE(trail.ok()) << trail.status().ToString();
  std::vector<std::string> actions;
  for (const AuditEntry& e : *trail) {
    EXPECT_EQ(e.object_type, "seal");
    EXPECT_EQ(e.object_id, seal.id);  // nothing about the second seal or the other holder's
    actions.push_back(e.action);
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"seal.made", "seal.granted", "seal.signed", "seal.suspended"}));
  for (size_t i = 1; i < trail->size(); ++i) EXPECT_LT((*trail)[i - 1].seq, (*trail)[i].seq);

  // By esID too, and paged.
  auto by_esid = P().ListSealAudit(admin, seal.esid, Page{2, 2});
  ASSERT_TRUE(by_esid.ok());
  ASSERT_EQ(by_esid->size(), 2u);
  EXPECT_EQ((*by_esid)[0].action, "seal.signed");

  // A user granted the seal reads it; the operator reads it.
  auto as_granted = P().ListSealAudit(granted, seal.id, Page{100, 0});
  ASSERT_TRUE(as_granted.ok());
  EXPECT_EQ(as_granted->size(), 4u);
  EXPECT_TRUE(P().ListSealAudit(op_, seal.id, Page{100, 0}).ok());

  // A user of the same holder without a grant: refused.
  auto ungranted = P().ListSealAudit(user, seal.id, Page{100, 0});
  EXPECT_EQ(ungranted.status().code(), StatusCode::kPermissionDenied);
  // ... also for the seal the granted user has no grant for.
  EXPECT_EQ(P().ListSealAudit(granted, second.id, Page{100, 0}).status().code(), StatusCode::kPermissionDenied);
  // Another holder's administrator: 403 as for GET /seals/{id} (seal ids are random, so
  // the refusal tells nothing the id did not).
  EXPECT_EQ(P().ListSealAudit(other_admin, seal.id, Page{100, 0}).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(P().ListSealAudit(admin, theirs.id, Page{100, 0}).status().code(), StatusCode::kPermissionDenied);
  // An unknown seal: 404.
  EXPECT_EQ(P().ListSealAudit(admin, "seal_nosuch", Page{100, 0}).status().code(), StatusCode::kNotFound);
}

ESEAL_PLATFORM_BACKENDS(AuditHolderTest);

}  // namespace
}  // namespace eseal::platform::testing
