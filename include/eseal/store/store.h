// The storage backends of the platform's repositories (repository.h): SQLite, the embedded
// default (one file, WAL), and PostgreSQL, the production store shared by several
// `eseal serve` processes (DESIGN.md "Data and scale"). OpenStore picks the backend from
// the URL, applies the numbered migrations and returns a platform::Store.
// See docs/storage.md for the schema rules, durability and pool sizes.
// Thread-safety: OpenStore is reentrant; the returned Store is safe to share between
// threads (each thread uses its own Tx).
#pragma once

#include <chrono>
#include <memory>
#include <string_view>

#include "eseal/base/result.h"
#include "eseal/platform/repository.h"

namespace eseal::store {

struct StoreOptions {
  // PostgreSQL: most connections the pool opens (0 = 8). SQLite: most read connections
  // beside the single write connection (0 = 4). Connections are opened when first needed.
  int pool_size = 0;
  // How long a writer waits for a lock before Unavailable: SQLite's busy timeout (another
  // process holds the write lock) and the wait for this process's write connection;
  // PostgreSQL's lock_timeout (a row locked by *ForUpdate or LockHead). 0 waits forever.
  std::chrono::milliseconds busy_timeout{10000};
  // How long Begin waits for a free pooled connection before Unavailable.
  std::chrono::milliseconds pool_timeout{30000};
  // PostgreSQL: connect timeout (unless the URL sets connect_timeout).
  std::chrono::seconds connect_timeout{10};
  // Apply pending migrations when opening. When false, a database whose schema is older
  // than this build is refused (FailedPrecondition) instead of upgraded.
  bool migrate = true;
};

// Opens a store:
//   sqlite:/path/to/file.db   (also sqlite:relative.db and sqlite:///abs/path.db); the file
//                             is created (mode 0600) if missing
//   sqlite::memory:           a private in-memory database (tests; one connection)
//   postgresql://user@host:port/db?sslmode=...   (libpq connection URI; postgres:// too)
// Errors: InvalidArgument (unknown scheme), Unavailable (cannot open or connect),
// FailedPrecondition (schema newer than this build, or older and migrate is false),
// DataLoss (not a database). Messages never repeat the URL (it may hold a password).
Result<std::unique_ptr<platform::Store>> OpenStore(std::string_view url,
                                                   const StoreOptions& options = {});

// The schema version this build creates and understands, per backend ("sqlite" or
// "postgresql"); 0 for an unknown backend.
int LatestSchemaVersion(std::string_view backend);

}  // namespace eseal::store
