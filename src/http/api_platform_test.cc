// API tests against a real server on a free port of 127.0.0.1 over a real Platform on
// SQLite and on PostgreSQL (the CTest fixture's throwaway server), through cpp-httplib's
// client: the seal lifecycle end to end, refusals with their status codes, and requests
// that must leave nothing written.
#include <algorithm>

#include <gtest/gtest.h>

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "eseal/base/clock.h"
#include "eseal/base/file.h"
#include "eseal/base/log.h"
#include "eseal/crypto/kek.h"
#include "eseal/http/server.h"
#include "eseal/platform/platform.h"
#include "eseal/store/store.h"
#include "eseal/store/testing.h"
#include "live_server_fixture.h"
#include "eseal/x509/certificate.h"
#include "eseal/x509/crl.h"
#include "eseal/crypto/sm3.h"
#include "eseal/tsp/timestamp_request.h"
#include "eseal/tsp/timestamp_token.h"

namespace eseal::http {
namespace {

using nlohmann::json;
using testing::HelloOfd;
using testing::Uscc;

class ApiPlatformTest : public testing::LiveServerTest {
 protected:
  static httplib::Headers Auth(const std::string& token) {
    if (token.empty()) return {};
    return {{"Authorization", "Bearer " + token}};
  }

  struct Answer {
    int status = 0;
    json body;
    std::string raw;
    httplib::Headers headers;
    std::string Header(const std::string& k) const {
      auto it = headers.find(k);
      return it == headers.end() ? "" : it->second;
    }
  };
  static Answer From(const httplib::Result& r) {
    Answer a;
    EXPECT_TRUE(r) << httplib::to_string(r.error());
    if (!r) return a;
    a.status = r->status;
    a.raw = r->body;
    a.headers = r->headers;
    a.body = json::parse(r->body, nullptr, false);
    return a;
  }
  Answer Get(const std::string& path, const std::string& token) {
    auto c = Client();
    return From(c.Get(path, Auth(token)));
  }
  Answer Post(const std::string& path, const std::string& token, const std::string& body,
              const std::string& method = "POST") {
    auto c = Client();
    if (method == "PUT") return From(c.Put(path, Auth(token), body, "application/json"));
    return From(c.Post(path, Auth(token), body, "application/json"));
  }

