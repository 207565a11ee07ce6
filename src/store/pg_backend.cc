// PostgreSQL behind sql.h: libpq's C API (errors as values), a pool of connections shared
// by all threads. Statements are prepared once per connection and executed with text
// parameters (bytea as binary) and binary results.
#include <libpq-fe.h>

#include <condition_variable>
#include <cstring>
#include <mutex>
#include <unordered_map>

#include "backends.h"

namespace eseal::store::internal {
namespace {

// Type OIDs (catalog/pg_type.h) of the columns the schema uses.
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;

std::string FirstLine(const char* s) {
  if (s == nullptr) return std::string();
  std::string line(s);
  size_t nl = line.find('\n');
  if (nl != std::string::npos) line.resize(nl);
  return line;
}

uint64_t ReadBigEndian(const char* p, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

// Maps a failed result to an eseal Status. Only the primary message is used: the DETAIL
// of constraint errors repeats row values, which may be secret.
Status StatusFromResult(const PGresult* r) {
  const char* state_c = PQresultErrorField(r, PG_DIAG_SQLSTATE);
  std::string state = state_c != nullptr ? state_c : "";
  std::string primary = FirstLine(PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY));
  if (primary.empty()) primary = FirstLine(PQresultErrorMessage(r));
  std::string cls = state.substr(0, 2);
  if (state == "23505") return AlreadyExistsError(primary);
  if (state == "23503")
    return FailedPreconditionError(primary + " (a referenced row does not exist)");
  if (cls == "23") return InvalidArgumentError(primary);
  if (cls == "22") return InvalidArgumentError("data exception (SQLSTATE " + state + ")");
  if (state == "40001" || state == "40P01") {
    return UnavailableError("PostgreSQL: " + primary + "; retry the transaction");
  }
  if (state == "55P03") return UnavailableError("PostgreSQL: lock wait timed out: " + primary);
  if (cls == "08" || cls == "53" || cls == "57") return UnavailableError("PostgreSQL: " + primary);
  if (state == "25006") {
    return FailedPreconditionError(primary + " (a read-only transaction cannot write)");
  }
  if (cls == "25") return FailedPreconditionError("PostgreSQL: " + primary);
  if (cls == "XX" && (state == "XX001" || state == "XX002")) {
    return DataLossError("PostgreSQL: " + primary);
  }
  return InternalError("PostgreSQL: " + primary + " (SQLSTATE " + state + ")");
}

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

class PgConnection final : public Connection {
 public:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  ~PgConnection() override { PQfinish(conn_); }
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  Dialect dialect() const override { return Dialect::kPostgres; }

  Status ExecScript(std::string_view sql) override {
    if (broken_) return Lost();
    std::string text(sql);
    PgResult r(PQexec(conn_, text.c_str()));
    return Check(r.get());
  }

  Result<QueryResult> Query(std::string_view sql, const Param* params, size_t n) override {
    ASSIGN_OR_RETURN(PgResult r, Run(sql, params, n));
    int rows = PQntuples(r.get());
    int cols = PQnfields(r.get());
    QueryResult out(cols);
    for (int row = 0; row < rows; ++row) {
      for (int c = 0; c < cols; ++c) {
        QueryResult::Cell cell;
        if (!PQgetisnull(r.get(), row, c)) {
          const char* v = PQgetvalue(r.get(), row, c);
          int len = PQgetlength(r.get(), row, c);
          Oid type = PQftype(r.get(), c);
          if (type == kInt8Oid || type == kInt4Oid || type == kInt2Oid || type == kBoolOid) {
            int want = type == kInt8Oid ? 8 : type == kInt4Oid ? 4 : type == kInt2Oid ? 2 : 1;
            if (len != want) return InternalError("PostgreSQL returned a malformed integer");
            uint64_t u = ReadBigEndian(v, len);
            cell.type = QueryResult::Cell::Type::kInt;
            if (type == kInt8Oid) {
              cell.i = static_cast<int64_t>(u);
            } else if (type == kInt4Oid) {
              cell.i = static_cast<int32_t>(static_cast<uint32_t>(u));
            } else if (type == kInt2Oid) {
              cell.i = static_cast<int16_t>(static_cast<uint16_t>(u));
            } else {
              cell.i = u != 0 ? 1 : 0;
            }
          } else {
            // text, varchar, name and bytea arrive as their bytes in binary format.
            cell.type = QueryResult::Cell::Type::kBytes;
            cell.s.assign(v, len);
          }
        }
        out.AddCell(std::move(cell));
      }
    }
    return out;
  }

