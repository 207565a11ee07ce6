// Backend-specific behaviour: store URLs, opening errors, SQLite files and in-memory
// databases, PostgreSQL reconnection.
#include <sys/stat.h>

#include <cstdio>
#include <fstream>

#include "backends.h"
#include "store_test_util.h"

namespace eseal::store::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(StoreUrlTest, SqliteForms) {
  ASSERT_OK_AND_ASSIGN(internal::SqliteTarget t, internal::ParseSqliteUrl("/var/lib/eseal.db"));
  EXPECT_EQ(t.path, "/var/lib/eseal.db");
  EXPECT_FALSE(t.memory);
  ASSERT_OK_AND_ASSIGN(t, internal::ParseSqliteUrl("///var/lib/eseal.db"));
  EXPECT_EQ(t.path, "/var/lib/eseal.db");
  ASSERT_OK_AND_ASSIGN(t, internal::ParseSqliteUrl("data/eseal.db"));
  EXPECT_EQ(t.path, "data/eseal.db");
  ASSERT_OK_AND_ASSIGN(t, internal::ParseSqliteUrl(":memory:"));
  EXPECT_TRUE(t.memory);
  EXPECT_CODE(internal::ParseSqliteUrl(""), kInvalidArgument);
  EXPECT_CODE(internal::ParseSqliteUrl("//host/file.db"), kInvalidArgument);
}

TEST(OpenStoreTest, UnknownSchemeIsInvalidAndHidesTheUrl) {
  Result<std::unique_ptr<Store>> s = OpenStore("mysql://root:s3cret@db/eseal");
  EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.status().message(), Not(HasSubstr("s3cret")));
}

TEST(OpenStoreTest, UnreachablePostgresIsUnavailable) {
  StoreOptions o;
  o.connect_timeout = std::chrono::seconds(3);
  Result<std::unique_ptr<Store>> s = OpenStore("postgresql://eseal:s3cret@127.0.0.1:1/eseal", o);
  EXPECT_EQ(s.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(s.status().message(), HasSubstr("PostgreSQL"));
  EXPECT_THAT(s.status().message(), Not(HasSubstr("s3cret")));
}

TEST(OpenStoreTest, MissingDirectoryIsUnavailable) {
  Result<std::unique_ptr<Store>> s = OpenStore("sqlite:/nonexistent-eseal-dir/x/eseal.db");
  EXPECT_EQ(s.status().code(), StatusCode::kUnavailable) << s.status().ToString();
}

TEST(OpenStoreTest, NotADatabaseIsDataLoss) {
  std::string path = ::testing::TempDir() + "/eseal-not-a-db.sqlite";
  {
    std::ofstream out(path, std::ios::binary);
    out << std::string(4096, 'x');
  }
  Result<std::unique_ptr<Store>> s = OpenStore("sqlite:" + path);
  EXPECT_EQ(s.status().code(), StatusCode::kDataLoss) << s.status().ToString();
  std::remove(path.c_str());
}

TEST(SqliteStoreTest, FileIsPrivateWalAndEnforcesForeignKeys) {
  std::string path;
  ASSERT_OK_AND_ASSIGN(std::string url, CreateTestDatabase("sqlite", &path));
  ASSERT_OK_AND_ASSIGN(auto store, OpenStore(url));
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_OK_AND_ASSIGN(auto rows, QuerySqlForTest(url, "PRAGMA journal_mode"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], "wal");
  // Every pooled connection enforces foreign keys, readers included.
  ASSERT_OK_AND_ASSIGN(auto reader, store->BeginRead());
  ASSERT_OK_AND_ASSIGN(auto tx, store->Begin());
  EXPECT_CODE(tx->seals().Insert(SampleSeal("s1", "nobody")), kFailedPrecondition);
  tx.reset();
  reader.reset();
  store.reset();
  RemoveTestDatabase(url, path);
}

TEST(SqliteStoreTest, MemoryDatabase) {
  ASSERT_OK_AND_ASSIGN(auto store, OpenStore("sqlite::memory:"));
  EXPECT_EQ(store->backend(), "sqlite");
  {
    ASSERT_OK_AND_ASSIGN(auto tx, store->Begin());
    ASSERT_OK(tx->holders().Insert(SampleHolder("h1")));
    ASSERT_OK(tx->Commit());
  }
  {
    ASSERT_OK_AND_ASSIGN(auto tx, store->BeginRead());
    EXPECT_OK(tx->holders().Get("h1"));
    EXPECT_CODE(tx->holders().Insert(SampleHolder("h2", 2)), kFailedPrecondition);
  }
  {
    ASSERT_OK_AND_ASSIGN(auto tx, store->Begin());
    ASSERT_OK(tx->holders().Insert(SampleHolder("h3", 3)));
    // rolled back
  }
  {
    ASSERT_OK_AND_ASSIGN(auto tx, store->Begin());
    EXPECT_CODE(tx->holders().Get("h3"), kNotFound);
  }
  ASSERT_OK_AND_ASSIGN(int v, store->SchemaVersion());  // needs the one connection
  EXPECT_EQ(v, LatestSchemaVersion("sqlite"));
  EXPECT_CODE(ExecuteSqlForTest("sqlite::memory:", "SELECT 1"), kInvalidArgument);
}

// ---- PostgreSQL ------------------------------------------------------------------------------

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(url_, CreatePostgresTestDatabase());
    ASSERT_OK_AND_ASSIGN(store_, OpenStore(url_));
  }
  void TearDown() override {
    store_.reset();
    if (!url_.empty()) (void)DropPostgresTestDatabase(url_);
  }
  Status KillOtherSessions() {
    return ExecuteSqlForTest(url_,
                             "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                             " WHERE datname = current_database() AND pid <> pg_backend_pid()");
  }
  std::string url_;
  std::unique_ptr<Store> store_;
};

