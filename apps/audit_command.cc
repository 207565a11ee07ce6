// eseal audit verify --export FILE [--db URL | --data DIR] [--kek-file F]
//                    [--checkpoint-interval SECONDS]
// CLI11 throws on bad usage; it is called only inside RunAudit's parse, which catches.
#include "audit_command.h"

#include <CLI/CLI.hpp>

#include <memory>

#include "eseal/crypto/kek.h"
#include "eseal/platform/audit_offline.h"
#include "eseal/store/store.h"

namespace eseal::apps {
namespace {

struct AuditOptions {
  std::string data = "./data";
  std::string db;        // default sqlite:DATA/eseal.db
  std::string kek_file;  // default DATA/kek.key
  std::string export_file;
  int checkpoint_seconds = 300;  // eseal serve's default
};

constexpr int kExitOk = 0;
constexpr int kExitBroken = 1;
constexpr int kExitUsage = 2;
constexpr int kExitFailed = 5;

void Report(const platform::AuditTrail::AuditVerification& v, std::ostream& out) {
  out << (v.ok ? "审计日志校验通过 / the audit trail verifies\n" : "审计日志校验未通过 / the audit trail does not verify\n");
  out << "  entries: " << v.entries << " (MAC-chained: " << v.mac_entries << ")\n";
  out << "  checkpoints: " << v.checkpoints << " (timestamped: " << v.timestamped_checkpoints
      << ", found in the export file: " << v.exported_checkpoints << ")\n";
  if (!v.ok) {
    if (v.first_broken_seq) out << "  first broken entry: " << *v.first_broken_seq << "\n";
    out << "  " << v.problem << "\n";
  }
}

int Verify(const AuditOptions& o, std::ostream& out, std::ostream& err) {
  std::string kek_path = o.kek_file.empty() ? o.data + "/kek.key" : o.kek_file;
  // Never made here: a missing KEK is a wrong path, not a first start.
  auto kek = crypto::FileKek::Open(kek_path, /*create_if_missing=*/false);
  if (!kek.ok()) {
    err << "无法读取密钥加密密钥（KEK），请用 --kek-file 指定服务使用的同一文件。 / cannot open the KEK " << kek_path
        << ": " << kek.status().message() << "\n";
    return kExitFailed;
  }
  std::string db = o.db.empty() ? "sqlite:" + o.data + "/eseal.db" : o.db;
  auto store = store::OpenStore(db);
  if (!store.ok()) {
    err << "无法打开数据库，请检查 --db 或 --data。 / cannot open the database " << db << ": "
        << store.status().message() << "\n";
    return kExitFailed;
  }
  platform::PlatformOptions po;
  po.store = store->get();
  po.kek = kek->get();
  po.audit_export_path = o.export_file;
  po.checkpoint_interval_seconds = o.checkpoint_seconds;
  auto v = platform::VerifyAuditOffline(po);
  if (!v.ok()) {
    err << "审计日志无法校验。 / the audit trail could not be checked: " << v.status().message() << "\n";
    return kExitFailed;
  }
  Report(*v, v->ok ? out : err);
  return v->ok ? kExitOk : kExitBroken;
}

}  // namespace

int RunAudit(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  AuditOptions o;
  CLI::App app{"eseal audit: check the audit trail offline (docs/storage.md \"Audit\")", "eseal audit"};
  app.require_subcommand(1);
  CLI::App* verify = app.add_subcommand(
      "verify", "recompute the MAC chain and the signed checkpoints and compare them with the export file");
  verify->add_option("--export", o.export_file, "the checkpoints written outside the database (eseal serve --audit-export)")
      ->required();
  verify->add_option("--data", o.data, "the server's data folder (for the default --db and --kek-file)")
      ->capture_default_str();
  verify->add_option("--db", o.db, "sqlite:PATH or postgresql://... (default sqlite:DATA/eseal.db)");
  verify->add_option("--kek-file", o.kek_file, "the key-encryption key file the server uses (default DATA/kek.key)");
  verify->add_option("--checkpoint-interval", o.checkpoint_seconds,
                     "the server's --checkpoint-interval: entries uncovered for twice this fail (0: not checked)")
      ->capture_default_str()
      ->check(CLI::Range(0, 365 * 24 * 3600));
  std::vector<std::string> argv(args.rbegin(), args.rend());
  try {
    app.parse(argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e, out, err);
    return code == 0 ? kExitOk : kExitUsage;
  }
  return Verify(o, out, err);
}

}  // namespace eseal::apps
