// Applying the numbered migrations (migrate.h).
#include "migrate.h"

#include <chrono>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace eseal::store::internal {
namespace {

constexpr std::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER NOT NULL PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " applied_at BIGINT NOT NULL)";
constexpr std::string_view kSelectApplied =
    "SELECT version, name FROM schema_migrations ORDER BY version";
constexpr std::string_view kSelectVersion =
    "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
constexpr std::string_view kVersionApplied =
    "SELECT version FROM schema_migrations WHERE version = $1";
constexpr std::string_view kInsertApplied =
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)";
// PostgreSQL: one opener at a time migrates (the key is arbitrary but fixed: "eseal").
constexpr std::string_view kPgLock = "SELECT pg_advisory_lock(6573657361)";
constexpr std::string_view kPgUnlock = "SELECT pg_advisory_unlock(6573657361)";

std::string Label(const Migration& m) {
  char num[16];
  std::snprintf(num, sizeof num, "%04d", m.version);
  return std::string(num) + "_" + std::string(m.name);
}

Status ApplyOne(Connection& c, const Migration& m) {
  Param v = Int(m.version);
  ASSIGN_OR_RETURN(QueryResult done, c.Query(kVersionApplied, &v, 1));
  if (done.empty()) {  // not applied by a concurrent opener meanwhile
    RETURN_IF_ERROR(c.ExecScript(m.sql));
    int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
    Params p = {Int(m.version), Text(m.name), Int(now)};
    RETURN_IF_ERROR(c.Execute(kInsertApplied, p.data(), p.size()));
  }
  return c.Commit();
}

Status MigrateLocked(Connection& c, std::span<const Migration> migrations, bool apply) {
  RETURN_IF_ERROR(c.ExecScript(kCreateMigrationsTable));
  ASSIGN_OR_RETURN(QueryResult applied, c.Query(kSelectApplied, nullptr, 0));
  int latest = migrations.empty() ? 0 : migrations.back().version;
  int newest = applied.empty() ? 0 : RowReader(applied, applied.rows() - 1).IntSmall();
  if (newest > latest) {
    return FailedPreconditionError("the database schema is version " + std::to_string(newest) +
                                   ", newer than this build of eseal understands (" +
                                   std::to_string(latest) + "); use a newer eseal");
  }
  int current = 0;
  for (size_t i = 0; i < applied.rows(); ++i) {
    RowReader r(applied, i);
    int version = r.IntSmall();
    std::string name = r.Text();
    current = version;
    if (version != static_cast<int>(i) + 1) {
      return FailedPreconditionError("schema_migrations has a gap before version " +
                                     std::to_string(version));
    }
    const Migration& m = migrations[version - 1];
    if (m.name != name) {
      return FailedPreconditionError("schema migration " + std::to_string(version) + " is '" +
                                     name + "' in the database but '" + std::string(m.name) +
                                     "' in this build of eseal");
    }
  }
  if (current == latest) return Status::Ok();
  if (!apply) {
    return FailedPreconditionError("the database schema is version " + std::to_string(current) +
                                   " and this build of eseal needs " + std::to_string(latest) +
                                   "; open it with migrations enabled");
  }
  for (const Migration& m : migrations) {
    if (m.version <= current) continue;
    RETURN_IF_ERROR(c.Begin(TxMode::kWrite).WithContext("schema migration " + Label(m)));
    Status s = ApplyOne(c, m);
    if (!s.ok()) {
      (void)c.Rollback();
      return s.WithContext("schema migration " + Label(m));
    }
  }
  return Status::Ok();
}

}  // namespace

Result<int> CurrentSchemaVersion(Connection& c) {
  ASSIGN_OR_RETURN(QueryResult q, c.Query(kSelectVersion, nullptr, 0));
  if (q.empty()) return 0;
  return RowReader(q, 0).IntSmall();
}

Status Migrate(Connection& c, std::span<const Migration> migrations, bool apply) {
  for (size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i) + 1) {
      return InternalError("built-in schema migrations are not numbered 1, 2, 3, ...");
    }
  }
  if (c.dialect() != Dialect::kPostgres) return MigrateLocked(c, migrations, apply);
  RETURN_IF_ERROR(c.ExecScript(kPgLock));
  Status s = MigrateLocked(c, migrations, apply);
  Status unlock = c.ExecScript(kPgUnlock);
  if (s.ok()) return unlock;
  return s;
}

}  // namespace eseal::store::internal