TEST_F(PostgresStoreTest, TheFixtureServerIsThere) {
  ASSERT_OK_AND_ASSIGN(std::string server, PostgresTestServerUrl());
  EXPECT_THAT(server, HasSubstr("postgres"));
  EXPECT_EQ(store_->backend(), "postgresql");
}

TEST_F(PostgresStoreTest, ReconnectsAfterTheServerDropsIdleConnections) {
  {
    ASSERT_OK_AND_ASSIGN(auto tx, store_->Begin());
    ASSERT_OK(tx->holders().Insert(SampleHolder("h1")));
    ASSERT_OK(tx->Commit());
  }
  ASSERT_OK(KillOtherSessions());
  // The pooled connections are dead; the next transaction gets a new one.
  for (int i = 0; i < 3; ++i) {
    ASSERT_OK_AND_ASSIGN(auto tx, store_->Begin());
    EXPECT_OK(tx->holders().Get("h1"));
  }
  ASSERT_OK_AND_ASSIGN(auto reader, store_->BeginRead());
  EXPECT_OK(reader->holders().Get("h1"));
}

TEST_F(PostgresStoreTest, ConnectionLostInATransactionIsUnavailable) {
  ASSERT_OK_AND_ASSIGN(auto tx, store_->Begin());
  ASSERT_OK(tx->holders().Insert(SampleHolder("h1")));
  ASSERT_OK(KillOtherSessions());
  Status s = tx->holders().Get("h1").status();
  EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.ToString();
  EXPECT_THAT(s.message(), HasSubstr("PostgreSQL"));
  EXPECT_CODE(tx->Commit(), kFailedPrecondition);
  tx.reset();
  ASSERT_OK_AND_ASSIGN(tx, store_->Begin());
  EXPECT_CODE(tx->holders().Get("h1"), kNotFound);  // nothing was committed
}

}  // namespace
}  // namespace eseal::store::test
