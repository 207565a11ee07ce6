// http::Server on the asynchronous transport (transport.h): listeners, admission (the
// per-address and total connection limits), TLS, the io threads and a graceful stop. Each
// accepted connection becomes a Session (session.cc) on its own strand.
#include "eseal/http/server.h"

#include <openssl/ssl.h>

#include <exception>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>

#include "eseal/base/log.h"
#include "transport.h"

namespace eseal::http {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

Transport::Transport(platform::Platform& p, ServerOptions o)
    : options(std::move(o)),
      api(p, ApiOptions{options.max_json_bytes, options.max_document_bytes, options.default_client_rate_limit,
                        options.web_dir, options.monotonic_seconds, options.public_rate_limit_per_minute,
                        options.max_batch_documents, options.max_batch_bytes}),
      pool(options.threads, options.max_queued_requests),
      io(options.io_threads) {}

Transport::Admission Transport::Admit(const std::string& address) {
  std::lock_guard<std::mutex> lock(mu);
  if (open >= static_cast<size_t>(options.max_connections)) return Admission::kServerFull;
  int& n = per_address[address];
  if (options.max_connections_per_address > 0 && n >= options.max_connections_per_address) {
    return Admission::kAddressFull;
  }
  ++n;
  ++open;
  return Admission::kAdmitted;
}

void Transport::Release(const std::string& address) {
  std::lock_guard<std::mutex> lock(mu);
  auto it = per_address.find(address);
  if (it != per_address.end() && --it->second <= 0) per_address.erase(it);
  --open;
}

uint64_t Transport::Register(std::weak_ptr<SessionBase> s) {
  std::lock_guard<std::mutex> lock(mu);
  uint64_t id = ++next_id;
  sessions.emplace(id, std::move(s));
  return id;
}

void Transport::Unregister(uint64_t id) {
  std::lock_guard<std::mutex> lock(mu);
  sessions.erase(id);
}

void Transport::StopSessions() {
  std::vector<std::shared_ptr<SessionBase>> live;
  {
    std::lock_guard<std::mutex> lock(mu);
    for (auto& [id, w] : sessions) {
      if (auto s = w.lock()) live.push_back(std::move(s));
    }
  }
  for (auto& s : live) s->OnServerStop();
}

namespace {

// A listening socket and its accept loop.
struct Acceptor {
  Acceptor(const asio::any_io_executor& ex, Listener w) : acceptor(ex), retry(ex), which(w) {}
  tcp::acceptor acceptor;
  asio::steady_timer retry;  // after an accept error (out of descriptors), wait a little
  Listener which;
  int port = 0;
};

Status Listen(Acceptor& a, const std::string& host, int port) {
  boost::system::error_code ec;
  std::vector<tcp::endpoint> endpoints;
  asio::ip::address addr = asio::ip::make_address(host, ec);
  if (!ec) {
    endpoints.emplace_back(addr, static_cast<unsigned short>(port));
  } else {
    tcp::resolver resolver(a.acceptor.get_executor());
    auto results = resolver.resolve(host, std::to_string(port), tcp::resolver::passive, ec);
    if (ec) return UnavailableError("cannot resolve " + host + ": " + ec.message());
    for (const auto& r : results) endpoints.push_back(r.endpoint());
  }
  std::string last = "no address";
  for (const tcp::endpoint& ep : endpoints) {
    a.acceptor.close(ec);
    if (a.acceptor.open(ep.protocol(), ec)) { last = ec.message(); continue; }
    // SO_REUSEADDR allows a quick restart; no SO_REUSEPORT, which would let a second server
    // share a port in use.
    a.acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (a.acceptor.bind(ep, ec)) { last = ec.message(); continue; }
    if (a.acceptor.listen(asio::socket_base::max_listen_connections, ec)) { last = ec.message(); continue; }
    a.port = a.acceptor.local_endpoint(ec).port();
    return Status::Ok();
  }
  a.acceptor.close(ec);
  return UnavailableError("cannot listen on " + host + ":" + std::to_string(port) + " (" + last +
                          "; in use, or not an address of this machine)");
}

// Refuses a connection over a limit: a short answer on plain HTTP (TLS peers are just closed,
// a plaintext answer would mean nothing to them), then close. One address over its share is
// 429 (that client should open fewer connections); the server over its total is 503.
void Refuse(Transport& t, tcp::socket socket, const std::string& address, Transport::Admission why) {
  if (t.tls) {
    boost::system::error_code ec;
    socket.close(ec);
    return;
  }
  bool mine = why == Transport::Admission::kAddressFull;
  Reply r = mine ? TransportReply(t, "", 429, StatusCode::kResourceExhausted,
                                  "此地址打开的连接数已达上限，请关闭不用的连接或稍后重试 / this address has as many "
                                  "connections open as allowed; close idle ones or retry later",
                                  address)
                 : TransportReply(t, "", 503, StatusCode::kUnavailable,
                                  "服务器的连接数已满，请稍后重试 / the server has as many connections open as it "
                                  "allows; retry later",
                                  address);
  auto text = std::make_shared<std::string>(
      std::string(mine ? "HTTP/1.1 429 Too Many Requests" : "HTTP/1.1 503 Service Unavailable") +
      "\r\nContent-Type: " + r.content_type + "\r\nRetry-After: 1\r\nConnection: close\r\nContent-Length: " +
      std::to_string(r.body.size()) + "\r\n");
  for (auto& [k, v] : r.headers) *text += k + ": " + v + "\r\n";
  *text += "\r\n" + r.body;
  auto s = std::make_shared<tcp::socket>(std::move(socket));
  asio::async_write(*s, asio::buffer(*text), [s, text](boost::system::error_code, size_t) {
    boost::system::error_code ec;
    s->shutdown(tcp::socket::shutdown_send, ec);
    s->close(ec);
  });
}

void Accept(Transport& t, Acceptor& a) {
  a.acceptor.async_accept(asio::make_strand(t.io), [&t, &a](boost::system::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !a.acceptor.is_open()) return;
    if (ec) {
      log::Warn("http.accept_failed", {{"error", ec.message()}});
      a.retry.expires_after(std::chrono::milliseconds(100));
      a.retry.async_wait([&t, &a](boost::system::error_code e) {
        if (!e && !t.stopping.load()) Accept(t, a);
      });
      return;
    }
    boost::system::error_code rec;
    tcp::endpoint peer = socket.remote_endpoint(rec);
    std::string address = rec ? "" : peer.address().to_string();
    if (t.stopping.load()) {
      socket.close(rec);
      return;
    }
    if (Transport::Admission why = t.Admit(address); why != Transport::Admission::kAdmitted) {
      log::Debug("http.connection_refused", {{"remote", address}});
      Refuse(t, std::move(socket), address, why);
    } else {
      StartSession(t, std::move(socket), address, a.which);
    }
    Accept(t, a);
  });
}

}  // namespace

