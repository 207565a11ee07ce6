// The API without sockets: routing, the error shape and status codes, authentication and
// role gates, parsers, size limits, rate limits, renderers, static files — over a fake
// platform that records which use cases were called.
#include "api.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "eseal/base/log.h"
#include "fake_platform.h"

namespace eseal::http {
namespace {

using testing::FakePlatform;
using nlohmann::json;

class ApiTest : public ::testing::Test {
 protected:
  ApiOptions Options() {
    ApiOptions o;
    o.max_json_bytes = 4096;
    o.max_document_bytes = 64 * 1024;
    o.monotonic_seconds = [this] { return now_; };
    return o;
  }

  struct Call {
    std::string method = "GET";
    std::string target;
    std::string body;
    std::string token;
    std::string content_type = "application/json";
    std::vector<Part> query;
    std::vector<Part> parts;
    std::vector<std::pair<std::string, std::string>> headers;
  };

  Reply Do(Call c) {
    ApiRequest r;
    r.method = c.method;
    r.target = c.target;
    r.query = std::move(c.query);
    if (!c.token.empty()) r.headers.emplace_back("authorization", "Bearer " + c.token);
    if (!c.parts.empty()) {
      r.headers.emplace_back("content-type", "multipart/form-data; boundary=x");
      r.parts = std::move(c.parts);
    } else if (!c.body.empty()) {
      r.headers.emplace_back("content-type", c.content_type);
      r.body = std::move(c.body);
    }
    for (auto& h : c.headers) r.headers.push_back(h);
    return api_->Handle(std::move(r));
  }
  Reply Get(std::string target, std::string token = "") {
    Call c;
    c.target = std::move(target);
    c.token = std::move(token);
    return Do(std::move(c));
  }
  Reply Post(std::string target, std::string body, std::string token = FakePlatform::kOperatorToken,
             std::string method = "POST") {
    Call c;
    c.method = std::move(method);
    c.target = std::move(target);
    c.body = std::move(body);
    c.token = std::move(token);
    return Do(std::move(c));
  }

  static json Json(const Reply& r) { return json::parse(r.body, nullptr, false); }
  static std::string Header(const Reply& r, std::string_view name) {
    for (const auto& [k, v] : r.headers) {
      if (k == name) return v;
    }
    return "";
  }
  // Asserts the error shape and returns the message.
  // The English half of a bilingual message ("中文 / English"), for exact comparisons.
  static std::string English(const std::string& m) {
    size_t slash = m.find(" / ");
    EXPECT_NE(slash, std::string::npos) << "no Chinese half: " << m;
    return slash == std::string::npos ? m : m.substr(slash + 3);
  }
  static std::string ExpectError(const Reply& r, int status, std::string_view code) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.content_type, "application/json");
    json j = Json(r);
    EXPECT_TRUE(j.is_object()) << r.body;
    if (!j.is_object() || !j.contains("error")) return "";
    EXPECT_EQ(j.size(), 1u);
    EXPECT_EQ(j["error"].size(), 2u);
    EXPECT_EQ(j["error"]["code"], code) << r.body;
    EXPECT_TRUE(j["error"]["message"].is_string());
    return j["error"]["message"].is_string() ? j["error"]["message"].get<std::string>() : "";
  }
  bool Called(std::string_view name) {
    for (const std::string& c : p_.calls()) {
      if (c == name) return true;
    }
    return false;
  }

  void SetUp() override {
    log::SetSink([this](std::string_view line) { log_.push_back(std::string(line)); });
    api_ = std::make_unique<Api>(p_, Options());
  }
  void TearDown() override { log::SetSink(nullptr); }

  double now_ = 1000;
  FakePlatform p_;
  std::unique_ptr<Api> api_;
  std::vector<std::string> log_;
};

constexpr const char* kOp = FakePlatform::kOperatorToken;
constexpr const char* kAdmin = FakePlatform::kAdminToken;
constexpr const char* kClient = FakePlatform::kClientToken;

std::string Uscc(int n) {
  char digits[16];
  std::snprintf(digits, sizeof digits, "%09d", n);
  std::string s = std::string("91450100") + digits;
  return s + *platform::UsccCheckCharacter(s);
}

// ---- routing and the error shape ----

TEST_F(ApiTest, UnknownRouteIs404InTheErrorShape) {
  Reply r = Get("/api/v1/nothing-here", kOp);
  ExpectError(r, 404, "not_found");
  EXPECT_FALSE(Header(r, "X-Request-Id").empty());
}

TEST_F(ApiTest, WrongMethodIs405WithAllow) {
  Reply r = Post("/api/v1/holders", "{}", kOp, "DELETE");
  ExpectError(r, 405, "invalid_argument");
  EXPECT_EQ(Header(r, "Allow"), "GET, POST");
}

TEST_F(ApiTest, MalformedPathEscapeIs400) {
  ExpectError(Get("/api/v1/holders/%zz", kOp), 400, "invalid_argument");
}

// Found by fuzz_http_api: a path parameter is percent-decoded into any bytes, and the
// platform's "no holder <id>" came back inside the JSON error with FF BF BF or a surrogate
// copied raw, so the reply was not JSON. Every error reply must parse, whatever it echoes.
TEST_F(ApiTest, ErrorRepliesStayJsonWhateverBytesTheyEcho) {
  for (const char* id : {"%FF%BF%BF", "%ED%A0%80", "%E0%80%AF", "%F4%90%80%80"}) {
    Reply r = Get(std::string("/api/v1/holders/") + id, kOp);
    EXPECT_EQ(r.status, 404) << id;
    json body = Json(r);
    ASSERT_FALSE(body.is_discarded()) << id << ": " << r.body;
    EXPECT_EQ(body["error"]["code"], "not_found");
  }
}

TEST_F(ApiTest, PathParametersAreDecoded) {
  Reply r = Get("/api/v1/seals/%E5%8D%B0/status");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r)["esid"], "印");
}

// The signed seal-status answer and the evidence record: binary bodies from the right use
// case; bad parameters refused before the platform is asked.
TEST_F(ApiTest, SignedStatusAndEvidenceRoutes) {
  auto status = [&](std::vector<std::pair<std::string, std::string>> q) {
    Call c;
    c.target = "/api/v1/seals/ES1/status";
    for (auto& [k, v] : q) c.query.push_back(Part{k, "", "", v});
    return Do(std::move(c));
  };
  Reply der = status({{"format", "der"}, {"nonce", "abcd"}});
  EXPECT_EQ(der.status, 200) << der.body;
  EXPECT_EQ(der.content_type, "application/octet-stream");
  EXPECT_EQ(der.body, std::string("ES1") + "\xAB\xCD");  // the fake echoes esID and nonce
  EXPECT_EQ(status({{"format", "xml"}}).status, 400);
  EXPECT_EQ(status({{"nonce", "abcd"}}).status, 400);  // the JSON status has no nonce
  EXPECT_EQ(status({{"format", "der"}, {"nonce", "zz"}}).status, 400);
  EXPECT_EQ(status({{"format", "der"}, {"at", "2026-01-01T00:00:00Z"}}).status, 400);
  std::string sm3(64, 'a');
  Reply ev = Get("/api/v1/evidence/" + sm3);
  EXPECT_EQ(ev.status, 200);
  EXPECT_EQ(ev.body, sm3);
  EXPECT_EQ(Header(ev, "Content-Disposition"), "attachment; filename=\"evidence-" + sm3 + ".der\"");
  auto calls = p_.calls();
  EXPECT_EQ(std::count(calls.begin(), calls.end(), "SignedSealStatus"), 1);
  EXPECT_EQ(std::count(calls.begin(), calls.end(), "Evidence"), 1);
}

