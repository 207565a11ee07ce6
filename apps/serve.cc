// eseal serve [--data DIR] [--db sqlite:PATH | postgresql://...] [--listen HOST:PORT]
//             [--kek-file F | --pkcs11-module LIB --pkcs11-token LABEL --pkcs11-pin-file F]
//             [--tls-cert F --tls-key F | --insecure-http] [--metrics-listen HOST:PORT]
//             [--web DIR] [--demo] [--dev] ...
// The command line is parsed in serve_options.cc.
#include "serve.h"

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include "eseal/base/file.h"
#include "eseal/base/log.h"
#include "eseal/crypto/kek.h"
#include "eseal/crypto/pkcs11_kek.h"
#include "eseal/http/server.h"
#include "eseal/platform/platform.h"
#include "eseal/sign/tsa_client.h"
#include "eseal/store/store.h"
#include "serve_checks.h"
#include "serve_options.h"

namespace eseal::apps {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailed = 5;

Result<std::unique_ptr<crypto::Kek>> OpenKek(const ServeOptions& o) {
  if (!o.pkcs11_module.empty()) {
    crypto::Pkcs11KekOptions p;
    p.module_path = o.pkcs11_module;
    p.token_label = o.pkcs11_token;
    p.pin_file = o.pkcs11_pin_file;
    p.key_label = o.pkcs11_key_label;
    p.create_if_missing = o.pkcs11_create_key;
    ASSIGN_OR_RETURN(std::unique_ptr<crypto::Pkcs11Kek> k, crypto::Pkcs11Kek::Open(p));
    return std::unique_ptr<crypto::Kek>(std::move(k));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<crypto::FileKek> k, crypto::FileKek::Open(o.KekFile(), /*create_if_missing=*/true));
  return std::unique_ptr<crypto::Kek>(std::move(k));
}

// A valid USCC (GB 32100 check character) for the demo registry.
std::string DemoUscc(std::string_view first17) {
  static constexpr std::string_view kSet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static constexpr int kW[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) sum += static_cast<int>(kSet.find(first17[i])) * kW[i];
  return std::string(first17) + kSet[static_cast<size_t>((31 - sum % 31) % 31)];
}

// The demo registry: a few enterprises, one of them in abnormal operation (E25: it may
// neither apply nor sign).
Status LoadDemo(platform::Platform& p, const platform::Caller& op, std::ostream& out) {
  struct Demo {
    const char* code17;
    const char* name;
    const char* legal_rep;
    platform::HolderStatus status;
  } demo[] = {
      {"91450100MA5K00001", "广西示例科技有限公司", "张三", platform::HolderStatus::kActive},
      {"91450100MA5K00002", "南宁市示例贸易有限公司", "李四", platform::HolderStatus::kActive},
      {"91450200MA5K00003", "柳州示例机械制造有限公司", "王五", platform::HolderStatus::kActive},
      {"91450300MA5K00004", "桂林示例旅游发展有限公司", "赵六", platform::HolderStatus::kAbnormal},
  };
  ASSIGN_OR_RETURN(platform::PageOf<platform::Holder> existing,
                   p.ListHolders(op, platform::HolderRepository::Filter{}, platform::Page{1000, 0}));
  int added = 0;
  for (const Demo& d : demo) {
    std::string uscc = DemoUscc(d.code17);
    bool present = false;
    for (const platform::Holder& h : existing) present = present || h.uscc == uscc;
    if (present) continue;
    platform::Platform::HolderInput in;
    in.uscc = uscc;
    in.name = d.name;
    in.legal_rep = d.legal_rep;
    in.area_code = std::string(d.code17 + 2, 6);
    in.status = d.status;
    RETURN_IF_ERROR(p.UpsertHolder(op, in).status());
    ++added;
  }
  out << "demo registry: " << added << " enterprise(s) added, " << (std::size(demo) - added)
      << " already present\n";
  return Status::Ok();
}

// SIGINT and SIGTERM are blocked in every thread and waited for by one.
class Signals {
 public:
  Signals() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set_, &old_);
  }
  ~Signals() { pthread_sigmask(SIG_SETMASK, &old_, nullptr); }
  // Waits until a signal arrives (returns it) or `stop` is set (returns 0).
  int Wait(const std::atomic<bool>& stop) {
    timespec tick{0, 200 * 1000 * 1000};
    while (!stop.load()) {
      int sig = sigtimedwait(&set_, nullptr, &tick);
      if (sig > 0) return sig;
    }
    return 0;
  }

 private:
  sigset_t set_, old_;
};

