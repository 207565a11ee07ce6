// SqlStore and SqlTx (sql_store.h).
#include "sql_store.h"

#include "migrate.h"

namespace eseal::store::internal {

SqlTx::SqlTx(Lease lease, TxMode mode)
    : lease_(std::move(lease)), dialect_(lease_.conn().dialect()), mode_(mode), repos_(*this) {}

SqlTx::~SqlTx() {
  if (!done_) (void)lease_.conn().Rollback();
  // The lease returns the connection; the pool closes it if the rollback failed.
}

Status SqlTx::Usable(const Params& p, std::string_view what) const {
  if (done_) return FailedPreconditionError(std::string(what) + ": the transaction has ended");
  if (!failed_.ok()) {
    return FailedPreconditionError(std::string(what) +
                                   ": the transaction failed earlier and must be abandoned (" +
                                   failed_.message() + ")");
  }
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i].type == Param::Type::kText && !IsStorableText(p[i].s)) {
      return InvalidArgumentError(std::string(what) + ": text value " + std::to_string(i + 1) +
                                  " is not valid UTF-8 or contains a NUL byte");
    }
  }
  return Status::Ok();
}

Status SqlTx::Fail(Status s) {
  if (failed_.ok()) failed_ = s;
  return s;
}

Status SqlTx::RequireWrite(std::string_view what) const {
  if (mode_ == TxMode::kRead) {
    return FailedPreconditionError(std::string(what) +
                                   ": a read-only transaction cannot write or lock");
  }
  return Status::Ok();
}

Result<QueryResult> SqlTx::Query(std::string_view what, std::string_view sql, const Params& p) {
  RETURN_IF_ERROR(Usable(p, what));
  Result<QueryResult> r = lease_.conn().Query(sql, p.data(), p.size());
  if (!r.ok()) return Fail(r.status().WithContext(what));
  return r;
}

Result<int64_t> SqlTx::Execute(std::string_view what, std::string_view sql, const Params& p) {
  RETURN_IF_ERROR(RequireWrite(what));
  RETURN_IF_ERROR(Usable(p, what));
  Result<int64_t> r = lease_.conn().Execute(sql, p.data(), p.size());
  if (!r.ok()) return Fail(r.status().WithContext(what));
  return r;
}

Status SqlTx::Commit() {
  RETURN_IF_ERROR(Usable({}, "commit"));
  Status s = lease_.conn().Commit();
  if (!s.ok()) {
    // SQLite keeps the transaction open after a failed COMMIT (a deferred foreign key):
    // the destructor rolls it back. PostgreSQL has already ended it.
    return Fail(s.WithContext("commit"));
  }
  done_ = true;
  // The connection goes back to the pool now, not when the Tx object dies: a caller may
  // keep a committed Tx while it begins the next one (SQLite has one write connection).
  lease_ = Lease();
  return Status::Ok();
}

Result<std::unique_ptr<platform::Tx>> SqlStore::Start(TxMode mode) {
  for (int attempt = 0;; ++attempt) {
    ASSIGN_OR_RETURN(Lease lease, Lease::Acquire(pool_, mode));
    Status s = lease.conn().Begin(mode);
    if (s.ok())
      return std::unique_ptr<platform::Tx>(std::make_unique<SqlTx>(std::move(lease), mode));
    // An idle pooled connection whose server went away (restart, idle timeout): drop it
    // and the other idle ones, and try once more with a new connection.
    if (lease.conn().Broken() && attempt == 0) {
      pool_->DiscardIdle();
      continue;
    }
    return s.WithContext("begin transaction");
  }
}

Result<int> SqlStore::SchemaVersion() {
  ASSIGN_OR_RETURN(Lease lease, Lease::Acquire(pool_, TxMode::kRead));
  return CurrentSchemaVersion(lease.conn());
}

}  // namespace eseal::store::internal