TEST_F(ApiTest, PlatformErrorsMapToStatuses) {
  struct Case {
    Status status;
    int http;
    const char* code;
  } cases[] = {
      {InvalidArgumentError("x"), 400, "invalid_argument"},
      {NotFoundError("x"), 404, "not_found"},
      {AlreadyExistsError("x"), 409, "already_exists"},
      {FailedPreconditionError("the seal is revoked and cannot sign"), 409, "failed_precondition"},
      {PermissionDeniedError("x"), 403, "permission_denied"},
      {UnauthenticatedError("the protection password is wrong"), 401, "unauthenticated"},
      {ResourceExhaustedError("x"), 422, "resource_exhausted"},
      {DataLossError("x"), 422, "data_loss"},
      {UnavailableError("x"), 503, "unavailable"},
      {InternalError("x"), 500, "internal"},
  };
  for (const Case& c : cases) {
    p_.FailNext(c.status);
    std::string message = ExpectError(Get("/api/v1/seals/sea_1", kOp), c.http, c.code);
    EXPECT_EQ(message, c.status.message());
  }
}

TEST_F(ApiTest, RequestIdIsEchoedOrMade) {
  Call c;
  c.target = "/healthz";
  c.headers.emplace_back("x-request-id", "abc-123.x");
  Reply r = Do(c);
  EXPECT_EQ(Header(r, "X-Request-Id"), "abc-123.x");
  Call bad;
  bad.target = "/healthz";
  bad.headers.emplace_back("x-request-id", "evil\nline");
  Reply r2 = Do(bad);
  EXPECT_NE(Header(r2, "X-Request-Id"), "evil\nline");
  EXPECT_EQ(Header(r2, "X-Request-Id").size(), 24u);
  EXPECT_NE(Header(Get("/healthz"), "X-Request-Id"), Header(Get("/healthz"), "X-Request-Id"));
}

TEST_F(ApiTest, OneLogLinePerRequestWithoutSecrets) {
  log_.clear();
  Call c;
  c.method = "POST";
  c.target = "/api/v1/applications";
  c.token = kAdmin;
  c.body = R"({"type":"new_seal","seal_kind":"contract","password":"hunter2-secret"})";
  c.headers.emplace_back("x-request-id", "req-42");
  Reply r = Do(c);
  EXPECT_EQ(r.status, 201) << r.body;
  ASSERT_EQ(log_.size(), 1u);
  json line = json::parse(log_[0], nullptr, false);
  ASSERT_TRUE(line.is_object()) << log_[0];
  EXPECT_EQ(line["event"], "http.request");
  EXPECT_EQ(line["request_id"], "req-42");
  EXPECT_EQ(line["method"], "POST");
  EXPECT_EQ(line["route"], "/api/v1/applications");
  EXPECT_EQ(line["status"], "201");
  EXPECT_EQ(line["actor"], "acc_admin");
  EXPECT_TRUE(line.contains("duration_ms"));
  EXPECT_EQ(log_[0].find("hunter2"), std::string::npos);
  EXPECT_EQ(log_[0].find(kAdmin), std::string::npos);
  EXPECT_EQ(p_.last_password, "hunter2-secret");
}

// ---- authentication and roles ----

TEST_F(ApiTest, NoTokenIs401AndNothingRuns) {
  Reply r = Get("/api/v1/me");
  ExpectError(r, 401, "unauthenticated");
  EXPECT_EQ(Header(r, "WWW-Authenticate"), "Bearer");
  EXPECT_TRUE(p_.calls().empty());
  ExpectError(Post("/api/v1/holders", R"({"uscc":"x"})", ""), 401, "unauthenticated");
  EXPECT_TRUE(p_.calls().empty());
}

TEST_F(ApiTest, BadTokensAre401) {
  ExpectError(Get("/api/v1/me", "esk_nobody"), 401, "unauthenticated");
  Call basic;
  basic.target = "/api/v1/me";
  basic.headers.emplace_back("authorization", "Basic dXNlcjpwdw==");
  ExpectError(Do(basic), 401, "unauthenticated");
  // A token sent to a public route must be valid too.
  ExpectError(Get("/api/v1/crl", "esk_nobody"), 401, "unauthenticated");
}

TEST_F(ApiTest, SuspendedClientIs403) {
  ExpectError(Get("/api/v1/me", FakePlatform::kSuspendedToken), 403, "permission_denied");
}

TEST_F(ApiTest, OperatorRoutesRefuseOtherRoles) {
  for (const char* target : {"/api/v1/audit", "/api/v1/audit/verify", "/api/v1/clients", "/api/v1/filings"}) {
    p_.ClearCalls();
    ExpectError(Get(target, kAdmin), 403, "permission_denied");
    EXPECT_EQ(p_.calls(), std::vector<std::string>{"Authenticate"}) << target;
  }
  ExpectError(Post("/api/v1/settings/auto-approve", R"({"enabled":true})", kAdmin, "PUT"), 403,
              "permission_denied");
  EXPECT_FALSE(Called("SetAutoApprove"));
  Reply ok = Get("/api/v1/audit", kOp);
  EXPECT_EQ(ok.status, 200) << ok.body;
}

TEST_F(ApiTest, MeDescribesTheCaller) {
  json j = Json(Get("/api/v1/me", kClient));
  EXPECT_EQ(j["id"], "cli_1");
  EXPECT_EQ(j["kind"], "client");
  EXPECT_EQ(j["role"], "client");
  EXPECT_EQ(j["client_type"], "vendor");
  json a = Json(Get("/api/v1/me", kAdmin));
  EXPECT_EQ(a["kind"], "account");
  EXPECT_EQ(a["holder_id"], "hol_1");
  EXPECT_TRUE(a["client_type"].is_null());
}

// ---- rate limits ----

