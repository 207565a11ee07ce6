// The real server on 127.0.0.1 (a free port) over the fake platform, through cpp-httplib's
// client: what the transport adds — body limits while reading, keep-alive after a refusal,
// multipart parsing, errors it answers itself, rate limits over HTTP, shutdown. Slow and
// hostile clients: transport_test.cc.
#include "eseal/http/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "eseal/base/log.h"
#include "fake_platform.h"

namespace eseal::http {
namespace {

using testing::FakePlatform;
using nlohmann::json;

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log::SetLevel(log::Level::kWarn);
    ServerOptions o;
    o.port = 0;
    o.threads = 4;
    o.max_json_bytes = 1024;
    o.max_document_bytes = 32 * 1024;
    o.monotonic_seconds = [this] { return now_.load(); };
    auto s = Server::Create(p_, o);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    server_ = *std::move(s);
    ASSERT_TRUE(server_->Bind().ok());
    ASSERT_GT(server_->port(), 0);
    thread_ = std::thread([this] { serve_status_ = server_->Serve(); });
  }
  void TearDown() override {
    server_->Stop();
    thread_.join();
    EXPECT_TRUE(serve_status_.ok()) << serve_status_.ToString();
    log::SetLevel(log::Level::kInfo);
  }
  httplib::Client Client() {
    httplib::Client c("127.0.0.1", server_->port());
    c.set_read_timeout(10, 0);
    return c;
  }
  static httplib::Headers Bearer(const char* token) { return {{"Authorization", std::string("Bearer ") + token}}; }

  // Sends raw bytes and returns everything the server answers until it closes or 2 s pass.
  std::string Raw(const std::string& bytes) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(server_->port()));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    timeval tv{2, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    EXPECT_EQ(::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL), static_cast<ssize_t>(bytes.size()));
    std::string out;
    char buf[4096];
    while (true) {
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
      if (out.find("\r\n\r\n") != std::string::npos) {
        auto cl = out.find("Content-Length: ");
        auto head_end = out.find("\r\n\r\n");
        if (cl != std::string::npos && cl < head_end) {
          size_t len = std::stoul(out.substr(cl + 16));
          if (out.size() >= head_end + 4 + len) break;
        }
      }
    }
    ::close(fd);
    return out;
  }

  std::atomic<double> now_{1000};
  FakePlatform p_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  Status serve_status_;
};

TEST_F(ServerTest, HealthzWithRequestId) {
  auto c = Client();
  auto r = c.Get("/healthz", {{"X-Request-Id", "t-1"}});
  ASSERT_TRUE(r) << httplib::to_string(r.error());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body.rfind(R"({"status":"ok",)", 0), 0u) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(r->get_header_value("X-Request-Id"), "t-1");
}

TEST_F(ServerTest, OversizedJsonIs413AndTheConnectionStaysUsable) {
  auto c = Client();
  c.set_keep_alive(true);
  std::string big = R"({"name":")" + std::string(4000, 'x') + R"("})";
  auto r = c.Post("/api/v1/clients/apply", big, "application/json");
  ASSERT_TRUE(r) << httplib::to_string(r.error());
  EXPECT_EQ(r->status, 413);
  json j = json::parse(r->body, nullptr, false);
  EXPECT_EQ(j["error"]["code"], "resource_exhausted");
  EXPECT_TRUE(p_.calls().empty());
  auto again = c.Get("/healthz");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
}

TEST_F(ServerTest, OversizedChunkedBodyIs413) {
  auto c = Client();
  size_t sent = 0;
  auto r = c.Post(
      "/api/v1/verify",
      [&](size_t, httplib::DataSink& sink) {
        std::string chunk(8192, 'x');
        if (sent >= 64 * 1024) {
          sink.done();
          return true;
        }
        sink.write(chunk.data(), chunk.size());
        sent += chunk.size();
        return true;
      },
      "application/ofd");
  ASSERT_TRUE(r) << httplib::to_string(r.error());
  EXPECT_EQ(r->status, 413);
  auto calls = p_.calls();
  EXPECT_EQ(std::count(calls.begin(), calls.end(), "VerifyOfd"), 0);
}

TEST_F(ServerTest, OversizedMultipartIs413) {
  auto c = Client();
  httplib::MultipartFormDataItems items = {
      {"document", std::string(40 * 1024, 'x'), "a.ofd", "application/ofd"},
      {"password", "pw", "", ""},
      {"x", "1", "", ""},
      {"y", "1", "", ""},
  };
  auto r = c.Post("/api/v1/seals/sea_1/sign", Bearer(FakePlatform::kAdminToken), items);
  ASSERT_TRUE(r) << httplib::to_string(r.error());
  EXPECT_EQ(r->status, 413);
}

