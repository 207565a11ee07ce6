// The two backends behind sql.h (internal to the store module).
// Thread-safety: the pools are thread-safe; connections are used by one thread at a time.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "eseal/store/store.h"
#include "sql.h"

namespace eseal::store::internal {

// ---- SQLite (sqlite_backend.cc) --------------------------------------------------------

struct SqliteTarget {
  std::string path;     // file path; ignored when memory
  bool memory = false;  // sqlite::memory:
};

// Parses what follows "sqlite:" in a store URL.
Result<SqliteTarget> ParseSqliteUrl(std::string_view rest);

// One connection with eseal's settings: WAL, foreign_keys=ON, synchronous=NORMAL, busy
// timeout; `reader` connections are query_only. `create` makes a missing file (mode 0600).
Result<std::unique_ptr<Connection>> OpenSqliteConnection(const SqliteTarget& target, bool create,
                                                         bool reader,
                                                         std::chrono::milliseconds busy_timeout);

// One write connection (writers take turns, BEGIN IMMEDIATE) and up to
// options.pool_size read connections (BEGIN, a WAL snapshot beside the writer). An
// in-memory database has only the one connection.
Result<std::shared_ptr<Pool>> OpenSqlitePool(const SqliteTarget& target,
                                             const StoreOptions& options);

// ---- PostgreSQL (pg_backend.cc) --------------------------------------------------------

// One libpq connection to `url` (a connection URI or key=value string) with eseal's
// session settings (UTF8, lock_timeout).
Result<std::unique_ptr<Connection>> OpenPgConnection(const std::string& url,
                                                     const StoreOptions& options);

// Up to options.pool_size connections shared by all threads, opened on demand; a broken
// connection is dropped and a new one opened on the next Acquire.
Result<std::shared_ptr<Pool>> OpenPgPool(std::string url, const StoreOptions& options);

}  // namespace eseal::store::internal
