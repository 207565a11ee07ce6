// The asynchronous transport under slow and hostile clients (server.cc, session.cc): many
// slow connections do not starve ordinary requests, refused bodies are never read, the
// per-address limit, interleaved keep-alive clients, the deadlines, /metrics on its own
// address or behind an operator's token, and TLS. Nothing here asserts a duration: each
// test waits for what must happen (a reply, a close) with a generous safety timeout.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <httplib.h>

#include <cstdlib>
#include <filesystem>
#include <future>
#include <thread>
#include <vector>

#include "eseal/base/log.h"
#include "eseal/http/server.h"
#include "fake_platform.h"

namespace eseal::http {
namespace {

using testing::FakePlatform;

// A raw client socket, optionally from another loopback address (all of 127/8 is local),
// which is how the tests look like many remote addresses.
int Connect(int port, const char* from = nullptr) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (from != nullptr) {
    sockaddr_in src{};
    src.sin_family = AF_INET;
    ::inet_pton(AF_INET, from, &src.sin_addr);
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&src), sizeof src), 0) << from;
  }
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  timeval tv{60, 0};  // a safety net against a hang, not a measurement
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

void Send(int fd, const std::string& bytes) {
  EXPECT_EQ(::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL), static_cast<ssize_t>(bytes.size()));
}

// One reply (head and Content-Length body), or what came before the peer closed.
std::string ReadReply(int fd) {
  std::string out;
  char buf[4096];
  for (;;) {
    auto head_end = out.find("\r\n\r\n");
    if (head_end != std::string::npos) {
      auto cl = out.find("Content-Length: ");
      if (cl != std::string::npos && cl < head_end && out.size() >= head_end + 4 + std::stoul(out.substr(cl + 16))) {
        return out;
      }
    }
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return out;
    out.append(buf, static_cast<size_t>(n));
  }
}

// True when the server closed the connection (EOF or reset) before sending anything more.
bool ClosedByServer(int fd) {
  char c;
  ssize_t n = ::recv(fd, &c, 1, 0);
  return n == 0 || (n < 0 && errno == ECONNRESET);
}

class TransportTest : public ::testing::Test {
 protected:
  void SetUp() override { log::SetLevel(log::Level::kError); }
  void TearDown() override {
    for (int fd : fds_) ::close(fd);
    if (server_) {
      server_->Stop();
      thread_.join();
      EXPECT_TRUE(serve_status_.ok()) << serve_status_.ToString();
    }
    log::SetLevel(log::Level::kInfo);
  }
  void Start(ServerOptions o) {
    o.host = "127.0.0.1";
    o.port = 0;
    auto s = Server::Create(p_, o);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    server_ = *std::move(s);
    ASSERT_TRUE(server_->Bind().ok());
    thread_ = std::thread([this] { serve_status_ = server_->Serve(); });
  }
  httplib::Client Client() {
    httplib::Client c("127.0.0.1", server_->port());
    c.set_read_timeout(60, 0);
    return c;
  }
  int Open(const char* from = nullptr) {
    int fd = Connect(server_->port(), from);
    fds_.push_back(fd);
    return fd;
  }

  FakePlatform p_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  Status serve_status_;
  std::vector<int> fds_;
};

