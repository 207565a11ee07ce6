// Cross-holder authorisation over HTTP (issue 11, "Done means"): a real Platform on SQLite
// and on PostgreSQL behind the real server, two enterprises A and B with their admins,
// users, seals, signatures, use requests, archives, clients, vendor authorisation and API
// tokens. Table-driven: every non-public route of RouteTable() has at least one row (the
// test fails when one is missing); each row is called as B's admin (bearer token and
// browser session), B's user, B's bound enterprise client and a reviewer, with A's ids in
// the path and body, and must answer its exact refusal while A's rows and A's audit entries
// stay as they were. Lists as B never name A's objects; credential routes never reach
// another's account or token.
#include <algorithm>
#include <map>
#include <set>

#include <gtest/gtest.h>

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "api.h"
#include "eseal/base/clock.h"
#include "eseal/base/file.h"
#include "eseal/base/log.h"
#include "eseal/crypto/kek.h"
#include "eseal/crypto/totp.h"
#include "eseal/http/server.h"
#include "eseal/platform/platform.h"
#include "eseal/store/store.h"
#include "eseal/store/testing.h"
#include "live_server_fixture.h"

namespace eseal::http {
namespace {

using nlohmann::json;
using testing::HelloOfd;
using testing::Uscc;

// A caller: a bearer token, or a browser session (cookie + CSRF token).
struct Who {
  std::string label;
  std::string token;
  std::string cookie;
  std::string csrf;
};

struct Answer {
  int status = 0;
  json body;
  std::string raw;
};

// One request body: JSON, multipart form, or a raw document.
struct Body {
  enum Kind { kNone, kJson, kForm, kRaw } kind = kNone;
  std::string json_text;
  httplib::MultipartFormDataItems form;
  std::string raw;
  std::string raw_type;
};

class AuthzApiTest : public testing::LiveServerTest {
 protected:
  void Tune(ServerOptions& so) override {
    so.public_rate_limit_per_minute = 0;
    so.default_client_rate_limit = 100000;
  }
  static httplib::Headers Headers(const Who& w) {
    httplib::Headers h;
    if (!w.token.empty()) h.emplace("Authorization", "Bearer " + w.token);
    if (!w.cookie.empty()) {
      h.emplace("Cookie", std::string(kSessionCookie) + "=" + w.cookie);
      h.emplace("X-CSRF-Token", w.csrf);
    }
    return h;
  }
  static Answer From(const httplib::Result& r) {
    Answer a;
    EXPECT_TRUE(r) << httplib::to_string(r.error());
    if (!r) return a;
    a.status = r->status;
    a.raw = r->body;
    a.body = json::parse(r->body, nullptr, false);
    return a;
  }
  Answer Call(const std::string& method, const std::string& path, const Who& w, const Body& b = {}) {
    auto c = Client();
    httplib::Headers h = Headers(w);
    if (method == "GET") return From(c.Get(path, h));
    if (b.kind == Body::kForm) {
      if (method == "PUT") return From(c.Put(path, h, b.form));
      return From(c.Post(path, h, b.form));
    }
    std::string body = b.kind == Body::kJson ? b.json_text : b.kind == Body::kRaw ? b.raw : "{}";
    std::string type = b.kind == Body::kRaw ? b.raw_type : "application/json";
    if (method == "PUT") return From(c.Put(path, h, body, type));
    return From(c.Post(path, h, body, type));
  }
  Answer Get(const std::string& path, const std::string& token) { return Call("GET", path, Who{"", token, "", ""}); }
  Answer Post(const std::string& path, const std::string& token, const json& body, const std::string& method = "POST") {
    return Call(method, path, Who{"", token, "", ""}, Json(body));
  }
  static Body Json(const json& j) {
    Body b;
    b.kind = Body::kJson;
    b.json_text = j.dump();
    return b;
  }

