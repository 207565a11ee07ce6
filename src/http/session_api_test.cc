// Sessions and token scopes at the API's door (api.cc), over the fake platform: the sign-in
// route sets a Secure, HttpOnly, SameSite=Strict cookie; a session authenticates routes,
// but a state-changing request without the session's CSRF token is refused before any use
// case runs; a token acts only within its scopes.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "api.h"
#include "fake_platform.h"

namespace eseal::http {
namespace {

using nlohmann::json;
using testing::FakePlatform;

class SessionApiTest : public ::testing::Test {
 protected:
  Reply Do(std::string method, std::string target, std::string body,
           std::vector<std::pair<std::string, std::string>> headers) {
    ApiRequest r;
    r.method = std::move(method);
    r.target = std::move(target);
    r.remote_addr = "127.0.0.1";
    if (!body.empty()) {
      r.headers.emplace_back("content-type", "application/json");
      r.body = std::move(body);
    }
    for (auto& h : headers) r.headers.push_back(h);
    return api_.Handle(std::move(r));
  }
  static std::string HeaderOf(const Reply& r, std::string_view name) {
    for (const auto& [k, v] : r.headers) {
      if (k == name) return v;
    }
    return "";
  }
  bool Called(std::string_view name) {
    auto calls = platform_.calls();
    return std::find(calls.begin(), calls.end(), name) != calls.end();
  }
  std::pair<std::string, std::string> Cookie() {
    return {"cookie", std::string("other=1; ") + std::string(kSessionCookie) + "=" + FakePlatform::kSessionToken};
  }

  FakePlatform platform_;
  Api api_{platform_, [] {
             ApiOptions o;
             o.public_rate_limit_per_minute = 0;
             return o;
           }()};
};

TEST_F(SessionApiTest, SignInSetsASecureHttpOnlyStrictCookieAndReturnsTheCsrfToken) {
  Reply r = Do("POST", "/api/v1/session", R"({"login":"alice","password":"correct horse battery"})", {});
  ASSERT_EQ(r.status, 201) << r.body;
  std::string cookie = HeaderOf(r, "Set-Cookie");
  EXPECT_EQ(cookie.rfind(std::string(kSessionCookie) + "=" + FakePlatform::kSessionToken, 0), 0u) << cookie;
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("Secure"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(json::parse(r.body)["csrf_token"], FakePlatform::kCsrfToken);
  EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-store");
  // The session token itself never appears in the body.
  EXPECT_EQ(r.body.find(FakePlatform::kSessionToken), std::string::npos);
}

TEST_F(SessionApiTest, AWrongPasswordSetsNoCookie) {
  Reply r = Do("POST", "/api/v1/session", R"({"login":"alice","password":"wrong password!"})", {});
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(HeaderOf(r, "Set-Cookie"), "");
}

TEST_F(SessionApiTest, ASessionReadsWithoutCsrfButChangesOnlyWithIt) {
  Reply me = Do("GET", "/api/v1/me", "", {Cookie()});
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(json::parse(me.body)["id"], "acc_admin");

  platform_.ClearCalls();
  Reply forged = Do("POST", "/api/v1/seals/s1/suspend", R"({"reason":"x"})", {Cookie()});
  EXPECT_EQ(forged.status, 403) << forged.body;
  EXPECT_FALSE(Called("Suspend")) << "no use case runs for a request without the CSRF token";

  Reply wrong = Do("POST", "/api/v1/seals/s1/suspend", R"({"reason":"x"})", {Cookie(), {"x-csrf-token", "guess"}});
  EXPECT_EQ(wrong.status, 403);
  EXPECT_FALSE(Called("Suspend"));

  Reply ok = Do("POST", "/api/v1/seals/s1/suspend", R"({"reason":"x"})",
                {Cookie(), {"x-csrf-token", FakePlatform::kCsrfToken}});
  EXPECT_NE(ok.status, 401);
  EXPECT_NE(ok.status, 403);
  EXPECT_TRUE(Called("Suspend"));
}

TEST_F(SessionApiTest, AnEndedSessionIsRefusedOnPrivateRoutesButDoesNotBlockPublicOnes) {
  std::pair<std::string, std::string> stale{"cookie", std::string(kSessionCookie) + "=ess_ended"};
  EXPECT_EQ(Do("GET", "/api/v1/me", "", {stale}).status, 401);
  Reply r = Do("POST", "/api/v1/session", R"({"login":"alice","password":"correct horse battery"})", {stale});
  EXPECT_EQ(r.status, 201) << "signing in again works with the old cookie still present";
}

TEST_F(SessionApiTest, SignOutClearsTheCookie) {
  Reply r = Do("POST", "/api/v1/session/end", "", {Cookie()});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(HeaderOf(r, "Set-Cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_TRUE(Called("SignOut"));
}

TEST_F(SessionApiTest, ATokenActsOnlyWithinItsScopes) {
  std::pair<std::string, std::string> bearer{"authorization", std::string("Bearer ") + FakePlatform::kReadOnlyToken};
  EXPECT_EQ(Do("GET", "/api/v1/seals", "", {bearer}).status, 200);
  platform_.ClearCalls();
  Reply change = Do("POST", "/api/v1/seals/s1/suspend", R"({"reason":"x"})", {bearer});
  EXPECT_EQ(change.status, 403) << change.body;
  EXPECT_NE(change.body.find("write"), std::string::npos);
  EXPECT_FALSE(Called("Suspend"));
  Reply sign = Do("POST", "/api/v1/usage-requests", R"({"seal_id":"s1","document_hash":"00","purpose":"x"})", {bearer});
  EXPECT_EQ(sign.status, 403);
  EXPECT_NE(sign.body.find("sign"), std::string::npos);
}

TEST(RequiredScopeTest, ReadSignWrite) {
  EXPECT_EQ(RequiredScope("GET", "/api/v1/seals"), "read");
  EXPECT_EQ(RequiredScope("POST", "/api/v1/seals/{id}/sign"), "sign");
  EXPECT_EQ(RequiredScope("POST", "/api/v1/usage-requests/{id}/approve"), "sign");
  EXPECT_EQ(RequiredScope("POST", "/api/v1/seals/{id}/revoke"), "write");
  EXPECT_EQ(RequiredScope("PUT", "/api/v1/areas/{code}"), "write");
}

}  // namespace
}  // namespace eseal::http
