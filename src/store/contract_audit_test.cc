// Contract tests of the audit log (审计日志): the head lock, appends, listing, checkpoints,
// concurrent appenders and rows edited behind the store's back (both backends).
#include <thread>

#include "store_test_util.h"

namespace eseal::store::test {
namespace {

using ::testing::HasSubstr;

// Appends one entry after the current head, as the platform does.
Status AppendOne(Store& store, const std::string& actor) {
  ASSIGN_OR_RETURN(std::unique_ptr<Tx> tx, store.Begin());
  ASSIGN_OR_RETURN(AuditEntry head, tx->audit().LockHead());
  AuditEntry e = SampleAudit(head.seq + 1, head.hash);
  e.actor = actor;
  e.hash = "hash-" + std::to_string(e.seq) + "-" + actor;
  RETURN_IF_ERROR(tx->audit().Insert(e));
  return tx->Commit();
}

TEST_P(StoreTest, AuditHeadOfEmptyLog) {
  auto tx = Begin();
  ASSERT_OK_AND_ASSIGN(AuditEntry head, tx->audit().LockHead());
  EXPECT_EQ(head.seq, 0);
  EXPECT_EQ(head.hash, "");
  EXPECT_EQ(head.prev_hash, "");
  ASSERT_OK_AND_ASSIGN(auto list, tx->audit().List(0, 0));
  EXPECT_TRUE(list.empty());
}

TEST_P(StoreTest, AuditAppendListAndHead) {
  auto tx = Begin();
  std::vector<AuditEntry> chain;
  std::string prev;
  for (int64_t seq = 1; seq <= 5; ++seq) {
    AuditEntry e = SampleAudit(seq, prev);
    if (seq == 3) {
      e.object_type = "application";
      e.object_id = "ap1";
      e.details_json = "";
    }
    ASSERT_OK(tx->audit().Insert(e));
    chain.push_back(e);
    prev = e.hash;
  }
  ASSERT_OK(tx->Commit());

  tx = Begin();
  ASSERT_OK_AND_ASSIGN(AuditEntry head, tx->audit().LockHead());
  EXPECT_EQ(Dump(head), Dump(chain[4]));
  ASSERT_OK_AND_ASSIGN(auto list, tx->audit().List(0, 0));
  EXPECT_EQ(Dump(list), Dump(chain));
  ASSERT_OK_AND_ASSIGN(list, tx->audit().List(2, 2));
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].seq, 3);
  EXPECT_EQ(list[1].seq, 4);
  ASSERT_OK_AND_ASSIGN(list, tx->audit().List(5, 10));
  EXPECT_TRUE(list.empty());
  EXPECT_CODE(tx->audit().List(0, -1), kInvalidArgument);

  ASSERT_OK_AND_ASSIGN(list, tx->audit().ListFor("seal", "s1", {}));
  ASSERT_EQ(list.size(), 4u);
  EXPECT_EQ(list[2].seq, 4);
  ASSERT_OK_AND_ASSIGN(list, tx->audit().ListFor("seal", "s1", Page{2, 1}));
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].seq, 2);
  EXPECT_EQ(list[1].seq, 4);
  ASSERT_OK_AND_ASSIGN(list, tx->audit().ListFor("application", "ap1", {}));
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(Dump(list[0]), Dump(chain[2]));
  ASSERT_OK_AND_ASSIGN(list, tx->audit().ListFor("seal", "s2", {}));
  EXPECT_TRUE(list.empty());
}

TEST_P(StoreTest, AuditInsertKeepsTheChainLinear) {
  auto tx = Begin();
  EXPECT_CODE(tx->audit().Insert(SampleAudit(2, "")), kFailedPrecondition);  // gap
  EXPECT_CODE(tx->audit().Insert(SampleAudit(0, "")), kFailedPrecondition);
  ASSERT_OK(tx->audit().Insert(SampleAudit(1, "")));
  Status dup = tx->audit().Insert(SampleAudit(1, ""));
  EXPECT_EQ(dup.code(), StatusCode::kAlreadyExists);
  EXPECT_THAT(dup.message(), HasSubstr("seq"));
  EXPECT_CODE(tx->audit().Insert(SampleAudit(3, "")), kFailedPrecondition);
  // None of the refusals spoiled the transaction.
  ASSERT_OK(tx->audit().Insert(SampleAudit(2, SampleAudit(1, "").hash)));
  ASSERT_OK(tx->Commit());
  tx = Begin();
  ASSERT_OK_AND_ASSIGN(AuditEntry head, tx->audit().LockHead());
  EXPECT_EQ(head.seq, 2);
}

