// Crash safety of `eseal serve`: the real binary is killed with SIGKILL while clients sign
// documents and seals are being made, then restarted on the same data. Afterwards the audit
// chain verifies, every signed document a client received has its usage-register record
// (用章登记) and its audit entry, every such document verifies, and no seal or application
// is half-made. Runs on SQLite and on the throwaway PostgreSQL server.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <map>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "eseal/base/file.h"
#include "eseal/crypto/sm3.h"
#include "eseal/ses/seal.h"
#include "eseal/store/testing.h"
#include "serve_process.h"
#include "test_pdfs.h"

namespace eseal {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;
using testing::ServeProcess;

constexpr char kPassword[] = "kill restart password";

struct Reply {
  int status = 0;  // 0: no answer (the server died under the request)
  json body;
  std::string raw;
  std::string signature_id;
};

class KillRestartTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("eseal_kill_restart_" + std::to_string(::getpid()) + "_" + GetParam());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto url = store::CreateTestDatabase(GetParam(), &sqlite_path_);
    ASSERT_TRUE(url.ok()) << url.status().ToString();
    db_ = *url;
  }
  void TearDown() override {
    server_.reset();
    store::RemoveTestDatabase(db_, sqlite_path_);
    if (!HasFailure()) fs::remove_all(dir_);
  }

  void StartServer(const std::string& name) {
    server_ = std::make_unique<ServeProcess>(
        std::vector<std::string>{ESEAL_BIN, "serve", "--data", (dir_ / "data").string(), "--db", db_,
                                 "--listen", "127.0.0.1:0", "--demo", "--threads", "8",
                                 "--accept-unsynchronised-clock", "--dev"},
        dir_ / (name + ".out"), dir_ / (name + ".err"));
    port_ = server_->Start();
    ASSERT_NE(port_, 0) << "eseal serve did not start:\n" << server_->Output();
  }

  Reply Call(const std::string& method, const std::string& path, const std::string& token,
             const std::string& body = "", const httplib::MultipartFormDataItems* form = nullptr,
             const std::string& content_type = "application/json") {
    httplib::Client c("127.0.0.1", port_);
    c.set_connection_timeout(5, 0);
    c.set_read_timeout(120, 0);
    httplib::Headers h;
    if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
    httplib::Result r = method == "GET" ? c.Get(path, h)
                        : form         ? c.Post(path, h, *form)
                                       : c.Post(path, h, body, content_type);
    Reply out;
    if (!r) return out;
    out.status = r->status;
    out.raw = r->body;
    out.body = json::parse(r->body, nullptr, false);
    out.signature_id = r->get_header_value("X-Eseal-Signature-Id");
    return out;
  }

  // Applies for a seal as the holder's administrator and approves it as the operator;
  // returns the seal id ("" when the server went away).
  std::string MakeSeal(const std::string& admin, const std::string& kind) {
    Reply app = Call("POST", "/api/v1/applications", admin,
                     json{{"type", "new_seal"}, {"seal_kind", kind}, {"password", kPassword}}.dump());
    if (app.status != 201) return "";
    Reply done = Call("POST", "/api/v1/applications/" + app.body.value("id", "") + "/approve", op_, "{}");
    if (done.status != 200) return "";
    return done.body.value("result_seal_id", "");
  }

  Reply Sign(const std::string& token, const std::string& seal_id, const std::string& doc) {
    httplib::MultipartFormDataItems form = {
        {"document", doc, "helloworld.ofd", "application/ofd"},
        {"password", kPassword, "", ""},
        {"page", "1", "", ""},
        {"x", "40", "", ""},
        {"y", "40", "", ""},
    };
    return Call("POST", "/api/v1/seals/" + seal_id + "/sign", token, "", &form);
  }

  std::vector<std::vector<std::string>> Query(const std::string& sql) {
    auto rows = store::QuerySqlForTest(db_, sql);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() ? *rows : std::vector<std::vector<std::string>>{};
  }

  fs::path dir_;
  std::string db_, sqlite_path_, op_;
  int port_ = 0;
  std::unique_ptr<ServeProcess> server_;
};

