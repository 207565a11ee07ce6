// eseal serve [--data DIR] [--db sqlite:PATH | postgresql://...] [--listen HOST:PORT]
//             [--kek-file F | --pkcs11-module LIB --pkcs11-token LABEL --pkcs11-pin-file F]
//             [--tls-cert F --tls-key F | --insecure-http] [--metrics-listen HOST:PORT]
//             [--web DIR] [--demo] [--dev] ...
// CLI11 throws on bad usage; it is called only inside ParseArgs, which catches.
#include "serve.h"

#include <CLI/CLI.hpp>
#include <signal.h>

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

namespace eseal::apps {
namespace {

struct ServeOptions {
  std::string data = "./data";
  std::string db;      // default sqlite:DATA/eseal.db
  std::string listen = "127.0.0.1:8080";
  std::string kek_file;  // default DATA/kek.key
  std::string pkcs11_module, pkcs11_token, pkcs11_pin_file, pkcs11_key_label = "eseal-kek";
  bool pkcs11_create_key = false;
  std::string web;
  bool demo = false;
  std::string name = "eseal";
  std::string public_url;
  int threads = 8;
  size_t max_json_bytes = size_t{1} << 20;
  size_t max_document_bytes = size_t{64} << 20;
  int checkpoint_seconds = 300;
  int expiry_seconds = 3600;
  int db_pool = 0;
  bool auto_approve = false;
  std::string log_level = "info";
  bool accept_unsynchronised_clock = false;
  std::string audit_export;  // default DATA/audit-checkpoints.log
  bool audit_syslog = false;
  std::string tsa_url;
  std::vector<std::string> tsa_url_trust;
  int tsa_timeout_seconds = 10;
  std::string tls_cert, tls_key;
  bool insecure_http = false;
  bool dev = false;
  std::string metrics_listen;
  int max_connections_per_address = 64;
};

constexpr int kExitOk = 0;
constexpr int kExitUsage = 2;
constexpr int kExitFailed = 5;

// Parses the command line; nullopt with `code` set when the program should exit (help,
// bad usage).
std::optional<ServeOptions> ParseArgs(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                                      int* code) {
  ServeOptions o;
  CLI::App app{"eseal serve: run the seal platform's HTTP API (see docs/http.md)", "eseal serve"};
  app.add_option("--data", o.data, "folder for the database, the key file and the operator token")
      ->capture_default_str();
  app.add_option("--db", o.db, "sqlite:PATH or postgresql://... (default sqlite:DATA/eseal.db)");
  app.add_option("--listen", o.listen, "HOST:PORT to listen on (port 0: any free port)")->capture_default_str();
  auto* kek = app.add_option("--kek-file", o.kek_file, "key-encryption key file (default DATA/kek.key; made if missing)");
  auto* mod = app.add_option("--pkcs11-module", o.pkcs11_module, "PKCS#11 module holding the KEK (an HSM)");
  auto* tok = app.add_option("--pkcs11-token", o.pkcs11_token, "label of the PKCS#11 token");
  auto* pin = app.add_option("--pkcs11-pin-file", o.pkcs11_pin_file, "file whose first line is the token's user PIN");
  app.add_option("--pkcs11-key-label", o.pkcs11_key_label, "label of the KEK on the token")->capture_default_str();
  app.add_flag("--pkcs11-create-key", o.pkcs11_create_key, "generate the KEK on the token if it has none");
  mod->needs(tok, pin);
  tok->needs(mod);
  pin->needs(mod);
  kek->excludes(mod);
  app.add_option("--web", o.web, "folder of the browser UI served at / (default: the build folder's web/dist, a copy of web/'s UI files)");
  app.add_flag("--demo", o.demo, "load a small demo registry (a few enterprises) if absent");
  app.add_option("--name", o.name, "the platform's name, in its CA and seal-maker certificates")->capture_default_str();
  app.add_option("--public-url", o.public_url, "the URL others reach this server at (CRL distribution points)");
  app.add_option("--threads", o.threads, "worker threads running requests (connections are held apart from them)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  app.add_option("--max-connections-per-address", o.max_connections_per_address,
                 "open connections allowed from one remote address (0: no limit; raise it behind a reverse proxy)")
      ->capture_default_str()
      ->check(CLI::Range(0, 100000));
  auto* cert = app.add_option("--tls-cert", o.tls_cert, "serve HTTPS with this certificate chain (PEM)");
  auto* key = app.add_option("--tls-key", o.tls_key, "the TLS certificate's private key (PEM)");
  cert->needs(key);
  key->needs(cert);
  app.add_flag("--insecure-http", o.insecure_http,
               "allow plain HTTP on a non-loopback --listen address (behind a TLS-terminating proxy on a trusted "
               "network)");
  app.add_flag("--dev", o.dev, "demos and tests: allow the key-encryption key file inside the data folder");
  app.add_option("--metrics-listen", o.metrics_listen,
                 "HOST:PORT serving /metrics (and /healthz) without a token; /metrics then leaves the main port "
                 "(without it, /metrics needs an operator's token)");
  app.add_option("--max-json-bytes", o.max_json_bytes, "largest JSON body")->capture_default_str();
  app.add_option("--max-document-bytes", o.max_document_bytes, "largest document, seal or image body")
      ->capture_default_str();
  app.add_option("--checkpoint-interval", o.checkpoint_seconds, "seconds between signed audit checkpoints")
      ->capture_default_str()
      ->check(CLI::Range(1, 86400));
  app.add_option("--expiry-interval", o.expiry_seconds, "seconds between seal expiry sweeps")
      ->capture_default_str()
      ->check(CLI::Range(1, 86400));
  app.add_option("--db-pool", o.db_pool, "database connections (0: the store's default)");
  app.add_option("--log-level", o.log_level, "debug, info, warn or error")->capture_default_str();
  app.add_flag("--accept-unsynchronised-clock", o.accept_unsynchronised_clock,
               "let the platform's TSA issue tokens (and so the platform sign) while the kernel says the clock is "
               "not synchronised by NTP/PTP: demos and tests only; /healthz and /metrics say so");
  app.add_option("--audit-export", o.audit_export,
                 "append every signed audit checkpoint to this file, outside the database (default "
                 "DATA/audit-checkpoints.log; put it on an append-only or remote mount); \"none\" to disable");
  app.add_flag("--audit-syslog", o.audit_syslog, "also send every audit checkpoint to syslog (authpriv.notice)");
  auto* url = app.add_option("--tsa-url", o.tsa_url,
                             "stamp signatures with this RFC 3161 TSA (a licensed TSA, http:// or https://) instead of "
                             "the platform's own; signing fails while it cannot be reached");
  app.add_option("--tsa-url-trust", o.tsa_url_trust,
                 "root certificate(s) (PEM) the TSA's replies must chain to before a token is used; repeatable. "
                 "Register the same root as an anchor with the tsa role so the platform's verifier trusts it")
      ->needs(url);
  app.add_option("--tsa-timeout", o.tsa_timeout_seconds, "seconds to wait for the TSA's reply")
      ->capture_default_str()->check(CLI::Range(1, 300))->needs(url);
  std::vector<std::string> rev(args.rbegin(), args.rend());
  try {
    app.parse(rev);
  } catch (const CLI::ParseError& e) {
    *code = app.exit(e, out, err);
    if (*code != 0) *code = kExitUsage;
    return std::nullopt;
  }
  return o;
}

Result<std::pair<std::string, int>> SplitListen(const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) return InvalidArgumentError("--listen must be HOST:PORT");
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  std::string port_text = listen.substr(colon + 1);
  if (port_text.empty() || port_text.size() > 5 ||
      port_text.find_first_not_of("0123456789") != std::string::npos) {
    return InvalidArgumentError("--listen must be HOST:PORT with a port 0..65535");
  }
  int port = std::stoi(port_text);
  if (port > 65535) return InvalidArgumentError("--listen must be HOST:PORT with a port 0..65535");
  return std::make_pair(host, port);
}

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
  std::string path = o.kek_file.empty() ? o.data + "/kek.key" : o.kek_file;
  ASSIGN_OR_RETURN(std::unique_ptr<crypto::FileKek> k, crypto::FileKek::Open(path, /*create_if_missing=*/true));
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
    RETURN_IF_ERROR(CheckKekLocation(o.kek_file.empty() ? o.data + "/kek.key" : o.kek_file, o.data, o.dev));
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
  std::optional<ServeOptions> o = ParseArgs(args, out, err, &code);
  if (!o) return code;
  Status st = Serve(*o, out);
  if (!st.ok()) {
    err << "eseal serve: " << st.message() << "\n";
    return st.code() == StatusCode::kInvalidArgument ? kExitUsage : kExitFailed;
  }
  return kExitOk;
}

}  // namespace eseal::apps