TEST_F(TransportTest, TwoHundredSlowConnectionsDoNotStarveOrdinaryRequests) {
  ServerOptions o;
  o.threads = 2;
  o.max_document_bytes = 64 << 20;
  o.public_rate_limit_per_minute = 0;
  Start(o);
  // 200 connections from 4 addresses (50 each, within the per-address limit of 64): a third
  // trickle a request head, a third announce a body within the limit and send 2 bytes of it,
  // a third announce one far over the limit.
  std::vector<int> over;
  for (int i = 0; i < 200; ++i) {
    std::string from = "127.0.2." + std::to_string(1 + i % 4);
    int fd = Open(from.c_str());
    if (i % 3 == 0) {
      Send(fd, "GET /healthz HTTP/1.1\r\nHo");
    } else if (i % 3 == 1) {
      Send(fd, "POST /api/v1/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/ofd\r\n"
               "Content-Length: 60000000\r\n\r\nPK");
    } else {
      Send(fd, "POST /api/v1/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/ofd\r\n"
               "Content-Length: 900000000\r\n\r\nPK");
      over.push_back(fd);
    }
  }
  // Meanwhile health checks, verifications and a signing all complete.
  auto c = Client();
  for (int i = 0; i < 5; ++i) {
    auto h = c.Get("/healthz");
    ASSERT_TRUE(h) << httplib::to_string(h.error());
    EXPECT_EQ(h->status, 200);
    auto v = c.Post("/api/v1/verify", std::string("PK\x03\x04rest", 8), "application/ofd");
    ASSERT_TRUE(v) << httplib::to_string(v.error());
    EXPECT_EQ(v->status, 200);
    EXPECT_EQ(v->get_header_value("X-Eseal-Verdict"), "PASSED");
  }
  httplib::MultipartFormDataItems items = {
      {"document", "OFD-DOC", "合同.ofd", "application/ofd"},
      {"password", "correct horse", "", ""},
      {"keyword", "盖章", "", ""},
  };
  auto s = c.Post("/api/v1/seals/sea_1/sign", {{"Authorization", std::string("Bearer ") + FakePlatform::kAdminToken}},
                  items);
  ASSERT_TRUE(s) << httplib::to_string(s.error());
  EXPECT_EQ(s->status, 200) << s->body;
  EXPECT_EQ(s->body, "OFD-DOC!");
  // The announcements over the limit were answered from their head alone.
  for (int fd : over) {
    std::string r = ReadReply(fd);
    EXPECT_EQ(r.rfind("HTTP/1.1 413", 0), 0u) << r;
  }
}

TEST_F(TransportTest, AnOversizedContentLengthIs413WithoutTheBodyBeingRead) {
  ServerOptions o;
  o.max_document_bytes = 32 * 1024;
  Start(o);
  int fd = Open();
  // 1 GB announced and not one byte of it sent: the answer cannot have waited for it.
  Send(fd, "POST /api/v1/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/ofd\r\n"
           "Content-Length: 1000000000\r\n\r\n");
  std::string r = ReadReply(fd);
  EXPECT_EQ(r.rfind("HTTP/1.1 413", 0), 0u) << r;
  EXPECT_NE(r.find("Connection: close"), std::string::npos) << r;
  EXPECT_NE(r.find("resource_exhausted"), std::string::npos) << r;
  EXPECT_NE(r.find("X-Request-Id: "), std::string::npos) << r;
  // ... and the server closes its side instead of waiting for the gigabyte.
  EXPECT_TRUE(ClosedByServer(fd));
  auto calls = p_.calls();
  EXPECT_EQ(std::count(calls.begin(), calls.end(), "VerifyOfd"), 0);
}

TEST_F(TransportTest, ABodyRefusedForWantOfATokenIsNeverRead) {
  // The attack: connections announcing a large body (within the route's limit) to a
  // route that refuses them from the head. The answer must come at once and the server must
  // close rather than drain 60 MB: reading the body would keep this test waiting for bytes
  // that never come.
  Start(ServerOptions{});
  std::vector<int> fds;
  for (int i = 0; i < 8; ++i) {
    fds.push_back(Open());
    Send(fds.back(), "POST /api/v1/seals/sea_1/sign HTTP/1.1\r\nHost: x\r\n"
                     "Content-Type: multipart/form-data; boundary=B\r\nContent-Length: 60000000\r\n\r\n--B");
  }
  for (int fd : fds) {
    std::string r = ReadReply(fd);
    EXPECT_EQ(r.rfind("HTTP/1.1 401", 0), 0u) << r;
    EXPECT_NE(r.find("Connection: close"), std::string::npos) << r;
    EXPECT_TRUE(ClosedByServer(fd));
  }
  EXPECT_TRUE(p_.calls().empty());
}