  Result<int64_t> Execute(std::string_view sql, const Param* params, size_t n) override {
    ASSIGN_OR_RETURN(PgResult r, Run(sql, params, n));
    const char* tuples = PQcmdTuples(r.get());
    int64_t count = 0;
    for (const char* p = tuples; p != nullptr && *p >= '0' && *p <= '9'; ++p) {
      count = count * 10 + (*p - '0');
    }
    return count;
  }

  Status Begin(TxMode mode) override {
    return ExecScript(mode == TxMode::kWrite ? "BEGIN ISOLATION LEVEL READ COMMITTED"
                                             : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  }

  Status Commit() override {
    if (broken_) return Lost();
    PgResult r(PQexec(conn_, "COMMIT"));
    RETURN_IF_ERROR(Check(r.get()));
    // COMMIT of a transaction that failed earlier answers ROLLBACK, without an error.
    if (std::strcmp(PQcmdStatus(r.get()), "COMMIT") != 0) {
      return FailedPreconditionError(
          "PostgreSQL rolled the transaction back instead of committing");
    }
    return Status::Ok();
  }

  Status Rollback() override {
    if (broken_) return Lost();
    if (PQtransactionStatus(conn_) == PQTRANS_IDLE) return Status::Ok();
    return ExecScript("ROLLBACK");
  }

  bool Broken() const override { return broken_ || PQstatus(conn_) != CONNECTION_OK; }
  bool Idle() const override { return !Broken() && PQtransactionStatus(conn_) == PQTRANS_IDLE; }

 private:
  Status Lost() {
    broken_ = true;
    std::string why = FirstLine(PQerrorMessage(conn_));
    return UnavailableError("the connection to PostgreSQL was lost" +
                            (why.empty() ? std::string() : ": " + why));
  }

  Status Check(const PGresult* r) {
    if (r == nullptr || PQstatus(conn_) != CONNECTION_OK) return Lost();
    ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY) {
      return Status::Ok();
    }
    if (st == PGRES_FATAL_ERROR || st == PGRES_NONFATAL_ERROR) {
      Status s = StatusFromResult(r);
      if (PQstatus(conn_) != CONNECTION_OK) broken_ = true;
      return s;
    }
    return InternalError("PostgreSQL: unexpected result status " + std::string(PQresStatus(st)));
  }

  Result<PgResult> Run(std::string_view sql, const Param* params, size_t n) {
    if (broken_) return Lost();
    std::string key(sql);
    auto it = prepared_.find(key);
    if (it == prepared_.end()) {
      std::string name = "eseal_" + std::to_string(prepared_.size() + 1);
      // Parameter types are inferred by the server from where each $k appears.
      PgResult r(PQprepare(conn_, name.c_str(), key.c_str(), 0, nullptr));
      RETURN_IF_ERROR(Check(r.get()));
      it = prepared_.emplace(std::move(key), std::move(name)).first;
    }
    std::vector<std::string> text(n);
    std::vector<const char*> values(n);
    std::vector<int> lengths(n);
    std::vector<int> formats(n);
    for (size_t i = 0; i < n; ++i) {
      const Param& p = params[i];
      switch (p.type) {
        case Param::Type::kNull:
          values[i] = nullptr;
          break;
        case Param::Type::kInt:
          text[i] = std::to_string(p.i);
          values[i] = text[i].c_str();
          break;
        case Param::Type::kText:
          text[i] = std::string(p.s);  // text format wants a NUL-terminated string
          values[i] = text[i].c_str();
          break;
        case Param::Type::kBlob:
          values[i] = p.s.data();
          lengths[i] = static_cast<int>(p.s.size());
          formats[i] = 1;  // binary: bytea's bytes as they are
          break;
      }
    }
    PgResult r(PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(n), values.data(),
                              lengths.data(), formats.data(), /*resultFormat=*/1));
    RETURN_IF_ERROR(Check(r.get()));
    return r;
  }

