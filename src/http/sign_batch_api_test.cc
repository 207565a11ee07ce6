// Signing sessions and batch signing over real HTTP, on SQLite and PostgreSQL: a session
// opened with the password signs with `session`, only for the credential that opened it,
// and ends on DELETE; a batch streams one NDJSON line per document (OFD and PDF), reports a
// bad document without stopping the others, records each signed one in the usage
// register, and refuses a whole batch (password, budget) before any line.
#include <gtest/gtest.h>

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "live_server_fixture.h"
#include "test_pdfs.h"

namespace eseal::http {
namespace {

using nlohmann::json;
using testing::HelloOfd;
using testing::Uscc;

class SignBatchApiTest : public testing::LiveServerTest {
 protected:
  void Tune(ServerOptions& o) override { o.max_batch_documents = 4; }

  static httplib::Headers Auth(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }
  struct Answer {
    int status = 0;
    json body;
    std::string raw;
    httplib::Headers headers;
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
  Answer Post(const std::string& path, const std::string& token, const std::string& body) {
    auto c = Client();
    return From(c.Post(path, Auth(token), body, "application/json"));
  }
  Answer Get(const std::string& path, const std::string& token) {
    auto c = Client();
    return From(c.Get(path, Auth(token)));
  }

  void SetUp() override {
    LiveServerTest::SetUp();
    Answer h = Post("/api/v1/holders", op_,
                    json{{"uscc", Uscc(1)}, {"name", "批量签章有限公司"}, {"legal_rep", "张三"}}.dump());
    ASSERT_EQ(h.status, 200) << h.raw;
    holder_ = h.body.value("id", "");
    admin_ = NewAccount("holder_admin");
    Answer app = Post("/api/v1/applications", admin_,
                      json{{"type", "new_seal"}, {"seal_kind", "contract"}, {"password", "correct horse"}}.dump());
    ASSERT_EQ(app.status, 201) << app.raw;
    Answer done = Post("/api/v1/applications/" + app.body.value("id", "") + "/approve", op_, "{}");
    ASSERT_EQ(done.status, 200) << done.raw;
    seal_ = done.body.value("result_seal_id", "");
  }
  std::string NewAccount(const std::string& role) {
    Answer a = Post("/api/v1/accounts", op_,
                    json{{"name", role + " " + std::to_string(++accounts_)}, {"role", role}, {"holder_id", holder_}}.dump());
    EXPECT_EQ(a.status, 201) << a.raw;
    return a.body.value("token", "");
  }

  Answer SignWith(const std::string& token, const std::string& field, const std::string& value) {
    auto c = Client();
    httplib::MultipartFormDataItems items = {
        {"document", HelloOfd(), "helloworld.ofd", "application/ofd"},
        {field, value, "", ""}, {"page", "1", "", ""}, {"x", "50", "", ""}, {"y", "50", "", ""},
    };
    return From(c.Post("/api/v1/seals/" + seal_ + "/sign", Auth(token), items));
  }

  struct Streamed {
    int status = 0;
    std::string transfer_encoding, content_type;
    std::vector<json> lines;
    std::string raw;
  };
  Streamed Batch(const std::string& token, const std::vector<std::pair<std::string, std::string>>& docs,
                 const std::string& field, const std::string& value) {
    auto c = Client();
    httplib::MultipartFormDataItems items;
    for (const auto& [name, bytes] : docs) items.push_back({"documents", bytes, name, "application/octet-stream"});
    items.push_back({field, value, "", ""});
    items.push_back({"page", "1", "", ""});
    items.push_back({"x", "40", "", ""});
    items.push_back({"y", "40", "", ""});
    auto r = c.Post("/api/v1/seals/" + seal_ + "/sign-batch", Auth(token), items);
    Streamed s;
    EXPECT_TRUE(r);
    if (!r) return s;
    s.status = r->status;
    s.raw = r->body;
    s.transfer_encoding = r->get_header_value("Transfer-Encoding");
    s.content_type = r->get_header_value("Content-Type");
    std::istringstream in(r->body);
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty()) s.lines.push_back(json::parse(line, nullptr, false));
    }
    return s;
  }
  size_t Registered() {
    Answer reg = Get("/api/v1/signatures?seal_id=" + seal_, admin_);
    EXPECT_EQ(reg.status, 200) << reg.raw;
    return reg.body["items"].size();
  }
  std::string Verdict(const std::string& doc, const std::string& type) {
    auto c = Client();
    Answer v = From(c.Post("/api/v1/verify", doc, type));
    return v.body.is_object() ? v.body.value("verdict", v.raw) : v.raw;
  }

