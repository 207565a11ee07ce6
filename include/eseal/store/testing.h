// Test support for code that uses a store (never for production paths):
//  - raw SQL against a store's database, to tamper with rows behind the platform's back
//    (the audit tamper tests: "edit a row directly and see it caught");
//  - the throwaway PostgreSQL server that CTest starts (fixture `postgres`, see
//    docs/storage.md and cmake/eseal_postgres.cmake), and fresh databases on it.
// Thread-safety: every function is reentrant.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "eseal/base/result.h"

namespace eseal::store {

// Runs `sql` (one or more statements, no parameters) on the database a store URL names,
// over a new connection, outside any store. `sqlite::memory:` cannot be reached this way
// (InvalidArgument).
Status ExecuteSqlForTest(std::string_view url, std::string_view sql);

// Runs one query and returns its rows: integers and booleans in decimal, text and blobs as
// their bytes, NULL as "" (the same on both backends, for columns of the schema's types).
Result<std::vector<std::vector<std::string>>> QuerySqlForTest(std::string_view url,
                                                              std::string_view sql);

// The URL of the test PostgreSQL server: $ESEAL_PG_URL if set, otherwise the contents of
// the file $ESEAL_PG_URL_FILE (set by eseal_require_postgres), otherwise of
// <build>/pgtest/url. FailedPrecondition when there is none: tests that need PostgreSQL
// must fail, not skip, when the server did not start.
Result<std::string> PostgresTestServerUrl();

// Creates a new, empty database (UTF8, C collation) on the test server and returns its
// URL. Each call gives a different database, so tests and test binaries that run in
// parallel do not see each other's rows.
Result<std::string> CreatePostgresTestDatabase();

// A new, empty database for a test on `backend`: "sqlite" gives a new file under the
// temporary folder (its path in *sqlite_path), "postgresql" a new database on the test
// server (*sqlite_path left empty). Returns its store URL.
Result<std::string> CreateTestDatabase(std::string_view backend, std::string* sqlite_path);
// Removes what CreateTestDatabase made: the SQLite file with its -wal and -shm, or the
// PostgreSQL database.
void RemoveTestDatabase(std::string_view url, std::string_view sqlite_path);

// Drops a database made by CreatePostgresTestDatabase (closing its sessions first).
Status DropPostgresTestDatabase(std::string_view url);

}  // namespace eseal::store
