// In-process HTTP endpoints for the TSA client's tests (test_http_tsa.h).
#include "test_http_tsa.h"

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <thread>

namespace eseal::sign::testing {

struct HttpTsaServer::Impl {
  httplib::Server server;
  std::thread thread;
  int port = 0;
  std::atomic<int> count{0};
  std::atomic<bool> stopping{false};
  mutable std::mutex mu;
  Bytes last_body;
  std::string last_type;
};

HttpTsaHandler Honest(const tsp::TimestampAuthority& tsa) {
  return [&tsa](const Bytes& body, int) {
    return HttpReply{200, "application/timestamp-reply", tsa.Respond(body)};
  };
}

HttpTsaServer::HttpTsaServer(HttpTsaHandler handler) : impl_(std::make_unique<Impl>()) {
  Impl* p = impl_.get();
  p->server.Post(".*", [p, handler](const httplib::Request& req, httplib::Response& res) {
    const int n = ++p->count;
    const Bytes body(req.body.begin(), req.body.end());
    {
      std::lock_guard<std::mutex> lock(p->mu);
      p->last_body = body;
      p->last_type = req.get_header_value("Content-Type");
    }
    HttpReply r = handler(body, n);
    const auto until = std::chrono::steady_clock::now() + r.delay;
    while (std::chrono::steady_clock::now() < until && !p->stopping) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    res.status = r.status;
    res.set_content(std::string(r.body.begin(), r.body.end()), r.content_type.c_str());
  });
  p->port = p->server.bind_to_any_port("127.0.0.1");
  // No exceptions (DESIGN): a failed bind leaves port() at 0 or below and no thread, so
  // the test's first request fails as unreachable and names the URL.
  if (p->port <= 0) return;
  p->thread = std::thread([p] { p->server.listen_after_bind(); });
  // httplib's stop() does nothing before the accept loop runs: wait for it.
  while (!p->server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

HttpTsaServer::~HttpTsaServer() {
  impl_->stopping = true;
  impl_->server.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

int HttpTsaServer::port() const { return impl_->port; }
std::string HttpTsaServer::url() const {
  return "http://127.0.0.1:" + std::to_string(impl_->port) + "/tsa";
}
int HttpTsaServer::requests() const { return impl_->count; }
Bytes HttpTsaServer::last_request() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->last_body;
}
std::string HttpTsaServer::last_content_type() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->last_type;
}

int UnusedPort() {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t len = sizeof a;
  int port = 0;
  if (::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) == 0) {
    port = ntohs(a.sin_port);
  }
  ::close(s);
  return port;
}

}  // namespace eseal::sign::testing
