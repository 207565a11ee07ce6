// The Store and Tx over sql.h, shared by both backends (internal to the store module).
// A SqlTx holds one pooled connection for its life and runs the repositories' statements
// on it. After a database error the transaction is spoiled (PostgreSQL aborts it; SQLite
// is made to behave the same): later calls and Commit return FailedPrecondition, and
// destruction rolls back. Expected outcomes — NotFound, AlreadyExists from Insert — are
// decided without a failing statement and leave the transaction usable on both backends.
// Thread-safety: SqlStore is thread-safe; a SqlTx is used by one thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "eseal/platform/repository.h"
#include "repos_bindings.h"
#include "repositories.h"
#include "sql.h"

namespace eseal::store::internal {

// The few places where the dialects differ inside a query.
// Locks the selected rows until the transaction ends (PostgreSQL); SQLite needs no clause
// because its writers are already serialised by BEGIN IMMEDIATE. NO KEY UPDATE, the lock an
// UPDATE of non-key columns takes: it excludes every other writer of the row but not the
// KEY SHARE lock a foreign-key check takes on it. With FOR UPDATE, a transaction inserting
// a row that references a locked seal (a use request, an application; some checks wait
// until COMMIT, after the audit entry) would queue behind the seal's holder while holding
// the audit head that holder waits for: a deadlock outside any lock order we write.
inline std::string_view ForUpdate(Dialect d) {
  return d == Dialect::kPostgres ? " FOR NO KEY UPDATE" : "";
}
// `column` contains the text bound to `param` (case-sensitive on both).
inline std::string Contains(Dialect d, std::string_view column, std::string_view param) {
  std::string fn = d == Dialect::kPostgres ? "strpos(" : "instr(";
  return fn + std::string(column) + ", " + std::string(param) + ") > 0";
}

// Builds a WHERE clause and its parameters: `w.Add("kind = " + w.Bind(Text(k)))`.
class Where {
 public:
  std::string Bind(Param p) {
    params_.push_back(p);
    return "$" + std::to_string(params_.size());
  }
  void Add(std::string condition) { conditions_.push_back(std::move(condition)); }
  std::string Clause() const {
    std::string out;
    for (size_t i = 0; i < conditions_.size(); ++i) {
      out += i == 0 ? " WHERE " : " AND ";
      out += conditions_[i];
    }
    return out;
  }
  // " LIMIT $k OFFSET $k+1"
  std::string Page(const Bounds& b) {
    std::string lim = Bind(Int(b.limit));
    return " LIMIT " + lim + " OFFSET " + Bind(Int(b.offset));
  }
  const Params& params() const { return params_; }

 private:
  std::vector<std::string> conditions_;
  Params params_;
};

class SqlTx final : public platform::Tx {
 public:
  SqlTx(Lease lease, TxMode mode);
  ~SqlTx() override;
  SqlTx(const SqlTx&) = delete;
  SqlTx& operator=(const SqlTx&) = delete;

  platform::HolderRepository& holders() override { return repos_.holders; }
  platform::AreaRepository& areas() override { return repos_.areas; }
  platform::ImpressionRepository& impressions() override { return repos_.impressions; }
  platform::AccountRepository& accounts() override { return repos_.accounts; }
  platform::CredentialRepository& credentials() override { return repos_.credentials; }
  platform::LoginRepository& logins() override { return repos_.logins; }
  platform::SessionRepository& sessions() override { return repos_.sessions; }
  platform::ClientRepository& clients() override { return repos_.clients; }
  platform::AuthorisationRepository& authorisations() override { return repos_.authorisations; }
  platform::BindingRepository& bindings() override { return bindings_; }
  platform::SealGrantRepository& grants() override { return repos_.grants; }
  platform::ApplicationRepository& applications() override { return repos_.applications; }
  platform::SealRepository& seals() override { return repos_.seals; }
  platform::SealEventRepository& seal_events() override { return repos_.seal_events; }
  platform::CertificateRepository& certificates() override { return repos_.certificates; }
  platform::PlatformKeyRepository& platform_keys() override { return repos_.platform_keys; }
  platform::SignatureRepository& signatures() override { return repos_.signatures; }
  platform::UsageRequestRepository& usage_requests() override { return repos_.usage_requests; }
  platform::TrustAnchorRepository& anchors() override { return repos_.anchors; }
  platform::FilingRepository& filings() override { return repos_.filings; }
  platform::ArchiveRepository& archives() override { return repos_.archives; }
  platform::AuditRepository& audit() override { return repos_.audit; }
  platform::SettingRepository& settings() override { return repos_.settings; }
  platform::TimestampTokenRepository& timestamp_tokens() override { return repos_.timestamp_tokens; }
  platform::EvidenceRepository& evidence() override { return repos_.evidence; }
  Status Commit() override;

  // For the repositories. `what` names the operation in error messages ("insert seal").
  Dialect dialect() const { return dialect_; }
  Result<QueryResult> Query(std::string_view what, std::string_view sql, const Params& p = {});
  Result<int64_t> Execute(std::string_view what, std::string_view sql, const Params& p = {});
  // Spoils the transaction (a repository found the database inconsistent mid-write).
  Status Fail(Status s);
  // FailedPrecondition in a read-only transaction (writes, *ForUpdate, LockHead).
  Status RequireWrite(std::string_view what) const;

 private:
  Status Usable(const Params& p, std::string_view what) const;

  Lease lease_;
  Dialect dialect_;
  TxMode mode_;
  bool done_ = false;
  Status failed_;
  Repositories repos_;
  SqlBindingRepository bindings_{*this};
};

// SELECT COUNT(*) FROM `table` with the WHERE of `w`: the total a paged List reports, built
// by the same function as the page's WHERE so the two cannot drift apart.
inline Result<int64_t> CountWhere(SqlTx& tx, std::string_view what, std::string_view table,
                                  const Where& w) {
  ASSIGN_OR_RETURN(QueryResult q, tx.Query(what, "SELECT COUNT(*) FROM " + std::string(table) + w.Clause(),
                                           w.params()));
  if (q.empty()) return int64_t{0};
  return RowReader(q, 0).Int();
}

class SqlStore final : public platform::Store {
 public:
  explicit SqlStore(std::shared_ptr<Pool> pool) : pool_(std::move(pool)) {}
  std::string_view backend() const override { return pool_->backend(); }
  Result<std::unique_ptr<platform::Tx>> Begin() override { return Start(TxMode::kWrite); }
  Result<std::unique_ptr<platform::Tx>> BeginRead() override { return Start(TxMode::kRead); }
  Result<int> SchemaVersion() override;

 private:
  Result<std::unique_ptr<platform::Tx>> Start(TxMode mode);
  std::shared_ptr<Pool> pool_;
};

}  // namespace eseal::store::internal