TEST_F(ApiTest, ClientsAreRateLimited) {
  // The fake client may make 3 requests a minute.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Get("/api/v1/me", kClient).status, 200) << i;
  Reply r = Get("/api/v1/me", kClient);
  ExpectError(r, 429, "resource_exhausted");
  EXPECT_EQ(Header(r, "Retry-After"), "20");
  // Accounts are not limited by the client's bucket.
  EXPECT_EQ(Get("/api/v1/me", kAdmin).status, 200);
  now_ += 21;
  EXPECT_EQ(Get("/api/v1/me", kClient).status, 200);
  // A changed limit applies at the next request.
  p_.SetTestClientRateLimit(6000);
  EXPECT_EQ(Get("/api/v1/me", kClient).status, 200);
}

// ---- bodies: JSON, limits, media types ----

TEST_F(ApiTest, MalformedJsonIs400AndNothingIsWritten) {
  std::string m = ExpectError(Post("/api/v1/holders", R"({"uscc": "9145)"), 400, "invalid_argument");
  EXPECT_NE(m.find("not valid JSON"), std::string::npos);
  EXPECT_FALSE(Called("UpsertHolder"));
}

TEST_F(ApiTest, UnknownFieldsWrongTypesAndMissingFieldsAre400) {
  std::string base = R"("uscc":")" + Uscc(1) + R"(","name":"A","legal_rep":"B")";
  EXPECT_EQ(English(ExpectError(Post("/api/v1/holders", "{" + base + R"(,"colour":"red"})"), 400, "invalid_argument")),
            "unknown field 'colour'");
  EXPECT_EQ(English(ExpectError(Post("/api/v1/holders", R"({"uscc":91450100,"name":"A","legal_rep":"B"})"), 400,
                        "invalid_argument")),
            "field 'uscc' must be a string, not an integer");
  EXPECT_EQ(English(ExpectError(Post("/api/v1/holders", R"({"name":"A","legal_rep":"B"})"), 400, "invalid_argument")),
            "field 'uscc' is required");
  EXPECT_NE(ExpectError(Post("/api/v1/holders", "{" + base + R"(,"status":"sleeping"})"), 400, "invalid_argument")
                .find("field 'status' unknown holder status 'sleeping'"),
            std::string::npos);
  EXPECT_FALSE(Called("UpsertHolder"));
  Reply ok = Post("/api/v1/holders", "{" + base + "}");
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(Json(ok)["uscc"], Uscc(1));
  // Fields left out (or null) reach the platform as "not given": an update changes only
  // what it is given (a new USCC without legal_rep is refused there).
  Reply partial = Post("/api/v1/holders", R"({"uscc":")" + Uscc(1) + R"(","name":"A2","area_code":null})");
  EXPECT_EQ(partial.status, 200) << partial.body;
  ASSERT_EQ(p_.holders_in.size(), 2u);
  const platform::Platform::HolderInput& in = p_.holders_in.back();
  EXPECT_EQ(in.name, std::optional<std::string>("A2"));
  EXPECT_FALSE(in.legal_rep.has_value());
  EXPECT_FALSE(in.area_code.has_value());
  EXPECT_FALSE(in.status.has_value());
  EXPECT_FALSE(in.kind.has_value());
}

TEST_F(ApiTest, BadUsccIs400AndNothingIsWritten) {
  std::string bad = Uscc(7);
  bad.back() = bad.back() == '0' ? '1' : '0';
  std::string m = ExpectError(Post("/api/v1/holders", R"({"uscc":")" + bad + R"(","name":"A","legal_rep":"B"})"),
                              400, "invalid_argument");
  EXPECT_EQ(English(m).rfind("field 'uscc' ", 0), 0u) << m;
  EXPECT_FALSE(Called("UpsertHolder"));
}

TEST_F(ApiTest, HolderBatchIsValidatedBeforeAnythingIsWritten) {
  std::string bad = Uscc(2);
  bad.back() = bad.back() == '0' ? '1' : '0';
  std::string batch = R"({"holders":[{"uscc":")" + Uscc(1) + R"(","name":"A","legal_rep":"B"},)" +
                      R"({"uscc":")" + bad + R"(","name":"C","legal_rep":"D"}]})";
  std::string m = ExpectError(Post("/api/v1/holders", batch), 400, "invalid_argument");
  EXPECT_EQ(English(m).rfind("field 'holders[1].uscc' ", 0), 0u) << m;
  EXPECT_FALSE(Called("UpsertHolder"));

  std::string good = R"({"holders":[{"uscc":")" + Uscc(1) + R"(","name":"A","legal_rep":"B"},)" +
                     R"({"uscc":")" + Uscc(2) + R"(","name":"C","legal_rep":"D","status":"abnormal"}]})";
  Reply r = Post("/api/v1/holders", good);
  ASSERT_EQ(r.status, 200) << r.body;
  json j = Json(r);
  ASSERT_EQ(j["items"].size(), 2u);
  EXPECT_EQ(j["items"][1]["status"], "abnormal");
  EXPECT_EQ(p_.holders_in.size(), 2u);
  ExpectError(Post("/api/v1/holders", R"({"holders":[]})"), 400, "invalid_argument");
  ExpectError(Post("/api/v1/holders", R"({"holders":[1]})"), 400, "invalid_argument");
}

TEST_F(ApiTest, OversizedBodyIs413) {
  std::string big = R"({"name":")" + std::string(5000, 'x') + R"("})";
  ExpectError(Post("/api/v1/clients/apply", big, ""), 413, "resource_exhausted");
  EXPECT_FALSE(Called("ApplyForAccess"));
  // Document routes take more.
  Call c;
  c.method = "POST";
  c.target = "/api/v1/verify";
  c.content_type = "application/ofd";
  c.body = std::string(10000, 'x');
  EXPECT_EQ(Do(c).status, 200);
  c.body = std::string(70000, 'x');
  ExpectError(Do(c), 413, "resource_exhausted");
}

// 413, 422 and 429 mean different things to a client, and only 429 invites a retry: a
// body over the route's limit is 413, a package the verifier refuses for its limits
// (ofd::Limits, too many DocBodies or signatures: ResourceExhausted) is 422, and 429 is
// only ever the rate limit.
TEST_F(ApiTest, OversizedIs413PackageOverLimitsIs422RateLimitIs429) {
  Call c;
  c.method = "POST";
  c.target = "/api/v1/verify";
  c.content_type = "application/ofd";
  c.body = std::string(70000, 'x');
  Reply big = Do(c);
  ExpectError(big, 413, "resource_exhausted");
  EXPECT_TRUE(Header(big, "Retry-After").empty());
  EXPECT_FALSE(Called("VerifyOfd"));

  c.body = "PK";
  p_.FailNext(ResourceExhaustedError(
      "OFD.xml has 17 DocBody elements, more than the limit of 16 documents in one package"));
  Reply over = Do(c);
  EXPECT_NE(ExpectError(over, 422, "resource_exhausted").find("DocBody"), std::string::npos);
  EXPECT_TRUE(Header(over, "Retry-After").empty());

  // The per-address limit without a token (60 a minute by default); both replies above
  // used a token of this address's bucket.
  c.body = "PK";
  for (int i = 2; i < 60; ++i) EXPECT_EQ(Do(c).status, 200) << i;
  Reply limited = Do(c);
  EXPECT_NE(ExpectError(limited, 429, "resource_exhausted").find("未带令牌"),
            std::string::npos);
  EXPECT_EQ(Header(limited, "Retry-After"), "1");
}

TEST_F(ApiTest, UnauthenticatedRequestsAreRateLimitedPerAddress) {
  auto from = [&](const std::string& addr, const std::string& target) {
    ApiRequest r;
    r.method = "GET";
    r.target = target;
    r.remote_addr = addr;
    return api_->Handle(std::move(r));
  };
  for (int i = 0; i < 60; ++i) ASSERT_EQ(from("203.0.113.7", "/api/v1/seals/x/status").status, 200) << i;
  Reply r = from("203.0.113.7", "/api/v1/seals/x/status");
  ExpectError(r, 429, "resource_exhausted");
  EXPECT_EQ(Header(r, "Retry-After"), "1");
  // The bucket is per route family, not per route: other public routes share it.
  EXPECT_EQ(from("203.0.113.7", "/api/v1/crl").status, 429);
  // Another address has its own allowance; health checks and metrics are never limited.
  EXPECT_EQ(from("198.51.100.1", "/api/v1/seals/x/status").status, 200);
  EXPECT_EQ(from("203.0.113.7", "/healthz").status, 200);
  // A token takes the caller out of the address bucket.
  ApiRequest op;
  op.method = "GET";
  op.target = "/api/v1/seals/x/status";
  op.remote_addr = "203.0.113.7";
  op.headers.emplace_back("authorization", std::string("Bearer ") + kOp);
  EXPECT_EQ(api_->Handle(std::move(op)).status, 200);
  // The allowance comes back with time.
  now_ += 1;
  EXPECT_EQ(from("203.0.113.7", "/api/v1/seals/x/status").status, 200);
}

TEST_F(ApiTest, WrongMediaTypeIs415) {
  Call c;
  c.method = "POST";
  c.target = "/api/v1/holders";
  c.token = kOp;
  c.body = "uscc=1";
  c.content_type = "application/x-www-form-urlencoded";
  EXPECT_NE(ExpectError(Do(c), 415, "invalid_argument").find("application/json"), std::string::npos);
  c.target = "/api/v1/verify";
  c.content_type = "text/plain";
  ExpectError(Do(c), 415, "invalid_argument");
  EXPECT_FALSE(Called("VerifyOfd"));
}

TEST_F(ApiTest, NonObjectAndDuplicateBodiesAre400) {
  ExpectError(Post("/api/v1/clients/apply", "[]", ""), 400, "invalid_argument");
  ExpectError(Post("/api/v1/clients/apply",
                   R"({"name":"a","name":"b","type":"vendor","scenario":"s","contact":"c"})", ""),
              400, "invalid_argument");
  Reply ok = Post("/api/v1/clients/apply", R"({"name":"a","type":"vendor","scenario":"s","contact":"c"})", "");
  EXPECT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(Json(ok)["status"], "pending");
}

TEST_F(ApiTest, UnknownQueryParametersAndPasswordsInQueriesAreRefused) {
  Call c;
  c.target = "/api/v1/seals";
  c.token = kOp;
  c.query = {{"password", "", "", "x"}};
  EXPECT_EQ(English(ExpectError(Do(c), 400, "invalid_argument")), "unknown query parameter 'password'");
  EXPECT_FALSE(Called("ListSeals"));
  c.query = {{"limit", "", "", "0"}};
  EXPECT_EQ(English(ExpectError(Do(c), 400, "invalid_argument")),
            "query parameter 'limit' must be an integer between 1 and 1000");
  c.query = {{"limit", "", "", "1"}, {"offset", "", "", "5"}};
  Reply r = Do(c);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(p_.last_page.limit, 1);
  EXPECT_EQ(p_.last_page.offset, 5);
  json j = Json(r);
  EXPECT_EQ(j["items"].size(), 1u);
  EXPECT_EQ(j["next_offset"], 6);
  c.query = {{"status", "", "", "dead"}};
  ExpectError(Do(c), 400, "invalid_argument");
}

TEST_F(ApiTest, HolderFiltersReachThePlatform) {
  Call c;
  c.target = "/api/v1/holders";
  c.token = kOp;
  c.query = {{"kind", "", "", "department"}, {"area", "", "", "4501"}, {"name", "", "", "测试"}};
  Reply r = Do(c);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(p_.last_holder_filter.kind, platform::HolderKind::kDepartment);
  EXPECT_EQ(p_.last_holder_filter.area_prefix, "4501");
  EXPECT_EQ(p_.last_holder_filter.name_contains, "测试");
  EXPECT_TRUE(Json(r)["next_offset"].is_null());
}

// ---- renderers never leak secrets ----

TEST_F(ApiTest, SealJsonHasNoKeysOrBlobs) {
  Reply r = Get("/api/v1/seals/sea_1", kOp);
  ASSERT_EQ(r.status, 200);
  json j = Json(r);
  EXPECT_EQ(j["id"], "sea_1");
  EXPECT_EQ(j["status"], "active");
  EXPECT_FALSE(j.contains("protected_key"));
  EXPECT_FALSE(j.contains("seal_der"));
  EXPECT_TRUE(j["anchor_id"].is_null());
  Reply esl = Get("/api/v1/seals/sea_1/seal.esl", kOp);
  EXPECT_EQ(esl.content_type, "application/octet-stream");
  EXPECT_EQ(esl.body, std::string("\x30\x00", 2));
  EXPECT_NE(Header(esl, "Content-Disposition").find("45010000001.esl"), std::string::npos);
  Reply png = Get("/api/v1/seals/sea_1/image.png", kOp);
  EXPECT_EQ(png.content_type, "image/png");
}

// ---- signing ----

TEST_F(ApiTest, SignMultipartAtAPosition) {
  Call c;
  c.method = "POST";
  c.target = "/api/v1/seals/sea_1/sign";
  c.token = kAdmin;
  c.parts = {{"document", "合同.ofd", "application/ofd", "OFD-BYTES"},
             {"password", "", "", "correct horse"},
             {"page", "", "", "2"},
             {"x", "", "", "30"},
             {"y", "", "", "40.5"},
             {"mode", "", "", "whole"}};
  Reply r = Do(c);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/ofd");
  EXPECT_EQ(r.body, "OFD-BYTES!");
  EXPECT_EQ(Header(r, "X-Eseal-Signature-Id"), "sig_1");
  EXPECT_EQ(Header(r, "X-Eseal-Document-Hash"), "abc123");
  EXPECT_NE(Header(r, "Content-Disposition").find("filename*=UTF-8''%E5%90%88%E5%90%8C-signed.ofd"),
            std::string::npos);
  EXPECT_EQ(p_.last_password, "correct horse");
  EXPECT_EQ(p_.last_sign.seal, "sea_1");
  EXPECT_EQ(p_.last_sign.document_name, "合同.ofd");
  ASSERT_EQ(p_.last_sign.placement.positions.size(), 1u);
  EXPECT_EQ(p_.last_sign.placement.positions[0].page, 2);
  EXPECT_EQ(p_.last_sign.placement.positions[0].y_mm, 40.5);
  EXPECT_EQ(p_.last_sign.mode, sign::ProtectMode::kWhole);
  EXPECT_NE(api_->metrics().Render().find("eseal_signatures_total 1\n"), std::string::npos);
}

TEST_F(ApiTest, SignJsonWithKeywordAndRiding) {
  std::string doc = Base64Encode(AsBytes("OFD"));
  Reply r = Post("/api/v1/seals/sea_1/sign",
                 R"({"document":")" + doc + R"(","password":"pw","keyword":"甲方","occurrence":1,"pages":"2-"})",
                 kAdmin);
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_TRUE(p_.last_sign.placement.keyword.has_value());
  EXPECT_EQ(p_.last_sign.placement.keyword->keyword, "甲方");
  EXPECT_EQ(p_.last_sign.placement.keyword->occurrence, 1);
  EXPECT_EQ(p_.last_sign.placement.keyword->first_page, 2);
  EXPECT_EQ(p_.last_sign.placement.keyword->last_page, 0);
  EXPECT_EQ(p_.last_sign.document_name, "document.ofd");

  r = Post("/api/v1/seals/sea_1/sign",
           R"({"document":")" + doc + R"(","password":"pw","riding":"right","pages":"1-3","usage_request_id":"use_1"})",
           kAdmin);
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_TRUE(p_.last_sign.placement.riding.has_value());
  EXPECT_EQ(p_.last_sign.placement.riding->edge, sign::Edge::kRight);
  EXPECT_EQ(p_.last_sign.placement.riding->last_page, 3);
  EXPECT_EQ(p_.last_sign.usage_request_id, "use_1");
}

TEST_F(ApiTest, SignParamsAreChecked) {
  std::string doc = Base64Encode(AsBytes("OFD"));
  auto sign = [&](const std::string& rest) {
    return Post("/api/v1/seals/sea_1/sign", R"({"document":")" + doc + R"(","password":"pw")" + rest + "}", kAdmin);
  };
  ExpectError(sign(""), 400, "invalid_argument");                                   // no placement
  ExpectError(sign(R"(,"x":1,"y":2,"keyword":"k")"), 400, "invalid_argument");      // two
  ExpectError(sign(R"(,"x":1)"), 400, "invalid_argument");                          // y missing
  ExpectError(sign(R"(,"x":"1","y":2)"), 400, "invalid_argument");                  // wrong type
  ExpectError(sign(R"(,"riding":"middle")"), 400, "invalid_argument");              // bad edge
  ExpectError(sign(R"(,"keyword":"k","pages":"5-2")"), 400, "invalid_argument");    // bad range
  ExpectError(sign(R"(,"x":1,"y":2,"mode":"sometimes")"), 400, "invalid_argument");  // bad mode
  ExpectError(sign(R"(,"x":-1,"y":2)"), 400, "invalid_argument");
  // No password is not a parameter error: a vendor with an authorisation key copy signs
  // without one, and the platform refuses everyone else (bindings_test.cc).
  EXPECT_FALSE(Called("SignDocument"));
  // A wrong password is the platform's 401.
  p_.FailNext(UnauthenticatedError("the protection password is wrong (1 of 5 attempts)"));
  ExpectError(sign(R"(,"x":1,"y":2)"), 401, "unauthenticated");
}

// ---- public routes ----

// A PDF goes to VerifyPdf by its bytes, whatever Content-Type says; an OFD sent as
// application/pdf is still an OFD.
TEST_F(ApiTest, VerifyTellsPdfFromOfdByTheBytes) {
  Call c;
  c.method = "POST";
  c.target = "/api/v1/verify";
  c.content_type = "application/pdf";
  c.body = "%PDF-1.7 body";
  ASSERT_EQ(Do(c).status, 200);
  EXPECT_TRUE(Called("VerifyPdf"));
  EXPECT_FALSE(Called("VerifyOfd"));
  EXPECT_EQ(ToString(p_.last_document), "%PDF-1.7 body");
  c.content_type = "application/octet-stream";
  c.body = "PK\x03\x04 zip";
  ASSERT_EQ(Do(c).status, 200);
  EXPECT_TRUE(Called("VerifyOfd"));
  Reply r = Post("/api/v1/verify", R"({"document":"JVBERi0xLjc="})", "");  // base64 of %PDF-1.7
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(ToString(p_.last_document), "%PDF-1.7");
}

TEST_F(ApiTest, VerifyTakesRawMultipartOrJson) {
  Call raw;
  raw.method = "POST";
  raw.target = "/api/v1/verify";
  raw.content_type = "application/ofd";
  raw.body = "PKraw";
  Reply r = Do(raw);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r)["verdict"], "PASSED");
  EXPECT_EQ(Header(r, "X-Eseal-Verdict"), "PASSED");
  EXPECT_EQ(ToString(p_.last_document), "PKraw");

  Call form;
  form.method = "POST";
  form.target = "/api/v1/verify";
  form.parts = {{"signature", "s.der", "", "SIG"}, {"data", "d.txt", "", "DATA"}};
  r = Do(form);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r)["verdict"], "FAILED");
  EXPECT_EQ(ToString(p_.last_document), "SIGDATA");

  r = Post("/api/v1/verify", R"({"document":"UEs="})", "");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(ToString(p_.last_document), "PK");
  ExpectError(Post("/api/v1/verify", R"({"document":"%%%"})", ""), 400, "invalid_argument");
  ExpectError(Post("/api/v1/verify", R"({"signature":"UEs="})", ""), 400, "invalid_argument");
  std::string m = api_->metrics().Render();
  EXPECT_NE(m.find("eseal_verifications_total{verdict=\"PASSED\"} 2\n"), std::string::npos) << m;
  EXPECT_NE(m.find("eseal_verifications_total{verdict=\"FAILED\"} 1\n"), std::string::npos) << m;
}

