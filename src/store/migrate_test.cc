// The migration runner on raw connections (both backends), and the two embedded schemas
// kept in step.
#include "migrate.h"

#include <thread>

#include "backends.h"
#include "store_test_util.h"

namespace eseal::store::test {
namespace {

using internal::Connection;
using internal::Migration;
using ::testing::HasSubstr;

Result<std::unique_ptr<Connection>> Connect(const std::string& url) {
  if (url.rfind("sqlite:", 0) == 0) {
    ASSIGN_OR_RETURN(internal::SqliteTarget t, internal::ParseSqliteUrl(url.substr(7)));
    return internal::OpenSqliteConnection(t, /*create=*/true, /*reader=*/false,
                                          std::chrono::milliseconds(10000));
  }
  return internal::OpenPgConnection(url, StoreOptions());
}

class MigrateTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(url_, CreateTestDatabase(GetParam(), &path_));
    ASSERT_OK_AND_ASSIGN(conn_, Connect(url_));
  }
  void TearDown() override {
    conn_.reset();
    RemoveTestDatabase(url_, path_);
  }
  int Version() {
    Result<int> v = internal::CurrentSchemaVersion(*conn_);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.value_or(-1);
  }
  std::string Scalar(const std::string& sql) {
    Result<std::vector<std::vector<std::string>>> rows = QuerySqlForTest(url_, sql);
    if (!rows.ok()) return "error: " + rows.status().ToString();
    return rows->empty() ? "" : (*rows)[0][0];
  }

  std::string url_;
  std::string path_;
  std::unique_ptr<Connection> conn_;
};

TEST_P(MigrateTest, AppliesInOrderAndOnlyOnce) {
  const Migration ms[] = {
      {1, "one", "CREATE TABLE t1 (x INTEGER); INSERT INTO t1 (x) VALUES (1);"},
      {2, "two", "INSERT INTO t1 (x) VALUES (2);"},
  };
  ASSERT_OK(internal::Migrate(*conn_, std::span(ms, 1), true));
  EXPECT_EQ(Version(), 1);
  ASSERT_OK(internal::Migrate(*conn_, ms, true));
  EXPECT_EQ(Version(), 2);
  ASSERT_OK(internal::Migrate(*conn_, ms, true));
  EXPECT_EQ(Version(), 2);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM t1"), "2");
  EXPECT_EQ(Scalar("SELECT name FROM schema_migrations WHERE version = 2"), "two");
}

TEST_P(MigrateTest, FailedMigrationIsRolledBackWhole) {
  const Migration broken[] = {
      {1, "one", "CREATE TABLE t1 (x INTEGER); INSERT INTO t1 (x) VALUES (1);"},
      {2, "broken", "CREATE TABLE t2 (y INTEGER); INSERT INTO t1 (x) VALUES (2); NOT SQL AT ALL;"},
  };
  Status s = internal::Migrate(*conn_, broken, true);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("0002_broken"));
  EXPECT_EQ(Version(), 1);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM t1"), "1");
  EXPECT_THAT(Scalar("SELECT COUNT(*) FROM t2"), HasSubstr("error"));  // never created

  const Migration fixed[] = {broken[0], {2, "broken", "CREATE TABLE t2 (y INTEGER);"}};
  ASSERT_OK(internal::Migrate(*conn_, fixed, true));
  EXPECT_EQ(Version(), 2);
}

TEST_P(MigrateTest, RefusesNewerRenamedAndPendingWithoutApply) {
  const Migration ms[] = {{1, "one", "CREATE TABLE t1 (x INTEGER);"},
                          {2, "two", "CREATE TABLE t2 (x INTEGER);"}};
  Status pending = internal::Migrate(*conn_, ms, /*apply=*/false);
  EXPECT_EQ(pending.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(Version(), 0);
  ASSERT_OK(internal::Migrate(*conn_, ms, true));
  Status newer = internal::Migrate(*conn_, std::span(ms, 1), true);
  EXPECT_EQ(newer.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(newer.message(), HasSubstr("newer"));
  const Migration renamed[] = {{1, "uno", "CREATE TABLE t1 (x INTEGER);"}, ms[1]};
  EXPECT_CODE(internal::Migrate(*conn_, renamed, true), kFailedPrecondition);
  const Migration misnumbered[] = {ms[1]};
  EXPECT_CODE(internal::Migrate(*conn_, misnumbered, true), kInternal);
}

TEST_P(MigrateTest, ConcurrentOpenersMigrateOnce) {
  std::vector<std::thread> threads;
  std::vector<Status> results(4);
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      Result<std::unique_ptr<Connection>> c = Connect(url_);
      if (!c.ok()) {
        results[i] = c.status();
        return;
      }
      results[i] = internal::Migrate(**c, internal::EmbeddedMigrations((*c)->dialect()), true);
    });
  }
  for (auto& t : threads) t.join();
  for (const Status& s : results) EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(Version(), LatestSchemaVersion(GetParam()));
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM schema_migrations"),
            std::to_string(LatestSchemaVersion(GetParam())));
}