TEST_P(KillRestartTest, SigkillDuringSigningLosesNothingThatWasAnswered) {
  auto doc_bytes = ReadFile(std::string(ESEAL_SHARED_TESTDATA) + "/ofdrw/unsigned/helloworld.ofd");
  ASSERT_TRUE(doc_bytes.ok()) << doc_bytes.status().ToString();
  const std::string doc = ToString(*doc_bytes);

  StartServer("first");
  auto token = ReadFile((dir_ / "data" / "operator.token").string());
  ASSERT_TRUE(token.ok()) << token.status().ToString();
  op_ = ToString(*token);
  while (!op_.empty() && (op_.back() == '\n' || op_.back() == '\r')) op_.pop_back();

  // The demo registry's first active enterprise, its administrator and a contract seal.
  Reply holders = Call("GET", "/api/v1/holders?status=active", op_);
  ASSERT_EQ(holders.status, 200) << holders.raw;
  ASSERT_FALSE(holders.body["items"].empty());
  std::string holder_id = holders.body["items"][0].value("id", "");
  Reply acc = Call("POST", "/api/v1/accounts", op_,
                   json{{"name", "kill-restart admin"}, {"role", "holder_admin"}, {"holder_id", holder_id}}.dump());
  ASSERT_EQ(acc.status, 201) << acc.raw;
  const std::string admin = acc.body.value("token", "");
  const std::string seal_id = MakeSeal(admin, "contract");
  ASSERT_FALSE(seal_id.empty());

  // Load: signers, and one thread making numbered business seals (a seal is made in the
  // same transaction as its certificate and audit entries, so none can be half-made).
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::vector<Reply> received;  // signed documents the clients got back
  std::atomic<int> seals_made{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      while (!stop.load()) {
        Reply r = Sign(admin, seal_id, doc);
        if (r.status == 0) return;  // the server is gone
        if (r.status == 200) {
          std::lock_guard<std::mutex> lock(mu);
          received.push_back(std::move(r));
        } else {
          ADD_FAILURE() << "signing under load answered " << r.status << ": " << r.raw.substr(0, 300);
          return;
        }
      }
    });
  }
  threads.emplace_back([&] {
    while (!stop.load()) {
      if (MakeSeal(admin, "business").empty()) return;
      seals_made.fetch_add(1);
    }
  });

  // Kill at a random moment once the load is well under way (counts, not durations, decide
  // when: a slow machine only makes the test slower).
  for (int i = 0; i < 6000; ++i) {
    size_t n;
    {
      std::lock_guard<std::mutex> lock(mu);
      n = received.size();
    }
    if (n >= 6 && seals_made.load() >= 2) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::mt19937 rng(std::random_device{}());
  std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 1500)(rng)));
  server_->Stop(SIGKILL);
  stop.store(true);
  for (std::thread& t : threads) t.join();
  ASSERT_GE(received.size(), 6u) << "the load never got going";
  ASSERT_GE(seals_made.load(), 2);

  StartServer("second");
  EXPECT_EQ(server_->Output().find("first start"), std::string::npos) << "the restart made a new identity";

  std::cout << "[ killed   ] after " << received.size() << " signed documents were received and "
            << seals_made.load() << " business seals made\n";

  // The audit chain verifies.
  Reply audit = Call("GET", "/api/v1/audit/verify", op_);
  ASSERT_EQ(audit.status, 200) << audit.raw;
  EXPECT_EQ(audit.body["ok"], true) << audit.raw;

  // Every document a client received is in the usage register, has its audit entry, and
  // verifies with the platform's knowledge.
  std::set<std::string> registered;
  for (const auto& row : Query("SELECT id FROM signatures")) registered.insert(row[0]);
  for (const Reply& r : received) {
    ASSERT_FALSE(r.signature_id.empty());
    EXPECT_TRUE(registered.count(r.signature_id)) << "signature " << r.signature_id << " was returned but not recorded";
    auto audited = Query("SELECT seq FROM audit_log WHERE action = 'seal.signed' AND details_json LIKE '%\"" +
                         r.signature_id + "\"%'");
    EXPECT_EQ(audited.size(), 1u) << "signature " << r.signature_id << " has no audit entry";
    Reply v = Call("POST", "/api/v1/verify", "", r.raw, nullptr, "application/ofd");
    EXPECT_EQ(v.body.value("verdict", ""), "PASSED") << v.raw.substr(0, 2000);
  }
  // No usage record without its audit entry, either (the transaction holds both).
  EXPECT_TRUE(Query("SELECT s.id FROM signatures s WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE "
                    "a.action = 'seal.signed' AND a.details_json LIKE '%' || s.id || '%')")
                  .empty());

  // No half-made seal: every seal has its key, certificate, image and a parseable SES_Seal
  // whose esID is the record's; every completed application points at its seal, and no
  // enterprise application is left approved but unmade.
  auto seals = Query("SELECT id, esid, seal_der, length(signer_cert_der), length(protected_key), "
                     "length(image_png) FROM seals");
  ASSERT_GE(seals.size(), 3u);  // the contract seal and at least two business seals
  for (const auto& s : seals) {
    auto parsed = ses::ParseSeal(ToBytes(s[2]));
    ASSERT_TRUE(parsed.ok()) << "seal " << s[0] << ": " << parsed.status().ToString();
    EXPECT_EQ(parsed->info.esid, s[1]);
    EXPECT_GT(std::stoll(s[3]), 0) << s[0];
    EXPECT_GT(std::stoll(s[4]), 0) << s[0];
    EXPECT_GT(std::stoll(s[5]), 0) << s[0];
    EXPECT_EQ(Query("SELECT serial_hex FROM certificates WHERE serial_hex = (SELECT cert_serial_hex FROM seals "
                    "WHERE id = '" + s[0] + "')").size(),
              1u)
        << "seal " << s[0] << " has no certificate record";
  }
  EXPECT_TRUE(Query("SELECT a.id FROM applications a WHERE a.status = 'completed' AND (a.result_seal_id IS NULL "
                    "OR NOT EXISTS (SELECT 1 FROM seals s WHERE s.id = a.result_seal_id))")
                  .empty());
  EXPECT_TRUE(Query("SELECT id FROM applications WHERE status = 'approved'").empty());

  // And the platform carries on: the seal signs again after the restart.
  Reply again = Sign(admin, seal_id, doc);
  EXPECT_EQ(again.status, 200) << again.raw.substr(0, 300);
  server_->Stop(SIGTERM);
}