TEST_F(TransportTest, BusyWorkersAnswer503AndKeepTheConnection) {
  // One worker, one queue slot. The worker is held inside the first request (the rate
  // limiter's clock, which Api::Begin reads on the worker for an untokened request); the
  // second waits in the queue; the third finds the queue full.
  std::promise<void> entered, release;
  std::shared_future<void> gate = release.get_future().share();
  std::atomic<bool> hold{true};
  ServerOptions o;
  o.threads = 1;
  o.max_queued_requests = 1;
  o.monotonic_seconds = [&] {
    if (hold.exchange(false)) {
      entered.set_value();
      gate.wait();
    }
    return 1000.0;
  };
  Start(o);
  int first = Open();
  Send(first, "GET /api/v1/notices HTTP/1.1\r\nHost: x\r\n\r\n");
  entered.get_future().wait();
  int second = Open(), third = Open();
  Send(second, "GET /api/v1/notices HTTP/1.1\r\nHost: x\r\n\r\n");
  Send(third, "GET /api/v1/notices HTTP/1.1\r\nHost: x\r\n\r\n");
  // Whichever of the two arrives last is refused; wait until the transport has counted it.
  bool refused = false;
  for (int i = 0; i < 400 && !refused; ++i) {
    refused = server_->MetricsText().find("route=\"transport\",status=\"503\"} 1\n") != std::string::npos;
    if (!refused) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  ASSERT_TRUE(refused) << server_->MetricsText();
  release.set_value();
  EXPECT_EQ(ReadReply(first).rfind("HTTP/1.1 200", 0), 0u);
  std::string b = ReadReply(second), c = ReadReply(third);
  std::string& busy = b.rfind("HTTP/1.1 503", 0) == 0 ? b : c;
  std::string& served = &busy == &b ? c : b;
  ASSERT_EQ(busy.rfind("HTTP/1.1 503", 0), 0u) << b << "\n---\n" << c;
  EXPECT_EQ(served.rfind("HTTP/1.1 200", 0), 0u) << served;
  EXPECT_NE(busy.find("Retry-After: 1"), std::string::npos) << busy;
  EXPECT_NE(busy.find("服务器繁忙，请稍后重试 / the server is busy"), std::string::npos) << busy;
  EXPECT_EQ(busy.find("Connection: close"), std::string::npos) << busy;
  // The refused connection carries the next request.
  int again = &busy == &b ? second : third;
  Send(again, "GET /api/v1/notices HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(ReadReply(again).rfind("HTTP/1.1 200", 0), 0u);
}

TEST_F(TransportTest, PerAddressConnectionLimit) {
  ServerOptions o;
  o.max_connections_per_address = 3;
  Start(o);
  std::vector<int> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(Open("127.0.3.1"));
    Send(held.back(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");  // answered, kept alive
    EXPECT_EQ(ReadReply(held.back()).rfind("HTTP/1.1 200", 0), 0u);
  }
  int fourth = Open("127.0.3.1");
  std::string r = ReadReply(fourth);
  EXPECT_EQ(r.rfind("HTTP/1.1 429", 0), 0u) << r;
  EXPECT_NE(r.find("此地址打开的连接数已达上限，请关闭不用的连接或稍后重试 / this address has as many connections "
                   "open as allowed; close idle ones or retry later"),
            std::string::npos)
      << r;
  EXPECT_TRUE(ClosedByServer(fourth));
  // Another address is not affected.
  int other = Open("127.0.3.2");
  Send(other, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(ReadReply(other).rfind("HTTP/1.1 200", 0), 0u);
  // Once one of the three closes, the address may connect again (the server notices the
  // close asynchronously: try until it has).
  ::shutdown(held[0], SHUT_RDWR);
  bool admitted = false;
  for (int attempt = 0; attempt < 200 && !admitted; ++attempt) {
    int fd = Open("127.0.3.1");
    Send(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    admitted = ReadReply(fd).rfind("HTTP/1.1 200", 0) == 0;
    if (!admitted) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(admitted);
}

TEST_F(TransportTest, TheServersTotalConnectionLimitIs503NotTheAddresss) {
  ServerOptions o;
  o.max_connections = 2;
  Start(o);
  std::vector<int> held;
  for (const char* from : {"127.0.4.1", "127.0.4.2"}) {
    held.push_back(Open(from));
    Send(held.back(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(ReadReply(held.back()).rfind("HTTP/1.1 200", 0), 0u);
  }
  // A third address, with no connection of its own: the server is full, not this address.
  int third = Open("127.0.4.3");
  std::string r = ReadReply(third);
  EXPECT_EQ(r.rfind("HTTP/1.1 503", 0), 0u) << r;
  EXPECT_NE(r.find("服务器的连接数已满，请稍后重试 / the server has as many connections open as it allows"),
            std::string::npos)
      << r;
  EXPECT_TRUE(ClosedByServer(third));
}

TEST_F(TransportTest, InterleavedKeepAliveClientsAllProceed) {
  // Twice as many keep-alive clients as worker threads, taking turns: with a thread held per
  // connection, the third client would wait for a keep-alive connection to time out.
  ServerOptions o;
  o.threads = 2;
  o.keep_alive_timeout_seconds = 60;
  o.public_rate_limit_per_minute = 0;
  Start(o);
  std::vector<int> clients;
  for (int i = 0; i < 4; ++i) clients.push_back(Open());
  for (int round = 0; round < 10; ++round) {
    for (int fd : clients) {
      Send(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
      std::string r = ReadReply(fd);
      ASSERT_EQ(r.rfind("HTTP/1.1 200", 0), 0u) << r;
      EXPECT_EQ(r.find("Connection: close"), std::string::npos);
    }
  }
  // Pipelined requests on one connection are answered in order.
  Send(clients[0], "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: one\r\n\r\n"
                   "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: two\r\n\r\n");
  EXPECT_NE(ReadReply(clients[0]).find("X-Request-Id: one"), std::string::npos);
  EXPECT_NE(ReadReply(clients[0]).find("X-Request-Id: two"), std::string::npos);
}

TEST_F(TransportTest, SlowHeadsAndBodiesAreCutOff) {
  ServerOptions o;
  o.header_timeout_seconds = 1;
  o.body_timeout_seconds = 1;
  Start(o);
  int head = Open();
  Send(head, "GET /healthz HTTP/1.1\r\nHo");
  EXPECT_TRUE(ClosedByServer(head));
  int body = Open();
  Send(body, "POST /api/v1/clients/apply HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
             "Content-Length: 100\r\n\r\n{\"na");
  EXPECT_TRUE(ClosedByServer(body));
  EXPECT_TRUE(p_.calls().empty());
  // Counted as a 408 all the same (the socket closes before the server's handler runs: wait
  // for it).
  bool counted = false;
  for (int i = 0; i < 400 && !counted; ++i) {
    counted = server_->MetricsText().find("route=\"/api/v1/clients/apply\",status=\"408\"} 1\n") !=
              std::string::npos;
    if (!counted) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  EXPECT_TRUE(counted) << server_->MetricsText();
}

TEST_F(TransportTest, MalformedAndOversizedHeads) {
  ServerOptions o;
  o.max_header_bytes = 2048;
  Start(o);
  int big = Open();
  Send(big, "GET /healthz HTTP/1.1\r\nX-Big: " + std::string(4096, 'a') + "\r\n\r\n");
  std::string r = ReadReply(big);
  EXPECT_EQ(r.rfind("HTTP/1.1 431", 0), 0u) << r;
  EXPECT_NE(r.find("请求头过大，请去掉多余的请求头或缩短 Cookie 后重试 / "), std::string::npos) << r;
  int bad_query = Open();
  Send(bad_query, "GET /api/v1/notices?limit=%zz HTTP/1.1\r\nHost: x\r\n\r\n");
  r = ReadReply(bad_query);
  EXPECT_EQ(r.rfind("HTTP/1.1 400", 0), 0u) << r;
  EXPECT_NE(r.find("the query has a malformed %-escape"), std::string::npos) << r;
  int bad_form = Open();
  std::string form = "--B\r\nContent-Disposition: form-data; name=\"document\"\r\n\r\nno end";
  Send(bad_form, "POST /api/v1/verify HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=B\r\n"
                 "Content-Length: " + std::to_string(form.size()) + "\r\n\r\n" + form);
  r = ReadReply(bad_form);
  EXPECT_EQ(r.rfind("HTTP/1.1 400", 0), 0u) << r;
  EXPECT_NE(r.find("the multipart form is malformed"), std::string::npos) << r;
}

TEST_F(TransportTest, MetricsNeedAnOperatorOnTheMainPort) {
  Start(ServerOptions{});
  auto c = Client();
  auto anon = c.Get("/metrics");
  ASSERT_TRUE(anon);
  EXPECT_EQ(anon->status, 401);
  EXPECT_EQ(anon->get_header_value("WWW-Authenticate"), "Bearer");
  EXPECT_NE(anon->body.find("/metrics 需要运营方的令牌 / /metrics needs an operator's bearer token"), std::string::npos);
  auto admin = c.Get("/metrics", {{"Authorization", std::string("Bearer ") + FakePlatform::kAdminToken}});
  ASSERT_TRUE(admin);
  EXPECT_EQ(admin->status, 403);
  auto op = c.Get("/metrics", {{"Authorization", std::string("Bearer ") + FakePlatform::kOperatorToken}});
  ASSERT_TRUE(op);
  EXPECT_EQ(op->status, 200);
  EXPECT_NE(op->body.find("eseal_http_requests_total"), std::string::npos);
  EXPECT_EQ(server_->metrics_port(), -1);
}

TEST_F(TransportTest, MetricsOnTheirOwnAddressArePublicThereAndAbsentOnTheMainPort) {
  ServerOptions o;
  o.metrics_port = 0;
  Start(o);
  ASSERT_GT(server_->metrics_port(), 0);
  auto c = Client();
  auto main = c.Get("/metrics", {{"Authorization", std::string("Bearer ") + FakePlatform::kOperatorToken}});
  ASSERT_TRUE(main);
  EXPECT_EQ(main->status, 404);
  httplib::Client m("127.0.0.1", server_->metrics_port());
  auto r = m.Get("/metrics");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  auto h = m.Get("/healthz");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->status, 200);
  auto api = m.Get("/api/v1/me", {{"Authorization", std::string("Bearer ") + FakePlatform::kOperatorToken}});
  ASSERT_TRUE(api);
  EXPECT_EQ(api->status, 404);
}

TEST_F(TransportTest, ServesTls) {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("eseal-tls-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string cert = (dir / "cert.pem").string(), key = (dir / "key.pem").string();
  std::string cmd = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
                    "-subj /CN=127.0.0.1 -keyout " + key + " -out " + cert + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  ServerOptions o;
  o.tls_cert_file = cert;
  o.tls_key_file = key;
  Start(o);
  httplib::SSLClient c("127.0.0.1", server_->port());
  c.set_ca_cert_path(cert.c_str());
  c.enable_server_certificate_verification(true);
  auto r = c.Get("/healthz");
  ASSERT_TRUE(r) << httplib::to_string(r.error());
  EXPECT_EQ(r->status, 200);
  auto v = c.Post("/api/v1/verify", std::string("PK\x03\x04rest", 8), "application/ofd");
  ASSERT_TRUE(v) << httplib::to_string(v.error());
  EXPECT_EQ(v->get_header_value("X-Eseal-Verdict"), "PASSED");
  // Plain HTTP on the TLS port gets no HTTP answer.
  int fd = Open();
  Send(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(ReadReply(fd).find("HTTP/1.1 200"), std::string::npos);
  std::filesystem::remove_all(dir);

  // A key that does not belong to the certificate is refused at Create.
  ServerOptions half;
  half.tls_cert_file = cert;
  EXPECT_EQ(Server::Create(p_, half).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace eseal::http