TEST_F(ApiTest, SealStatusAtATime) {
  Call c;
  c.target = "/api/v1/seals/45010000001/status";
  c.query = {{"at", "", "", "2026-11-23T10:00:00+08:00"}};
  Reply r = Do(c);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r)["at"], "2026-11-23T02:00:00Z");
  ASSERT_TRUE(p_.last_at.has_value());
  c.query = {{"at", "", "", "yesterday"}};
  ExpectError(Do(c), 400, "invalid_argument");
  c.query = {};
  EXPECT_EQ(Do(c).status, 200);
  EXPECT_FALSE(p_.last_at.has_value());
}

TEST_F(ApiTest, CrlTrustBundleNoticesAndContract) {
  Reply crl = Get("/api/v1/crl");
  EXPECT_EQ(crl.content_type, "application/pkix-crl");
  EXPECT_EQ(crl.body.size(), 5u);
  Reply root_crl = Get("/api/v1/crl/root");
  EXPECT_EQ(root_crl.content_type, "application/pkix-crl");
  EXPECT_EQ(root_crl.body, std::string("\x30\x03\x02\x01\x02", 5));
  Reply pem = Get("/api/v1/trust-bundle");
  EXPECT_EQ(pem.content_type, "application/x-pem-file");
  EXPECT_NE(pem.body.find("BEGIN CERTIFICATE"), std::string::npos);
  json n = Json(Get("/api/v1/notices"));
  ASSERT_EQ(n["items"].size(), 2u);
  EXPECT_EQ(n["items"][0]["event"], "revoked");
  Reply atom = Get("/api/v1/notices.atom");
  EXPECT_EQ(atom.content_type, "application/atom+xml; charset=utf-8");
  EXPECT_NE(atom.body.find("<feed xmlns=\"http://www.w3.org/2005/Atom\">"), std::string::npos);
  EXPECT_NE(atom.body.find("南宁市&lt;测试&gt;局"), std::string::npos);
  EXPECT_NE(atom.body.find("abolished &amp; merged"), std::string::npos);
  EXPECT_EQ(atom.body.find("<测试>"), std::string::npos);
  Reply html = Get("/notices");
  EXPECT_EQ(html.content_type, "text/html; charset=utf-8");
  EXPECT_NE(html.body.find("南宁市&lt;测试&gt;局"), std::string::npos);
  Reply yaml = Get("/api/v1/openapi.yaml");
  EXPECT_EQ(yaml.content_type, "application/yaml");
  EXPECT_EQ(yaml.body.rfind("openapi: 3.0", 0), 0u);
  Reply health = Get("/healthz");
  EXPECT_EQ(health.body, R"({"status":"ok","clock":{"synchronised":false,"unsynchronised_accepted":true,)"
                         R"("detail":"fake"},"tsa":{"mode":"in-process","issuing":true}})");
  Reply metrics = Get("/metrics");
  EXPECT_EQ(metrics.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(metrics.body.find("eseal_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("\neseal_clock_synchronised 0\n"), std::string::npos);
  EXPECT_NE(metrics.body.find("\neseal_clock_unsynchronised_accepted 1\n"), std::string::npos);
  EXPECT_NE(metrics.body.find("\neseal_tsa_issuing 1\n"), std::string::npos);
}

// ---- the other routes reach the right use case with the right arguments ----

TEST_F(ApiTest, ActionsCallTheirUseCases) {
  EXPECT_EQ(Post("/api/v1/applications/app_9/approve", "", kOp).status, 200);
  EXPECT_TRUE(Called("Review(approve)"));
  EXPECT_EQ(p_.last_id, "app_9");
  ExpectError(Post("/api/v1/applications/app_9/reject", "{}", kOp), 400, "invalid_argument");
  EXPECT_EQ(Post("/api/v1/applications/app_9/reject", R"({"reason":"incomplete"})", kOp).status, 200);
  EXPECT_EQ(p_.last_reason, "incomplete");
  EXPECT_EQ(Post("/api/v1/seals/sea_1/suspend", R"({"reason":"lost"})", kAdmin).status, 200);
  EXPECT_EQ(Post("/api/v1/seals/sea_1/resume", "", kAdmin).status, 200);
  EXPECT_EQ(Post("/api/v1/seals/sea_1/revoke", R"({"reason":"deregistered"})", kAdmin).status, 200);
  EXPECT_EQ(Post("/api/v1/seals/sea_1/unlock", "{}", kOp).status, 200);
  ExpectError(Post("/api/v1/seals/sea_1/unlock", R"({"force":true})", kOp), 400, "invalid_argument");
  Reply pw = Post("/api/v1/seals/sea_1/password",
                  R"({"application_id":"app_1","old_password":"old","new_password":"new"})", kAdmin);
  EXPECT_EQ(pw.status, 200) << pw.body;
  EXPECT_EQ(p_.last_password, "old|new");
  EXPECT_EQ(Json(pw)["seal_id"], "sea_1");
  // The application is for sea_1: another seal in the path is refused before the use case.
  p_.last_password.clear();
  ExpectError(Post("/api/v1/seals/sea_2/password",
                   R"({"application_id":"app_1","old_password":"old","new_password":"new"})", kAdmin),
              400, "invalid_argument");
  EXPECT_EQ(p_.last_password, "");
  Reply ap = Post("/api/v1/seals/sea_1/approval-required", R"({"required":true})", kAdmin, "PUT");
  EXPECT_EQ(Json(ap)["requires_approval"], true);
  Reply auto_on = Post("/api/v1/settings/auto-approve", R"({"enabled":true})", kOp, "PUT");
  EXPECT_EQ(auto_on.body, R"({"enabled":true})");
  Reply grant = Post("/api/v1/seals/sea_1/grants", R"({"account_id":"acc_u","can_approve":true})", kAdmin);
  EXPECT_EQ(Json(grant)["can_use"], true);
  EXPECT_EQ(Json(grant)["can_approve"], true);
  Reply acc = Post("/api/v1/accounts", R"({"name":"张三","role":"holder_user"})", kAdmin);
  EXPECT_EQ(acc.status, 201);
  EXPECT_EQ(Json(acc)["token"], "esk_new");
  EXPECT_EQ(Json(acc)["account"]["role"], "holder_user");
  ExpectError(Post("/api/v1/accounts", R"({"name":"x","role":"king"})", kAdmin), 400, "invalid_argument");
}

TEST_F(ApiTest, UsageRequestsAndDecisions) {
  std::string hash(64, 'A');
  Reply r = Post("/api/v1/usage-requests", R"({"seal_id":"sea_1","document_hash":")" + hash +
                                               R"(","purpose":"contract with B"})",
                 kAdmin);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Json(r)["document_hash"], std::string(64, 'a'));
  ExpectError(Post("/api/v1/usage-requests", R"({"seal_id":"sea_1","document_hash":"xyz","purpose":"p"})", kAdmin),
              400, "invalid_argument");
  Reply ok = Post("/api/v1/usage-requests/use_1/approve", R"({"window_end":"2026-11-24T00:00:00Z"})", kAdmin);
  EXPECT_EQ(Json(ok)["window_end"], "2026-11-24T00:00:00Z");
  ExpectError(Post("/api/v1/usage-requests/use_1/reject", "", kAdmin), 400, "invalid_argument");
  EXPECT_EQ(Post("/api/v1/usage-requests/use_1/reject", R"({"reason":"no"})", kAdmin).status, 200);
  EXPECT_TRUE(Called("DecideUse(reject)"));
}