// A multipart/form-data body by hand: httplib's streaming receive (send with a
// content_receiver) takes a ready body.
std::string Form(const std::string& boundary, const std::vector<std::array<std::string, 3>>& parts) {
  std::string out;
  for (const auto& [name, filename, data] : parts) {
    out += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"";
    if (!filename.empty()) out += "; filename=\"" + filename + "\"";
    out += "\r\n\r\n" + data + "\r\n";
  }
  return out + "--" + boundary + "--\r\n";
}

// SIGKILL while batches stream: every line a client read names a signature in the usage
// register with its audit entry, and every record in the register is for a document a
// client really sent (its SM3 and format), with the evidence record of its signature —
// nothing signed unrecorded, nothing recorded that was not signed.
TEST_P(KillRestartTest, SigkillDuringABatchLeavesNoSignatureWithoutItsRecord) {
  auto ofd = ReadFile(std::string(ESEAL_SHARED_TESTDATA) + "/ofdrw/unsigned/helloworld.ofd");
  ASSERT_TRUE(ofd.ok());
  // Five different documents: the OFD and PDFs of one to four pages.
  std::vector<std::array<std::string, 3>> docs = {{"documents", "hello.ofd", ToString(*ofd)}};
  for (int pages = 1; pages <= 4; ++pages) {
    docs.push_back({"documents", "p" + std::to_string(pages) + ".pdf", ToString(pdf::testing::ClassicPdf(pages))});
  }
  std::map<std::string, std::string> sent;  // SM3 hex → format
  for (const auto& d : docs) sent[HexEncode(crypto::Sm3Bytes(ToBytes(d[2])))] = d[1].ends_with(".pdf") ? "pdf" : "ofd";

  StartServer("first");
  auto token = ReadFile((dir_ / "data" / "operator.token").string());
  ASSERT_TRUE(token.ok());
  op_ = ToString(*token);
  while (!op_.empty() && (op_.back() == '\n' || op_.back() == '\r')) op_.pop_back();
  Reply holders = Call("GET", "/api/v1/holders?status=active", op_);
  ASSERT_EQ(holders.status, 200) << holders.raw;
  Reply acc = Call("POST", "/api/v1/accounts", op_,
                   json{{"name", "batch admin"}, {"role", "holder_admin"},
                        {"holder_id", holders.body["items"][0].value("id", "")}}.dump());
  ASSERT_EQ(acc.status, 201) << acc.raw;
  const std::string admin = acc.body.value("token", "");
  const std::string seal_id = MakeSeal(admin, "contract");
  ASSERT_FALSE(seal_id.empty());
  // One client signs in a session, the others with the password per batch.
  Reply session = Call("POST", "/api/v1/seals/" + seal_id + "/signing-sessions", admin,
                       json{{"password", kPassword}, {"max_signatures", 100000}}.dump());
  ASSERT_EQ(session.status, 201) << session.raw;

  std::atomic<bool> stop{false};
  std::mutex mu;
  std::vector<json> lines;  // every result line a client read
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&, t] {
      httplib::Client c("127.0.0.1", port_);
      c.set_read_timeout(120, 0);
      const std::string boundary = "eseal-batch-boundary-" + std::to_string(t);
      auto parts = docs;
      if (t == 0) {
        parts.push_back({"session", "", session.body.value("id", "")});
      } else {
        parts.push_back({"password", "", kPassword});
      }
      for (auto f : {std::array<std::string, 3>{"page", "", "1"}, {"x", "", "40"}, {"y", "", "40"}}) parts.push_back(f);
      const std::string body = Form(boundary, parts);
      while (!stop.load()) {
        httplib::Request req;
        req.method = "POST";
        req.path = "/api/v1/seals/" + seal_id + "/sign-batch";
        req.headers = {{"Authorization", "Bearer " + admin},
                       {"Content-Type", "multipart/form-data; boundary=" + boundary}};
        req.body = body;
        std::string pending;
        req.content_receiver = [&](const char* data, size_t n, uint64_t, uint64_t) {
          pending.append(data, n);
          size_t nl;
          while ((nl = pending.find('\n')) != std::string::npos) {
            json j = json::parse(pending.substr(0, nl), nullptr, false);
            pending.erase(0, nl + 1);
            std::lock_guard<std::mutex> lock(mu);
            lines.push_back(std::move(j));
          }
          return true;
        };
        auto r = c.send(req);
        if (!r) return;  // the server is gone (perhaps in the middle of the stream)
        if (r->status != 200) {
          ADD_FAILURE() << "a batch under load answered " << r->status;
          return;
        }
      }
    });
  }
  auto signed_lines = [&] {
    std::lock_guard<std::mutex> lock(mu);
    return std::count_if(lines.begin(), lines.end(), [](const json& j) { return j.value("ok", false); });
  };
  for (int i = 0; i < 6000 && signed_lines() < 12; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::mt19937 rng(std::random_device{}());
  std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 1500)(rng)));
  server_->Stop(SIGKILL);
  stop.store(true);
  for (std::thread& t : threads) t.join();
  ASSERT_GE(signed_lines(), 12) << "the load never got going";

  StartServer("second");
  Reply audit = Call("GET", "/api/v1/audit/verify", op_);
  ASSERT_EQ(audit.status, 200) << audit.raw;
  EXPECT_EQ(audit.body["ok"], true) << audit.raw;

  // Every signed line a client read is registered and audited, for the document it names.
  std::map<std::string, std::vector<std::string>> registered;  // id → document_hash, format, signed_hash
  for (const auto& row : Query("SELECT id, document_hash, format, signed_hash FROM signatures")) {
    registered[row[0]] = {row[1], row[2], row[3]};
  }
  size_t read_signed = 0;
  for (const json& j : lines) {
    if (!j.value("ok", false)) continue;
    ++read_signed;
    std::string id = j.value("signature_id", "");
    ASSERT_TRUE(registered.count(id)) << "signature " << id << " was streamed but not recorded";
    EXPECT_EQ(registered[id][0], j.value("document_hash", ""));
    EXPECT_EQ(registered[id][2], j.value("signed_hash", ""));
    EXPECT_EQ(Query("SELECT seq FROM audit_log WHERE action = 'seal.signed' AND details_json LIKE '%\"" + id + "\"%'")
                  .size(),
              1u);
  }
  // Every record is for a document a client sent, in its format, with its evidence record
  // (keyed by the signature value's SM3), and its audit entry.
  for (const auto& [id, rec] : registered) {
    ASSERT_TRUE(sent.count(rec[0])) << "record " << id << " is for a document nobody sent";
    EXPECT_EQ(sent[rec[0]], rec[1]) << id;
    EXPECT_EQ(Query("SELECT signature_id FROM evidence_records WHERE signature_hash = '" + rec[2] + "'").size(), 1u)
        << "record " << id << " has no evidence of its signature";
  }
  EXPECT_TRUE(Query("SELECT s.id FROM signatures s WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE "
                    "a.action = 'seal.signed' AND a.details_json LIKE '%' || s.id || '%')")
                  .empty());
  std::cout << "[ killed   ] after " << read_signed << " streamed signatures; " << registered.size()
            << " in the register\n";
  // Sessions died with the process: the old session id signs nothing after the restart.
  httplib::MultipartFormDataItems form = {{"document", ToString(*ofd), "a.ofd", "application/ofd"},
                                          {"session", session.body.value("id", ""), "", ""},
                                          {"page", "1", "", ""}, {"x", "40", "", ""}, {"y", "40", "", ""}};
  Reply old = Call("POST", "/api/v1/seals/" + seal_id + "/sign", admin, "", &form);
  EXPECT_EQ(old.status, 404) << old.raw.substr(0, 300);
  server_->Stop(SIGTERM);
}

INSTANTIATE_TEST_SUITE_P(Backends, KillRestartTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace eseal
