// The HTTP server of the seal platform (`eseal serve`): the JSON API described by
// api/openapi.yaml over a platform::Platform, on an asynchronous transport (Boost.Beast on
// Asio): one or two io threads hold every connection, with header, body and keep-alive
// deadlines and a per-address connection limit; request work runs on a bounded pool of
// worker threads (503 when its queue is full). Optionally TLS, and /metrics on its own listen
// address. Every route calls one Platform use case; the server adds bearer authentication,
// per-client rate limits, request size limits, one JSON log line per request
// (eseal/base/log.h), X-Request-Id, /healthz and Prometheus /metrics, and serves the browser
// UI's files from a folder. See docs/http.md.
// Thread-safety: Stop may be called from any thread; the other methods from one.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "eseal/base/result.h"
#include "eseal/platform/platform.h"

namespace eseal::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (then see Server::port)
  int threads = 8;  // worker threads running request work (not one per connection)
  int io_threads = 1;  // threads that hold the connections (they never run request work)
  size_t max_queued_requests = 256;  // requests waiting for a worker; 503 beyond
  size_t max_json_bytes = size_t{1} << 20;       // JSON bodies → 413 beyond
  size_t max_document_bytes = size_t{64} << 20;  // documents, seals, images → 413 beyond
  size_t max_header_bytes = 16 * 1024;  // the request line and headers → 431 beyond
  // The request head must arrive within this many seconds of its first byte (and a new
  // connection must send its first byte, or finish its TLS handshake, as fast).
  int header_timeout_seconds = 10;
  // The whole body must arrive within this many seconds of the head (408 and close after).
  int body_timeout_seconds = 120;
  int write_timeout_seconds = 60;
  int keep_alive_timeout_seconds = 5;  // idle time allowed between requests
  int keep_alive_max_requests = 100;
  int max_connections = 10000;             // open connections in all; 503 and close beyond
  int max_connections_per_address = 64;    // from one remote address (429 beyond); 0: no limit
  // PEM files: both set, every listener speaks TLS (1.2 or later) only.
  std::string tls_cert_file, tls_key_file;
  // A second listen address for /metrics and /healthz only; -1: none. With it, /metrics is
  // public there and absent (404) on the main port; without it, /metrics on the main port
  // needs an operator's bearer token.
  std::string metrics_host = "127.0.0.1";
  int metrics_port = -1;
  // Requests a minute for a client whose record has no limit.
  int default_client_rate_limit = 600;
  // The browser UI's files, served at "/" (empty: none).
  std::string web_dir;
  // Monotonic seconds for the rate limiter (tests); default steady_clock.
  std::function<double()> monotonic_seconds;
  // Requests a minute from one remote address without a token (ApiOptions). 0: unlimited.
  int public_rate_limit_per_minute = 60;
  // Batch signing: documents and bytes of documents in one request (ApiOptions).
  size_t max_batch_documents = 50;
  size_t max_batch_bytes = size_t{64} << 20;
};

class Server {
 public:
  // `platform` must outlive the server.
  static Result<std::unique_ptr<Server>> Create(platform::Platform& platform, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds host:port (Unavailable if it cannot).
  Status Bind();
  // The bound port (after Bind).
  int port() const;
  // The bound metrics port (after Bind), or -1 without a metrics listener.
  int metrics_port() const;
  // Accepts and serves connections until Stop; requests in progress finish first (a body
  // still arriving gets until its body deadline).
  Status Serve();
  // Stops accepting, lets requests in progress finish, and makes Serve return.
  void Stop();
  // The metrics in Prometheus text format (as /metrics serves them).
  std::string MetricsText() const;

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace eseal::http
