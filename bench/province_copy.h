// COPY ... FROM STDIN in PostgreSQL's text format over libpq (PQputCopyData), for the
// province generator: one row at a time into a buffer, sent in 1 MiB pieces. Far faster
// than INSERTs, and no use-case code runs (the point is the shape of the data, not how it
// got there).
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "eseal/base/result.h"
#include "eseal/base/status.h"

namespace eseal::bench::province {

// Runs one statement without parameters; the error names `what`.
Status Exec(PGconn* conn, std::string_view sql, std::string_view what);
// Runs one query and returns its rows as text.
Result<std::vector<std::vector<std::string>>> Query(PGconn* conn, std::string_view sql);

class Copy {
 public:
  explicit Copy(PGconn* conn) : conn_(conn) {}
  Status Begin(std::string_view table, std::string_view columns);
  Copy& Text(std::string_view v);
  Copy& Int(int64_t v);
  Copy& Null();
  Copy& Bool(bool v) { return Raw(v ? "t" : "f"); }
  Copy& Bytea(std::string_view raw_bytes);
  Copy& TextOrNull(std::string_view v) { return v.empty() ? Null() : Text(v); }
  // Ends the row; sends the buffer when it is large.
  Status EndRow();
  // Ends the COPY and returns the rows sent.
  Result<int64_t> End();

 private:
  Copy& Raw(std::string_view v) {
    buf_ += v;
    buf_ += '\t';
    return *this;
  }
  Status Flush();

  PGconn* conn_;
  std::string buf_;
  std::string table_;
  int64_t rows_ = 0;
};

}  // namespace eseal::bench::province