  // Registers an enterprise; returns its id.
  std::string Holder(int n, const std::string& name, const std::string& status = "active") {
    Answer a = Post("/api/v1/holders", op_,
                    json{{"uscc", Uscc(n)}, {"name", name}, {"legal_rep", "张三"}, {"status", status}}.dump());
    EXPECT_EQ(a.status, 200) << a.raw;
    return a.body.value("id", "");
  }
  std::string Account(const std::string& role, const std::string& holder_id) {
    Answer a = Post("/api/v1/accounts", op_,
                    json{{"name", role + " of " + holder_id}, {"role", role}, {"holder_id", holder_id}}.dump());
    EXPECT_EQ(a.status, 201) << a.raw;
    return a.body.value("token", "");
  }
  // Applies as the holder's admin and approves as the operator; returns the seal.
  json MakeSeal(const std::string& admin, const std::string& kind, const std::string& password) {
    Answer app = Post("/api/v1/applications", admin,
                      json{{"type", "new_seal"}, {"seal_kind", kind}, {"password", password}}.dump());
    EXPECT_EQ(app.status, 201) << app.raw;
    Answer done = Post("/api/v1/applications/" + app.body.value("id", "") + "/approve", op_, "{}");
    EXPECT_EQ(done.status, 200) << done.raw;
    EXPECT_EQ(done.body.value("status", ""), "completed") << done.raw;
    Answer seal = Get("/api/v1/seals/" + done.body.value("result_seal_id", ""), admin);
    EXPECT_EQ(seal.status, 200) << seal.raw;
    return seal.body;
  }
  Answer Sign(const std::string& token, const std::string& seal_id, const std::string& password,
              const std::string& doc) {
    auto c = Client();
    httplib::MultipartFormDataItems items = {
        {"document", doc, "helloworld.ofd", "application/ofd"},
        {"password", password, "", ""},
        {"page", "1", "", ""},
        {"x", "50", "", ""},
        {"y", "50", "", ""},
    };
    return From(c.Post("/api/v1/seals/" + seal_id + "/sign", Auth(token), items));
  }
  Answer Verify(const std::string& doc) {
    auto c = Client();
    return From(c.Post("/api/v1/verify", doc, "application/ofd"));
  }

};

// A PDF without a signature: the platform's PDF verifier answers, and says that no
// signature covers it (a converted or printed copy of a signed document looks like this).
TEST_P(ApiPlatformTest, AnUnsignedPdfIsVerifiedAsAPdfAndSaysNoSignatureCoversIt) {
  std::string pdf =
      "%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 "
      ">>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n";
  size_t o1 = pdf.find("1 0 obj"), o2 = pdf.find("2 0 obj"), o3 = pdf.find("3 0 obj");
  char xref[200];
  std::snprintf(xref, sizeof xref, "xref\n0 4\n0000000000 65535 f\r\n%010zu 00000 n\r\n%010zu 00000 n\r\n%010zu 00000 n\r\n",
                o1, o2, o3);
  size_t at = pdf.size();
  pdf += std::string(xref) + "trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n" + std::to_string(at) + "\n%%EOF\n";
  auto c = Client();
  Answer a = From(c.Post("/api/v1/verify", pdf, "application/pdf"));
  ASSERT_EQ(a.status, 200) << a.raw;
  EXPECT_EQ(a.body["verdict"], "FAILED");
  EXPECT_EQ(a.Header("X-Eseal-Verdict"), "FAILED");
  bool named = false;
  for (const auto& ch : a.body["checks"]) {
    if (ch["id"] == "pdf.signatures.present") named = ch["result"] == "fail";
  }
  EXPECT_TRUE(named) << a.raw;
  // A damaged PDF is a clear 400, Chinese first.
  Answer bad = From(c.Post("/api/v1/verify", "%PDF-1.7\nno xref here\n", "application/pdf"));
  EXPECT_EQ(bad.status, 400) << bad.raw;
}

TEST_P(ApiPlatformTest, SealLifecycleOverHttp) {
  Answer me = Get("/api/v1/me", op_);
  ASSERT_EQ(me.status, 200) << me.raw;
  EXPECT_EQ(me.body["role"], "operator");

  std::string a = Holder(1, "广西甲有限公司");
  std::string b = Holder(2, "广西乙有限公司");
  std::string admin_a = Account("holder_admin", a);
  std::string admin_b = Account("holder_admin", b);
  json seal = MakeSeal(admin_a, "contract", "correct horse");
  std::string seal_id = seal.value("id", "");
  ASSERT_FALSE(seal_id.empty());
  EXPECT_EQ(seal["status"], "active");
  EXPECT_FALSE(seal.contains("protected_key"));

  auto c = Client();
  auto esl = c.Get("/api/v1/seals/" + seal_id + "/seal.esl", Auth(admin_a));
  ASSERT_TRUE(esl);
  EXPECT_EQ(esl->status, 200);
  EXPECT_EQ(static_cast<unsigned char>(esl->body[0]), 0x30);  // DER SEQUENCE
  auto png = c.Get("/api/v1/seals/" + seal_id + "/image.png", Auth(admin_a));
  ASSERT_TRUE(png);
  EXPECT_EQ(png->body.substr(1, 3), "PNG");

  // Sign, verify.
  std::string doc = HelloOfd();
  Answer signed_doc = Sign(admin_a, seal_id, "correct horse", doc);
  ASSERT_EQ(signed_doc.status, 200) << signed_doc.raw.substr(0, 300);
  EXPECT_EQ(signed_doc.Header("Content-Type"), "application/ofd");
  EXPECT_FALSE(signed_doc.Header("X-Eseal-Signature-Id").empty());
  EXPECT_EQ(signed_doc.Header("X-Eseal-Document-Hash").size(), 64u);
  Answer v = Verify(signed_doc.raw);
  ASSERT_EQ(v.status, 200) << v.raw;
  EXPECT_EQ(v.body["verdict"], "PASSED") << v.raw;
  EXPECT_EQ(v.Header("X-Eseal-Verdict"), "PASSED");

  // The usage register has it.
  Answer reg = Get("/api/v1/signatures?seal_id=" + seal_id, admin_a);
  ASSERT_EQ(reg.status, 200) << reg.raw;
  ASSERT_EQ(reg.body["items"].size(), 1u);
  EXPECT_EQ(reg.body["items"][0]["id"], signed_doc.Header("X-Eseal-Signature-Id"));

  // Refusals: another holder's admin (403), a wrong password (401), the operator (403).
  EXPECT_EQ(Sign(admin_b, seal_id, "correct horse", doc).status, 403);
  Answer wrong = Sign(admin_a, seal_id, "wrong horse", doc);
  EXPECT_EQ(wrong.status, 401) << wrong.raw;
  EXPECT_EQ(wrong.body["error"]["code"], "unauthenticated");
  EXPECT_EQ(Sign(op_, seal_id, "correct horse", doc).status, 403);
  // A document that is not an OFD: refused as corrupt data (422, as verification does), nothing
  // recorded.
  Answer not_ofd = Sign(admin_a, seal_id, "correct horse", "not a zip");
  EXPECT_EQ(not_ofd.status, 422) << not_ofd.raw;
  EXPECT_EQ(not_ofd.body["error"]["code"], "data_loss") << not_ofd.raw;
  EXPECT_EQ(Verify("not a zip").status, 422);
  EXPECT_EQ(Get("/api/v1/signatures?seal_id=" + seal_id, admin_a).body["items"].size(), 1u);

  // Revoke: no more signing; the earlier document still verifies (E22).
  clock_.Advance(std::chrono::seconds(60));
  Answer rev = Post("/api/v1/seals/" + seal_id + "/revoke", admin_a, R"({"reason":"loss of control"})");
  ASSERT_EQ(rev.status, 200) << rev.raw;
  EXPECT_EQ(rev.body["status"], "revoked");
  Answer after = Sign(admin_a, seal_id, "correct horse", doc);
  EXPECT_EQ(after.status, 409) << after.raw;
  EXPECT_EQ(after.body["error"]["code"], "failed_precondition");
  Answer again = Verify(signed_doc.raw);
  EXPECT_EQ(again.body["verdict"], "PASSED") << again.raw;
  Answer status = Get("/api/v1/seals/" + seal.value("esid", "") + "/status", "");
  ASSERT_EQ(status.status, 200) << status.raw;
  EXPECT_EQ(status.body["status"], "revoked");
  EXPECT_EQ(status.body["valid"], false);

  // The CRL and trust bundle are public.
  auto crl = c.Get("/api/v1/crl");
  ASSERT_TRUE(crl);
  EXPECT_EQ(crl->status, 200);
  EXPECT_EQ(crl->get_header_value("Content-Type"), "application/pkix-crl");
  auto bundle = c.Get("/api/v1/trust-bundle");
  ASSERT_TRUE(bundle);
  EXPECT_NE(bundle->body.find("BEGIN CERTIFICATE"), std::string::npos);
  // With the bundle and both CRLs, an outside verifier decides revocation along the whole
  // chain: the root's CRL is signed by the bundle's root and names the issuing CA's issuer.
  auto root_crl = c.Get("/api/v1/crl/root");
  ASSERT_TRUE(root_crl);
  ASSERT_EQ(root_crl->status, 200);
  auto parsed_root_crl = x509::Crl::FromDer(ToBytes(root_crl->body));
  ASSERT_TRUE(parsed_root_crl.ok()) << parsed_root_crl.status().ToString();
  auto roots = x509::Certificate::FromPemBundle(bundle->body);
  ASSERT_TRUE(roots.ok() && roots->size() == 4);  // root, issuing CA, seal maker, TSA
  EXPECT_TRUE(parsed_root_crl->IsSignedBy((*roots)[0]));
  EXPECT_EQ(parsed_root_crl->issuer(), (*roots)[1].issuer());

  // The audit chain verifies, and lists what happened.
  Answer audit = Get("/api/v1/audit/verify", op_);
  ASSERT_EQ(audit.status, 200) << audit.raw;
  EXPECT_EQ(audit.body["ok"], true) << audit.raw;
  Answer entries = Get("/api/v1/audit?limit=1000", op_);
  ASSERT_EQ(entries.status, 200);
  EXPECT_GT(entries.body["items"].size(), 5u);
  EXPECT_EQ(Get("/api/v1/audit", admin_a).status, 403);

  // /metrics on the main port needs an operator's token (docs/security.md "Deployment defaults").
  EXPECT_EQ(c.Get("/metrics")->status, 401);
  auto metrics = c.Get("/metrics", httplib::Headers{{"Authorization", "Bearer " + op_}});
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("eseal_signatures_total 1\n"), std::string::npos);
}

// POST /api/v1/tsa over real HTTP: RFC 3161 media types, a granted reply whose token the
// trust bundle's TSA certificate verifies, rejections (not errors) for bad requests, and
// HTTP errors only for what is not a request at all.
TEST_P(ApiPlatformTest, TheTimestampAuthorityOverHttp) {
  auto c = Client();
  tsp::TimestampRequest req;
  req.hash_algorithm = asn1::oids::Sm3();
  req.hashed_message = crypto::Sm3Bytes(AsBytes("over http"));
  req.nonce = Bytes{0x01, 0x02, 0x03};
  req.cert_req = true;
  std::string body = ToString(tsp::EncodeTimestampRequest(req));
  auto r = c.Post("/api/v1/tsa", body, "application/timestamp-query");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/timestamp-reply");
  auto reply = tsp::ParseTimestampResponse(AsBytes(r->body));
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  ASSERT_TRUE(reply->granted());
  auto bundle = x509::Certificate::FromPemBundle(Get("/api/v1/trust-bundle", "").raw);
  ASSERT_TRUE(bundle.ok() && bundle->size() == 4);
  tsp::TimestampVerifyOptions o;
  o.tsa_anchors.Add((*bundle)[0], "root");
  o.intermediates.push_back((*bundle)[1]);
  o.check_revocation = false;
  tsp::TimestampVerification tv = tsp::VerifyTimestampToken(*reply->token, AsBytes("over http"), o);
  EXPECT_EQ(tv.report.verdict(), Verdict::kPassed);
  auto token = tsp::ParseTimestampToken(*reply->token);
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(token->info.nonce, req.nonce);
  ASSERT_FALSE(token->signed_data.certificates.empty());
  const auto& certs = token->signed_data.certificates;  // a DER SET: sorted, not in chain order
  EXPECT_NE(std::find(certs.begin(), certs.end(), (*bundle)[3].der()), certs.end());  // the bundle's TSA

  // Garbage and a wrong version: rejections with their failInfo, never a token.
  for (const auto& [bad, fail] : std::vector<std::pair<std::string, tsp::FailInfo>>{
           {"garbage", tsp::FailInfo::kBadDataFormat},
           {body.substr(0, body.size() / 2), tsp::FailInfo::kBadDataFormat},
           {std::string(9000, '\x30'), tsp::FailInfo::kBadDataFormat}}) {
    auto rr = c.Post("/api/v1/tsa", bad, "application/timestamp-query");
    ASSERT_TRUE(rr);
    EXPECT_EQ(rr->status, 200);
    auto p = tsp::ParseTimestampResponse(AsBytes(rr->body));
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p->status, 2);
    EXPECT_TRUE(p->HasFailInfo(fail));
    EXPECT_FALSE(p->token.has_value());
  }
  // Not a request at all: an empty body (400), another media type (415), a body over the
  // limit (413), each with the JSON error shape.
  auto empty = c.Post("/api/v1/tsa", "", "application/timestamp-query");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->status, 400);
  auto json_body = c.Post("/api/v1/tsa", "{}", "application/json");
  ASSERT_TRUE(json_body);
  EXPECT_EQ(json_body->status, 415);
  auto huge = c.Post("/api/v1/tsa", std::string((size_t{1} << 20) + 1, '\x30'), "application/timestamp-query");
  ASSERT_TRUE(huge);
  EXPECT_EQ(huge->status, 413);

  // /healthz reports the clock and the TSA (the test accepts an unsynchronised clock).
  Answer health = Get("/healthz", "");
  ASSERT_EQ(health.status, 200);
  EXPECT_EQ(health.body["status"], "ok");
  EXPECT_EQ(health.body["clock"]["unsynchronised_accepted"], true);
  EXPECT_EQ(health.body["tsa"]["issuing"], true);
  EXPECT_EQ(health.body["tsa"]["mode"], "in-process");
}

