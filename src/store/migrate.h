// Numbered schema migrations (internal to the store module). Each backend has its own list,
// src/store/migrations/<backend>/NNNN_name.sql, embedded in the binary at build time
// (embed_migrations.cmake). The schema_migrations table records what was applied.
// Thread-safety: functions are reentrant; a Connection is used by one thread.
#pragma once

#include <span>
#include <string_view>

#include "eseal/base/result.h"
#include "sql.h"

namespace eseal::store::internal {

struct Migration {
  int version;            // NNNN, from 1 without gaps
  std::string_view name;  // the file name without NNNN_ and .sql
  std::string_view sql;
};

// The migrations built into this binary for a dialect, ascending.
std::span<const Migration> EmbeddedMigrations(Dialect dialect);

// The highest applied version (0 for an empty database).
Result<int> CurrentSchemaVersion(Connection& c);

// Brings the database to the last of `migrations`: each pending migration runs in its own
// transaction together with its schema_migrations row, so it is applied whole or not at
// all. Concurrent openers are serialised (SQLite: BEGIN IMMEDIATE; PostgreSQL: an
// advisory lock). A database whose schema is newer than `migrations` knows, or whose
// applied names differ from them, is refused with FailedPrecondition; so is an older one
// when `apply` is false. `c` must be outside any transaction.
Status Migrate(Connection& c, std::span<const Migration> migrations, bool apply);

}  // namespace eseal::store::internal