// Runs `work` every `interval` until Stop.
class Ticker {
 public:
  Ticker(std::chrono::seconds interval, std::function<void()> work)
      : thread_([this, interval, work = std::move(work)] {
          std::unique_lock<std::mutex> lock(mu_);
          while (!cv_.wait_for(lock, interval, [this] { return stop_; })) {
            lock.unlock();
            work();
            lock.lock();
          }
        }) {}
  ~Ticker() { Stop(); }
  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

Status Serve(const ServeOptions& o, std::ostream& out) {
  if (o.log_level == "debug") {
    log::SetLevel(log::Level::kDebug);
  } else if (o.log_level == "warn") {
    log::SetLevel(log::Level::kWarn);
  } else if (o.log_level == "error") {
    log::SetLevel(log::Level::kError);
  } else if (o.log_level != "info") {
    return InvalidArgumentError("--log-level must be debug, info, warn or error");
  }
  ASSIGN_OR_RETURN(auto listen, SplitListen(o.listen));
  std::optional<std::pair<std::string, int>> metrics_listen;
  if (!o.metrics_listen.empty()) {
    auto m = SplitListen(o.metrics_listen);
    if (!m.ok()) return m.status().WithContext("--metrics-listen");
    metrics_listen = *m;
  }
  // Deployment defaults (docs/security.md), checked before anything is opened or made.
  bool tls = !o.tls_cert.empty();
  RETURN_IF_ERROR(CheckPlainHttp("--listen", listen.first, tls, o.insecure_http));
  if (metrics_listen) RETURN_IF_ERROR(CheckPlainHttp("--metrics-listen", metrics_listen->first, tls, o.insecure_http));
  if (o.pkcs11_module.empty()) {
    RETURN_IF_ERROR(CheckKekLocation(o.KekFile(), o.data, o.dev));
  }
  RETURN_IF_ERROR(MakeDirs(o.data, /*private_dir=*/true));
  Signals signals;  // before any thread starts, so that every thread inherits the mask

  ASSIGN_OR_RETURN(std::unique_ptr<crypto::Kek> kek, OpenKek(o));
  std::string db = o.db.empty() ? "sqlite:" + o.data + "/eseal.db" : o.db;
  store::StoreOptions so;
  so.pool_size = o.db_pool;
  auto opened = store::OpenStore(db, so);
  if (!opened.ok()) return opened.status().WithContext("cannot open the database");
  std::unique_ptr<platform::Store> store = *std::move(opened);

  platform::PlatformOptions po;
  po.store = store.get();
  po.kek = kek.get();
  po.name = o.name;
  po.public_base_url = o.public_url;
  po.accept_unsynchronised_clock = o.accept_unsynchronised_clock;
  po.audit_export_path = o.audit_export.empty() ? o.data + "/audit-checkpoints.log"
                         : o.audit_export == "none" ? "" : o.audit_export;
  po.audit_syslog = o.audit_syslog;
  po.checkpoint_interval_seconds = o.checkpoint_seconds;
  po.signing_session_seconds = std::min(o.signing_session_seconds, o.signing_session_max_seconds);
  po.signing_session_max_seconds = o.signing_session_max_seconds;
  po.signing_session_max_signatures = o.signing_session_max_signatures;
  po.signing_session_signatures = std::min(po.signing_session_signatures, o.signing_session_max_signatures);
  if (!o.tsa_url.empty()) {
    sign::TsaClientOptions tc;
    tc.url = o.tsa_url;
    tc.connect_timeout = tc.read_timeout = std::chrono::seconds(o.tsa_timeout_seconds);
    for (const std::string& path : o.tsa_url_trust) {
      ASSIGN_OR_RETURN(Bytes pem, ReadFile(path));
      auto certs = x509::Certificate::FromPemBundle(AsChars(pem));
      if (!certs.ok()) return certs.status().WithContext("--tsa-url-trust " + path);
      for (x509::Certificate& c : *certs) tc.tsa_anchors.Add(std::move(c), path);
    }
    auto stamper = sign::HttpTimestamper(std::move(tc));
    if (!stamper.ok()) return stamper.status().WithContext("--tsa-url");
    po.timestamper = *std::move(stamper);
  }
  platform::Bootstrap boot;
  auto made = platform::Platform::Open(po, &boot);
  if (!made.ok()) return made.status().WithContext("cannot open the platform");
  std::unique_ptr<platform::Platform> platform = *std::move(made);

  platform::Platform::TimeStatus time = platform->TimeState();
  if (!time.clock_synchronised) {
    out << (time.issuing ? "warning: the clock is not synchronised (" + time.clock_detail +
                               "); accepted by --accept-unsynchronised-clock: timestamps are this host's claim\n"
                         : "warning: the clock is not synchronised (" + time.clock_detail +
                               "): the platform's TSA issues no tokens and nothing is signed until it is "
                               "(--accept-unsynchronised-clock for demos and tests)\n");
    log::Warn("serve.clock_unsynchronised", {{"accepted", time.unsynchronised_accepted ? "true" : "false"}});
  }

  std::string token_path = o.data + "/operator.token";
  if (boot.created) {
    RETURN_IF_ERROR(WriteFileAtomic(token_path, boot.operator_token + "\n", 0600));
    out << "first start: made the platform's CA and seal-maker identity and the first operator account\n";
    out << "the operator's bearer token is in " << token_path << " (mode 0600; it is shown nowhere else)\n";
    log::Info("serve.bootstrap", {{"operator_token_file", token_path}});
    // The person behind the operator account enrols with this one-time code (30 days):
    // eseal's web UI at /enrol, or POST /api/v1/enrol (docs/security.md "Credentials").
    std::string enrol_path = o.data + "/operator.enrolment";
    RETURN_IF_ERROR(WriteFileAtomic(enrol_path,
                                    "login: " + boot.operator_login + "\nenrolment_code: " +
                                        boot.operator_enrolment_code + "\n",
                                    0600));
    out << "the operator signs in as '" << boot.operator_login << "' after enrolling with the one-time code in "
        << enrol_path << " (mode 0600)\n";
  }
  if (o.demo) {
    std::optional<platform::Caller> op;
    if (boot.created) {
      auto c = platform->Authenticate(boot.operator_token);
      if (c.ok()) op = *c;
    } else if (FileExists(token_path)) {
      auto token = ReadSecretFile(token_path);
      if (token.ok()) {
        auto c = platform->Authenticate(AsChars(token->view()));
        if (c.ok()) op = *c;
      }
    }
    if (!op) {
      out << "demo registry not loaded: no valid operator token in " << token_path << "\n";
    } else {
      RETURN_IF_ERROR(LoadDemo(*platform, *op, out).WithContext("cannot load the demo registry"));
    }
  }

  http::ServerOptions hs;
  hs.host = listen.first;
  hs.port = listen.second;
  hs.threads = o.threads;
  hs.max_connections_per_address = o.max_connections_per_address;
  hs.tls_cert_file = o.tls_cert;
  hs.tls_key_file = o.tls_key;
  if (metrics_listen) {
    hs.metrics_host = metrics_listen->first;
    hs.metrics_port = metrics_listen->second;
  }
  hs.max_json_bytes = o.max_json_bytes;
  hs.max_document_bytes = o.max_document_bytes;
  hs.max_batch_documents = o.max_batch_documents;
  hs.max_batch_bytes = o.max_batch_bytes;
  hs.web_dir = o.web;
#ifdef ESEAL_WEB_DIST
  if (hs.web_dir.empty() && std::filesystem::is_directory(ESEAL_WEB_DIST)) hs.web_dir = ESEAL_WEB_DIST;
#endif
  ASSIGN_OR_RETURN(std::unique_ptr<http::Server> server, http::Server::Create(*platform, hs));
  RETURN_IF_ERROR(server->Bind());
  auto url_of = [&](const std::string& host, int port) {
    return std::string(tls ? "https://" : "http://") +
           (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
  };
  std::string url = url_of(hs.host, server->port());
  out << "eseal is listening on " << url << "\n";
  if (server->metrics_port() >= 0) out << "  metrics:      " << url_of(hs.metrics_host, server->metrics_port()) << "/metrics\n";
  out << "  API contract: " << url << "/api/v1/openapi.yaml   health: " << url << "/healthz\n";
  if (!hs.web_dir.empty()) out << "  browser UI:   " << url << "/\n";
  out << "  operator token: " << token_path << "\n";
  out << "stop with Ctrl-C (SIGINT) or SIGTERM\n";
  out.flush();

  // A checkpoint at start covers whatever a crash left uncovered (VerifyAudit fails on
  // entries older than twice the interval with no checkpoint after them).
  Status first_cp = platform->CheckpointAudit();
  if (!first_cp.ok()) log::Warn("serve.checkpoint_failed", {{"error", first_cp.ToString()}});

  // Housekeeping: signed audit checkpoints and the seal expiry sweep.
  Ticker checkpoints(std::chrono::seconds(o.checkpoint_seconds), [&] {
    Status st = platform->CheckpointAudit();
    if (!st.ok()) log::Warn("serve.checkpoint_failed", {{"error", st.ToString()}});
  });
  Ticker expiry(std::chrono::seconds(o.expiry_seconds), [&] {
    auto n = platform->ExpireSeals();
    if (!n.ok()) {
      log::Warn("serve.expiry_failed", {{"error", n.status().ToString()}});
    } else if (*n > 0) {
      log::Info("serve.seals_expired", {{"count", std::to_string(*n)}});
    }
    // Key copies of expired vendor authorisations are destroyed on the same sweep.
    auto k = platform->DestroyExpiredAuthorisationKeys();
    if (!k.ok()) {
      log::Warn("serve.authorisation_keys_failed", {{"error", k.status().ToString()}});
    } else if (*k > 0) {
      log::Info("serve.authorisation_keys_destroyed", {{"count", std::to_string(*k)}});
    }
  });

  // Signing sessions past their time end (and are audited) within 30 s, so an unused
  // session's key does not outstay its expiry in memory.
  Ticker sessions(std::chrono::seconds(30), [&] {
    auto n = platform->ExpireSigningSessions();
    if (!n.ok()) log::Warn("serve.signing_session_expiry_failed", {{"error", n.status().ToString()}});
  });

  // Archive timestamps of evidence records, renewed before their TSA certificate ends.
  Ticker evidence(std::chrono::hours(24), [&] {
    auto n = platform->RenewEvidence();
    if (!n.ok()) {
      log::Warn("serve.evidence_renewal_failed", {{"error", n.status().ToString()}});
    } else if (*n > 0) {
      log::Info("serve.evidence_renewed", {{"count", std::to_string(*n)}});
    }
  });

  std::atomic<bool> served{false};
  std::thread waiter([&] {
    int sig = signals.Wait(served);
    if (sig != 0) log::Info("serve.signal", {{"signal", sig == SIGINT ? "SIGINT" : "SIGTERM"}});
    server->Stop();
  });
  Status st = server->Serve();
  served.store(true);
  server->Stop();
  waiter.join();
  checkpoints.Stop();
  expiry.Stop();
  sessions.Stop();
  evidence.Stop();
  // Sign the head once more, so that a clean shutdown leaves nothing unsigned.
  Status cp = platform->CheckpointAudit();
  if (!cp.ok()) log::Warn("serve.checkpoint_failed", {{"error", cp.ToString()}});
  out << "eseal stopped\n";
  return st;
}

}  // namespace

int RunServe(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  int code = kExitOk;
  std::optional<ServeOptions> o = ParseServeArgs(args, out, err, &code);
  if (!o) return code;
  Status st = Serve(*o, out);
  if (!st.ok()) {
    err << "eseal serve: " << st.message() << "\n";
    return st.code() == StatusCode::kInvalidArgument ? kServeExitUsage : kExitFailed;
  }
  return kExitOk;
}

}  // namespace eseal::apps
