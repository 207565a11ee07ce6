#include "province_copy.h"

#include <vector>

namespace eseal::bench::province {
namespace {
std::string FirstLine(const char* msg) {
  std::string s = msg ? msg : "";
  size_t nl = s.find('\n');
  return nl == std::string::npos ? s : s.substr(0, nl);
}
}  // namespace

Status Exec(PGconn* conn, std::string_view sql, std::string_view what) {
  PGresult* r = PQexec(conn, std::string(sql).c_str());
  ExecStatusType st = PQresultStatus(r);
  Status out = Status::Ok();
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    out = InternalError(std::string(what) + ": " + FirstLine(PQerrorMessage(conn)));
  }
  PQclear(r);
  return out;
}

Result<std::vector<std::vector<std::string>>> Query(PGconn* conn, std::string_view sql) {
  PGresult* r = PQexec(conn, std::string(sql).c_str());
  if (PQresultStatus(r) != PGRES_TUPLES_OK) {
    Status st = InternalError("query failed: " + FirstLine(PQerrorMessage(conn)));
    PQclear(r);
    return st;
  }
  std::vector<std::vector<std::string>> rows;
  for (int i = 0; i < PQntuples(r); ++i) {
    std::vector<std::string> row;
    for (int j = 0; j < PQnfields(r); ++j) row.emplace_back(PQgetvalue(r, i, j));
    rows.push_back(std::move(row));
  }
  PQclear(r);
  return rows;
}

Status Copy::Begin(std::string_view table, std::string_view columns) {
  table_ = std::string(table);
  rows_ = 0;
  buf_.clear();
  std::string sql = "COPY " + table_ + " (" + std::string(columns) + ") FROM STDIN";
  PGresult* r = PQexec(conn_, sql.c_str());
  bool ok = PQresultStatus(r) == PGRES_COPY_IN;
  PQclear(r);
  if (!ok) return InternalError("COPY " + table_ + ": " + FirstLine(PQerrorMessage(conn_)));
  return Status::Ok();
}

Copy& Copy::Text(std::string_view v) {
  // The text format's escapes: backslash, and the field and row separators.
  for (char c : v) {
    switch (c) {
      case '\\': buf_ += "\\\\"; break;
      case '\t': buf_ += "\\t"; break;
      case '\n': buf_ += "\\n"; break;
      case '\r': buf_ += "\\r"; break;
      default: buf_ += c;
    }
  }
  buf_ += '\t';
  return *this;
}

Copy& Copy::Int(int64_t v) { return Raw(std::to_string(v)); }

Copy& Copy::Null() { return Raw("\\N"); }

Copy& Copy::Bytea(std::string_view raw_bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  buf_ += "\\\\x";  // bytea's \x hex form, its backslash escaped for COPY
  for (unsigned char c : raw_bytes) {
    buf_ += kHex[c >> 4];
    buf_ += kHex[c & 15];
  }
  buf_ += '\t';
  return *this;
}

Status Copy::EndRow() {
  if (!buf_.empty() && buf_.back() == '\t') buf_.back() = '\n';
  ++rows_;
  if (buf_.size() >= (1u << 20)) return Flush();
  return Status::Ok();
}

Status Copy::Flush() {
  if (buf_.empty()) return Status::Ok();
  if (PQputCopyData(conn_, buf_.data(), static_cast<int>(buf_.size())) != 1) {
    return InternalError("COPY " + table_ + ": " + FirstLine(PQerrorMessage(conn_)));
  }
  buf_.clear();
  return Status::Ok();
}

Result<int64_t> Copy::End() {
  RETURN_IF_ERROR(Flush());
  if (PQputCopyEnd(conn_, nullptr) != 1) {
    return InternalError("COPY " + table_ + ": " + FirstLine(PQerrorMessage(conn_)));
  }
  Status out = Status::Ok();
  while (PGresult* r = PQgetResult(conn_)) {
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
      out = InternalError("COPY " + table_ + ": " + FirstLine(PQresultErrorMessage(r)));
    }
    PQclear(r);
  }
  RETURN_IF_ERROR(out);
  return rows_;
}

}  // namespace eseal::bench::province