TEST_P(ApiPlatformTest, BadInputWritesNothing) {
  std::string before = Get("/api/v1/holders", op_).raw;
  std::string bad = Uscc(5);
  bad.back() = bad.back() == '0' ? '1' : '0';
  Answer r = Post("/api/v1/holders", op_, json{{"uscc", bad}, {"name", "X"}, {"legal_rep", "Y"}}.dump());
  EXPECT_EQ(r.status, 400) << r.raw;
  EXPECT_EQ(r.body["error"]["code"], "invalid_argument");
  std::string batch = json{{"holders", json::array({json{{"uscc", Uscc(6)}, {"name", "A"}, {"legal_rep", "B"}},
                                                    json{{"uscc", bad}, {"name", "C"}, {"legal_rep", "D"}}})}}
                          .dump();
  EXPECT_EQ(Post("/api/v1/holders", op_, batch).status, 400);
  EXPECT_EQ(Post("/api/v1/holders", op_, R"({"uscc": )").status, 400);
  EXPECT_EQ(Post("/api/v1/holders", op_, json{{"uscc", Uscc(7)}, {"name", "A"}, {"legal_rep", "B"}, {"x", 1}}.dump())
                .status,
            400);
  EXPECT_EQ(Post("/api/v1/holders", op_, json{{"uscc", Uscc(7)}, {"name", 3}, {"legal_rep", "B"}}.dump()).status, 400);
  EXPECT_EQ(Get("/api/v1/holders", op_).raw, before);
  Answer audit = Get("/api/v1/audit?limit=1000", op_);
  for (const json& e : audit.body["items"]) EXPECT_NE(e["action"], "holder.created") << e.dump();

  // An abnormal enterprise cannot apply (E25).
  std::string h = Holder(8, "广西异常有限公司", "abnormal");
  std::string admin = Account("holder_admin", h);
  Answer app = Post("/api/v1/applications", admin,
                    json{{"type", "new_seal"}, {"seal_kind", "contract"}, {"password", "pw-12345678"}}.dump());
  EXPECT_EQ(app.status, 409) << app.raw;
  EXPECT_EQ(Get("/api/v1/applications", op_).body["items"].size(), 0u);
}

