// OpenStore: the backend from the URL, then migrations (store.h).
#include "eseal/store/store.h"

#include "backends.h"
#include "migrate.h"
#include "sql_store.h"

namespace eseal::store {

using internal::Dialect;

namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

Result<std::unique_ptr<platform::Store>> Finish(std::shared_ptr<internal::Pool> pool,
                                                const StoreOptions& options) {
  {
    ASSIGN_OR_RETURN(internal::Lease lease,
                     internal::Lease::Acquire(pool, internal::TxMode::kWrite));
    RETURN_IF_ERROR(internal::Migrate(lease.conn(), internal::EmbeddedMigrations(pool->dialect()),
                                      options.migrate));
  }
  return std::unique_ptr<platform::Store>(std::make_unique<internal::SqlStore>(std::move(pool)));
}

}  // namespace

Result<std::unique_ptr<platform::Store>> OpenStore(std::string_view url,
                                                   const StoreOptions& options) {
  if (StartsWith(url, "sqlite:")) {
    ASSIGN_OR_RETURN(internal::SqliteTarget target, internal::ParseSqliteUrl(url.substr(7)));
    ASSIGN_OR_RETURN(std::shared_ptr<internal::Pool> pool,
                     internal::OpenSqlitePool(target, options));
    return Finish(std::move(pool), options);
  }
  if (StartsWith(url, "postgresql://") || StartsWith(url, "postgres://")) {
    ASSIGN_OR_RETURN(std::shared_ptr<internal::Pool> pool,
                     internal::OpenPgPool(std::string(url), options));
    return Finish(std::move(pool), options);
  }
  // The URL is not repeated: it may hold a password.
  return InvalidArgumentError(
      "unknown store URL: use sqlite:/path/to/file.db, sqlite::memory: or postgresql://...");
}

int LatestSchemaVersion(std::string_view backend) {
  Dialect d;
  if (backend == "sqlite") {
    d = Dialect::kSqlite;
  } else if (backend == "postgresql") {
    d = Dialect::kPostgres;
  } else {
    return 0;
  }
  std::span<const internal::Migration> m = internal::EmbeddedMigrations(d);
  return m.empty() ? 0 : m.back().version;
}

}  // namespace eseal::store
