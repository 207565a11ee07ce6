#include "backup.h"

#include <CLI/CLI.hpp>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace eseal::apps {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitUsage = 2;
constexpr int kExitRefused = 4;
constexpr int kExitFailed = 5;

// The tables whose rows the report counts (what an operator recognises).
constexpr const char* kCounted[] = {"holders", "accounts", "seals", "applications", "usage_requests",
                                    "signatures", "archives", "audit_log", "audit_checkpoints"};

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Db = std::unique_ptr<sqlite3, DbCloser>;

Result<Db> Open(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK) {
    return UnavailableError("无法打开数据库 cannot open " + path + ": " + (raw ? sqlite3_errmsg(raw) : "out of memory"));
  }
  sqlite3_busy_timeout(raw, 10000);
  return db;
}

Status Exec(sqlite3* db, const char* sql) {
  char* msg = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
    std::string m = msg ? msg : "error";
    sqlite3_free(msg);
    return InternalError(std::string(sql) + ": " + m);
  }
  return Status::Ok();
}

// Runs a query and returns its rows as text.
Result<std::vector<std::vector<std::string>>> Rows(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
    return DataLossError(sql + ": " + sqlite3_errmsg(db));
  }
  std::vector<std::vector<std::string>> out;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    std::vector<std::string> row;
    for (int i = 0; i < sqlite3_column_count(st); ++i) {
      const unsigned char* t = sqlite3_column_text(st, i);
      row.emplace_back(t ? reinterpret_cast<const char*>(t) : "");
    }
    out.push_back(std::move(row));
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) return DataLossError(sql + ": " + sqlite3_errmsg(db));
  return out;
}

Status FsyncPath(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return InternalError("open " + path + ": " + std::strerror(errno));
  int rc = ::fsync(fd);
  int e = errno;
  ::close(fd);
  if (rc != 0) return InternalError("fsync " + path + ": " + std::strerror(e));
  return Status::Ok();
}

std::string Folder(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
}

// sqlite:PATH, sqlite:///abs/path (docs/storage.md "URLs").
Result<std::string> SqlitePath(const std::string& url) {
  if (url.rfind("postgres", 0) == 0) {
    return FailedPreconditionError(
        "PostgreSQL 的备份请用 pg_dump 或 pg_basebackup（见 docs/storage.md）"
        " / back up PostgreSQL with pg_dump or pg_basebackup (docs/storage.md \"Backup\")");
  }
  if (url.rfind("sqlite:", 0) != 0) return InvalidArgumentError("--db must be sqlite:PATH");
  std::string p = url.substr(7);
  if (p.rfind("//", 0) == 0) p = p.substr(2);
  if (p.empty() || p == ":memory:") return InvalidArgumentError("an in-memory database cannot be backed up");
  return p;
}

}  // namespace

Status BackupSqlite(const std::string& source, const std::string& target) {
  struct stat st;
  if (::stat(target.c_str(), &st) == 0) {
    return AlreadyExistsError("备份文件已存在，不覆盖 " + target + " already exists; it is never overwritten");
  }
  if (::stat(source.c_str(), &st) != 0) return NotFoundError("数据库不存在 no database at " + source);
  // The server's database, read only: a WAL reader sees one committed snapshot and neither
  // waits for the server's writers nor holds them up.
  ASSIGN_OR_RETURN(Db src, Open(source, SQLITE_OPEN_READONLY));
  std::string tmp = target + ".tmp-" + std::to_string(::getpid());
  // Made here first with O_EXCL and 0600: the copy holds wrapped keys and personal data.
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return InternalError("create " + tmp + ": " + std::strerror(errno));
  ::close(fd);
  struct Cleanup {
    std::string path;
    bool keep = false;
    ~Cleanup() {
      if (!keep) {
        ::unlink(path.c_str());
        ::unlink((path + "-journal").c_str());
      }
    }
  } cleanup{tmp};
  {
    ASSIGN_OR_RETURN(Db dst, Open(tmp, SQLITE_OPEN_READWRITE));
    sqlite3_backup* b = sqlite3_backup_init(dst.get(), "main", src.get(), "main");
    if (b == nullptr) return InternalError(std::string("backup: ") + sqlite3_errmsg(dst.get()));
    // All pages in one step: one read transaction, so one snapshot. Busy only while a
    // writer holds an exclusive lock (a checkpoint truncating the WAL); wait and retry.
    int rc;
    for (int tries = 0;; ++tries) {
      rc = sqlite3_backup_step(b, -1);
      if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && tries < 100) {
        sqlite3_sleep(100);
        continue;
      }
      break;
    }
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) return UnavailableError(std::string("backup: ") + sqlite3_errstr(rc));
    // One self-contained file: no -wal or -shm beside the copy.
    RETURN_IF_ERROR(Exec(dst.get(), "PRAGMA journal_mode = DELETE"));
  }
  src.reset();
  RETURN_IF_ERROR(FsyncPath(tmp, O_RDONLY));
  // link() fails when the target exists, so a copy that appeared meanwhile is kept too.
  if (::link(tmp.c_str(), target.c_str()) != 0) {
    if (errno == EEXIST) return AlreadyExistsError("备份文件已存在，不覆盖 " + target + " already exists");
    return InternalError("link " + target + ": " + std::strerror(errno));
  }
  RETURN_IF_ERROR(FsyncPath(Folder(target), O_RDONLY | O_DIRECTORY));
  return Status::Ok();
}