TEST_F(ApiTest, ClientsAuthorisationsAnchorsFilingsArchives) {
  Reply appr = Post("/api/v1/clients/cli_9/approve", "", kOp);
  EXPECT_EQ(Json(appr)["token"], "esk_client_new");
  Reply rej = Post("/api/v1/clients/cli_9/reject", R"({"reason":"unknown vendor"})", kOp);
  EXPECT_TRUE(Json(rej)["token"].is_null());
  EXPECT_EQ(Post("/api/v1/clients/cli_9/suspend", R"({"reason":"abuse"})", kOp).status, 200);
  EXPECT_EQ(Post("/api/v1/clients/cli_9/resume", "", kOp).status, 200);
  Reply rl = Post("/api/v1/clients/cli_9/rate-limit", R"({"per_minute":120})", kOp, "PUT");
  EXPECT_EQ(Json(rl)["rate_limit_per_minute"], 120);
  ExpectError(Post("/api/v1/clients/cli_9/rate-limit", R"({"per_minute":0})", kOp, "PUT"), 400, "invalid_argument");

  Reply au = Post("/api/v1/authorisations",
                  R"({"client_id":"cli_1","seal_ids":["sea_1","sea_2"],"valid_until":"2027-01-01T00:00:00Z"})", kAdmin);
  ASSERT_EQ(au.status, 201) << au.body;
  EXPECT_EQ(Json(au)["seal_ids"].size(), 2u);
  ExpectError(Post("/api/v1/authorisations", R"({"client_id":"cli_1","seal_ids":"sea_1","valid_until":"2027-01-01"})",
                   kAdmin),
              400, "invalid_argument");
  Reply wd = Post("/api/v1/authorisations/aut_1/withdraw", "", kAdmin);
  EXPECT_EQ(Json(wd)["withdrawn_at"], "2026-11-18T11:06:40Z");

  // Anchors: base64 DER or PEM.
  Reply a1 = Post("/api/v1/anchors", R"({"system_name":"other","kind":"ca_root","certificate":"MAMCAQE="})", kOp);
  ASSERT_EQ(a1.status, 201) << a1.body;
  EXPECT_EQ(p_.last_document, (Bytes{0x30, 0x03, 0x02, 0x01, 0x01}));
  Reply a2 = Post("/api/v1/anchors",
                  R"({"system_name":"other","kind":"maker_certificate","certificate":"-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n"})",
                  kOp);
  ASSERT_EQ(a2.status, 201) << a2.body;
  EXPECT_EQ(p_.last_document, (Bytes{0x30, 0x03, 0x02, 0x01, 0x01}));
  // Intermediates: a PEM bundle becomes one DER per block, a bare base64 DER one item.
  Reply a3 = Post("/api/v1/anchors",
                  R"({"system_name":"other","kind":"ca_root","certificate":"MAMCAQE=","intermediates":)"
                  R"("-----BEGIN CERTIFICATE-----\nMAMCAQI=\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nMAMCAQM=\n-----END CERTIFICATE-----\n"})",
                  kOp);
  ASSERT_EQ(a3.status, 201) << a3.body;
  EXPECT_EQ(p_.last_intermediates, (std::vector<Bytes>{{0x30, 0x03, 0x02, 0x01, 0x02}, {0x30, 0x03, 0x02, 0x01, 0x03}}));
  ExpectError(Post("/api/v1/anchors",
                   R"({"system_name":"o","kind":"ca_root","certificate":"MAMCAQE=","intermediates":"-----BEGIN CERTIFICATE-----\nMAMC"})",
                   kOp),
              400, "invalid_argument");
  // A newer CRL for a registered anchor (operator only).
  Reply crl = Post("/api/v1/anchors/anc_1/crl", R"({"crl":"MAMCAQQ="})", kOp);
  ASSERT_EQ(crl.status, 200) << crl.body;
  EXPECT_EQ(p_.last_document, (Bytes{0x30, 0x03, 0x02, 0x01, 0x04}));
  ExpectError(Post("/api/v1/anchors/anc_1/crl", "{}", kOp), 400, "invalid_argument");
  ExpectError(Post("/api/v1/anchors/anc_1/crl", R"({"crl":"MAMCAQQ="})", kClient), 403, "permission_denied");
  ExpectError(Post("/api/v1/anchors", R"({"system_name":"other","kind":"ca_root"})", kOp), 400, "invalid_argument");
  ExpectError(Post("/api/v1/anchors", R"({"system_name":"o","kind":"ca_root","certificate":"!!"})", kOp), 400,
              "invalid_argument");

  // Roles: absent → the kind's default; a list (or comma-separated form field) otherwise.
  EXPECT_FALSE(p_.last_roles.has_value());
  EXPECT_EQ(Json(a1)["roles"], json::parse(R"(["seal_maker","signer"])"));
  EXPECT_EQ(Json(a1)["maker_policies"], json::parse(R"(["1.3.6.1.4.1.32473.1.1"])"));
  EXPECT_EQ(Json(a2)["roles"], json::parse(R"(["seal_maker"])"));
  Reply a4 = Post("/api/v1/anchors",
                  R"({"system_name":"tsa","kind":"ca_root","certificate":"MAMCAQE=","roles":["tsa","signer"]})", kOp);
  ASSERT_EQ(a4.status, 201) << a4.body;
  EXPECT_EQ(p_.last_roles, platform::kAnchorTsa | platform::kAnchorSigner);
  EXPECT_EQ(Json(a4)["roles"], json::parse(R"(["signer","tsa"])"));
  Call form;
  form.method = "POST";
  form.target = "/api/v1/anchors";
  form.token = kOp;
  form.parts = {{"system_name", "", "", "other"}, {"kind", "", "", "ca_root"}, {"certificate", "c.der", "", "\x30\x03\x02\x01\x01"},
                {"roles", "", "", "seal_maker"}, {"roles", "", "", "signer"},
                {"maker_policies", "", "", "1.2.3.4, 1.2.3.5"}};
  Reply a5 = Do(form);
  ASSERT_EQ(a5.status, 201) << a5.body;
  EXPECT_EQ(p_.last_roles, platform::kAnchorSealMaker | platform::kAnchorSigner);
  EXPECT_EQ(p_.last_maker_policies, (std::vector<std::string>{"1.2.3.4", "1.2.3.5"}));
  Reply bad_role = Post("/api/v1/anchors",
                        R"({"system_name":"o","kind":"ca_root","certificate":"MAMCAQE=","roles":["notary"]})", kOp);
  ExpectError(bad_role, 400, "invalid_argument");
  EXPECT_NE(bad_role.body.find("未知的信任锚角色"), std::string::npos) << bad_role.body;
  // Changing an anchor's roles: PUT, operator only, roles required.
  Reply sr = Post("/api/v1/anchors/anc_1/roles", R"({"roles":["signer"]})", kOp, "PUT");
  ASSERT_EQ(sr.status, 200) << sr.body;
  EXPECT_TRUE(Called("SetAnchorRoles"));
  EXPECT_EQ(p_.last_roles, platform::kAnchorSigner);
  EXPECT_FALSE(p_.last_maker_policies.has_value());
  EXPECT_EQ(Json(sr)["roles"], json::parse(R"(["signer"])"));
  Reply sr2 = Post("/api/v1/anchors/anc_1/roles",
                   R"({"roles":["seal_maker","tsa"],"maker_policies":["1.2.156.1"]})", kOp, "PUT");
  ASSERT_EQ(sr2.status, 200) << sr2.body;
  EXPECT_EQ(p_.last_roles, platform::kAnchorSealMaker | platform::kAnchorTsa);
  EXPECT_EQ(p_.last_maker_policies, (std::vector<std::string>{"1.2.156.1"}));
  ExpectError(Post("/api/v1/anchors/anc_1/roles", "{}", kOp, "PUT"), 400, "invalid_argument");
  ExpectError(Post("/api/v1/anchors/anc_1/roles", R"({"roles":"signer,bogus"})", kOp, "PUT"), 400, "invalid_argument");
  ExpectError(Post("/api/v1/anchors/anc_1/roles", R"({"roles":["signer"]})", kClient, "PUT"), 403,
              "permission_denied");

  Call file;
  file.method = "POST";
  file.target = "/api/v1/filed-seals";
  file.token = kClient;
  file.parts = {{"seal", "s.esl", "", "SEALDER"}, {"holder_uscc", "", "", Uscc(3)}, {"seal_kind", "", "", "contract"}};
  Reply fs = Do(file);
  ASSERT_EQ(fs.status, 201) << fs.body;
  EXPECT_EQ(Json(fs)["origin"], "filed");

  Reply ex = Post("/api/v1/filings/export", "", kOp);
  ASSERT_EQ(ex.status, 201);
  EXPECT_EQ(Json(ex)["export"], "e30=");
  EXPECT_EQ(Json(Get("/api/v1/filings/batches/bat_7", kOp))["id"], "bat_7");
  EXPECT_EQ(Post("/api/v1/filings/batches/bat_7/acknowledge", "", kOp).status, 200);
  json fl = Json(Get("/api/v1/filings", kOp));
  EXPECT_EQ(fl["items"][0]["payload"]["seal"], "x");

  Call arc;
  arc.method = "POST";
  arc.target = "/api/v1/archives";
  arc.token = kAdmin;
  arc.content_type = "application/ofd";
  arc.body = "SIGNED-OFD";
  arc.query = {{"name", "", "", "批复.ofd"}};
  Reply ar = Do(arc);
  ASSERT_EQ(ar.status, 201) << ar.body;
  EXPECT_EQ(p_.last_id, "批复.ofd");
  json aj = Json(ar);
  EXPECT_EQ(aj["report"]["verdict"], "PASSED");
  EXPECT_EQ(aj["evidence"]["crls"].size(), 0u);
  EXPECT_FALSE(aj.contains("document"));
  json one = Json(Get("/api/v1/archives/arc_1", kAdmin));
  EXPECT_EQ(one["document"], Base64Encode(AsBytes("OFD!")));
  json ver = Json(Get("/api/v1/archives/arc_1/verify", kAdmin));
  EXPECT_EQ(ver["verdict"], "PASSED");
  EXPECT_EQ(ver["checks"][0]["params"]["seq"], "1");
}

