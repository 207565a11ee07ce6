// SQLite behind sql.h: the C API directly, one write connection and a few readers.
// Durability (docs/storage.md): WAL with synchronous=NORMAL. A commit appends to the WAL
// with write(2) but does not fsync; the WAL is fsynced at checkpoints. A crash of the
// process loses nothing that was committed (the bytes are in the OS); a power loss or
// kernel crash may lose the last transactions since the last checkpoint, but never
// corrupts the file.
#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <condition_variable>
#include <mutex>
#include <unordered_map>

#include "backends.h"

namespace eseal::store::internal {
namespace {

Status SqliteStatus(int rc, std::string_view message) {
  std::string m(message);
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return AlreadyExistsError(m);
      }
      if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) {
        return FailedPreconditionError(m + " (a referenced row does not exist)");
      }
      return InvalidArgumentError(m);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return UnavailableError("the SQLite database is busy (" + m +
                              "); another writer held the lock longer than the busy timeout");
    case SQLITE_READONLY:
      return FailedPreconditionError(m + " (a read-only transaction cannot write)");
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return DataLossError("the SQLite database is damaged or not a database: " + m);
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_NOMEM:
    case SQLITE_PROTOCOL:
    case SQLITE_NOLFS:
      return UnavailableError("SQLite: " + m);
    default:
      return InternalError("SQLite: " + m);
  }
}

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  Dialect dialect() const override { return Dialect::kSqlite; }

  Status ExecScript(std::string_view sql) override {
    std::string text(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
    if (rc == SQLITE_OK) return Status::Ok();
    std::string message = err != nullptr ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    return SqliteStatus(sqlite3_extended_errcode(db_), message);
  }

  Result<QueryResult> Query(std::string_view sql, const Param* params, size_t n) override {
    QueryResult out;
    RETURN_IF_ERROR(Run(sql, params, n, &out));
    return out;
  }

  Result<int64_t> Execute(std::string_view sql, const Param* params, size_t n) override {
    RETURN_IF_ERROR(Run(sql, params, n, nullptr));
    return static_cast<int64_t>(sqlite3_changes64(db_));
  }

  Status Begin(TxMode mode) override {
    return ExecScript(mode == TxMode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN");
  }
  Status Commit() override { return ExecScript("COMMIT"); }
  Status Rollback() override {
    if (sqlite3_get_autocommit(db_) != 0) return Status::Ok();  // nothing open
    Status s = ExecScript("ROLLBACK");
    if (!s.ok()) broken_ = true;
    return s;
  }
  bool Broken() const override { return broken_; }
  bool Idle() const override { return !broken_ && sqlite3_get_autocommit(db_) != 0; }

  sqlite3* db() { return db_; }

 private:
  Result<sqlite3_stmt*> Prepare(std::string_view sql) {
    std::string key(sql);
    auto it = cache_.find(key);
    if (it != cache_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
    if (rc != SQLITE_OK) return SqliteStatus(rc, sqlite3_errmsg(db_));
    if (stmt == nullptr) return InternalError("empty SQL statement");
    for (; tail != nullptr && *tail != '\0'; ++tail) {
      if (*tail != ' ' && *tail != '\n' && *tail != '\t' && *tail != ';') {
        sqlite3_finalize(stmt);
        return InternalError("one SQL statement expected, found several");
      }
    }
    cache_.emplace(std::move(key), stmt);
    return stmt;
  }

  // Binds $k to params[k-1] by name, so the order in which $k appear does not matter.
  Status Bind(sqlite3_stmt* stmt, const Param* params, size_t n) {
    int count = sqlite3_bind_parameter_count(stmt);
    size_t highest = 0;
    for (int j = 1; j <= count; ++j) {
      const char* name = sqlite3_bind_parameter_name(stmt, j);
      if (name == nullptr || name[0] != '$') {
        return InternalError("SQL parameters must be written $1, $2, ...");
      }
      size_t k = 0;
      for (const char* p = name + 1; *p != '\0'; ++p) {
        if (*p < '0' || *p > '9')
          return InternalError("SQL parameters must be written $1, $2, ...");
        k = k * 10 + static_cast<size_t>(*p - '0');
      }
      if (k < 1 || k > n) {
        return InternalError("SQL statement uses $" + std::to_string(k) + " but " +
                             std::to_string(n) + " parameters were given");
      }
      highest = std::max(highest, k);
      const Param& p = params[k - 1];
      int rc = SQLITE_OK;
      switch (p.type) {
        case Param::Type::kNull:
          rc = sqlite3_bind_null(stmt, j);
          break;
        case Param::Type::kInt:
          rc = sqlite3_bind_int64(stmt, j, p.i);
          break;
        case Param::Type::kText:
          rc = sqlite3_bind_text64(stmt, j, p.s.data(), p.s.size(), SQLITE_STATIC, SQLITE_UTF8);
          break;
        case Param::Type::kBlob:
          rc = sqlite3_bind_blob64(stmt, j, p.s.data(), p.s.size(), SQLITE_STATIC);
          break;
      }
      if (rc != SQLITE_OK) return SqliteStatus(rc, sqlite3_errmsg(db_));
    }
    // PostgreSQL refuses a parameter count that does not match; refuse it here too, so
    // the SQLite tests catch what would fail there.
    if (highest != n) {
      return InternalError("SQL statement uses " + std::to_string(highest) + " parameters but " +
                           std::to_string(n) + " were given");
    }
    return Status::Ok();
  }

  Status Run(std::string_view sql, const Param* params, size_t n, QueryResult* out) {
    ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql));
    Status s = Bind(stmt, params, n);
    if (s.ok()) {
      int columns = sqlite3_column_count(stmt);
      if (out != nullptr) *out = QueryResult(columns);
      for (;;) {
        int rc = sqlite3_step(stmt);
        if (rc == SQLITE_DONE) break;
        if (rc != SQLITE_ROW) {
          s = SqliteStatus(rc, sqlite3_errmsg(db_));
          break;
        }
        if (out == nullptr) continue;
        for (int c = 0; c < columns; ++c) {
          QueryResult::Cell cell;
          switch (sqlite3_column_type(stmt, c)) {
            case SQLITE_NULL:
              break;
            case SQLITE_INTEGER:
              cell.type = QueryResult::Cell::Type::kInt;
              cell.i = sqlite3_column_int64(stmt, c);
              break;
            case SQLITE_FLOAT:
              cell.type = QueryResult::Cell::Type::kInt;
              cell.i = static_cast<int64_t>(sqlite3_column_double(stmt, c));
              break;
            case SQLITE_TEXT: {
              cell.type = QueryResult::Cell::Type::kBytes;
              const unsigned char* t = sqlite3_column_text(stmt, c);
              int len = sqlite3_column_bytes(stmt, c);
              if (t != nullptr) cell.s.assign(reinterpret_cast<const char*>(t), len);
              break;
            }
            default: {  // SQLITE_BLOB; a zero-length blob has a null pointer
              cell.type = QueryResult::Cell::Type::kBytes;
              const void* b = sqlite3_column_blob(stmt, c);
              int len = sqlite3_column_bytes(stmt, c);
              if (b != nullptr) cell.s.assign(static_cast<const char*>(b), len);
              break;
            }
          }
          out->AddCell(std::move(cell));
        }
      }
    }
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);  // the bindings point at the caller's bytes
    return s;
  }

  sqlite3* db_;
  bool broken_ = false;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