  PGconn* conn_;
  bool broken_ = false;
  std::unordered_map<std::string, std::string> prepared_;
};

class PgPool final : public Pool {
 public:
  PgPool(std::string url, const StoreOptions& options)
      : url_(std::move(url)),
        options_(options),
        max_(options.pool_size > 0 ? options.pool_size : 8) {}

  std::string_view backend() const override { return "postgresql"; }
  Dialect dialect() const override { return Dialect::kPostgres; }

  Result<std::unique_ptr<Connection>> Acquire(TxMode) override {
    std::unique_lock<std::mutex> lock(mu_);
    auto ready = [&] { return !idle_.empty() || open_ < max_; };
    if (options_.pool_timeout.count() <= 0) {
      cv_.wait(lock, ready);
    } else if (!cv_.wait_for(lock, options_.pool_timeout, ready)) {
      return UnavailableError("all " + std::to_string(max_) +
                              " PostgreSQL connections of the pool are in use");
    }
    if (!idle_.empty()) {
      std::unique_ptr<Connection> c = std::move(idle_.back());
      idle_.pop_back();
      return c;
    }
    ++open_;
    lock.unlock();
    Result<std::unique_ptr<Connection>> c = OpenPgConnection(url_, options_);
    if (!c.ok()) {
      lock.lock();
      --open_;
      cv_.notify_one();
    }
    return c;
  }

  void Release(std::unique_ptr<Connection> c, TxMode) override {
    std::unique_ptr<Connection> closing;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (c->Idle()) {
        idle_.push_back(std::move(c));
      } else {
        closing = std::move(c);
        --open_;
      }
      cv_.notify_one();
    }
  }

  void DiscardIdle() override {
    std::vector<std::unique_ptr<Connection>> closing;
    {
      std::lock_guard<std::mutex> lock(mu_);
      open_ -= static_cast<int>(idle_.size());
      closing.swap(idle_);
      cv_.notify_all();
    }
  }

 private:
  const std::string url_;
  const StoreOptions options_;
  const int max_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;
};

}  // namespace

Result<std::unique_ptr<Connection>> OpenPgConnection(const std::string& url,
                                                     const StoreOptions& options) {
  if (PQisthreadsafe() == 0) return InternalError("this libpq was built without thread support");
  std::string timeout = std::to_string(options.connect_timeout.count());
  // The URL comes last so that what it says wins over these defaults.
  const char* keywords[] = {"application_name", "client_encoding", "connect_timeout", "dbname",
                            nullptr};
  const char* values[] = {"eseal", "UTF8", timeout.c_str(), url.c_str(), nullptr};
  PGconn* raw = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (raw == nullptr) return UnavailableError("cannot connect to PostgreSQL: out of memory");
  auto conn = std::make_unique<PgConnection>(raw);
  // Server notices ("relation already exists, skipping") are not errors; keep them off
  // stderr.
  PQsetNoticeProcessor(
      raw, [](void*, const char*) {}, nullptr);
  if (PQstatus(raw) != CONNECTION_OK) {
    return UnavailableError("cannot connect to PostgreSQL: " + FirstLine(PQerrorMessage(raw)));
  }
  if (PQserverVersion(raw) < 110000) {
    return FailedPreconditionError("eseal needs PostgreSQL 11 or newer");
  }
  int64_t ms = options.busy_timeout.count();
  RETURN_IF_ERROR(conn->ExecScript("SET lock_timeout = " + std::to_string(ms < 0 ? 0 : ms)));
  return std::unique_ptr<Connection>(std::move(conn));
}

Result<std::shared_ptr<Pool>> OpenPgPool(std::string url, const StoreOptions& options) {
  return std::shared_ptr<Pool>(std::make_shared<PgPool>(std::move(url), options));
}

}  // namespace eseal::store::internal
