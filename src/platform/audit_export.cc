// The audit trail outside the database (审计日志外部留存): every signed checkpoint is also
// appended, as one line, to a file the database's users cannot reach (by default in the
// data folder; in production an append-only mount, `chattr +a`, or a remote log) and
// optionally to syslog. An insider who deletes the newest audit rows together with their
// checkpoint rows still leaves the line behind, and VerifyAudit reads the file back.
//
// Line format (space-separated, one line per checkpoint):
//   eseal-audit-checkpoint <format> <seq> <entry hash> <at, unix seconds>
//       <previous checkpoint id or -> <signature, base64> <token, base64 or ->
#include <fcntl.h>
#include <syslog.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <sstream>

#include "eseal/base/file.h"
#include "eseal/base/log.h"
#include "internal.h"

namespace eseal::platform {
namespace {

constexpr std::string_view kTag = "eseal-audit-checkpoint";
constexpr size_t kMaxExportBytes = size_t{256} << 20;
constexpr std::string_view kExportObject = "audit_export";

std::string Line(const AuditCheckpoint& cp) {
  std::string out(kTag);
  out += " " + std::to_string(cp.format) + " " + std::to_string(cp.seq) + " " + cp.hash + " " +
         std::to_string(ToUnix(cp.at)) + " " + (cp.prev_checkpoint.empty() ? "-" : cp.prev_checkpoint) + " " +
         Base64Encode(cp.signature) + " " + (cp.token ? Base64Encode(*cp.token) : "-");
  return out;
}

// The file's identity in the audit trail: this host and the file's absolute path. Two
// `eseal serve` processes on one database each keep their own file (one per host).
std::string ExportId(const std::string& path) {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(path, ec);
  return std::string(host) + ":" + (ec ? path : abs.lexically_normal().string());
}

}  // namespace

Status PlatformImpl::StartAuditExport() {
  if (o_.audit_export_path.empty()) return Status::Ok();
  // Each file made is recorded in the chain (audit.export_started), where an insider cannot
  // remove it unseen: a second record for the same file means it was removed and made again
  // by a restart, which CheckAuditExport reports (the lines it held are gone). A file that
  // is already there gets its record once (a deployment from before these records).
  const std::string id = ExportId(o_.audit_export_path);
  return InTx([&](Tx& tx) -> Status {
    // The head's lock first, held to COMMIT: servers starting together on one database
    // make the file and its record one at a time, so a file one of them has just made is
    // never recorded twice. Nothing else is locked here; it happens once, at start.
    RETURN_IF_ERROR(tx.audit().LockHead().status());
    // Made at start, with a header line, so that a missing file later means a removed one —
    // not a deployment that has made no checkpoint since export was turned on.
    int fd = ::open(o_.audit_export_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST) {
      return UnavailableError("审计检查点外部留存文件无法创建，请检查 --audit-export 路径。 / the audit export file "
                              "cannot be created: " + std::string(std::strerror(errno)));
    }
    const bool made = fd >= 0;
    if (made) {
      std::string header = "# eseal audit checkpoints, exported from " + FormatRfc3339(Now()) + " (" + id + ")\n";
      bool ok = ::write(fd, header.data(), header.size()) == static_cast<ssize_t>(header.size()) && ::fsync(fd) == 0;
      ::close(fd);
      if (!ok) return UnavailableError("the audit export file could not be written");
    }
    ASSIGN_OR_RETURN(std::vector<AuditEntry> started, tx.audit().ListFor(kExportObject, id, Page{1, 0}));
    if (!made && !started.empty()) return Status::Ok();
    return Audit(tx, nullptr, "audit.export_started", kExportObject, id,
                 std::string("{\"file_created\":") + (made ? "true" : "false") + "}");
  });
}

Status PlatformImpl::ExportCheckpoint(const AuditCheckpoint& cp) {
  const std::string line = Line(cp);
  if (o_.audit_syslog) {
    // The whole line would exceed what syslog carries; the seq, hash and signature suffice
    // to match it against the database.
    ::syslog(LOG_AUTHPRIV | LOG_NOTICE, "%s %d %lld %s sig=%s", std::string(kTag).c_str(), cp.format,
             static_cast<long long>(cp.seq), cp.hash.c_str(), Base64Encode(cp.signature).c_str());
  }
  if (o_.audit_export_path.empty()) return Status::Ok();
  int fd = ::open(o_.audit_export_path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    std::string why = std::strerror(errno);
    log::Error("audit.export_failed", {{"reason", why}});
    return UnavailableError("审计检查点无法写入外部留存文件，请检查 --audit-export 路径。 / the audit checkpoint could "
                            "not be appended to the export file: " + why);
  }
  std::string data = line + "\n";
  const char* p = data.data();
  size_t left = data.size();
  Status st = Status::Ok();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      st = UnavailableError(std::string("the audit checkpoint could not be appended to the export file: ") +
                            std::strerror(errno));
      break;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (st.ok() && ::fsync(fd) != 0) st = UnavailableError("the audit export file could not be synced to disk");
  ::close(fd);
  if (!st.ok()) log::Error("audit.export_failed", {{"reason", st.message()}});
  return st;
}

void PlatformImpl::CheckAuditExport(const std::vector<AuditCheckpoint>& in_db, AuditVerification& v) {
  auto broken = [&](int64_t seq, std::string why) {
    v.first_broken_seq = seq;
    v.problem = std::move(why);
  };
  auto file = ReadFile(o_.audit_export_path, kMaxExportBytes);
  if (!file.ok()) {
    // The file is made at open (StartAuditExport): missing means removed.
    broken(in_db.empty() ? 1 : in_db.front().seq,
           "the audit export file cannot be read (" + file.status().message() + ")");
    return;
  }
  // Made more than once: removed and re-created by a restart (StartAuditExport).
  std::vector<AuditEntry> starts;
  Status st = InReadTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(starts, tx.audit().ListFor(kExportObject, ExportId(o_.audit_export_path), Page{2, 0}));
    return Status::Ok();
  });
  if (!st.ok()) {
    broken(1, "the records of the audit export file cannot be read (" + st.message() + ")");
    return;
  }
  if (starts.size() > 1) {
    broken(starts[1].seq, "the audit export file was made again at entry " + std::to_string(starts[1].seq) +
                              " (first made at entry " + std::to_string(starts[0].seq) +
                              "): it was removed, and the checkpoints written to it before are lost");
    return;
  }
  std::map<int64_t, const AuditCheckpoint*> by_seq;
  for (const AuditCheckpoint& cp : in_db) by_seq[cp.seq] = &cp;
  std::istringstream lines(std::string(AsChars(*file)));
  std::string text;
  int line_no = 0;
  while (std::getline(lines, text)) {
    ++line_no;
    if (text.empty() || text[0] == '#') continue;
    std::istringstream fields(text);
    std::string tag, prev, sig, token;
    int format = 0;
    long long seq = 0, at = 0;
    std::string hash;
    if (!(fields >> tag >> format >> seq >> hash >> at >> prev >> sig >> token) || tag != kTag) {
      broken(1, "line " + std::to_string(line_no) + " of the audit export file is not a checkpoint");
      return;
    }
    auto it = by_seq.find(seq);
    if (it == by_seq.end()) {
      broken(seq, "the checkpoint at entry " + std::to_string(seq) +
                      " written outside the database is missing from it: checkpoints (and the entries they "
                      "covered) were removed");
      return;
    }
    if (Line(*it->second) != text) {
      broken(seq, "the checkpoint at entry " + std::to_string(seq) + " differs from the one written outside the database");
      return;
    }
    ++v.exported_checkpoints;
  }
}

}  // namespace eseal::platform
