// The RFC 3161 TSA client (tsa_client.h) against real HTTP endpoints on 127.0.0.1: eseal's
// own TSA answering honestly, and endpoints that fail, stall, refuse, replay, stamp other
// data or answer with something that is not a timestamp reply. Only the timeout test uses
// a short timeout; the success paths do not depend on timing.
#include "eseal/sign/tsa_client.h"

#include <gtest/gtest.h>

#include <chrono>
#include <mutex>

#include "eseal/base/clock.h"
#include "eseal/crypto/random.h"
#include "eseal/crypto/sm3.h"
#include "eseal/tsp/authority.h"
#include "eseal/tsp/timestamp_request.h"
#include "eseal/tsp/timestamp_token.h"
#include "test_http_tsa.h"
#include "test_token.h"

namespace eseal::sign {
namespace {

using testing::HttpReply;
using testing::HttpTsaServer;

// eseal's own TSA on a fixed clock, with the tsp tests' PKI (root 2020-2040, TSA
// certificate 2026-2027).
struct Tsa {
  tsp::testing::Pki pki = tsp::testing::MakePki();
  FixedClock clock{*ParseTime("2026-11-23T09:30:25Z")};
  tsp::RandomSerialSource serials{crypto::SystemRng()};
  tsp::TimestampAuthority authority =
      tsp::TimestampAuthority::Create(std::make_shared<crypto::Sm2PrivateKey>(pki.tsa_key), pki.tsa,
                                      {}, clock, serials)
          .value();
};

const Tsa& T() {
  static const Tsa* t = new Tsa;
  return *t;
}

const Bytes kValue = {0x30, 0x44, 0x02, 0x20, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};

// Trusting the TSA's root, on the TSA's clock, retrying quickly. The read timeout is long
// enough that no success path depends on timing.
TsaClientOptions Options(const std::string& url) {
  TsaClientOptions o;
  o.url = url;
  o.clock = &T().clock;
  o.backoff = std::chrono::milliseconds(10);
  o.tsa_anchors.Add(T().pki.root, "TSA test root");
  return o;
}

Result<Bytes> StampVia(const TsaClientOptions& o, ByteView value = kValue) {
  auto ts = HttpTimestamper(o);
  if (!ts.ok()) return ts.status();
  return (*ts)(value);
}

bool Says(const Status& s, const std::string& text) {
  return s.message().find(text) != std::string::npos;
}

HttpReply Granted(const Bytes& request) {
  return HttpReply{200, "application/timestamp-reply", T().authority.Respond(request)};
}

TEST(TsaClient, AnHonestReplyGivesAVerifiedTokenForThisRequest) {
  HttpTsaServer server(testing::Honest(T().authority));
  auto token = StampVia(Options(server.url()));
  ASSERT_TRUE(token.ok()) << token.status().ToString();
  EXPECT_EQ(server.requests(), 1);

  // What was sent: an RFC 3161 query with the SM3 imprint, a nonce and certReq.
  EXPECT_EQ(server.last_content_type(), "application/timestamp-query");
  auto q = tsp::ParseTimestampRequest(server.last_request());
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_EQ(q->hash_algorithm, asn1::oids::Sm3());
  EXPECT_EQ(q->hashed_message, crypto::Sm3Bytes(kValue));
  EXPECT_TRUE(q->cert_req);
  ASSERT_TRUE(q->nonce.has_value());
  EXPECT_GE(q->nonce->size(), 1u);
  EXPECT_LE(q->nonce->size(), 9u);

  // What came back answers it and verifies against the TSA root.
  auto parsed = tsp::ParseTimestampToken(*token);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->info.hashed_message, crypto::Sm3Bytes(kValue));
  EXPECT_EQ(parsed->info.nonce, q->nonce);
  EXPECT_EQ(parsed->info.gen_time, T().clock.Now());
  tsp::TimestampVerifyOptions vo;
  vo.tsa_anchors.Add(T().pki.root);
  vo.check_revocation = false;
  EXPECT_EQ(tsp::VerifyTimestampToken(*token, kValue, vo).report.verdict(), Verdict::kPassed);
}

TEST(TsaClient, EachCallSendsAFreshNonce) {
  HttpTsaServer server(testing::Honest(T().authority));
  auto ts = HttpTimestamper(Options(server.url()));
  ASSERT_TRUE(ts.ok()) << ts.status().ToString();
  ASSERT_TRUE((*ts)(kValue).ok());
  const auto first = tsp::ParseTimestampRequest(server.last_request()).value().nonce;
  ASSERT_TRUE((*ts)(kValue).ok());
  const auto second = tsp::ParseTimestampRequest(server.last_request()).value().nonce;
  EXPECT_NE(first, second);
}

TEST(TsaClient, WithoutAnchorsTheTokenIsUsedOnlyIfItsSignatureVerifies) {
  HttpTsaServer honest(testing::Honest(T().authority));
  TsaClientOptions o = Options(honest.url());
  o.tsa_anchors = {};
  auto ok = StampVia(o);
  EXPECT_TRUE(ok.ok()) << ok.status().ToString();

  // The same reply with one byte of the TSA's signature changed.
  HttpTsaServer tampered([](const Bytes& req, int) {
    auto resp = tsp::ParseTimestampResponse(T().authority.Respond(req)).value();
    Bytes token = *resp.token;
    token.back() ^= 0x01;
    return HttpReply{200, "application/timestamp-reply", tsp::EncodeGranted(token)};
  });
  o.url = tampered.url();
  auto bad = StampVia(o);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kDataLoss);
  EXPECT_TRUE(Says(bad.status(), "tsp.signer.signature")) << bad.status().message();
  EXPECT_EQ(tampered.requests(), 1);
}

