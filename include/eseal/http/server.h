// The HTTP server of the seal platform (`eseal serve`): the JSON API described by
// api/openapi.yaml over a platform::Platform, on cpp-httplib with a thread pool, keep-alive
// and timeouts. Every route calls one Platform use case; the server adds bearer
// authentication, per-client rate limits, request size limits, one JSON log line per
// request (eseal/base/log.h), X-Request-Id, /healthz and Prometheus /metrics, and serves
// the browser UI's files from a folder. See docs/http.md.
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
  int threads = 8;  // worker threads; each serves one connection at a time
  size_t max_json_bytes = size_t{1} << 20;       // JSON bodies → 413 beyond
  size_t max_document_bytes = size_t{64} << 20;  // documents, seals, images → 413 beyond
  int read_timeout_seconds = 30;
  int write_timeout_seconds = 60;
  int keep_alive_timeout_seconds = 5;
  int keep_alive_max_requests = 100;
  // Requests a minute for a client whose record has no limit.
  int default_client_rate_limit = 600;
  // The browser UI's files, served at "/" (empty: none).
  std::string web_dir;
  // Monotonic seconds for the rate limiter (tests); default steady_clock.
  std::function<double()> monotonic_seconds;
  // Requests a minute from one remote address without a token (ApiOptions). 0: unlimited.
  int public_rate_limit_per_minute = 60;
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
  // Accepts and serves connections until Stop; requests in progress finish first.
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