  std::string Holder(int n, const std::string& name, const std::string& area, const std::string& kind = "enterprise") {
    Answer a = Post("/api/v1/holders", op_,
                    json{{"uscc", Uscc(n)}, {"name", name}, {"legal_rep", "张三"}, {"area_code", area}, {"kind", kind}});
    EXPECT_EQ(a.status, 200) << a.raw;
    return a.body.value("id", "");
  }
  struct Person {
    std::string id, token, login, enrolment_code;
  };
  Person Account(const std::string& role, const std::string& holder_id, const std::string& area = "") {
    json in{{"name", role + " of " + holder_id + area}, {"role", role}};
    if (!holder_id.empty()) in["holder_id"] = holder_id;
    if (!area.empty()) in["area_code"] = area;
    Answer a = Post("/api/v1/accounts", op_, in);
    EXPECT_EQ(a.status, 201) << a.raw;
    return {a.body["account"].value("id", ""), a.body.value("token", ""), a.body.value("login", ""),
            a.body.value("enrolment_code", "")};
  }
  json MakeSeal(const std::string& admin, const std::string& kind, const std::string& password) {
    Answer app = Post("/api/v1/applications", admin,
                      json{{"type", "new_seal"}, {"seal_kind", kind}, {"password", password}});
    EXPECT_EQ(app.status, 201) << app.raw;
    Answer done = Post("/api/v1/applications/" + app.body.value("id", "") + "/approve", op_, json::object());
    EXPECT_EQ(done.status, 200) << done.raw;
    Answer seal = Get("/api/v1/seals/" + done.body.value("result_seal_id", ""), admin);
    EXPECT_EQ(seal.status, 200) << seal.raw;
    return seal.body;
  }
  static Body SignForm(const std::string& doc, const std::string& password) {
    Body b;
    b.kind = Body::kForm;
    b.form = {{"document", doc, "helloworld.ofd", "application/ofd"},
              {"password", password, "", ""},
              {"page", "1", "", ""},
              {"x", "50", "", ""},
              {"y", "50", "", ""}};
    return b;
  }
  static Body BatchForm(const std::string& doc, const std::string& password) {
    Body b = SignForm(doc, password);
    b.form[0].name = "documents";
    return b;
  }
  // An approved client; an enterprise one asks for `holder`.
  std::pair<std::string, std::string> ClientOf(const std::string& type, const std::string& name,
                                               const std::string& holder) {
    json in{{"name", name}, {"type", type}, {"scenario", "签章"}, {"contact", "ops@example.cn"}};
    if (!holder.empty()) in["holder_id"] = holder;
    Answer applied = Call("POST", "/api/v1/clients/apply", Who{}, Json(in));
    EXPECT_EQ(applied.status, 201) << applied.raw;
    std::string id = applied.body.value("id", "");
    Answer ok = Post("/api/v1/clients/" + id + "/approve", op_, json::object());
    EXPECT_EQ(ok.status, 200) << ok.raw;
    return {id, ok.body.value("token", "")};
  }
  // Enrols a person and signs them in: a browser session.
  Who Session(const Person& p, const std::string& label) {
    Who w{label, "", "", ""};
    Answer e = Call("POST", "/api/v1/enrol", Who{},
                    Json(json{{"login", p.login}, {"enrolment_code", p.enrolment_code}, {"password", "a long password 1"}}));
    EXPECT_EQ(e.status, 200) << e.raw;
    json in{{"login", p.login}, {"password", "a long password 1"}};
    if (e.body.value("totp_required", false)) {
      auto secret = crypto::Base32Decode(e.body.value("totp_secret", ""));
      EXPECT_TRUE(secret.has_value());
      if (!secret) return w;
      auto code = crypto::HotpCode(*secret, static_cast<uint64_t>(crypto::TotpStep(ToUnix(clock_.Now()))));
      EXPECT_TRUE(code.ok());
      if (!code.ok()) return w;
      in["totp"] = *code;
    }
    auto c = Client();
    auto r = c.Post("/api/v1/session", in.dump(), "application/json");
    EXPECT_TRUE(r);
    if (!r) return w;
    EXPECT_EQ(r->status, 201) << r->body;
    std::string set_cookie = r->get_header_value("Set-Cookie");
    std::string prefix = std::string(kSessionCookie) + "=";
    EXPECT_EQ(set_cookie.rfind(prefix, 0), 0u) << set_cookie;
    w.cookie = set_cookie.substr(prefix.size(), set_cookie.find(';') - prefix.size());
    w.csrf = json::parse(r->body, nullptr, false).value("csrf_token", "");
    return w;
  }