TEST_P(StoreTest, AuditAppendRolledBackLeavesHead) {
  ASSERT_OK(AppendOne(*store_, "a"));
  {
    auto tx = Begin();
    ASSERT_OK_AND_ASSIGN(AuditEntry head, tx->audit().LockHead());
    ASSERT_OK(tx->audit().Insert(SampleAudit(head.seq + 1, head.hash)));
    // destroyed without Commit
  }
  auto tx = Begin();
  ASSERT_OK_AND_ASSIGN(AuditEntry head, tx->audit().LockHead());
  EXPECT_EQ(head.seq, 1);
  EXPECT_EQ(head.hash, "hash-1-a");
}

TEST_P(StoreTest, AuditCheckpoints) {
  auto tx = Begin();
  AuditCheckpoint c2{20, "hash20", {0x30, 0x45, 0x00}, T(2000)};
  AuditCheckpoint c1{10, "hash10", {}, T(1000)};
  ASSERT_OK(tx->audit().InsertCheckpoint(c2));
  ASSERT_OK(tx->audit().InsertCheckpoint(c1));
  EXPECT_CODE(tx->audit().InsertCheckpoint(c1), kAlreadyExists);
  ASSERT_OK(tx->Commit());
  tx = Begin();
  ASSERT_OK_AND_ASSIGN(auto list, tx->audit().ListCheckpoints());
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(Dump(list[0]), Dump(c1));
  EXPECT_EQ(Dump(list[1]), Dump(c2));
}

// Several threads append at once; LockHead makes them take turns, so the log is one chain
// without gaps or duplicate sequence numbers.
TEST_P(StoreTest, LockHeadSerialisesConcurrentAppends) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  std::vector<std::thread> threads;
  std::vector<Status> errors(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        Status s = AppendOne(*store_, "t" + std::to_string(t));
        if (!s.ok()) {
          errors[t] = s;
          return;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (const Status& s : errors) EXPECT_TRUE(s.ok()) << s.ToString();

  auto tx = Begin();
  ASSERT_OK_AND_ASSIGN(auto list, tx->audit().List(0, 0));
  ASSERT_EQ(list.size(), static_cast<size_t>(kThreads * kPerThread));
  std::string prev;
  for (size_t i = 0; i < list.size(); ++i) {
    EXPECT_EQ(list[i].seq, static_cast<int64_t>(i + 1));
    EXPECT_EQ(list[i].prev_hash, prev) << "entry " << list[i].seq;
    prev = list[i].hash;
  }
  ASSERT_OK_AND_ASSIGN(AuditEntry head, tx->audit().LockHead());
  EXPECT_EQ(head.seq, kThreads * kPerThread);
}

// What the tamper tests elsewhere rely on: a row edited directly in the database comes
// back edited, and a removed head entry is reported as data loss.
TEST_P(StoreTest, AuditRowsEditedBehindTheStoresBack) {
  for (int i = 0; i < 3; ++i) ASSERT_OK(AppendOne(*store_, "a"));
  ASSERT_OK(ExecuteSqlForTest(url_, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 2"));
  auto tx = Begin();
  ASSERT_OK_AND_ASSIGN(auto list, tx->audit().List(0, 0));
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[1].actor, "mallory");
  tx.reset();

  ASSERT_OK_AND_ASSIGN(auto rows,
                       QuerySqlForTest(url_, "SELECT seq, actor FROM audit_log ORDER BY seq"));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1][0], "2");
  EXPECT_EQ(rows[1][1], "mallory");

  ASSERT_OK(ExecuteSqlForTest(url_, "DELETE FROM audit_log WHERE seq = 3"));
  tx = Begin();
  EXPECT_CODE(tx->audit().LockHead(), kDataLoss);
}

TEST_P(StoreTest, ReadOnlyTransactionCannotLockOrWrite) {
  SeedSeal("s1", "h1");
  ASSERT_OK_AND_ASSIGN(auto tx, store_->BeginRead());
  EXPECT_OK(tx->seals().Get("s1"));
  EXPECT_CODE(tx->audit().LockHead(), kFailedPrecondition);
  EXPECT_CODE(tx->seals().GetForUpdate("s1"), kFailedPrecondition);
  EXPECT_CODE(tx->applications().GetForUpdate("ap1"), kFailedPrecondition);
  EXPECT_CODE(tx->usage_requests().GetForUpdate("u1"), kFailedPrecondition);
  EXPECT_CODE(tx->holders().Insert(SampleHolder("h9", 9)), kFailedPrecondition);
  EXPECT_CODE(tx->settings().Put("k", "v"), kFailedPrecondition);
  // Refusals are not database errors: the read goes on.
  EXPECT_OK(tx->seals().Get("s1"));
  EXPECT_OK(tx->Commit());
}

}  // namespace
}  // namespace eseal::store::test