TEST(TsaClient, AChainToAnotherRootIsRefused) {
  HttpTsaServer server(testing::Honest(T().authority));
  TsaClientOptions o = Options(server.url());
  o.tsa_anchors = {};
  o.tsa_anchors.Add(tsp::testing::MakePki("critical", "Some Other Root").root, "other");
  auto r = StampVia(o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kDataLoss);
  EXPECT_TRUE(Says(r.status(), "证书链")) << r.status().message();
  EXPECT_TRUE(Says(r.status(), "--tsa-url-trust")) << r.status().message();
  EXPECT_EQ(server.requests(), 1);  // not retried
}

TEST(TsaClient, A5xxIsRetriedAndThenSucceeds) {
  HttpTsaServer server([](const Bytes& req, int n) {
    return n == 1 ? HttpReply{500, "text/plain", {'o', 'o', 'p', 's'}} : Granted(req);
  });
  auto token = StampVia(Options(server.url()));
  ASSERT_TRUE(token.ok()) << token.status().ToString();
  EXPECT_EQ(server.requests(), 2);
}

TEST(TsaClient, Always5xxFailsClearlyAfterTheRetries) {
  HttpTsaServer server([](const Bytes&, int) { return HttpReply{503, "text/plain", {}}; });
  auto r = StampVia(Options(server.url()));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(r.status().message().starts_with("时间戳服务出错（HTTP 503，共尝试 3 次）"))
      << r.status().message();
  EXPECT_TRUE(Says(r.status(), "3 attempts")) << r.status().message();
  EXPECT_EQ(server.requests(), 3);  // the first and two retries

  TsaClientOptions once = Options(server.url());
  once.retries = 0;
  EXPECT_FALSE(StampVia(once).ok());
  EXPECT_EQ(server.requests(), 4);
}

TEST(TsaClient, ASlowTsaTimesOut) {
  HttpTsaServer server([](const Bytes& req, int) {
    HttpReply r = Granted(req);
    r.delay = std::chrono::seconds(5);  // cut short when the server stops
    return r;
  });
  TsaClientOptions o = Options(server.url());
  o.read_timeout = std::chrono::milliseconds(300);
  o.retries = 0;
  auto r = StampVia(o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(r.status().message().starts_with("时间戳服务不可达")) << r.status().message();
  EXPECT_TRUE(Says(r.status(), "0.3 s")) << r.status().message();
}

TEST(TsaClient, AReplayedReplyIsRefusedByItsNonce) {
  std::mutex mu;
  Bytes first;
  HttpTsaServer server([&](const Bytes& req, int) {
    std::lock_guard<std::mutex> lock(mu);
    if (first.empty()) first = T().authority.Respond(req);
    return HttpReply{200, "application/timestamp-reply", first};
  });
  auto ts = HttpTimestamper(Options(server.url()));
  ASSERT_TRUE(ts.ok());
  ASSERT_TRUE((*ts)(kValue).ok());
  auto again = (*ts)(kValue);  // same data, new nonce, old reply
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kDataLoss);
  EXPECT_TRUE(Says(again.status(), "nonce")) << again.status().message();
  EXPECT_EQ(server.requests(), 2);
}

TEST(TsaClient, ATokenOverOtherDataIsRefused) {
  HttpTsaServer server([](const Bytes& req, int) {
    tsp::TimestampRequest q = tsp::ParseTimestampRequest(req).value();
    q.hashed_message = crypto::Sm3Bytes(Bytes{'o', 't', 'h', 'e', 'r'});  // nonce kept
    return Granted(tsp::EncodeTimestampRequest(q));
  });
  auto r = StampVia(Options(server.url()));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kDataLoss);
  EXPECT_TRUE(Says(r.status(), "messageImprint")) << r.status().message();
  EXPECT_EQ(server.requests(), 1);
}

TEST(TsaClient, ARejectionIsReportedAndNotRetried) {
  HttpTsaServer server([](const Bytes&, int) {
    return HttpReply{
        200, "application/timestamp-reply",
        tsp::EncodeRejection(tsp::FailInfo::kUnacceptedPolicy, "策略不支持 / policy not served")};
  });
  auto r = StampVia(Options(server.url()));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(r.status().message().starts_with("时间戳服务拒绝签发时间戳")) << r.status().message();
  EXPECT_TRUE(Says(r.status(), "unacceptedPolicy")) << r.status().message();
  EXPECT_TRUE(Says(r.status(), "policy not served")) << r.status().message();
  EXPECT_EQ(server.requests(), 1);
}