  std::string holder_, admin_, seal_;
  int accounts_ = 0;
};

TEST_P(SignBatchApiTest, SessionOpensSignsIsTheOpenersAloneAndCloses) {
  Answer s = Post("/api/v1/seals/" + seal_ + "/signing-sessions", admin_,
                  R"({"password":"correct horse","max_signatures":5,"ttl_seconds":600})");
  ASSERT_EQ(s.status, 201) << s.raw;
  std::string id = s.body.value("id", ""), ref = s.body.value("ref", "");
  ASSERT_EQ(id.substr(0, 4), "sgs_");
  EXPECT_EQ(s.body["remaining"], 5);
  EXPECT_EQ(s.body["max_signatures"], 5);
  EXPECT_TRUE(s.body.contains("expires_at"));

  Answer signed_doc = SignWith(admin_, "session", id);
  ASSERT_EQ(signed_doc.status, 200) << signed_doc.raw.substr(0, 300);
  EXPECT_EQ(Verdict(signed_doc.raw, "application/ofd"), "PASSED");
  Answer now = Get("/api/v1/seals/" + seal_ + "/signing-sessions/" + ref, admin_);
  ASSERT_EQ(now.status, 200) << now.raw;
  EXPECT_EQ(now.body["remaining"], 4);
  EXPECT_FALSE(now.body.contains("id"));

  // Another account of the same holder, granted the seal: not with this session.
  std::string user = NewAccount("holder_user");
  Answer me = Get("/api/v1/me", user);
  ASSERT_EQ(Post("/api/v1/seals/" + seal_ + "/grants", admin_,
                 json{{"account_id", me.body.value("id", "")}, {"can_use", true}}.dump()).status / 100, 2);
  Answer stolen = SignWith(user, "session", id);
  EXPECT_EQ(stolen.status, 404) << stolen.raw;
  EXPECT_EQ(Get("/api/v1/seals/" + seal_ + "/signing-sessions/" + ref, user).status, 404);
  // Both password and session: refused.
  auto c = Client();
  httplib::MultipartFormDataItems both = {
      {"document", HelloOfd(), "a.ofd", "application/ofd"}, {"session", id, "", ""},
      {"password", "correct horse", "", ""}, {"page", "1", "", ""}, {"x", "5", "", ""}, {"y", "5", "", ""}};
  EXPECT_EQ(From(c.Post("/api/v1/seals/" + seal_ + "/sign", Auth(admin_), both)).status, 400);

  Answer closed = Post("/api/v1/seals/" + seal_ + "/signing-sessions/" + ref + "/close", admin_, "{}");
  EXPECT_EQ(closed.status, 200) << closed.raw;
  EXPECT_EQ(Post("/api/v1/seals/" + seal_ + "/signing-sessions/" + ref + "/close", admin_, "{}").status, 404);
  Answer after = SignWith(admin_, "session", id);
  EXPECT_EQ(after.status, 404) << after.raw;
  EXPECT_EQ(Registered(), 1u);
  // The wrong password opens nothing and is counted.
  EXPECT_EQ(Post("/api/v1/seals/" + seal_ + "/signing-sessions", admin_, R"({"password":"nope"})").status, 401);
}

TEST_P(SignBatchApiTest, ABatchStreamsEachResultAndABadDocumentStopsNoOther) {
  std::string pdf = ToString(pdf::testing::ClassicPdf(1));
  Streamed b = Batch(admin_,
                     {{"contract-1.ofd", HelloOfd()}, {"broken.ofd", "PK\x03\x04 not a package"}, {"invoice.pdf", pdf}},
                     "password", "correct horse");
  ASSERT_EQ(b.status, 200) << b.raw.substr(0, 300);
  EXPECT_EQ(b.transfer_encoding, "chunked");
  EXPECT_EQ(b.content_type.rfind("application/x-ndjson", 0), 0u);
  ASSERT_EQ(b.lines.size(), 4u) << b.raw.substr(0, 500);
  EXPECT_EQ(b.lines[0]["index"], 0);
  EXPECT_EQ(b.lines[0]["ok"], true);
  EXPECT_EQ(b.lines[0]["file_name"], "contract-1-signed.ofd");
  EXPECT_EQ(b.lines[1]["ok"], false);
  EXPECT_EQ(b.lines[1]["name"], "broken.ofd");
  EXPECT_EQ(b.lines[1]["error"]["code"], "data_loss") << b.lines[1].dump();
  EXPECT_EQ(b.lines[1]["error"].value("message", "").rfind("文件已损坏", 0), 0u) << "Chinese first";
  EXPECT_EQ(b.lines[2]["ok"], true) << b.lines[2].dump().substr(0, 300);
  EXPECT_EQ(b.lines[2]["format"], "pdf");
  EXPECT_EQ(b.lines[3]["done"], true);
  EXPECT_EQ(b.lines[3]["signed"], 2);
  EXPECT_EQ(b.lines[3]["failed"], 1);
  // Each signed file verifies, and each is in the usage register under its own id.
  auto ofd = Base64Decode(b.lines[0].value("document", ""));
  ASSERT_TRUE(ofd.ok());
  EXPECT_EQ(Verdict(ToString(*ofd), "application/ofd"), "PASSED");
  auto signed_pdf = Base64Decode(b.lines[2].value("document", ""));
  ASSERT_TRUE(signed_pdf.ok());
  EXPECT_EQ(Verdict(ToString(*signed_pdf), "application/pdf"), "PASSED");
  Answer reg = Get("/api/v1/signatures?seal_id=" + seal_, admin_);
  ASSERT_EQ(reg.body["items"].size(), 2u);
  std::set<std::string> ids = {reg.body["items"][0].value("id", ""), reg.body["items"][1].value("id", "")};
  EXPECT_TRUE(ids.count(b.lines[0].value("signature_id", "")));
  EXPECT_TRUE(ids.count(b.lines[2].value("signature_id", "")));
  // The batch's own session opened and closed in the audit log.
  Answer audit = Get("/api/v1/audit?limit=1000", op_);
  int opened = 0, closed = 0;
  for (const auto& e : audit.body["items"]) {
    opened += e["action"] == "seal.session_opened";
    closed += e["action"] == "seal.session_closed";
  }
  EXPECT_EQ(opened, 1);
  EXPECT_EQ(closed, 1);
}

TEST_P(SignBatchApiTest, ABatchInASessionCountsAgainstIt) {
  Answer s = Post("/api/v1/seals/" + seal_ + "/signing-sessions", admin_,
                  R"({"password":"correct horse","max_signatures":2})");
  ASSERT_EQ(s.status, 201) << s.raw;
  Streamed b = Batch(admin_, {{"a.ofd", HelloOfd()}, {"b.ofd", HelloOfd()}, {"c.ofd", HelloOfd()}}, "session",
                     s.body.value("id", ""));
  ASSERT_EQ(b.status, 200) << b.raw.substr(0, 300);
  ASSERT_EQ(b.lines.size(), 4u);
  // Documents are signed a few at a time, so which one finds the count spent may vary; the
  // lines still come in document order.
  int ok = 0;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(b.lines[i]["index"], i);
    if (b.lines[i]["ok"] == true) {
      ++ok;
    } else {
      // Spent while the others were in flight (409), or after the last one ended it (404).
      std::string code = b.lines[i]["error"].value("code", "");
      EXPECT_TRUE(code == "failed_precondition" || code == "not_found") << b.lines[i].dump();
    }
  }
  EXPECT_EQ(ok, 2);
  EXPECT_EQ(b.lines[3]["signed"], 2);
  EXPECT_EQ(Registered(), 2u);
}

