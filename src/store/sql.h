// The small SQL abstraction the two backends share (internal to the store module): a
// Connection runs one statement with `$1`-style parameters and returns the rows read into
// memory; a Pool lends connections to transactions. Every repository query is written
// once against this interface; SQLite (sqlite_backend.cc) and PostgreSQL (pg_backend.cc)
// translate it to their C APIs. SQLite accepts `$1` as a parameter name, so the same text
// runs on both; the few dialect differences are named in dialect.h.
// Thread-safety: a Connection is used by one thread at a time; a Pool is thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "eseal/base/bytes.h"
#include "eseal/base/result.h"
#include "eseal/base/time.h"

namespace eseal::store::internal {

enum class Dialect { kSqlite, kPostgres };

enum class TxMode { kWrite, kRead };

// One statement parameter. Text and blobs are views: the caller keeps the bytes alive for
// the duration of the call (parameters are built in the call expression).
struct Param {
  enum class Type : uint8_t { kNull, kInt, kText, kBlob };
  Type type = Type::kNull;
  int64_t i = 0;
  std::string_view s;
};

inline Param Null() { return Param{}; }
inline Param Int(int64_t v) {
  Param p;
  p.type = Param::Type::kInt;
  p.i = v;
  return p;
}
inline Param Bool(bool b) { return Int(b ? 1 : 0); }
inline Param Text(std::string_view s) {
  Param p;
  p.type = Param::Type::kText;
  p.s = s.data() == nullptr ? std::string_view("", 0) : s;
  return p;
}
// Empty strings become NULL: optional references and optional unique keys.
inline Param TextOrNull(std::string_view s) { return s.empty() ? Null() : Text(s); }
inline Param Blob(ByteView b) {
  Param p;
  p.type = Param::Type::kBlob;
  // Never a null pointer: SQLite binds a null pointer as NULL, not as zero bytes.
  p.s = b.empty() ? std::string_view("", 0) : AsChars(b);
  return p;
}
inline Param At(Time t) { return Int(ToUnix(t)); }
inline Param OptAt(const std::optional<Time>& t) { return t ? At(*t) : Null(); }

using Params = std::vector<Param>;

// Rows read by a query, row-major. Text and blob cells are both bytes.
class QueryResult {
 public:
  struct Cell {
    enum class Type : uint8_t { kNull, kInt, kBytes };
    Type type = Type::kNull;
    int64_t i = 0;
    std::string s;
  };

  explicit QueryResult(int columns = 0) : columns_(columns) {}

  int columns() const { return columns_; }
  size_t rows() const { return columns_ == 0 ? 0 : cells_.size() / columns_; }
  bool empty() const { return rows() == 0; }

  void AddCell(Cell c) { cells_.push_back(std::move(c)); }
  const Cell& cell(size_t row, int col) const { return cells_[row * columns_ + col]; }

 private:
  int columns_;
  std::vector<Cell> cells_;
};

// Reads one row's cells in column order: `r.Text()`, `r.Int()`, ... Conversions are
// lenient (an integer read as text is its decimal form); NULL reads as empty or zero.
class RowReader {
 public:
  RowReader(const QueryResult& q, size_t row) : q_(q), row_(row) {}

  bool IsNull() const { return q_.cell(row_, col_).type == QueryResult::Cell::Type::kNull; }
  std::string Text();
  int64_t Int();
  int IntSmall() { return static_cast<int>(Int()); }
  bool Bool() { return Int() != 0; }
  Bytes Blob();
  Time At() { return TimeFromUnix(Int()); }
  std::optional<Time> OptAt();
  // An enum stored by name; an unknown name is DataLoss (the row is corrupt).
  template <typename E>
  Result<E> Enum(Result<E> (*parse)(std::string_view), std::string_view column) {
    std::string name = Text();
    Result<E> v = parse(name);
    if (!v.ok()) return DataLossError("stored " + std::string(column) + " is not a known value");
    return v;
  }

 private:
  const QueryResult::Cell& Next() { return q_.cell(row_, col_++); }
  const QueryResult& q_;
  size_t row_;
  int col_ = 0;
};

// One database connection. Errors are Status values already mapped to eseal codes:
// AlreadyExists (unique key), FailedPrecondition (foreign key, read-only transaction),
// InvalidArgument (check, not-null, bad data), Unavailable (busy, lock timeout, connection
// lost), DataLoss (corrupt file), Internal (anything else). Messages name tables, columns
// and constraints, never values.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;
  // Several statements without parameters (migrations).
  virtual Status ExecScript(std::string_view sql) = 0;
  // One statement; the rows it returns (none for most writes).
  virtual Result<QueryResult> Query(std::string_view sql, const Param* params, size_t n) = 0;
  // One statement; the number of rows it changed.
  virtual Result<int64_t> Execute(std::string_view sql, const Param* params, size_t n) = 0;
  virtual Status Begin(TxMode mode) = 0;
  virtual Status Commit() = 0;
  virtual Status Rollback() = 0;
  // The connection was lost (PostgreSQL) and must not be reused.
  virtual bool Broken() const = 0;
  // Usable and outside any transaction: it may go back to the pool.
  virtual bool Idle() const = 0;
};

// Lends connections. Write connections may be exclusive (SQLite: one writer).
class Pool {
 public:
  virtual ~Pool() = default;
  virtual std::string_view backend() const = 0;
  virtual Dialect dialect() const = 0;
  virtual Result<std::unique_ptr<Connection>> Acquire(TxMode mode) = 0;
  // Takes the connection back; a connection that is not Idle() is closed.
  virtual void Release(std::unique_ptr<Connection> c, TxMode mode) = 0;
  // Closes idle connections (after one was found broken: the server may have restarted).
  virtual void DiscardIdle() {}
};

// A connection on loan; returns it to its pool when destroyed.
class Lease {
 public:
  Lease() = default;
  Lease(std::shared_ptr<Pool> pool, std::unique_ptr<Connection> conn, TxMode mode)
      : pool_(std::move(pool)), conn_(std::move(conn)), mode_(mode) {}
  Lease(Lease&&) = default;
  Lease& operator=(Lease&& o) noexcept {
    if (this != &o) {
      Return();
      pool_ = std::move(o.pool_);
      conn_ = std::move(o.conn_);
      mode_ = o.mode_;
    }
    return *this;
  }
  ~Lease() { Return(); }

  static Result<Lease> Acquire(const std::shared_ptr<Pool>& pool, TxMode mode);

  Connection& conn() { return *conn_; }
  const Connection& conn() const { return *conn_; }
  TxMode mode() const { return mode_; }

 private:
  void Return() {
    if (conn_ && pool_) pool_->Release(std::move(conn_), mode_);
    conn_.reset();
  }
  std::shared_ptr<Pool> pool_;
  std::unique_ptr<Connection> conn_;
  TxMode mode_ = TxMode::kWrite;
};

// True when `s` is valid UTF-8 without NUL bytes (what PostgreSQL text accepts; checked for
// both backends so they agree).
bool IsStorableText(std::string_view s);

// [limit, offset] from a Page: limit 0 or above 1000 becomes 1000; negatives are invalid.
struct Bounds {
  int64_t limit;
  int64_t offset;
};
Result<Bounds> PageBounds(int limit, int offset);

}  // namespace eseal::store::internal
