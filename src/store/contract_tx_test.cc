// Contract tests of transactions and stores: rollback, commit visibility, read snapshots,
// row locks and writer serialisation, pool bounds, migrations on reopen (both backends).
#include <atomic>
#include <chrono>
#include <thread>

#include "store_test_util.h"

namespace eseal::store::test {
namespace {

using ::testing::HasSubstr;

TEST_P(StoreTest, DestroyedWithoutCommitWritesNothing) {
  {
    auto tx = Begin();
    ASSERT_OK(tx->holders().Insert(SampleHolder("h1")));
    ASSERT_OK(tx->seals().Insert(SampleSeal("s1", "h1")));
    ASSERT_OK(tx->settings().Put("k", "v"));
    ASSERT_OK(tx->audit().Insert(SampleAudit(1, "")));
  }
  auto tx = Begin();
  EXPECT_CODE(tx->holders().Get("h1"), kNotFound);
  EXPECT_CODE(tx->seals().Get("s1"), kNotFound);
  ASSERT_OK_AND_ASSIGN(auto v, tx->settings().Get("k"));
  EXPECT_FALSE(v.has_value());
  ASSERT_OK_AND_ASSIGN(AuditEntry head, tx->audit().LockHead());
  EXPECT_EQ(head.seq, 0);
}

TEST_P(StoreTest, CommitIsVisibleToLaterTransactionsAndOtherStores) {
  auto tx = Begin();
  ASSERT_OK(tx->holders().Insert(SampleHolder("h1")));
  // Not visible elsewhere before commit.
  {
    ASSERT_OK_AND_ASSIGN(auto reader, store_->BeginRead());
    EXPECT_CODE(reader->holders().Get("h1"), kNotFound);
  }
  ASSERT_OK(tx->Commit());
  EXPECT_CODE(tx->Commit(), kFailedPrecondition);  // once
  EXPECT_CODE(tx->holders().Get("h1"), kFailedPrecondition);
  tx.reset();

  ASSERT_OK_AND_ASSIGN(auto reader, store_->BeginRead());
  EXPECT_OK(reader->holders().Get("h1"));
  ASSERT_OK_AND_ASSIGN(auto other, OpenAnother());
  ASSERT_OK_AND_ASSIGN(auto tx2, other->Begin());
  EXPECT_OK(tx2->holders().Get("h1"));
}

// A read transaction sees one snapshot and neither waits for nor sees a concurrent writer.
TEST_P(StoreTest, ReadTransactionIsASnapshotBesideTheWriter) {
  SeedHolder("h1");
  ASSERT_OK_AND_ASSIGN(auto reader, store_->BeginRead());
  EXPECT_OK(reader->holders().Get("h1"));  // the snapshot starts here

  auto writer = Begin();
  ASSERT_OK(writer->holders().Insert(SampleHolder("h2", 2)));
  EXPECT_CODE(reader->holders().Get("h2"), kNotFound);  // does not wait for the writer
  ASSERT_OK(writer->Commit());
  EXPECT_CODE(reader->holders().Get("h2"), kNotFound);  // still the old snapshot
  ASSERT_OK(reader->Commit());

  ASSERT_OK_AND_ASSIGN(auto later, store_->BeginRead());
  EXPECT_OK(later->holders().Get("h2"));
}

TEST_P(StoreTest, SeveralReadTransactionsAtOnce) {
  SeedHolder("h1");
  std::vector<std::unique_ptr<Tx>> readers;
  for (int i = 0; i < 4; ++i) {
    ASSERT_OK_AND_ASSIGN(auto r, store_->BeginRead());
    EXPECT_OK(r->holders().Get("h1"));
    readers.push_back(std::move(r));
  }
  // A writer proceeds while they are open.
  auto tx = Begin();
  ASSERT_OK(tx->holders().Insert(SampleHolder("h2", 2)));
  ASSERT_OK(tx->Commit());
}

TEST_P(StoreTest, PoolIsBounded) {
  StoreOptions o;
  o.pool_size = 2;
  o.pool_timeout = std::chrono::milliseconds(100);
  ASSERT_OK_AND_ASSIGN(auto small, OpenAnother(o));
  ASSERT_OK_AND_ASSIGN(auto r1, small->BeginRead());
  ASSERT_OK_AND_ASSIGN(auto r2, small->BeginRead());
  Result<std::unique_ptr<Tx>> r3 = small->BeginRead();
  ASSERT_FALSE(r3.ok());
  EXPECT_EQ(r3.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(r3.status().message(), HasSubstr("in use"));
  r1.reset();
  ASSERT_OK_AND_ASSIGN(r3, small->BeginRead());
}

// Two writers of one seal: the second waits until the first commits and then sees its
// change (PostgreSQL: the row lock of GetForUpdate; SQLite: BEGIN IMMEDIATE).
TEST_P(StoreTest, ForUpdateMakesTheSecondWriterWait) {
  SeedSeal("s1", "h1");
  auto first = Begin();
  ASSERT_OK_AND_ASSIGN(Seal s, first->seals().GetForUpdate("s1"));

  std::atomic<bool> first_done{false};
  bool saw_first_done = false;
  int seen_attempts = -1;
  Status second_status;
  std::thread second([&] {
    second_status = [&]() -> Status {
      ASSIGN_OR_RETURN(std::unique_ptr<Tx> tx, store_->Begin());    // SQLite waits here
      ASSIGN_OR_RETURN(Seal mine, tx->seals().GetForUpdate("s1"));  // PostgreSQL here
      saw_first_done = first_done.load();
      seen_attempts = mine.failed_attempts;
      mine.failed_attempts = 2;
      RETURN_IF_ERROR(tx->seals().Update(mine));
      return tx->Commit();
    }();
  });
  // Long enough that a second writer that does not wait would get in first.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  s.failed_attempts = 1;
  EXPECT_OK(first->seals().Update(s));
  first_done = true;
  EXPECT_OK(first->Commit());
  second.join();

  EXPECT_OK(second_status);
  EXPECT_TRUE(saw_first_done) << "the second writer did not wait for the first";
  EXPECT_EQ(seen_attempts, 1) << "the second writer read the row before the first committed";
  auto tx = Begin();
  ASSERT_OK_AND_ASSIGN(s, tx->seals().Get("s1"));
  EXPECT_EQ(s.failed_attempts, 2);
}

// Read-modify-write through GetForUpdate from several threads loses no update.
TEST_P(StoreTest, ForUpdateLosesNoUpdates) {
  SeedSeal("s1", "h1");
  SeedHolder("h2");
  {
    auto tx = Begin();
    ASSERT_OK(tx->applications().Insert(SampleApplication("ap1", "h2")));
    ASSERT_OK(tx->usage_requests().Insert(SampleUsageRequest("u1", "s1")));
    ASSERT_OK(tx->Commit());
  }
  constexpr int kThreads = 4;
  constexpr int kEach = 15;
  std::vector<std::thread> threads;
  std::vector<Status> errors(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        Status s = [&]() -> Status {
          ASSIGN_OR_RETURN(std::unique_ptr<Tx> tx, store_->Begin());
          ASSIGN_OR_RETURN(Seal seal, tx->seals().GetForUpdate("s1"));
          seal.failed_attempts += 1;
          RETURN_IF_ERROR(tx->seals().Update(seal));
          ASSIGN_OR_RETURN(Application a, tx->applications().GetForUpdate("ap1"));
          a.next_level += 1;
          RETURN_IF_ERROR(tx->applications().Update(a));
          ASSIGN_OR_RETURN(UsageRequest u, tx->usage_requests().GetForUpdate("u1"));
          u.purpose += "x";
          RETURN_IF_ERROR(tx->usage_requests().Update(u));
          return tx->Commit();
        }();
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
  ASSERT_OK_AND_ASSIGN(Seal seal, tx->seals().Get("s1"));
  EXPECT_EQ(seal.failed_attempts, SampleSeal("s1", "h1").failed_attempts + kThreads * kEach);
  ASSERT_OK_AND_ASSIGN(Application a, tx->applications().Get("ap1"));
  EXPECT_EQ(a.next_level, SampleApplication("ap1", "h2").next_level + kThreads * kEach);
  EXPECT_EQ(a.reviews.size(), 2u);
  ASSERT_OK_AND_ASSIGN(UsageRequest u, tx->usage_requests().Get("u1"));
  EXPECT_EQ(u.purpose.size(), SampleUsageRequest("u1", "s1").purpose.size() + kThreads * kEach);
}

// A writer that cannot get the lock within the busy timeout gets Unavailable, and gets
// through once the holder commits. Two stores on one database stand for two processes:
// for SQLite this is BEGIN IMMEDIATE serialising writers across processes.
TEST_P(StoreTest, SecondWriterTimesOutWhileTheFirstHoldsTheLock) {
  SeedSeal("s1", "h1");
  StoreOptions impatient;
  impatient.busy_timeout = std::chrono::milliseconds(200);
  ASSERT_OK_AND_ASSIGN(auto other, OpenAnother(impatient));

  auto first = Begin();
  ASSERT_OK_AND_ASSIGN(Seal s, first->seals().GetForUpdate("s1"));
  Status blocked;
  if (is_pg()) {
    ASSERT_OK_AND_ASSIGN(auto tx2, other->Begin());
    blocked = tx2->seals().GetForUpdate("s1").status();
  } else {
    blocked = other->Begin().status();
  }
  EXPECT_EQ(blocked.code(), StatusCode::kUnavailable) << blocked.ToString();

  s.failed_attempts = 4;
  ASSERT_OK(first->seals().Update(s));
  ASSERT_OK(first->Commit());
  ASSERT_OK_AND_ASSIGN(auto tx2, other->Begin());
  ASSERT_OK_AND_ASSIGN(Seal again, tx2->seals().GetForUpdate("s1"));
  EXPECT_EQ(again.failed_attempts, 4);
  ASSERT_OK(tx2->Commit());
}

TEST_P(StoreTest, SchemaVersionIsTheLatest) {
  ASSERT_OK_AND_ASSIGN(int v, store_->SchemaVersion());
  EXPECT_EQ(v, LatestSchemaVersion(GetParam()));
  EXPECT_GE(v, 1);
}

TEST_P(StoreTest, ReopenKeepsDataAndAppliesNothingTwice) {
  SeedSeal("s1", "h1");
  Reopen();
  Reopen();
  ASSERT_OK_AND_ASSIGN(int v, store_->SchemaVersion());
  EXPECT_EQ(v, LatestSchemaVersion(GetParam()));
  auto tx = Begin();
  EXPECT_OK(tx->seals().Get("s1"));
  tx.reset();
  ASSERT_OK_AND_ASSIGN(auto rows, QuerySqlForTest(url_, "SELECT COUNT(*) FROM schema_migrations"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], std::to_string(LatestSchemaVersion(GetParam())));
  ASSERT_OK_AND_ASSIGN(rows, QuerySqlForTest(url_, "SELECT COUNT(*) FROM audit_head"));
  EXPECT_EQ(rows[0][0], "1");
}

TEST_P(StoreTest, NewerSchemaIsRefused) {
  ASSERT_OK(ExecuteSqlForTest(
      url_,
      "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 0)"));
  Result<std::unique_ptr<Store>> s = OpenAnother();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.status().message(), HasSubstr("9999"));
  EXPECT_THAT(s.status().message(), HasSubstr("newer"));
}

TEST_P(StoreTest, RenamedMigrationIsRefused) {
  ASSERT_OK(
      ExecuteSqlForTest(url_, "UPDATE schema_migrations SET name = 'other' WHERE version = 1"));
  Result<std::unique_ptr<Store>> s = OpenAnother();
  EXPECT_EQ(s.status().code(), StatusCode::kFailedPrecondition) << s.status().ToString();
}

TEST_P(StoreTest, OlderSchemaIsRefusedWithoutMigrate) {
  std::string path;
  ASSERT_OK_AND_ASSIGN(std::string url, CreateTestDatabase(GetParam(), &path));
  StoreOptions o;
  o.migrate = false;
  Result<std::unique_ptr<Store>> s = OpenStore(url, o);
  EXPECT_EQ(s.status().code(), StatusCode::kFailedPrecondition) << s.status().ToString();
  ASSERT_OK_AND_ASSIGN(auto migrated, OpenStore(url));
  migrated.reset();
  EXPECT_OK(OpenStore(url, o));
  RemoveTestDatabase(url, path);
}

TEST_P(StoreTest, StoreIsSharedBetweenThreads) {
  SeedHolder("h1");
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        Status s = [&]() -> Status {
          if ((t + i) % 2 == 0) {
            ASSIGN_OR_RETURN(auto tx, store_->BeginRead());
            RETURN_IF_ERROR(tx->holders().Get("h1"));
            return tx->Commit();
          }
          ASSIGN_OR_RETURN(auto tx, store_->Begin());
          Account a = SampleAccount("acct-" + std::to_string(t) + "-" + std::to_string(i), "h1");
          RETURN_IF_ERROR(tx->accounts().Insert(a));
          return tx->Commit();
        }();
        if (!s.ok()) {
          ADD_FAILURE() << s.ToString();
          ++failures;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  auto tx = Begin();
  ASSERT_OK_AND_ASSIGN(auto list, tx->accounts().List("h1", {}));
  EXPECT_EQ(list.size(), 30u);
}

}  // namespace
}  // namespace eseal::store::test