// Streamed answers back to back on one keep-alive connection, each followed at once by the
// next request: the connection goes on serving (the next request's exchange is not the
// streamed one's), and every batch is whole.
TEST_P(SignBatchApiTest, BatchesBackToBackOnOneConnection) {
  auto c = Client();
  c.set_keep_alive(true);
  const std::string boundary = "keepalive-batch";
  std::string body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"documents\"; filename=\"a.ofd\"\r\n\r\n" +
                     HelloOfd() + "\r\n";
  for (auto [k, v] : std::vector<std::pair<std::string, std::string>>{
           {"password", "correct horse"}, {"page", "1"}, {"x", "40"}, {"y", "40"}}) {
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + k + "\"\r\n\r\n" + v + "\r\n";
  }
  body += "--" + boundary + "--\r\n";
  constexpr int kBatches = 12;
  for (int i = 0; i < kBatches; ++i) {
    auto r = c.Post("/api/v1/seals/" + seal_ + "/sign-batch", Auth(admin_), body,
                    "multipart/form-data; boundary=" + boundary);
    ASSERT_TRUE(r) << "batch " << i << ": " << httplib::to_string(r.error());
    ASSERT_EQ(r->status, 200) << r->body.substr(0, 300);
    EXPECT_NE(r->body.find("\"done\":true,\"signed\":1"), std::string::npos) << r->body.substr(0, 300);
    auto me = c.Get("/api/v1/me", Auth(admin_));
    ASSERT_TRUE(me);
    EXPECT_EQ(me->status, 200);
  }
  EXPECT_EQ(Registered(), static_cast<size_t>(kBatches));
}

