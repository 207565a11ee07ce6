#include "serve_options.h"

#include <CLI/CLI.hpp>

namespace eseal::apps {

std::optional<ServeOptions> ParseServeArgs(const std::vector<std::string>& args, std::ostream& out,
                                           std::ostream& err, int* code) {
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
  app.add_option("--max-batch-documents", o.max_batch_documents, "most documents in one sign-batch request")
      ->capture_default_str();
  app.add_option("--max-batch-bytes", o.max_batch_bytes, "most bytes of documents in one sign-batch request")
      ->capture_default_str();
  app.add_option("--signing-session-seconds", o.signing_session_seconds,
                 "how long a signing session lasts when its opener does not say")
      ->capture_default_str()
      ->check(CLI::Range(1, 7 * 86400));
  app.add_option("--signing-session-max-seconds", o.signing_session_max_seconds,
                 "the longest signing session a caller may ask for")
      ->capture_default_str()
      ->check(CLI::Range(1, 7 * 86400));
  app.add_option("--signing-session-max-signatures", o.signing_session_max_signatures,
                 "the most signatures a signing session may allow")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000000));
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
    if (*code != 0) *code = kServeExitUsage;
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

}  // namespace eseal::apps
