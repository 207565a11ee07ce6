// `eseal serve`'s command line: the options, their parsing (CLI11, whose exceptions stay
// inside ParseServeArgs) and HOST:PORT addresses. serve.cc acts on them.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "eseal/base/result.h"

namespace eseal::apps {

// What `eseal serve` was asked for on its command line (defaults as documented in --help).
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
  size_t max_batch_documents = 50;
  size_t max_batch_bytes = size_t{64} << 20;
  // Signing sessions (PlatformOptions::signing_session_*): default and longest time, most signatures.
  int signing_session_seconds = 15 * 60;
  int signing_session_max_seconds = 8 * 3600;
  int signing_session_max_signatures = 100000;
  int checkpoint_seconds = 300;
  int expiry_seconds = 3600;
  int db_pool = 0;
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

  // The key-encryption key file: --kek-file, or DATA/kek.key.
  std::string KekFile() const { return kek_file.empty() ? data + "/kek.key" : kek_file; }
};

// Exit code of `eseal serve` for bad usage (also a refused deployment default).
inline constexpr int kServeExitUsage = 2;

// Parses the arguments after "serve"; nullopt with `code` set when the program should exit
// (help: 0, bad usage: kServeExitUsage).
std::optional<ServeOptions> ParseServeArgs(const std::vector<std::string>& args, std::ostream& out,
                                           std::ostream& err, int* code);

// "HOST:PORT" (HOST may be a bracketed IPv6 address) as host and port 0..65535.
Result<std::pair<std::string, int>> SplitListen(const std::string& listen);

}  // namespace eseal::apps