  std::vector<std::vector<std::string>> Query(const std::string& sql) {
    auto r = store::QuerySqlForTest(url_, sql);
    EXPECT_TRUE(r.ok()) << r.status().ToString() << "\n" << sql;
    return r.ok() ? *r : std::vector<std::vector<std::string>>{};
  }

};

// What one route is, for this test.
enum class Kind {
  kCross,     // names one of A's objects (path or body): refused, A unchanged
  kOperator,  // operator-only: the role gate refuses every other caller with 403
  kOwn,       // acts on the caller's own objects only; A unchanged, checked with the lists
  kList,      // a list filtered by A's ids: refused, or the caller's own rows only (no A id)
};

struct Row {
  std::string method, pattern;
  Kind kind;
  std::string path;  // with A's ids
  Body body;
  // Expected status per attacker label; "*" for every attacker not named.
  std::map<std::string, int> expect;
  int Expect(const std::string& who) const {
    auto it = expect.find(who);
    if (it != expect.end()) return it->second;
    it = expect.find("*");
    return it == expect.end() ? -1 : it->second;
  }
};

TEST_P(AuthzApiTest, AnotherHoldersIdsAreRefusedOnEveryRoute) {
  // ---- the world --------------------------------------------------------------------------
  ASSERT_EQ(Post("/api/v1/areas/450000", op_, json{{"name", "广西壮族自治区"}, {"level", "region"}}, "PUT").status / 100, 2);
  ASSERT_EQ(Post("/api/v1/areas/450100", op_, json{{"name", "南宁市"}, {"level", "city"}, {"parent_code", "450000"}}, "PUT")
                    .status / 100, 2);
  ASSERT_EQ(Post("/api/v1/areas/450200", op_, json{{"name", "柳州市"}, {"level", "city"}, {"parent_code", "450000"}}, "PUT")
                    .status / 100, 2);
  const std::string holder_a = Holder(1, "广西甲有限公司", "450100");
  const std::string holder_b = Holder(2, "广西乙有限公司", "450200");
  ASSERT_FALSE(holder_a.empty());
  ASSERT_FALSE(holder_b.empty());
  Person admin_a = Account("holder_admin", holder_a), user_a = Account("holder_user", holder_a);
  Person admin_b = Account("holder_admin", holder_b), user_b = Account("holder_user", holder_b);
  Person reviewer_b = Account("reviewer", "", "450200");
  const std::string pw_a = "password of A 1", pw_b = "password of B 1";
  json seal_a = MakeSeal(admin_a.token, "contract", pw_a);
  json seal_b = MakeSeal(admin_b.token, "contract", pw_b);
  const std::string seal_a_id = seal_a.value("id", ""), seal_a_esid = seal_a.value("esid", "");
  ASSERT_FALSE(seal_a_id.empty());
  ASSERT_EQ(Post("/api/v1/seals/" + seal_a_id + "/grants", admin_a.token,
                 json{{"account_id", user_a.id}, {"can_use", true}}).status / 100, 2);
  // A's pending application (a second seal) and an approved password change.
  Answer pending = Post("/api/v1/applications", admin_a.token,
                        json{{"type", "new_seal"}, {"seal_kind", "finance"}, {"password", pw_a}});
  ASSERT_EQ(pending.status, 201) << pending.raw;
  const std::string app_a = pending.body.value("id", "");
  // An application the operator made for A: it waits for A's admin to set the password.
  Answer awaiting = Post("/api/v1/applications", op_,
                         json{{"type", "new_seal"}, {"holder_id", holder_a}, {"seal_kind", "invoice"}});
  ASSERT_EQ(awaiting.status, 201) << awaiting.raw;
  const std::string app_await = awaiting.body.value("id", "");
  Answer pwapp = Post("/api/v1/applications", admin_a.token, json{{"type", "password_change"}, {"seal_id", seal_a_id}});
  ASSERT_EQ(pwapp.status, 201) << pwapp.raw;
  const std::string pwapp_a = pwapp.body.value("id", "");
  ASSERT_EQ(Post("/api/v1/applications/" + pwapp_a + "/approve", op_, json::object()).status, 200);
  // Signatures, a use request, an archive.
  const std::string doc = HelloOfd();
  Answer signed_a = Call("POST", "/api/v1/seals/" + seal_a_id + "/sign", Who{"", admin_a.token, "", ""}, SignForm(doc, pw_a));
  ASSERT_EQ(signed_a.status, 200) << signed_a.raw.substr(0, 300);
  Answer signed_b = Call("POST", "/api/v1/seals/" + seal_b.value("id", "") + "/sign", Who{"", admin_b.token, "", ""},
                         SignForm(doc, pw_b));
  ASSERT_EQ(signed_b.status, 200) << signed_b.raw.substr(0, 300);
  // A signing session of A's administrator: its reference is what B aims at below.
  Answer session_a = Post("/api/v1/seals/" + seal_a_id + "/signing-sessions", admin_a.token, json{{"password", pw_a}});
  ASSERT_EQ(session_a.status, 201) << session_a.raw;
  const std::string session_ref_a = session_a.body.value("ref", "");
  auto sig_list = Get("/api/v1/signatures?seal_id=" + seal_a_id, admin_a.token);
  ASSERT_EQ(sig_list.body["items"].size(), 1u) << sig_list.raw;
  const std::string sig_a = sig_list.body["items"][0].value("id", "");
  const std::string signed_hash_a = sig_list.body["items"][0].value("signed_hash", "");
  Answer use = Post("/api/v1/usage-requests", user_a.token,
                    json{{"seal_id", seal_a_id}, {"document_hash", std::string(64, 'a')}, {"purpose", "合同"}});
  ASSERT_EQ(use.status, 201) << use.raw;
  const std::string use_a = use.body.value("id", "");
  ASSERT_EQ(Post("/api/v1/usage-requests", user_b.token,
                 json{{"seal_id", seal_b.value("id", "")}, {"document_hash", std::string(64, 'b')}, {"purpose", "合同"}})
                .status, 403)
      << "B's user has no grant";
  Body raw_signed;
  raw_signed.kind = Body::kRaw;
  raw_signed.raw = signed_a.raw;
  raw_signed.raw_type = "application/ofd";
  // Archives are a department's (G20): A's side has a department in A's area too, with an
  // archive and an application waiting for its reviewers.
  const std::string holder_d = Holder(3, "南宁市示例局", "450100", "department");
  ASSERT_FALSE(holder_d.empty());
  Person admin_d = Account("holder_admin", holder_d);
  Answer arch = Call("POST", "/api/v1/archives", Who{"", admin_d.token, "", ""}, raw_signed);
  ASSERT_EQ(arch.status, 201) << arch.raw.substr(0, 300);
  const std::string archive_a = arch.body.value("id", "");
  Answer dept_app = Post("/api/v1/applications", admin_d.token,
                         json{{"type", "new_seal"}, {"seal_kind", "gov-service"}, {"password", pw_a}});
  ASSERT_EQ(dept_app.status, 201) << dept_app.raw;
  const std::string app_d = dept_app.body.value("id", "");
  // Clients: A's enterprise system (confirmed), another asking for A (unconfirmed), B's
  // enterprise system (confirmed by B), a vendor authorised by A for A's seal.
  auto [client_a, client_a_token] = ClientOf("enterprise", "甲的系统", holder_a);
  auto [asking_a, asking_a_token] = ClientOf("enterprise", "求绑甲的系统", holder_a);
  auto [client_b, client_b_token] = ClientOf("enterprise", "乙的系统", holder_b);
  auto [vendor, vendor_token] = ClientOf("vendor", "服务商", "");
  ASSERT_EQ(Post("/api/v1/clients/" + client_a + "/binding/confirm", admin_a.token, json::object()).status, 200);
  ASSERT_EQ(Post("/api/v1/clients/" + client_b + "/binding/confirm", admin_b.token, json::object()).status, 200);
  const std::string valid_until = FormatRfc3339(clock_.Now() + std::chrono::days(30));
  Answer auth = Post("/api/v1/authorisations", admin_a.token,
                     json{{"client_id", vendor}, {"seal_ids", {seal_a_id}}, {"valid_until", valid_until}, {"password", pw_a}});
  ASSERT_EQ(auth.status, 201) << auth.raw;
  const std::string auth_a = auth.body.value("id", "");
  // A's user's API token.
  Answer tok = Post("/api/v1/tokens", user_a.token, json{{"label", "A 的自动化"}, {"scopes", "read sign"}});
  ASSERT_EQ(tok.status, 201) << tok.raw;
  const std::string token_a = tok.body.contains("credential") ? tok.body["credential"].value("id", "") : tok.body.value("id", "");
  ASSERT_FALSE(token_a.empty()) << tok.raw;
  std::string anchor = "anc_none";
  if (Answer anchors = Get("/api/v1/anchors", op_); anchors.status == 200 && !anchors.body["items"].empty()) {
    anchor = anchors.body["items"][0].value("id", anchor);
  }
  auto esl = Client().Get("/api/v1/seals/" + seal_a_id + "/seal.esl", Headers(Who{"", admin_a.token, "", ""}));
  ASSERT_TRUE(esl && esl->status == 200);
  const std::string png = [&] {
    auto r = Client().Get("/api/v1/seals/" + seal_a_id + "/image.png", Headers(Who{"", admin_a.token, "", ""}));
    return r ? r->body : std::string();
  }();

  // The attackers.
  std::vector<Who> attackers = {
      {"admin_b", admin_b.token, "", ""},
      {"user_b", user_b.token, "", ""},
      {"client_b", client_b_token, "", ""},
      {"reviewer", reviewer_b.token, "", ""},
  };
  attackers.push_back(Session(admin_b, "admin_b_session"));
  ASSERT_FALSE(attackers.back().cookie.empty());
  ASSERT_EQ(Call("GET", "/api/v1/me", attackers.back()).status, 200);

  // A's ids: none may appear in any list answer B gets, and none may be named by a new
  // audit entry B causes.
  const std::vector<std::string> a_ids = {holder_a, admin_a.id, user_a.id, seal_a_id, seal_a_esid, app_a, pwapp_a,
                                          sig_a, use_a, archive_a, client_a, asking_a, auth_a, token_a,
                                          holder_d, admin_d.id, app_d, app_await};
  std::string in_a;
  for (const auto& id : a_ids) in_a += (in_a.empty() ? "'" : ",'") + id + "'";
  const std::string holders_a = "('" + holder_a + "','" + holder_d + "')";
  const std::string accounts_a = "(SELECT id FROM accounts WHERE holder_id IN " + holders_a + ")";
  const std::string seals_a = "(SELECT id FROM seals WHERE holder_id IN " + holders_a + ")";
  // A's state, row by row (every column), and the audit entries naming A's objects.
  // One query (one connection: PostgreSQL connections are slow to open), every column of
  // every row as text, sorted.
  std::string fingerprint_sql;
  {
    const std::vector<std::pair<std::string, std::string>> tables = {
        {"holders", "id IN " + holders_a},
        {"impressions", "holder_id IN " + holders_a},
        {"accounts", "holder_id IN " + holders_a},
        {"account_logins", "account_id IN " + accounts_a},
        {"credentials", "account_id IN " + accounts_a + " OR client_id IN ('" + client_a + "','" + asking_a + "','" +
                            vendor + "')"},
        {"sessions", "account_id IN " + accounts_a},
        {"clients", "id IN ('" + client_a + "','" + asking_a + "','" + vendor + "')"},
        {"client_bindings", "holder_id IN " + holders_a},
        {"applications", "holder_id IN " + holders_a},
        {"seals", "holder_id IN " + holders_a},
        {"seal_grants", "seal_id IN " + seals_a},
        {"authorisations", "holder_id IN " + holders_a},
        {"authorisation_seals", "seal_id IN " + seals_a},
        {"authorisation_keys", "seal_id IN " + seals_a},
        {"signatures", "holder_id IN " + holders_a + " OR seal_id IN " + seals_a},
        {"usage_requests", "seal_id IN " + seals_a},
        {"archives", "holder_id IN " + holders_a},
    };
    std::string audit_where = "object_id IN (" + in_a + ")";
    for (const auto& id : a_ids) audit_where += " OR details_json LIKE '%" + id + "%'";
    std::vector<std::string> branches = {
        "SELECT 'count seals ' || CAST(COUNT(*) AS TEXT) AS line FROM seals",
        "SELECT 'count accounts ' || CAST(COUNT(*) AS TEXT) AS line FROM accounts",
        "SELECT 'audit naming A ' || CAST(COUNT(*) AS TEXT) AS line FROM audit_log WHERE " + audit_where,
    };
    for (const auto& [table, where] : tables) {
      std::string cols_sql =
          GetParam() == "sqlite"
              ? "SELECT name FROM pragma_table_info('" + table + "')"
              : "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND "
                "table_name = '" + table + "' ORDER BY ordinal_position";
      auto cols = Query(cols_sql);
      ASSERT_FALSE(cols.empty()) << table;
      std::string expr = "'" + table + "'";
      for (const auto& col : cols) expr += " || '|' || COALESCE(CAST(\"" + col[0] + "\" AS TEXT), '~')";
      branches.push_back("SELECT " + expr + " AS line FROM " + table + " WHERE " + where);
    }
    std::string all;
    for (const auto& b : branches) all += (all.empty() ? "" : " UNION ALL ") + b;
    fingerprint_sql = "SELECT line FROM (" + all + ") AS f ORDER BY line";
  }
  auto fingerprint = [&] {
    std::string out;
    for (const auto& row : Query(fingerprint_sql)) out += row[0] + "\n";
    return out;
  };
  // ---- the table --------------------------------------------------------------------------
  auto J = [](const json& j) { return Json(j); };
  Body none;
  Body impression;
  impression.kind = Body::kForm;
  impression.form = {{"kind", "contract", "", ""}, {"image", png, "seal.png", "image/png"}};
  Body filed;
  filed.kind = Body::kForm;
  filed.form = {{"seal", esl->body, "seal.esl", "application/octet-stream"},
                {"holder_uscc", Uscc(1), "", ""},
                {"seal_kind", "contract", "", ""}};
  Body anchor_form;
  anchor_form.kind = Body::kForm;
  anchor_form.form = {{"certificate", "x", "ca.cer", "application/pkix-cert"}, {"roles", "signer", "", ""}};
  Body crl_form;
  crl_form.kind = Body::kForm;
  crl_form.form = {{"crl", "x", "ca.crl", "application/pkix-crl"}};
  const std::string S = "/api/v1/seals/" + seal_a_id;
  const int F = 403, N = 404;
  // Expectations: every refusal per attacker. "*" applies to all attackers not named.
  std::vector<Row> rows = {
      // credentials
      {"GET", "/api/v1/me", Kind::kOwn, "/api/v1/me", none, {{"*", 200}}},
      {"POST", "/api/v1/accounts", Kind::kCross, "/api/v1/accounts",
       J({{"name", "混入甲"}, {"role", "holder_user"}, {"holder_id", holder_a}}), {{"*", F}}},
      {"POST", "/api/v1/accounts", Kind::kCross, "/api/v1/accounts",
       J({{"name", "混入甲的管理员"}, {"role", "holder_admin"}, {"holder_id", holder_a}}), {{"*", F}}},
      {"GET", "/api/v1/accounts", Kind::kCross, "/api/v1/accounts?holder_id=" + holder_a, none, {{"*", F}}},
      {"POST", "/api/v1/accounts/{id}/disable", Kind::kCross, "/api/v1/accounts/" + user_a.id + "/disable",
       J({{"reason", "x"}}), {{"*", F}}},
      {"POST", "/api/v1/accounts/{id}/disable", Kind::kCross, "/api/v1/accounts/" + admin_a.id + "/disable",
       J({{"reason", "x"}}), {{"*", F}}},
      {"POST", "/api/v1/accounts/{id}/enable", Kind::kCross, "/api/v1/accounts/" + user_a.id + "/enable",
       J({{"reason", "x"}}), {{"*", F}}},
      {"POST", "/api/v1/accounts/{id}/handover", Kind::kCross, "/api/v1/accounts/" + user_a.id + "/handover",
       J({{"to_account_id", user_b.id}, {"reason", "x"}}), {{"*", F}}},
      {"POST", "/api/v1/accounts/{id}/handover", Kind::kCross, "/api/v1/accounts/" + user_b.id + "/handover",
       J({{"to_account_id", user_a.id}, {"reason", "x"}}), {{"*", F}}},
      {"POST", "/api/v1/accounts/{id}/enrolment", Kind::kCross, "/api/v1/accounts/" + user_a.id + "/enrolment",
       J(json::object()), {{"*", F}}},
      {"POST", "/api/v1/accounts/{id}/enrolment", Kind::kCross, "/api/v1/accounts/" + admin_a.id + "/enrolment",
       J(json::object()), {{"*", F}}},
      {"POST", "/api/v1/seals/{id}/grants", Kind::kCross, S + "/grants",
       J({{"account_id", user_b.id}, {"can_use", true}}), {{"*", F}}},
      {"POST", "/api/v1/me/password", Kind::kOwn, "/api/v1/me/password",
       J({{"old_password", "not the password"}, {"new_password", "another long one 2"}}), {{"*", 401}, {"client_b", F}}},
      {"POST", "/api/v1/tokens", Kind::kOwn, "/api/v1/tokens", J({{"label", "B 的"}, {"scopes", "read"}}),
       {{"*", 201}}},
      {"GET", "/api/v1/tokens", Kind::kCross, "/api/v1/tokens?account_id=" + user_a.id, none, {{"*", F}}},
      {"POST", "/api/v1/tokens/{id}/revoke", Kind::kCross, "/api/v1/tokens/" + token_a + "/revoke", J(json::object()),
       {{"*", N}}},
      {"POST", "/api/v1/tokens/{id}/rotate", Kind::kCross, "/api/v1/tokens/" + token_a + "/rotate", J(json::object()),
       {{"*", N}}},
      // registry
      {"POST", "/api/v1/holders", Kind::kCross, "/api/v1/holders",
       J({{"uscc", Uscc(1)}, {"name", "被改名的甲"}, {"legal_rep", "李四"}}), {{"*", F}}},
      {"GET", "/api/v1/holders", Kind::kList, "/api/v1/holders?uscc=" + Uscc(1), none, {{"*", 200}}},
      {"GET", "/api/v1/holders", Kind::kList, "/api/v1/holders?area=4501", none, {{"*", 200}}},
      {"GET", "/api/v1/holders/{id}", Kind::kCross, "/api/v1/holders/" + holder_d, none, {{"*", F}}},
      {"GET", "/api/v1/holders/{id}", Kind::kCross, "/api/v1/holders/" + holder_a, none, {{"*", F}}},
      {"POST", "/api/v1/holders/{id}/impressions", Kind::kCross, "/api/v1/holders/" + holder_a + "/impressions",
       impression, {{"*", F}}},
      {"PUT", "/api/v1/areas/{code}", Kind::kOperator, "/api/v1/areas/450100",
       J({{"name", "改名"}, {"level", "city"}, {"parent_code", "450000"}}), {{"*", F}}},
      {"GET", "/api/v1/areas", Kind::kOwn, "/api/v1/areas", none, {{"*", 200}}},
      // lifecycle
      {"POST", "/api/v1/applications", Kind::kCross, "/api/v1/applications",
       J({{"type", "new_seal"}, {"holder_id", holder_a}, {"seal_kind", "tax"}, {"password", pw_b}}), {{"*", F}}},
      {"POST", "/api/v1/applications", Kind::kCross, "/api/v1/applications",
       J({{"type", "password_change"}, {"seal_id", seal_a_id}}), {{"*", F}}},
      {"POST", "/api/v1/applications", Kind::kCross, "/api/v1/applications",
       J({{"type", "revoke"}, {"seal_id", seal_a_id}, {"reason", "x"}}), {{"*", F}}},
      {"GET", "/api/v1/applications", Kind::kList, "/api/v1/applications?holder_id=" + holder_a, none, {{"*", 200}}},
      {"GET", "/api/v1/applications", Kind::kList, "/api/v1/applications?holder_id=" + holder_d, none, {{"*", 200}}},
      {"GET", "/api/v1/applications/{id}", Kind::kCross, "/api/v1/applications/" + app_a, none, {{"*", F}}},
      {"POST", "/api/v1/applications/{id}/approve", Kind::kCross, "/api/v1/applications/" + app_a + "/approve",
       J(json::object()), {{"*", F}}},
      {"POST", "/api/v1/applications/{id}/reject", Kind::kCross, "/api/v1/applications/" + app_a + "/reject",
       J({{"reason", "x"}}), {{"*", F}}},
      {"GET", "/api/v1/applications/{id}", Kind::kCross, "/api/v1/applications/" + app_d, none, {{"*", F}}},
      {"POST", "/api/v1/applications/{id}/password", Kind::kCross, "/api/v1/applications/" + app_await + "/password",
       J({{"password", "squatted password 1"}}), {{"*", F}, {"admin_b", N}, {"admin_b_session", N}}},
      // An application already decided: refused as any other, its state not disclosed.
      {"POST", "/api/v1/applications/{id}/approve", Kind::kCross, "/api/v1/applications/" + pwapp_a + "/approve",
       J(json::object()), {{"*", F}}},
      {"POST", "/api/v1/applications/{id}/reject", Kind::kCross, "/api/v1/applications/" + pwapp_a + "/reject",
       J({{"reason", "x"}}), {{"*", F}}},
      {"POST", "/api/v1/applications/{id}/approve", Kind::kCross, "/api/v1/applications/" + app_await + "/approve",
       J(json::object()), {{"*", F}}},
      {"POST", "/api/v1/applications/{id}/password", Kind::kCross, "/api/v1/applications/" + app_a + "/password",
       J({{"password", "squatted password 1"}}), {{"*", F}, {"admin_b", N}, {"admin_b_session", N}}},
      {"POST", "/api/v1/applications/{id}/password", Kind::kCross, "/api/v1/applications/" + app_d + "/password",
       J({{"password", "squatted password 1"}}), {{"*", F}, {"admin_b", N}, {"admin_b_session", N}}},
      {"POST", "/api/v1/applications/{id}/approve", Kind::kCross, "/api/v1/applications/" + app_d + "/approve",
       J(json::object()), {{"*", F}}},
      {"POST", "/api/v1/applications/{id}/reject", Kind::kCross, "/api/v1/applications/" + app_d + "/reject",
       J({{"reason", "x"}}), {{"*", F}}},
      {"PUT", "/api/v1/settings/auto-approve", Kind::kOperator, "/api/v1/settings/auto-approve",
       J({{"enabled", true}}), {{"*", F}}},
      {"GET", "/api/v1/seals", Kind::kList, "/api/v1/seals?holder_id=" + holder_a, none, {{"*", 200}, {"reviewer", F}}},
      {"GET", "/api/v1/seals/{id}", Kind::kCross, S, none, {{"*", F}}},
      {"GET", "/api/v1/seals/{id}", Kind::kCross, "/api/v1/seals/" + seal_a_esid, none, {{"*", F}}},
      {"GET", "/api/v1/seals/{id}/seal.esl", Kind::kCross, S + "/seal.esl", none, {{"*", F}}},
      {"GET", "/api/v1/seals/{id}/image.png", Kind::kCross, S + "/image.png", none, {{"*", F}}},
      {"POST", "/api/v1/seals/{id}/suspend", Kind::kCross, S + "/suspend", J({{"reason", "x"}}), {{"*", F}}},
      {"POST", "/api/v1/seals/{id}/resume", Kind::kCross, S + "/resume", J({{"reason", "x"}}), {{"*", F}}},
      {"POST", "/api/v1/seals/{id}/revoke", Kind::kCross, S + "/revoke", J({{"reason", "x"}}), {{"*", F}}},
      {"POST", "/api/v1/seals/{id}/unlock", Kind::kOperator, S + "/unlock", J(json::object()), {{"*", F}}},
      {"POST", "/api/v1/seals/{id}/password", Kind::kCross, S + "/password",
       J({{"application_id", pwapp_a}, {"old_password", pw_a}, {"new_password", "taken over password"}}), {{"*", F}}},
      // signing
      {"PUT", "/api/v1/seals/{id}/approval-required", Kind::kCross, S + "/approval-required",
       J({{"required", true}}), {{"*", F}}},
      {"POST", "/api/v1/seals/{id}/sign", Kind::kCross, S + "/sign", SignForm(doc, pw_a), {{"*", F}}},
      {"POST", "/api/v1/seals/{id}/sign-batch", Kind::kCross, S + "/sign-batch", BatchForm(doc, pw_a), {{"*", F}}},
      {"POST", "/api/v1/seals/{id}/signing-sessions", Kind::kCross, S + "/signing-sessions", J({{"password", pw_a}}),
       {{"*", F}}},
      // A's session is not B's, whoever B is: as unknown as any other.
      {"GET", "/api/v1/seals/{id}/signing-sessions/{ref}", Kind::kCross, S + "/signing-sessions/" + session_ref_a, none,
       {{"*", N}}},
      {"POST", "/api/v1/seals/{id}/signing-sessions/{ref}/close", Kind::kCross,
       S + "/signing-sessions/" + session_ref_a + "/close", J(json::object()), {{"*", N}}},
      {"GET", "/api/v1/signatures", Kind::kList, "/api/v1/signatures?seal_id=" + seal_a_id, none,
       {{"*", 200}, {"reviewer", F}}},
      {"GET", "/api/v1/signatures", Kind::kList, "/api/v1/signatures?holder_id=" + holder_a, none,
       {{"*", 200}, {"reviewer", F}}},
      {"GET", "/api/v1/signatures", Kind::kList, "/api/v1/signatures?signed_hash=" + signed_hash_a, none,
       {{"*", 200}, {"reviewer", F}}},
      {"POST", "/api/v1/usage-requests", Kind::kCross, "/api/v1/usage-requests",
       J({{"seal_id", seal_a_id}, {"document_hash", std::string(64, 'c')}, {"purpose", "冒用"}}), {{"*", F}}},
      {"GET", "/api/v1/usage-requests", Kind::kCross, "/api/v1/usage-requests?seal_id=" + seal_a_id, none,
       {{"*", F}}},
      {"POST", "/api/v1/usage-requests/{id}/approve", Kind::kCross, "/api/v1/usage-requests/" + use_a + "/approve",
       J(json::object()), {{"*", F}}},
      {"POST", "/api/v1/usage-requests/{id}/reject", Kind::kCross, "/api/v1/usage-requests/" + use_a + "/reject",
       J({{"reason", "x"}}), {{"*", F}}},
      // audit
      {"GET", "/api/v1/audit", Kind::kOperator, "/api/v1/audit", none, {{"*", F}}},
      {"GET", "/api/v1/audit/verify", Kind::kOperator, "/api/v1/audit/verify", none, {{"*", F}}},
      {"GET", "/api/v1/seals/{id}/audit", Kind::kCross, S + "/audit", none, {{"*", F}}},
      // clients, bindings, authorisations
      {"GET", "/api/v1/clients", Kind::kOperator, "/api/v1/clients", none, {{"*", F}}},
      {"POST", "/api/v1/clients/{id}/approve", Kind::kOperator, "/api/v1/clients/" + client_a + "/approve",
       J(json::object()), {{"*", F}}},
      {"POST", "/api/v1/clients/{id}/reject", Kind::kOperator, "/api/v1/clients/" + client_a + "/reject",
       J({{"reason", "x"}}), {{"*", F}}},
      {"POST", "/api/v1/clients/{id}/suspend", Kind::kOperator, "/api/v1/clients/" + client_a + "/suspend",
       J({{"reason", "x"}}), {{"*", F}}},
      {"POST", "/api/v1/clients/{id}/resume", Kind::kOperator, "/api/v1/clients/" + client_a + "/resume",
       J(json::object()), {{"*", F}}},
      {"PUT", "/api/v1/clients/{id}/rate-limit", Kind::kOperator, "/api/v1/clients/" + client_a + "/rate-limit",
       J({{"per_minute", 1}}), {{"*", F}}},
      {"GET", "/api/v1/client-bindings", Kind::kOwn, "/api/v1/client-bindings", none,
       {{"*", F}, {"admin_b", 200}, {"admin_b_session", 200}}},
      {"POST", "/api/v1/clients/{id}/binding/confirm", Kind::kCross, "/api/v1/clients/" + asking_a + "/binding/confirm",
       J(json::object()), {{"*", F}, {"admin_b", N}, {"admin_b_session", N}}},
      {"POST", "/api/v1/clients/{id}/binding/refuse", Kind::kCross, "/api/v1/clients/" + asking_a + "/binding/refuse",
       J({{"reason", "x"}}), {{"*", F}, {"admin_b", N}, {"admin_b_session", N}}},
      {"POST", "/api/v1/clients/{id}/binding/refuse", Kind::kCross, "/api/v1/clients/" + client_a + "/binding/refuse",
       J({{"reason", "x"}}), {{"*", F}, {"admin_b", N}, {"admin_b_session", N}}},
      {"POST", "/api/v1/clients/{id}/makers", Kind::kOperator, "/api/v1/clients/" + vendor + "/makers",
       J({{"anchor_id", anchor}}), {{"*", F}}},
      {"GET", "/api/v1/clients/{id}/makers", Kind::kCross, "/api/v1/clients/" + vendor + "/makers", none, {{"*", F}}},
      {"POST", "/api/v1/authorisations", Kind::kCross, "/api/v1/authorisations",
       J({{"client_id", vendor}, {"seal_ids", {seal_a_id}}, {"valid_until", valid_until}, {"password", pw_a}}),
       {{"*", F}}},
      {"GET", "/api/v1/authorisations", Kind::kOwn, "/api/v1/authorisations", none,
       {{"*", 200}, {"user_b", F}, {"reviewer", F}}},
      {"POST", "/api/v1/authorisations/{id}/withdraw", Kind::kCross, "/api/v1/authorisations/" + auth_a + "/withdraw",
       J(json::object()), {{"*", F}}},
      // recognition and filing
      {"POST", "/api/v1/filed-seals", Kind::kCross, "/api/v1/filed-seals", filed, {{"*", F}}},
      {"POST", "/api/v1/anchors", Kind::kOperator, "/api/v1/anchors", anchor_form, {{"*", F}}},
      {"GET", "/api/v1/anchors", Kind::kOwn, "/api/v1/anchors", none, {{"*", 200}}},
      {"PUT", "/api/v1/anchors/{id}/roles", Kind::kOperator, "/api/v1/anchors/" + anchor + "/roles",
       J({{"roles", {"signer"}}}), {{"*", F}}},
      {"POST", "/api/v1/anchors/{id}/deactivate", Kind::kOperator, "/api/v1/anchors/" + anchor + "/deactivate",
       J({{"reason", "x"}}), {{"*", F}}},
      {"POST", "/api/v1/anchors/{id}/crl", Kind::kOperator, "/api/v1/anchors/" + anchor + "/crl", crl_form,
       {{"*", F}}},
      {"GET", "/api/v1/filings", Kind::kOperator, "/api/v1/filings", none, {{"*", F}}},
      {"POST", "/api/v1/filings/export", Kind::kOperator, "/api/v1/filings/export", J(json::object()), {{"*", F}}},
      {"GET", "/api/v1/filings/batches/{id}", Kind::kOperator, "/api/v1/filings/batches/fb_none", none, {{"*", F}}},
      {"POST", "/api/v1/filings/batches/{id}/acknowledge", Kind::kOperator,
       "/api/v1/filings/batches/fb_none/acknowledge", J(json::object()), {{"*", F}}},
      // archives
      // Enterprises and reviewers archive nothing (G20: departments' documents).
      {"POST", "/api/v1/archives", Kind::kOwn, "/api/v1/archives", raw_signed, {{"*", F}}},
      {"GET", "/api/v1/archives", Kind::kOwn, "/api/v1/archives", none, {{"*", 200}, {"reviewer", F}}},
      {"GET", "/api/v1/archives/{id}", Kind::kCross, "/api/v1/archives/" + archive_a, none, {{"*", F}}},
      {"GET", "/api/v1/archives/{id}/verify", Kind::kCross, "/api/v1/archives/" + archive_a + "/verify", none,
       {{"*", F}}},
  };

  // Every route that is not public has a row.
  for (const Route& r : RouteTable()) {
    if (r.access == Access::kPublic) continue;
    bool found = std::any_of(rows.begin(), rows.end(),
                             [&](const Row& row) { return row.method == r.method && row.pattern == r.pattern; });
    EXPECT_TRUE(found) << "no authorisation row for " << r.method << " " << r.pattern;
  }
  for (const Row& row : rows) {
    bool known = std::any_of(RouteTable().begin(), RouteTable().end(), [&](const Route& r) {
      return row.method == r.method && row.pattern == r.pattern;
    });
    EXPECT_TRUE(known) << "row for a route that does not exist: " << row.method << " " << row.pattern;
  }

  const bool discover = std::getenv("ESEAL_AUTHZ_DISCOVER") != nullptr;
  std::string before = fingerprint();
  for (std::string table : {"seals|", "accounts|", "credentials|", "usage_requests|", "archives|",
                                   "authorisation_keys|", "client_bindings|", "account_logins|"}) {
    EXPECT_NE(before.find("\n" + table), std::string::npos) << table << " missing from A's fingerprint:\n" << before;
  }
  int calls = 0;
  for (const Row& row : rows) {
    for (const Who& w : attackers) {
      SCOPED_TRACE(row.method + " " + row.path + " as " + w.label);
      Answer a = Call(row.method, row.path, w, row.body);
      ++calls;
      if (discover) {
        std::printf("DISCOVER %-5s %-50s %-16s %d %s\n", row.method.c_str(), row.pattern.c_str(), w.label.c_str(),
                    a.status, a.raw.substr(0, 160).c_str());
      }
      int want = row.Expect(w.label);
      EXPECT_EQ(a.status, want) << a.raw.substr(0, 400);
      if (row.kind == Kind::kCross || row.kind == Kind::kOperator) {
        EXPECT_NE(a.status / 100, 2) << "a cross-holder call succeeded: " << a.raw.substr(0, 400);
      }
      // Nothing in any answer names A's objects, except an error echoing the id it was given.
      if (a.status / 100 == 2) {
        for (const auto& id : a_ids) {
          EXPECT_EQ(a.raw.find(id), std::string::npos) << "the answer names A's " << id << ": " << a.raw.substr(0, 400);
        }
      }
      std::string now = fingerprint();
      if (now != before) {
        ADD_FAILURE() << "A's rows (or the audit entries naming A's objects) changed; the latest entries: "
                      << [&] {
                           std::string t;
                           for (const auto& e : Query("SELECT action, object_id, details_json FROM audit_log "
                                                      "ORDER BY seq DESC LIMIT 3")) {
                             t += e[0] + " " + e[1] + " " + e[2] + "\n";
                           }
                           return t;
                         }();
        before = now;  // one failure per change
      }
    }
  }
  std::printf("authz: %zu rows, %zu attackers, %d calls\n", rows.size(), attackers.size(), calls);

  // ---- lists as B never include A's objects (unfiltered) ---------------------------------
  for (const Who& w : attackers) {
    for (const std::string& path : std::vector<std::string>{"/api/v1/seals", "/api/v1/applications", "/api/v1/signatures", "/api/v1/usage-requests", "/api/v1/archives",
          "/api/v1/holders", "/api/v1/holders?name=%E7%94%B2", "/api/v1/accounts", "/api/v1/tokens", "/api/v1/authorisations",
          "/api/v1/client-bindings", "/api/v1/client-bindings?status=requested", "/api/v1/seals/" + seal_b.value("id", "") + "/audit"}) {
      SCOPED_TRACE(path + " as " + w.label);
      Answer a = Call("GET", path, w);
      if (discover) std::printf("DISCOVER-LIST %-40s %-16s %d %s\n", path.c_str(), w.label.c_str(), a.status, a.raw.substr(0, 160).c_str());
      EXPECT_TRUE(a.status == 200 || a.status == 403 || a.status == 404) << a.status << " " << a.raw.substr(0, 300);
      for (const auto& id : a_ids) {
        EXPECT_EQ(a.raw.find(id), std::string::npos) << "the list names A's " << id << ": " << a.raw.substr(0, 400);
      }
    }
  }

  // ---- A still works: its objects answer A as before ----------------------------------------
  EXPECT_EQ(Get("/api/v1/seals/" + seal_a_id, admin_a.token).body.value("status", ""), "active");
  EXPECT_EQ(Get("/api/v1/me", user_a.token).status, 200);
  EXPECT_EQ(Get("/api/v1/me", client_a_token).status, 200);
  Answer mine = Get("/api/v1/tokens", user_a.token);
  ASSERT_EQ(mine.status, 200) << mine.raw;
  EXPECT_NE(mine.raw.find(token_a), std::string::npos);
  // Nobody else revokes or rotates a token, not even the token owner's own holder admin or
  // holder's client (the operator may: tokens.cc MayTouch, for a compromised credential).
  EXPECT_EQ(Post("/api/v1/tokens/" + token_a + "/revoke", admin_a.token, json::object()).status, 404);
  EXPECT_EQ(Post("/api/v1/tokens/" + token_a + "/rotate", admin_a.token, json::object()).status, 404);
  EXPECT_EQ(Post("/api/v1/tokens/" + token_a + "/rotate", client_a_token, json::object()).status, 404);
  EXPECT_EQ(fingerprint(), before);
}

INSTANTIATE_TEST_SUITE_P(Backends, AuthzApiTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace eseal::http