TEST_F(ApiTest, ImpressionsAreasAudit) {
  Call imp;
  imp.method = "POST";
  imp.target = "/api/v1/holders/hol_1/impressions";
  imp.token = kOp;
  imp.parts = {{"image", "seal.png", "image/png", "\x89PNG"}, {"kind", "", "", "legal-name"}};
  Reply r = Do(imp);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Json(r)["seal_kind"], "legal-name");
  EXPECT_EQ(Json(r)["size"], 4);
  Reply area = Post("/api/v1/areas/450100", R"({"name":"南宁市","level":"city","parent_code":"450000"})", kOp, "PUT");
  ASSERT_EQ(area.status, 200) << area.body;
  EXPECT_EQ(Json(area)["code"], "450100");
  ExpectError(Post("/api/v1/areas/450100", R"({"name":"南宁市","level":"town"})", kOp, "PUT"), 400,
              "invalid_argument");
  Call audit;
  audit.target = "/api/v1/audit";
  audit.token = kOp;
  audit.query = {{"after_seq", "", "", "10"}, {"limit", "", "", "2"}};
  json a = Json(Do(audit));
  ASSERT_EQ(a["items"].size(), 2u);
  EXPECT_EQ(a["items"][0]["seq"], 11);
  EXPECT_EQ(a["items"][0]["details"]["k"], "v");
  EXPECT_EQ(a["next_after_seq"], 12);
  json v = Json(Get("/api/v1/audit/verify", kOp));
  EXPECT_EQ(v["ok"], true);
  EXPECT_TRUE(v["first_broken_seq"].is_null());
}

