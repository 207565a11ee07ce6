// The audit log is a hash chain with signed checkpoints: edits and truncation made directly
// in the database are found and the first broken entry named; nothing secret is stored.
#include <algorithm>

#include "eseal/crypto/key_protection.h"
#include "platform_fixture.h"

namespace eseal::platform::testing {
namespace {

using AuditTest = PlatformTest;

TEST_P(AuditTest, EveryStepIsAuditedAndTheChainVerifies) {
  Holder h = MakeHolder(1, "审计测试有限公司");
  Caller admin = Account(Role::kHolderAdmin, h.id);
  Seal seal = MakeSeal(admin, "contract");
  ASSERT_TRUE(Sign(admin, seal, "correct horse").ok());
  EXPECT_FALSE(Sign(admin, seal, "wrong one!").ok());
  ASSERT_TRUE(P().CheckpointAudit().ok());
  auto v = P().VerifyAudit(op_);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok) << v->problem;
  EXPECT_EQ(v->checkpoints, 1);
  auto entries = P().ListAudit(op_, 0, 1000);
  ASSERT_TRUE(entries.ok());
  std::vector<std::string> actions;
  for (const AuditEntry& e : *entries) {
    actions.push_back(e.action);
    EXPECT_EQ(e.details_json.find("correct horse"), std::string::npos);
    EXPECT_EQ(e.details_json.find("wrong one!"), std::string::npos);
  }
  for (const char* a : {"platform.created", "holder.created", "account.created", "application.submitted",
                        "application.approved", "seal.made", "seal.signed", "seal.password_wrong"}) {
    EXPECT_NE(std::find(actions.begin(), actions.end(), a), actions.end()) << a;
  }
  EXPECT_EQ(P().VerifyAudit(admin).status().code(), StatusCode::kPermissionDenied);
}

TEST_P(AuditTest, AnEditedRowIsCaughtAndNamed) {
  Holder h = MakeHolder(1, "篡改测试有限公司");
  Caller admin = Account(Role::kHolderAdmin, h.id);
  MakeSeal(admin, "contract");
  auto entries = P().ListAudit(op_, 0, 1000);
  ASSERT_TRUE(entries.ok());
  ASSERT_GT(entries->size(), 5u);
  int64_t victim = (*entries)[3].seq;
  ASSERT_TRUE(store::ExecuteSqlForTest(url_, "UPDATE audit_log SET actor = 'someone else' WHERE seq = " +
                                                 std::to_string(victim)).ok());
  auto v = P().VerifyAudit(op_);
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->ok);
  ASSERT_TRUE(v->first_broken_seq.has_value());
  EXPECT_EQ(*v->first_broken_seq, victim);
}

TEST_P(AuditTest, RewritingTheTailIsCaughtByTheSignedCheckpoint) {
  Holder h = MakeHolder(1, "截断测试有限公司");
  Caller admin = Account(Role::kHolderAdmin, h.id);
  MakeSeal(admin, "contract");
  ASSERT_TRUE(P().CheckpointAudit().ok());
  auto entries = P().ListAudit(op_, 0, 1000);
  int64_t last = entries->back().seq;
  // Drop the last two entries and move the head back, as a careful attacker would.
  ASSERT_TRUE(store::ExecuteSqlForTest(url_, "DELETE FROM audit_log WHERE seq > " + std::to_string(last - 2)).ok());
  auto v = P().VerifyAudit(op_);
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->ok);
  EXPECT_EQ(*v->first_broken_seq, last - 1) << v->problem;
}

TEST_P(AuditTest, NoSecretInTheDatabase) {
  Holder h = MakeHolder(1, "保密测试有限公司");
  Caller admin = Account(Role::kHolderAdmin, h.id);
  Seal seal = MakeSeal(admin, "contract", "a very secret password");
  ASSERT_TRUE(Sign(admin, seal, "a very secret password").ok());
  // The private key, recovered with password and KEK for the comparison.
  auto tx = store_->Begin();
  ASSERT_TRUE(tx.ok());
  auto raw = (*tx)->seals().Get(seal.id);
  ASSERT_TRUE(raw.ok());
  tx->reset();
  auto key = crypto::UnprotectPrivateKey(raw->protected_key, AsBytes("a very secret password"), kek_.get());
  ASSERT_TRUE(key.ok());
  SecretBytes scalar = key->Scalar();
  std::string scalar_hex = HexEncode(scalar.view());
  auto has = [&](std::string_view hay, std::string_view needle) { return hay.find(needle) != std::string_view::npos; };
  // Every text column of every table, as the database returns it.
  for (const char* table : {"seals", "applications", "audit_log", "credentials", "settings", "platform_keys",
                            "signatures"}) {
    auto rows = store::QuerySqlForTest(url_, std::string("SELECT * FROM ") + table);
    ASSERT_TRUE(rows.ok()) << table << ": " << rows.status().ToString();
    for (const auto& row : *rows) {
      for (const std::string& cell : row) {
        EXPECT_FALSE(has(cell, "a very secret password")) << table;
        EXPECT_FALSE(has(cell, scalar_hex)) << table;
        EXPECT_FALSE(has(cell, operator_token_)) << table << ": tokens are stored only as hashes";
        EXPECT_FALSE(has(cell, std::string_view(reinterpret_cast<const char*>(scalar.data()), scalar.size()))) << table;
      }
    }
  }
}

ESEAL_PLATFORM_BACKENDS(AuditTest);

}  // namespace
}  // namespace eseal::platform::testing