// Migration 0002 gives the anchors registered before roles existed the roles they were
// trusted for: CA roots vouch for signers and (through eseal's maker policy) seal makers,
// maker certificates for seal makers.
TEST_P(MigrateTest, AnchorRolesMigrationKeepsWhatAnchorsVouchedFor) {
  auto all = internal::EmbeddedMigrations(conn_->dialect());
  ASSERT_GE(all.size(), 2u);
  ASSERT_EQ(all[1].name, "anchor_roles");
  ASSERT_OK(internal::Migrate(*conn_, all.subspan(0, 1), true));
  std::string der = conn_->dialect() == internal::Dialect::kPostgres ? "'\\x3000'::bytea" : "X'3000'";
  ASSERT_OK(conn_->ExecScript(
      "INSERT INTO trust_anchors (id, system_name, kind, cert_der, crl_url, status_url, active, created_at)"
      " VALUES ('ca', 'A', 'ca_root', " + der + ", '', '', TRUE, 1),"
      " ('mk', 'B', 'maker_certificate', " + der + ", '', '', FALSE, 2)"));
  ASSERT_OK(internal::Migrate(*conn_, all, true));
  EXPECT_EQ(Scalar("SELECT roles FROM trust_anchors WHERE id = 'ca'"), "seal_maker,signer");
  EXPECT_EQ(Scalar("SELECT maker_policies FROM trust_anchors WHERE id = 'ca'"), "1.3.6.1.4.1.32473.1.1");
  EXPECT_EQ(Scalar("SELECT roles FROM trust_anchors WHERE id = 'mk'"), "seal_maker");
  EXPECT_EQ(Scalar("SELECT maker_policies FROM trust_anchors WHERE id = 'mk'"), "");
  // The names the store reads back are the platform's defaults for the kind.
  EXPECT_EQ(platform::AnchorRolesName(platform::DefaultAnchorRoles(platform::AnchorKind::kCaRoot)),
            "seal_maker,signer");
  EXPECT_EQ(platform::AnchorRolesName(platform::DefaultAnchorRoles(platform::AnchorKind::kMakerCertificate)),
            "seal_maker");
}

std::string Name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }
INSTANTIATE_TEST_SUITE_P(Sqlite, MigrateTest, ::testing::Values(std::string("sqlite")), Name);
INSTANTIATE_TEST_SUITE_P(PostgreSQL, MigrateTest, ::testing::Values(std::string("postgresql")),
                         Name);

TEST(EmbeddedMigrationsTest, BackendsHaveTheSameNumberedList) {
  auto sqlite = internal::EmbeddedMigrations(internal::Dialect::kSqlite);
  auto pg = internal::EmbeddedMigrations(internal::Dialect::kPostgres);
  ASSERT_EQ(sqlite.size(), pg.size());
  ASSERT_FALSE(sqlite.empty());
  for (size_t i = 0; i < sqlite.size(); ++i) {
    EXPECT_EQ(sqlite[i].version, static_cast<int>(i) + 1);
    EXPECT_EQ(pg[i].version, static_cast<int>(i) + 1);
    EXPECT_EQ(sqlite[i].name, pg[i].name);
  }
  EXPECT_EQ(LatestSchemaVersion("sqlite"), static_cast<int>(sqlite.size()));
  EXPECT_EQ(LatestSchemaVersion("postgresql"), static_cast<int>(pg.size()));
  EXPECT_EQ(LatestSchemaVersion("mysql"), 0);
}

std::vector<std::vector<std::string>> Rows(const std::string& url, const std::string& sql) {
  Result<std::vector<std::vector<std::string>>> r = QuerySqlForTest(url, sql);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.value_or({});
}

// Both schemas have the same tables, columns and (named) indexes.
TEST(EmbeddedMigrationsTest, SchemasAreInStep) {
  std::string sqlite_path;
  ASSERT_OK_AND_ASSIGN(std::string sqlite_url, CreateTestDatabase("sqlite", &sqlite_path));
  std::string unused;
  ASSERT_OK_AND_ASSIGN(std::string pg_url, CreateTestDatabase("postgresql", &unused));
  { ASSERT_OK(OpenStore(sqlite_url)); }
  { ASSERT_OK(OpenStore(pg_url)); }

  auto sqlite_columns =
      Rows(sqlite_url,
           "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p"
           " WHERE m.type = 'table' ORDER BY 1, 2");
  auto pg_columns =
      Rows(pg_url,
           "SELECT table_name::text, column_name::text FROM information_schema.columns"
           " WHERE table_schema = current_schema() ORDER BY 1, 2");
  EXPECT_EQ(sqlite_columns, pg_columns);
  EXPECT_GT(sqlite_columns.size(), 100u);

  auto sqlite_indexes = Rows(sqlite_url,
                             "SELECT name FROM sqlite_master WHERE type = 'index'"
                             " AND name NOT LIKE 'sqlite_autoindex%' ORDER BY 1");
  auto pg_indexes =
      Rows(pg_url,
           "SELECT indexname::text FROM pg_indexes WHERE schemaname = current_schema()"
           " AND indexname NOT LIKE '%\\_pkey' AND indexname NOT LIKE '%\\_key'"
           // PostgreSQL-only search indexes (pg_trgm, migration 0006): SQLite has none.
           " AND indexname NOT LIKE '%\\_trgm'"
           " ORDER BY 1");
  EXPECT_EQ(sqlite_indexes, pg_indexes);
  EXPECT_GT(sqlite_indexes.size(), 40u);

  RemoveTestDatabase(sqlite_url, sqlite_path);
  RemoveTestDatabase(pg_url, "");
}

}  // namespace
}  // namespace eseal::store::test
