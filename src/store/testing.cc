// Test support: raw SQL and the throwaway PostgreSQL server (eseal/store/testing.h).
#include "eseal/store/testing.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "backends.h"

#ifndef ESEAL_PG_TEST_URL_FILE
#define ESEAL_PG_TEST_URL_FILE ""
#endif

namespace eseal::store {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

Result<std::unique_ptr<internal::Connection>> Connect(std::string_view url) {
  if (StartsWith(url, "sqlite:")) {
    ASSIGN_OR_RETURN(internal::SqliteTarget t, internal::ParseSqliteUrl(url.substr(7)));
    if (t.memory) {
      return InvalidArgumentError("sqlite::memory: lives inside its store and cannot be reached");
    }
    return internal::OpenSqliteConnection(t, /*create=*/false, /*reader=*/false,
                                          std::chrono::milliseconds(10000));
  }
  if (StartsWith(url, "postgresql://") || StartsWith(url, "postgres://")) {
    return internal::OpenPgConnection(std::string(url), StoreOptions());
  }
  return InvalidArgumentError("unknown store URL scheme");
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  size_t start = s.find_first_not_of(" \t\r\n");
  return start == std::string::npos ? std::string() : s.substr(start);
}

std::string PercentEncode(std::string_view s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

struct ConninfoDeleter {
  void operator()(PQconninfoOption* o) const { PQconninfoFree(o); }
};

// The connection parameters of a libpq URL or key=value string.
Result<std::unique_ptr<PQconninfoOption, ConninfoDeleter>> ParseConninfo(std::string_view url) {
  std::string text(url);
  char* err = nullptr;
  PQconninfoOption* o = PQconninfoParse(text.c_str(), &err);
  if (o == nullptr) {
    std::string why = err != nullptr ? err : "out of memory";
    PQfreemem(err);
    return InvalidArgumentError("cannot parse the PostgreSQL URL: " + why);
  }
  return std::unique_ptr<PQconninfoOption, ConninfoDeleter>(o);
}

// A copy of `url` naming database `db`, as a postgresql:// URI.
Result<std::string> WithDatabase(std::string_view url, std::string_view db) {
  ASSIGN_OR_RETURN(auto opts, ParseConninfo(url));
  std::string out = "postgresql:///" + PercentEncode(db);
  char sep = '?';
  for (PQconninfoOption* o = opts.get(); o->keyword != nullptr; ++o) {
    if (o->val == nullptr || o->val[0] == '\0' || std::string_view(o->keyword) == "dbname") {
      continue;
    }
    out += sep;
    out += o->keyword;
    out += '=';
    out += PercentEncode(o->val);
    sep = '&';
  }
  return out;
}

Result<std::string> DatabaseName(std::string_view url) {
  ASSIGN_OR_RETURN(auto opts, ParseConninfo(url));
  for (PQconninfoOption* o = opts.get(); o->keyword != nullptr; ++o) {
    if (std::string_view(o->keyword) == "dbname" && o->val != nullptr) return std::string(o->val);
  }
  return InvalidArgumentError("the PostgreSQL URL names no database");
}

std::string QuoteIdentifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

Status ExecuteSqlForTest(std::string_view url, std::string_view sql) {
  ASSIGN_OR_RETURN(std::unique_ptr<internal::Connection> c, Connect(url));
  return c->ExecScript(sql);
}

Result<std::vector<std::vector<std::string>>> QuerySqlForTest(std::string_view url,
                                                              std::string_view sql) {
  ASSIGN_OR_RETURN(std::unique_ptr<internal::Connection> c, Connect(url));
  ASSIGN_OR_RETURN(internal::QueryResult q, c->Query(sql, nullptr, 0));
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < q.rows(); ++i) {
    internal::RowReader r(q, i);
    std::vector<std::string> row;
    for (int col = 0; col < q.columns(); ++col) row.push_back(r.Text());
    rows.push_back(std::move(row));
  }
  return rows;
}

Result<std::string> PostgresTestServerUrl() {
  if (const char* url = std::getenv("ESEAL_PG_URL"); url != nullptr && url[0] != '\0') {
    return std::string(url);
  }
  std::string file;
  if (const char* f = std::getenv("ESEAL_PG_URL_FILE"); f != nullptr && f[0] != '\0') {
    file = f;
  } else {
    file = ESEAL_PG_TEST_URL_FILE;
  }
  std::ifstream in(file);
  if (file.empty() || !in) {
    return FailedPreconditionError(
        "no test PostgreSQL server: ESEAL_PG_URL is unset and '" + file +
        "' cannot be read; run the test through ctest (the `postgres` fixture starts one) or "
        "set ESEAL_PG_URL");
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::string url = Trim(ss.str());
  if (url.empty())
    return FailedPreconditionError("the test PostgreSQL URL file '" + file + "' is empty");
  return url;
}

Result<std::string> CreatePostgresTestDatabase() {
  ASSIGN_OR_RETURN(std::string server, PostgresTestServerUrl());
  static std::atomic<int> counter{0};
  std::random_device rd;
  std::string name = "eseal_t_" + std::to_string(::getpid()) + "_" +
                     std::to_string(counter.fetch_add(1)) + "_" + std::to_string(rd() % 1000000);
  ASSIGN_OR_RETURN(std::unique_ptr<internal::Connection> c, Connect(server));
  // template0 takes no connections, so concurrent creators do not collide on it; C
  // collation makes ORDER BY on text compare bytes, as SQLite does.
  RETURN_IF_ERROR(c->ExecScript("CREATE DATABASE " + QuoteIdentifier(name) +
                                " TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"));
  return WithDatabase(server, name);
}

Status DropPostgresTestDatabase(std::string_view url) {
  ASSIGN_OR_RETURN(std::string name, DatabaseName(url));
  ASSIGN_OR_RETURN(std::string server, PostgresTestServerUrl());
  ASSIGN_OR_RETURN(std::unique_ptr<internal::Connection> c, Connect(server));
  return c->ExecScript("DROP DATABASE IF EXISTS " + QuoteIdentifier(name) + " WITH (FORCE)");
}

Result<std::string> CreateTestDatabase(std::string_view backend, std::string* sqlite_path) {
  sqlite_path->clear();
  if (backend == "postgresql") return CreatePostgresTestDatabase();
  if (backend != "sqlite") return InvalidArgumentError("unknown test backend '" + std::string(backend) + "'");
  static std::atomic<int> counter{0};
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "eseal-store-test";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  std::string path =
      (dir / ("db-" + std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1)) + ".sqlite")).string();
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
  *sqlite_path = path;
  return "sqlite:" + path;
}

void RemoveTestDatabase(std::string_view url, std::string_view sqlite_path) {
  if (!sqlite_path.empty()) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((std::string(sqlite_path) + suffix).c_str());
    return;
  }
  if (!url.empty()) (void)DropPostgresTestDatabase(url);
}

}  // namespace eseal::store