class SqlitePool final : public Pool {
 public:
  SqlitePool(SqliteTarget target, const StoreOptions& options, std::unique_ptr<Connection> writer)
      : target_(std::move(target)),
        busy_timeout_(options.busy_timeout),
        pool_timeout_(options.pool_timeout),
        max_readers_(target_.memory ? 0 : (options.pool_size > 0 ? options.pool_size : 4)),
        writer_(std::move(writer)) {}

  std::string_view backend() const override { return "sqlite"; }
  Dialect dialect() const override { return Dialect::kSqlite; }

  Result<std::unique_ptr<Connection>> Acquire(TxMode mode) override {
    if (mode == TxMode::kWrite || target_.memory) return AcquireWriter();
    return AcquireReader();
  }

  void Release(std::unique_ptr<Connection> c, TxMode mode) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (mode == TxMode::kWrite || target_.memory) {
      // An in-memory database lives in its one connection: keep it whatever happened.
      if (c->Idle() || target_.memory) writer_ = std::move(c);
      writer_out_ = false;
    } else if (c->Idle()) {
      idle_readers_.push_back(std::move(c));
    } else {
      --open_readers_;
    }
    cv_.notify_all();
  }

 private:
  template <typename Pred>
  bool Wait(std::unique_lock<std::mutex>& lock, std::chrono::milliseconds timeout, Pred pred) {
    if (timeout.count() <= 0) {
      cv_.wait(lock, pred);
      return true;
    }
    return cv_.wait_for(lock, timeout, pred);
  }

  Result<std::unique_ptr<Connection>> AcquireWriter() {
    std::unique_lock<std::mutex> lock(mu_);
    if (!Wait(lock, busy_timeout_, [&] { return !writer_out_; })) {
      return UnavailableError(
          "the SQLite database is busy: another transaction of this process held the write "
          "connection longer than the busy timeout");
    }
    writer_out_ = true;
    if (writer_) return std::move(writer_);
    lock.unlock();
    Result<std::unique_ptr<Connection>> c =
        OpenSqliteConnection(target_, /*create=*/false, /*reader=*/false, busy_timeout_);
    if (!c.ok()) {
      lock.lock();
      writer_out_ = false;
      cv_.notify_all();
    }
    return c;
  }

  Result<std::unique_ptr<Connection>> AcquireReader() {
    std::unique_lock<std::mutex> lock(mu_);
    if (!Wait(lock, pool_timeout_,
              [&] { return !idle_readers_.empty() || open_readers_ < max_readers_; })) {
      return UnavailableError("all " + std::to_string(max_readers_) +
                              " SQLite read connections are in use");
    }
    if (!idle_readers_.empty()) {
      std::unique_ptr<Connection> c = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return c;
    }
    ++open_readers_;
    lock.unlock();
    Result<std::unique_ptr<Connection>> c =
        OpenSqliteConnection(target_, /*create=*/false, /*reader=*/true, busy_timeout_);
    if (!c.ok()) {
      lock.lock();
      --open_readers_;
      cv_.notify_all();
    }
    return c;
  }

  const SqliteTarget target_;
  const std::chrono::milliseconds busy_timeout_;
  const std::chrono::milliseconds pool_timeout_;
  const int max_readers_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::unique_ptr<Connection> writer_;
  bool writer_out_ = false;
  std::vector<std::unique_ptr<Connection>> idle_readers_;
  int open_readers_ = 0;
};

}  // namespace