// ---- static files ----

TEST_F(ApiTest, ServesTheWebFolder) {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("eseal_http_web_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "assets");
  std::ofstream(dir / "index.html") << "<html>ui</html>";
  std::ofstream(dir / "assets" / "app.js") << "console.log(1)";
  std::ofstream(dir.parent_path() / "eseal_http_secret.txt") << "secret";
  ApiOptions o = Options();
  o.web_dir = dir.string();
  Api api(p_, o);
  auto get = [&](std::string target) {
    ApiRequest r;
    r.method = "GET";
    r.target = std::move(target);
    return api.Handle(std::move(r));
  };
  Reply index = get("/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.body, "<html>ui</html>");
  EXPECT_EQ(index.content_type, "text/html; charset=utf-8");
  Reply js = get("/assets/app.js");
  EXPECT_EQ(js.body, "console.log(1)");
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(get("/seals/123").body, "<html>ui</html>");  // the UI's own routes
  EXPECT_EQ(get("/missing.css").status, 404);
  EXPECT_EQ(get("/../eseal_http_secret.txt").status, 404);
  EXPECT_EQ(get("/%2e%2e/eseal_http_secret.txt").status, 404);
  EXPECT_EQ(get("/assets/%2e%2e/%2e%2e/eseal_http_secret.txt").status, 404);
  // The API is never shadowed by files.
  ExpectError(get("/api/v1/nothing"), 404, "not_found");
  EXPECT_EQ(get("/healthz").body.rfind(R"({"status":"ok",)", 0), 0u) << get("/healthz").body;
  std::filesystem::remove_all(dir);
  std::filesystem::remove(dir.parent_path() / "eseal_http_secret.txt");
}

TEST_F(ApiTest, HeadIsAGet) {
  ApiRequest r;
  r.method = "HEAD";
  r.target = "/healthz";
  EXPECT_EQ(api_->Handle(std::move(r)).status, 200);
}

}  // namespace
}  // namespace eseal::http