Result<BackupReport> CheckSqliteBackup(const std::string& path) {
  BackupReport r;
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return NotFoundError("备份不存在 no backup at " + path);
  r.bytes = static_cast<int64_t>(st.st_size);
  ASSIGN_OR_RETURN(Db db, Open(path, SQLITE_OPEN_READONLY));
  ASSIGN_OR_RETURN(auto ic, Rows(db.get(), "PRAGMA integrity_check"));
  if (ic.empty() || ic[0][0] != "ok") {
    return DataLossError("完整性检查失败 integrity_check: " + (ic.empty() ? std::string("no answer") : ic[0][0]));
  }
  ASSIGN_OR_RETURN(auto fk, Rows(db.get(), "PRAGMA foreign_key_check"));
  if (!fk.empty()) return DataLossError("外键不一致 foreign_key_check: a row of " + fk[0][0] + " names a missing row");
  ASSIGN_OR_RETURN(auto v, Rows(db.get(), "SELECT max(version) FROM schema_migrations"));
  r.schema_version = v.empty() ? 0 : std::atoi(v[0][0].c_str());
  for (const char* t : kCounted) {
    ASSIGN_OR_RETURN(auto c, Rows(db.get(), std::string("SELECT count(*) FROM ") + t));
    r.rows[t] = std::atoll(c[0][0].c_str());
  }
  // The audit chain's shape (the MACs need the KEK: `eseal serve` on a restored copy
  // verifies them): the head names the last entry, seqs run 1..head without a gap, and
  // each entry links to the hash of the one before.
  ASSIGN_OR_RETURN(auto head, Rows(db.get(), "SELECT seq, hash FROM audit_head WHERE id = 1"));
  if (head.empty()) return DataLossError("审计链头缺失 the audit head row is missing");
  r.audit_head = std::atoll(head[0][0].c_str());
  ASSIGN_OR_RETURN(auto last, Rows(db.get(), "SELECT coalesce(max(seq), 0), count(*) FROM audit_log"));
  if (std::atoll(last[0][0].c_str()) != r.audit_head || std::atoll(last[0][1].c_str()) != r.audit_head) {
    return DataLossError("审计日志与链头不符 the audit log does not end at its head (seq " + head[0][0] + ")");
  }
  ASSIGN_OR_RETURN(auto broken, Rows(db.get(), "SELECT b.seq FROM audit_log a JOIN audit_log b ON b.seq = a.seq + 1 "
                                               "WHERE b.prev_hash <> a.hash LIMIT 1"));
  if (!broken.empty()) return DataLossError("审计链断开 the audit chain is broken at entry " + broken[0][0]);
  if (r.audit_head > 0) {
    ASSIGN_OR_RETURN(auto h, Rows(db.get(), "SELECT hash FROM audit_log WHERE seq = " + head[0][0]));
    if (h.empty() || h[0][0] != head[0][1]) return DataLossError("审计链头不符 the audit head names another entry");
  }
  return r;
}

int RunBackup(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::string data = std::getenv("ESEAL_DATA") ? std::getenv("ESEAL_DATA") : "./data";
  std::string db, to, check;
  CLI::App app{"eseal backup: a consistent copy of the SQLite store while the server runs (docs/storage.md)",
               "eseal backup"};
  app.add_option("--data", data, "the server's data folder")->capture_default_str();
  app.add_option("--db", db, "sqlite:PATH (default sqlite:DATA/eseal.db)");
  app.add_option("--to", to, "the new backup file (never overwritten)");
  app.add_option("--check", check, "only check an existing backup file");
  std::vector<std::string> rev(args.rbegin(), args.rend());
  try {
    app.parse(rev);
  } catch (const CLI::ParseError& e) {
    return app.exit(e, out, err) == 0 ? kExitOk : kExitUsage;
  }
  if (to.empty() == check.empty()) {
    err << "用法 usage: eseal backup --to FILE [--data DIR | --db sqlite:PATH], or eseal backup --check FILE\n";
    return kExitUsage;
  }
  if (!to.empty()) {
    auto path = SqlitePath(db.empty() ? "sqlite:" + data + "/eseal.db" : db);
    if (!path.ok()) {
      err << path.status().message() << "\n";
      return path.status().code() == StatusCode::kFailedPrecondition ? kExitRefused : kExitUsage;
    }
    Status st = BackupSqlite(*path, to);
    if (!st.ok()) {
      err << "备份失败 backup failed: " << st.message() << "\n";
      return st.code() == StatusCode::kAlreadyExists ? kExitRefused : kExitFailed;
    }
    check = to;
  }
  auto report = CheckSqliteBackup(check);
  if (!report.ok()) {
    err << "备份检查失败 backup check failed: " << report.status().message() << "\n";
    return kExitFailed;
  }
  out << (to.empty() ? "备份完好 backup checked: " : "备份完成 backup written: ") << check << " (" << report->bytes
      << " bytes)\n  integrity_check ok, foreign keys ok, schema version " << report->schema_version
      << ", audit chain linked to its head (seq " << report->audit_head << ")\n ";
  for (const auto& [table, n] : report->rows) out << " " << table << " " << n;
  out << "\n  密钥加密密钥不在备份中，请另行备份 the KEK is not in the backup: back it up separately, never beside it\n";
  return kExitOk;
}

}  // namespace eseal::apps