Result<SqliteTarget> ParseSqliteUrl(std::string_view rest) {
  SqliteTarget t;
  if (rest == ":memory:") {
    t.memory = true;
    return t;
  }
  // sqlite:///abs/path is sqlite:/abs/path; sqlite://host/... is not supported.
  if (rest.substr(0, 3) == "///") {
    rest.remove_prefix(2);
  } else if (rest.substr(0, 2) == "//") {
    return InvalidArgumentError("SQLite store URLs name a file: sqlite:/path/to/file.db");
  }
  if (rest.empty()) return InvalidArgumentError("the SQLite store URL has no file path");
  t.path = std::string(rest);
  return t;
}

Result<std::unique_ptr<Connection>> OpenSqliteConnection(const SqliteTarget& target, bool create,
                                                         bool reader,
                                                         std::chrono::milliseconds busy_timeout) {
  if (sqlite3_threadsafe() == 0) {
    return InternalError("this SQLite library was built without thread support");
  }
  std::string file = target.memory ? ":memory:" : target.path;
  if (!target.memory && create) {
    // Create the file ourselves so that it (and the -wal and -shm files SQLite makes with
    // the same mode) is readable by its owner only: it holds protected seal keys.
    int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) ::close(fd);
  }
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(file.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return UnavailableError("cannot open SQLite database '" + file + "': " + message);
  }
  auto conn = std::make_unique<SqliteConnection>(db);
  sqlite3_extended_result_codes(db, 1);
  int64_t ms = busy_timeout.count();
  sqlite3_busy_timeout(db, ms <= 0 || ms > INT_MAX ? INT_MAX : static_cast<int>(ms));
  RETURN_IF_ERROR(conn->ExecScript("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;"));
  if (reader) {
    RETURN_IF_ERROR(conn->ExecScript("PRAGMA query_only = ON;"));
  } else if (!target.memory) {
    ASSIGN_OR_RETURN(QueryResult mode, conn->Query("PRAGMA journal_mode = WAL", nullptr, 0));
    std::string got = mode.empty() ? "" : RowReader(mode, 0).Text();
    if (got != "wal") {
      return FailedPreconditionError("cannot switch SQLite database '" + file +
                                     "' to WAL mode (journal mode is '" + got + "')");
    }
  }
  return std::unique_ptr<Connection>(std::move(conn));
}

Result<std::shared_ptr<Pool>> OpenSqlitePool(const SqliteTarget& target,
                                             const StoreOptions& options) {
  ASSIGN_OR_RETURN(
      std::unique_ptr<Connection> writer,
      OpenSqliteConnection(target, /*create=*/true, /*reader=*/false, options.busy_timeout));
  return std::shared_ptr<Pool>(std::make_shared<SqlitePool>(target, options, std::move(writer)));
}

}  // namespace eseal::store::internal