TEST_P(ApiPlatformTest, ClientsApplyAreApprovedAndRateLimited) {
  auto c = Client();
  Answer applied = From(c.Post("/api/v1/clients/apply",
                               json{{"name", "Vendor One"}, {"type", "vendor"}, {"scenario", "e-contracts"},
                                    {"contact", "ops@vendor.example"}}
                                   .dump(),
                               "application/json"));
  ASSERT_EQ(applied.status, 201) << applied.raw;
  std::string id = applied.body.value("id", "");
  // Pending clients have no token; the operator approves and the token is shown once.
  Answer approved = Post("/api/v1/clients/" + id + "/approve", op_, "{}");
  ASSERT_EQ(approved.status, 200) << approved.raw;
  std::string token = approved.body.value("token", "");
  ASSERT_FALSE(token.empty());
  Answer me = Get("/api/v1/me", token);
  ASSERT_EQ(me.status, 200) << me.raw;
  EXPECT_EQ(me.body["kind"], "client");
  ASSERT_EQ(Post("/api/v1/clients/" + id + "/rate-limit", op_, R"({"per_minute":2})", "PUT").status, 200);
  // The bucket now holds two requests a minute (less what was used of the old allowance).
  EXPECT_EQ(Get("/api/v1/me", token).status, 200);
  Answer limited = Get("/api/v1/me", token);
  if (limited.status == 200) limited = Get("/api/v1/me", token);
  EXPECT_EQ(limited.status, 429);
  EXPECT_FALSE(limited.Header("Retry-After").empty());
  // Suspended: refused at once.
  ASSERT_EQ(Post("/api/v1/clients/" + id + "/suspend", op_, R"({"reason":"abuse"})").status, 200);
  EXPECT_EQ(Get("/api/v1/me", token).status, 403);

  // Rejected: no credential is ever issued, and the decision is final.
  Answer second = From(c.Post("/api/v1/clients/apply",
                              json{{"name", "Vendor Two"}, {"type", "vendor"}, {"scenario", "resale"},
                                   {"contact", "ops@two.example"}}
                                  .dump(),
                              "application/json"));
  ASSERT_EQ(second.status, 201) << second.raw;
  EXPECT_FALSE(second.body.contains("token"));
  std::string second_id = second.body.value("id", "");
  Answer rejected = Post("/api/v1/clients/" + second_id + "/reject", op_, R"({"reason":"passes the service on"})");
  ASSERT_EQ(rejected.status, 200) << rejected.raw;
  EXPECT_EQ(rejected.body["client"]["status"], "rejected") << rejected.raw;
  EXPECT_TRUE(rejected.body["token"].is_null()) << rejected.raw;
  Answer late = Post("/api/v1/clients/" + second_id + "/approve", op_, "{}");
  EXPECT_EQ(late.status, 409) << late.raw;
  EXPECT_FALSE(late.body.contains("token")) << late.raw;
}

