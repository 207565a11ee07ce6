// `eseal backup`: a consistent online copy of the SQLite store while `eseal serve` runs
// (docs/storage.md "Backup"). SQLite's online backup API copies one snapshot of the
// database (a WAL reader: the server's writers go on meanwhile) into a temporary file
// beside the target, which is fsynced and then linked into place without replacing
// anything, and the folder fsynced; then the copy is opened and checked (integrity_check,
// foreign keys, the audit chain's links and head) and its row counts reported.
// `eseal backup --check FILE` runs the checks alone on an existing copy.
// PostgreSQL is refused with a pointer to pg_dump / pg_basebackup. The key-encryption key
// is never copied: it is backed up separately and never kept beside the data.
// Thread-safety: one call per process.
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "eseal/base/result.h"

namespace eseal::apps {

// `args` are the arguments after "backup". Returns the process exit code: 0 done,
// 2 bad usage, 4 refused (the target exists, a PostgreSQL store), 5 failed (copy or check).
int RunBackup(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

struct BackupReport {
  int64_t bytes = 0;
  int schema_version = 0;
  std::map<std::string, int64_t> rows;  // per table
  int64_t audit_head = 0;
};

// The copy itself: `source` is an SQLite file, `target` must not exist.
Status BackupSqlite(const std::string& source, const std::string& target);
// Opens a copy read-only and checks it; DataLoss names what is wrong.
Result<BackupReport> CheckSqliteBackup(const std::string& path);

}  // namespace eseal::apps