TEST_F(ServerTest, SignsOverMultipart) {
  auto c = Client();
  httplib::MultipartFormDataItems items = {
      {"document", "OFD-DOC", "合同.ofd", "application/ofd"},
      {"password", "correct horse", "", ""},
      {"keyword", "盖章", "", ""},
  };
  auto r = c.Post("/api/v1/seals/sea_1/sign", Bearer(FakePlatform::kAdminToken), items);
  ASSERT_TRUE(r) << httplib::to_string(r.error());
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/ofd");
  EXPECT_EQ(r->body, "OFD-DOC!");
  EXPECT_EQ(r->get_header_value("X-Eseal-Signature-Id"), "sig_1");
  EXPECT_EQ(p_.last_password, "correct horse");
  ASSERT_TRUE(p_.last_sign.placement.keyword.has_value());
  EXPECT_EQ(p_.last_sign.placement.keyword->keyword, "盖章");
}

TEST_F(ServerTest, VerifiesARawBody) {
  auto c = Client();
  auto r = c.Post("/api/v1/verify", std::string("PK\x03\x04rest", 8), "application/ofd");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("X-Eseal-Verdict"), "PASSED");
  EXPECT_EQ(p_.last_document.size(), 8u);
}

TEST_F(ServerTest, AuthAndRolesOverHttp) {
  auto c = Client();
  auto none = c.Get("/api/v1/me");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401);
  EXPECT_EQ(none->get_header_value("WWW-Authenticate"), "Bearer");
  auto wrong = c.Get("/api/v1/audit", Bearer(FakePlatform::kAdminToken));
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 403);
  // A refused upload is not read into memory, and the connection still works.
  c.set_keep_alive(true);
  auto upload = c.Post("/api/v1/holders", std::string(512, ' '), "application/json");
  ASSERT_TRUE(upload);
  EXPECT_EQ(upload->status, 401);
  auto ok = c.Get("/api/v1/me", Bearer(FakePlatform::kOperatorToken));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
}

TEST_F(ServerTest, RateLimitOverHttp) {
  auto c = Client();
  for (int i = 0; i < 3; ++i) {
    auto r = c.Get("/api/v1/me", Bearer(FakePlatform::kClientToken));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
  }
  auto r = c.Get("/api/v1/me", Bearer(FakePlatform::kClientToken));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 429);
  EXPECT_EQ(r->get_header_value("Retry-After"), "20");
}

TEST_F(ServerTest, ErrorsTheTransportAnswersItselfHaveTheErrorShape) {
  std::string out = Raw("NONSENSE\r\n\r\n");
  EXPECT_EQ(out.rfind("HTTP/1.1 400", 0), 0u) << out;
  EXPECT_NE(out.find(R"({"error":{"code":"invalid_argument")"), std::string::npos) << out;

  // An unknown method on a real path.
  out = Raw("BREW /api/v1/seals HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(out.rfind("HTTP/1.1 400", 0), 0u) << out;
  EXPECT_NE(out.find(R"("error":{)"), std::string::npos) << out;
}

TEST_F(ServerTest, ExpectContinueWithAnOversizedBodyIsRefusedBeforeItIsSent) {
  std::string out = Raw(
      "POST /api/v1/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/ofd\r\n"
      "Content-Length: 999999999\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_EQ(out.rfind("HTTP/1.1 413", 0), 0u) << out;
  EXPECT_NE(out.find("resource_exhausted"), std::string::npos) << out;
}

TEST_F(ServerTest, DeclaredLengthBeyondEverythingClosesTheConnection) {
  // 1 GB announced, nothing sent: the server answers at once rather than reading it.
  std::string out = Raw(
      "POST /api/v1/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/ofd\r\n"
      "Content-Length: 1000000000\r\n\r\nPK");
  EXPECT_EQ(out.rfind("HTTP/1.1 413", 0), 0u) << out;
  EXPECT_NE(out.find("Connection: close"), std::string::npos) << out;
}

TEST_F(ServerTest, MetricsOverHttp) {
  auto c = Client();
  ASSERT_TRUE(c.Get("/healthz"));
  ASSERT_TRUE(c.Get("/api/v1/nothing"));
  auto r = c.Get("/metrics", Bearer(FakePlatform::kOperatorToken));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(r->body.find("eseal_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1\n"),
            std::string::npos);
  EXPECT_NE(r->body.find("eseal_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1\n"),
            std::string::npos);
  // The /metrics request itself is in flight while it renders.
  EXPECT_NE(r->body.find("eseal_http_requests_in_flight 1\n"), std::string::npos);
  EXPECT_EQ(server_->MetricsText().find("eseal_http_requests_in_flight 0\n") != std::string::npos, true);
}

TEST(ServerLifecycleTest, StopBeforeServeReturnsAtOnce) {
  FakePlatform p;
  ServerOptions o;
  o.port = 0;
  auto s = Server::Create(p, o);
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE((*s)->Bind().ok());
  (*s)->Stop();
  EXPECT_TRUE((*s)->Serve().ok());
}

TEST(ServerLifecycleTest, BadOptionsAndBusyPortsAreRefused) {
  FakePlatform p;
  ServerOptions o;
  o.threads = 0;
  EXPECT_EQ(Server::Create(p, o).status().code(), StatusCode::kInvalidArgument);
  ServerOptions a;
  a.port = 0;
  auto first = Server::Create(p, a);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE((*first)->Bind().ok());
  ServerOptions b;
  b.port = (*first)->port();
  auto second = Server::Create(p, b);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ((*second)->Bind().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace eseal::http