struct Server::Impl {
  Impl(platform::Platform& p, ServerOptions o)
      : t(p, std::move(o)), control(asio::make_strand(t.io)), main(control, Listener::kMain),
        metrics(control, Listener::kMetrics) {}
  Transport t;
  // The listeners and their accept loops run here, and so does Stop's closing of them.
  asio::any_io_executor control;
  Acceptor main;
  Acceptor metrics;
  std::atomic<bool> serving{false};
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() {
  Stop();
  impl_->t.pool.Shutdown();
}

Result<std::unique_ptr<Server>> Server::Create(platform::Platform& platform, ServerOptions options) {
  if (options.threads < 1 || options.threads > 1024) return InvalidArgumentError("threads must be 1 to 1024");
  if (options.io_threads < 1 || options.io_threads > 64) return InvalidArgumentError("io_threads must be 1 to 64");
  if (options.port < 0 || options.port > 65535) return InvalidArgumentError("the port must be 0 to 65535");
  if (options.metrics_port < -1 || options.metrics_port > 65535) {
    return InvalidArgumentError("the metrics port must be -1 (none) or 0 to 65535");
  }
  if (options.max_json_bytes == 0 || options.max_document_bytes == 0) {
    return InvalidArgumentError("body limits must be positive");
  }
  if (options.header_timeout_seconds < 1 || options.body_timeout_seconds < 1 || options.write_timeout_seconds < 1 ||
      options.keep_alive_timeout_seconds < 1 || options.keep_alive_max_requests < 1 || options.max_connections < 1 ||
      options.max_connections_per_address < 0 || options.max_header_bytes < 1024 || options.max_queued_requests < 1) {
    return InvalidArgumentError("timeouts and connection limits must be positive");
  }
  if (options.tls_cert_file.empty() != options.tls_key_file.empty()) {
    return InvalidArgumentError("TLS needs both a certificate and a key file");
  }
  std::optional<asio::ssl::context> tls;
  if (!options.tls_cert_file.empty()) {
    tls.emplace(asio::ssl::context::tls_server);
    boost::system::error_code ec;
    tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                         asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                         asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use,
                     ec);
    if (tls->use_certificate_chain_file(options.tls_cert_file, ec)) {
      return InvalidArgumentError("无法读取 TLS 证书 / cannot read the TLS certificate " + options.tls_cert_file +
                                  ": " + ec.message());
    }
    if (tls->use_private_key_file(options.tls_key_file, asio::ssl::context::pem, ec)) {
      return InvalidArgumentError("无法读取 TLS 私钥 / cannot read the TLS key " + options.tls_key_file + ": " +
                                  ec.message());
    }
    if (SSL_CTX_check_private_key(tls->native_handle()) != 1) {
      return InvalidArgumentError("TLS 私钥与证书不匹配 / the TLS key does not belong to the certificate");
    }
  }
  auto impl = std::make_unique<Impl>(platform, std::move(options));
  if (tls) impl->t.tls.emplace(std::move(*tls));
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Status Server::Bind() {
  Impl& p = *impl_;
  RETURN_IF_ERROR(Listen(p.main, p.t.options.host, p.t.options.port));
  if (p.t.options.metrics_port >= 0) {
    Status st = Listen(p.metrics, p.t.options.metrics_host, p.t.options.metrics_port);
    if (!st.ok()) {
      boost::system::error_code ec;
      p.main.acceptor.close(ec);
      p.main.port = 0;
      return st.WithContext("--metrics-listen");
    }
  }
  return Status::Ok();
}

int Server::port() const { return impl_->main.port; }

int Server::metrics_port() const { return impl_->t.options.metrics_port >= 0 ? impl_->metrics.port : -1; }

Status Server::Serve() {
  Impl& p = *impl_;
  Transport& t = p.t;
  if (p.main.port == 0) return FailedPreconditionError("Bind before Serve");
  if (t.stopping.load()) return Status::Ok();
  p.serving.store(true);
  log::Info("http.listening", {{"address", t.options.host + ":" + std::to_string(p.main.port)},
                               {"tls", t.tls ? "true" : "false"},
                               {"metrics", metrics_port() >= 0 ? t.options.metrics_host + ":" +
                                                                      std::to_string(p.metrics.port)
                                                                : ""},
                               {"threads", std::to_string(t.options.threads)}});
  asio::post(p.control, [&t, &p] {
    // A Stop that came before this point closed nothing yet: close here.
    if (t.stopping.load()) {
      boost::system::error_code ec;
      p.main.acceptor.close(ec);
      p.metrics.acceptor.close(ec);
      return;
    }
    Accept(t, p.main);
    if (p.metrics.acceptor.is_open()) Accept(t, p.metrics);
  });
  // No handler may throw out of run(); if one ever does, log it and keep serving.
  auto run = [&t] {
    for (;;) {
      try {
        t.io.run();
        return;
      } catch (const std::exception& e) {
        log::Error("http.io_exception", {{"error", e.what()}});
      } catch (...) {
        log::Error("http.io_exception", {{"error", "unknown"}});
      }
    }
  };
  std::vector<std::thread> extra;
  for (int i = 1; i < t.options.io_threads; ++i) extra.emplace_back(run);
  run();
  for (std::thread& th : extra) th.join();
  // Every connection is closed; anything still queued has nobody to answer.
  t.pool.Shutdown();
  log::Info("http.stopped", {});
  return Status::Ok();
}

void Server::Stop() {
  if (!impl_) return;
  Impl& p = *impl_;
  if (p.t.stopping.exchange(true)) return;
  asio::post(p.control, [&p] {
    boost::system::error_code ec;
    p.main.acceptor.close(ec);
    p.metrics.acceptor.close(ec);
    p.main.retry.cancel();
    p.metrics.retry.cancel();
    p.t.StopSessions();
  });
}

std::string Server::MetricsText() const { return impl_->t.api.metrics().Render(); }

}  // namespace eseal::http