// Issue 11's smaller defects over HTTP: the password route answers for the seal in its
// path (and refuses another), use requests without seal_id honour limit and say when there
// is more, and re-registering a USCC keeps what it does not give.
TEST_P(ApiPlatformTest, PasswordRouteUsageLimitAndExplicitHolderUpdates) {
  std::string a = Holder(1, "广西甲有限公司");
  std::string admin = Account("holder_admin", a);
  json s1 = MakeSeal(admin, "contract", "old password");
  json s2 = MakeSeal(admin, "finance", "other password");
  std::string id1 = s1.value("id", ""), id2 = s2.value("id", "");
  ASSERT_FALSE(id1.empty());
  ASSERT_FALSE(id2.empty());

  // Password change: the application is for seal 1; {id} = seal 2 is refused, nothing changes.
  Answer app = Post("/api/v1/applications", admin, json{{"type", "password_change"}, {"seal_id", id1}}.dump());
  ASSERT_EQ(app.status, 201) << app.raw;
  std::string app_id = app.body.value("id", "");
  ASSERT_EQ(Post("/api/v1/applications/" + app_id + "/approve", op_, "{}").status, 200);
  std::string body = json{{"application_id", app_id}, {"old_password", "old password"},
                          {"new_password", "new password"}}.dump();
  Answer wrong = Post("/api/v1/seals/" + id2 + "/password", admin, body);
  EXPECT_EQ(wrong.status, 400) << wrong.raw;
  Answer missing = Post("/api/v1/seals/sea_nothing/password", admin, body);
  EXPECT_EQ(missing.status, 400) << missing.raw;
  std::string doc = HelloOfd();
  EXPECT_EQ(Sign(admin, id1, "old password", doc).status, 200) << "still the old password";
  Answer ok = Post("/api/v1/seals/" + s1.value("esid", "") + "/password", admin, body);  // by ESID
  ASSERT_EQ(ok.status, 200) << ok.raw;
  EXPECT_EQ(ok.body["seal_id"], id1);
  EXPECT_EQ(ok.body["password_changed"], true);
  EXPECT_EQ(Sign(admin, id1, "new password", doc).status, 200);

  // Use requests without seal_id: limit honoured, next_offset until the last page.
  for (int i = 0; i < 3; ++i) {
    Answer r = Post("/api/v1/usage-requests", admin,
                    json{{"seal_id", i == 1 ? id2 : id1}, {"document_hash", std::string(64, 'a' + i)},
                         {"purpose", "合同" + std::to_string(i)}}.dump());
    ASSERT_EQ(r.status, 201) << r.raw;
  }
  Answer p1 = Get("/api/v1/usage-requests?limit=2", admin);
  ASSERT_EQ(p1.status, 200) << p1.raw;
  EXPECT_EQ(p1.body["items"].size(), 2u);
  EXPECT_EQ(p1.body["next_offset"], 2);
  Answer p2 = Get("/api/v1/usage-requests?limit=2&offset=2", admin);
  ASSERT_EQ(p2.status, 200) << p2.raw;
  EXPECT_EQ(p2.body["items"].size(), 1u);
  EXPECT_TRUE(p2.body["next_offset"].is_null());
  EXPECT_EQ(Get("/api/v1/usage-requests?limit=1", op_).body["items"].size(), 1u);

  // Re-registering the USCC with only a name keeps legal_rep and area_code.
  Answer area = Post("/api/v1/areas/450000", op_, json{{"name", "广西壮族自治区"}, {"level", "region"}}.dump(), "PUT");
  ASSERT_EQ(area.status / 100, 2) << area.raw;
  Answer full = Post("/api/v1/holders", op_,
                     json{{"uscc", Uscc(9)}, {"name", "广西示例科技有限公司"}, {"legal_rep", "李四"},
                          {"area_code", "450000"}}.dump());
  ASSERT_EQ(full.status, 200) << full.raw;
  Answer renamed = Post("/api/v1/holders", op_, json{{"uscc", Uscc(9)}, {"name", "广西示例科技股份有限公司"}}.dump());
  ASSERT_EQ(renamed.status, 200) << renamed.raw;
  EXPECT_EQ(renamed.body["id"], full.body["id"]);
  EXPECT_EQ(renamed.body["name"], "广西示例科技股份有限公司");
  EXPECT_EQ(renamed.body["legal_rep"], "李四");
  EXPECT_EQ(renamed.body["area_code"], "450000");
  EXPECT_EQ(renamed.body["status"], "active");
  EXPECT_EQ(Post("/api/v1/holders", op_, json{{"uscc", Uscc(10)}, {"name", "无法定代表人"}}.dump()).status, 400);
  Answer trail = Get("/api/v1/audit?limit=1000", op_);
  ASSERT_EQ(trail.status, 200);
  int updates = 0;
  for (const json& e : trail.body["items"]) {
    if (e.value("action", "") != "holder.updated") continue;
    ++updates;
    EXPECT_EQ(e["details"]["before"], json({{"name", "广西示例科技有限公司"}})) << e.dump();
    EXPECT_EQ(e["details"]["after"], json({{"name", "广西示例科技股份有限公司"}})) << e.dump();
  }
  EXPECT_EQ(updates, 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, ApiPlatformTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace eseal::http