TEST(TsaClient, RepliesThatAreNotTimestampRepliesAreRefusedWithoutRetry) {
  struct Case {
    const char* name;
    HttpReply reply;
    StatusCode code;
    const char* says;
  };
  const Bytes honest = T().authority.Respond(Bytes{0x30, 0x00});  // any reply body
  const Case cases[] = {
      {"garbage",
       {200, "application/timestamp-reply", {'h', 'e', 'l', 'l', 'o'}},
       StatusCode::kDataLoss,
       "TimeStampResp"},
      {"wrong type", {200, "text/html; charset=utf-8", honest}, StatusCode::kDataLoss, "text/html"},
      {"no type", {200, "", honest}, StatusCode::kDataLoss, "Content-Type"},
      {"oversized",
       {200, "application/timestamp-reply", Bytes(100 * 1024, 0x30)},
       StatusCode::kDataLoss,
       "64 KiB"},
      {"not found", {404, "text/plain", {}}, StatusCode::kFailedPrecondition, "HTTP 404"},
  };
  for (const Case& c : cases) {
    HttpTsaServer server([&c](const Bytes&, int) { return c.reply; });
    auto r = StampVia(Options(server.url()));
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.status().code(), c.code) << c.name << ": " << r.status().ToString();
    EXPECT_TRUE(r.status().message().starts_with("时间戳服务"))
        << c.name << ": " << r.status().message();
    EXPECT_TRUE(Says(r.status(), c.says)) << c.name << ": " << r.status().message();
    EXPECT_EQ(server.requests(), 1) << c.name;
  }
}

TEST(TsaClient, NothingListeningIsUnreachable) {
  const std::string url = "http://127.0.0.1:" + std::to_string(testing::UnusedPort()) + "/tsa";
  auto r = StampVia(Options(url));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(r.status().message().starts_with("时间戳服务不可达")) << r.status().message();
  EXPECT_TRUE(Says(r.status(), "--tsa-url")) << r.status().message();
  EXPECT_TRUE(Says(r.status(), url)) << r.status().message();
  EXPECT_TRUE(Says(r.status(), "3 attempts")) << r.status().message();
}

TEST(TsaClient, HttpsToAPlainHttpServerFailsTheHandshake) {
  HttpTsaServer server(testing::Honest(T().authority));
  TsaClientOptions o = Options("https://127.0.0.1:" + std::to_string(server.port()) + "/tsa");
  o.retries = 0;
  auto r = StampVia(o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(Says(r.status(), "TLS")) << r.status().message();
  EXPECT_EQ(server.requests(), 0);
}

TEST(TsaClient, AGenTimeFarFromOurClockIsRefused) {
  HttpTsaServer server(testing::Honest(T().authority));
  TsaClientOptions o = Options(server.url());
  FixedClock ours(T().clock.Now() + std::chrono::minutes(10));
  o.clock = &ours;
  auto r = StampVia(o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kDataLoss);
  EXPECT_TRUE(Says(r.status(), "genTime")) << r.status().message();
  o.max_clock_skew = std::chrono::minutes(15);
  EXPECT_TRUE(StampVia(o).ok());
}

TEST(TsaClient, BadOptionsAreRefusedUpFront) {
  for (const char* url :
       {"", "ftp://tsa.example/", "http://", "http://:80/", "http://user:pw@tsa.example/",
        "http://tsa.example:0/", "http://tsa.example:99999/", "http://tsa.example:/",
        "http://tsa.example/#x", "http://tsa example/", "http://[::1/", "tsa.example"}) {
    TsaClientOptions o;
    o.url = url;
    auto r = HttpTimestamper(o);
    ASSERT_FALSE(r.ok()) << url;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << url;
    EXPECT_TRUE(r.status().message().starts_with("时间戳服务客户端配置无效"))
        << r.status().message();
  }
  for (const char* url : {"http://127.0.0.1:8318/tsa", "https://tsa.example.com",
                          "HTTP://[::1]:8318?x=1", "http://tsa.example/a/b"}) {
    TsaClientOptions o;
    o.url = url;
    EXPECT_TRUE(HttpTimestamper(o).ok()) << url;
  }
  TsaClientOptions o;
  o.url = "http://127.0.0.1/";
  o.retries = -1;
  EXPECT_FALSE(HttpTimestamper(o).ok());
  o.retries = 2;
  o.read_timeout = std::chrono::milliseconds(0);
  EXPECT_FALSE(HttpTimestamper(o).ok());
  o.read_timeout = std::chrono::seconds(1);
  o.max_response_bytes = 10;
  EXPECT_FALSE(HttpTimestamper(o).ok());
  o.max_response_bytes = kDefaultMaxTsaResponse;
  o.check_revocation = true;  // without CRLs every token would be INDETERMINATE
  EXPECT_FALSE(HttpTimestamper(o).ok());
}

}  // namespace
}  // namespace eseal::sign