TEST_P(SignBatchApiTest, WholeBatchRefusalsComeBeforeAnyLineAndSignNothing) {
  // A wrong password: 401, no line, nothing signed.
  Streamed wrong = Batch(admin_, {{"a.ofd", HelloOfd()}}, "password", "wrong horse");
  EXPECT_EQ(wrong.status, 401) << wrong.raw;
  ASSERT_EQ(wrong.lines.size(), 1u);
  EXPECT_EQ(wrong.lines[0]["error"]["code"], "unauthenticated");
  // Over the budget (four in this server): 413 with a message in Chinese and English.
  std::vector<std::pair<std::string, std::string>> five(5, {"x.ofd", HelloOfd()});
  Streamed big = Batch(admin_, five, "password", "correct horse");
  EXPECT_EQ(big.status, 413) << big.raw;
  ASSERT_EQ(big.lines.size(), 1u);
  std::string msg = big.lines[0]["error"].value("message", "");
  EXPECT_NE(msg.find("最多 4 份"), std::string::npos) << msg;
  EXPECT_NE(msg.find("at most 4 documents"), std::string::npos) << msg;
  // No documents, or an unknown session.
  EXPECT_EQ(Batch(admin_, {}, "password", "correct horse").status, 400);
  EXPECT_EQ(Batch(admin_, {{"a.ofd", HelloOfd()}}, "session", "sgs_unknown").status, 404);
  // Another holder's administrator.
  Answer h2 = Post("/api/v1/holders", op_, json{{"uscc", Uscc(2)}, {"name", "别家公司"}, {"legal_rep", "李四"}}.dump());
  Answer other = Post("/api/v1/accounts", op_,
                      json{{"name", "other admin"}, {"role", "holder_admin"}, {"holder_id", h2.body.value("id", "")}}.dump());
  EXPECT_EQ(Batch(other.body.value("token", ""), {{"a.ofd", HelloOfd()}}, "password", "correct horse").status, 403);
  EXPECT_EQ(Registered(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Backends, SignBatchApiTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace eseal::http
