// Two real `eseal serve` processes over one PostgreSQL database, as a deployment grows past
// one machine (issue 11 item 3, DESIGN.md "Concurrency"): requests spread over both and
// released together. 16 concurrent revocations all land on the one published CRL, whose
// number rose by exactly 16 (each CRL made under the crl_number row lock: strictly
// increasing, none repeated); 50 parallel wrong password guesses evaluate at most 5 and all
// get the same answer; concurrent reviews and signings all complete (no deadlock). Then
// the audit trail verifies on both. No assertion depends on how long anything took.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <latch>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "eseal/base/file.h"
#include "eseal/store/testing.h"
#include "serve_process.h"
#include "eseal/x509/crl.h"

namespace eseal {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;
using testing::ServeProcess;

constexpr char kPassword[] = "two servers password";

struct Reply {
  int status = 0;  // 0: no answer
  json body;
  std::string raw;
};

// Runs fn(0..n-1) on n threads released together. A run still going after 5 minutes is a
// hang (a deadlock no database broke): abort so the test fails instead of waiting.
void RunTogether(int n, const std::function<void(int)>& fn) {
  std::latch start(n);
  std::atomic<int> done{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      fn(i);
      done.fetch_add(1);
    });
  }
  std::thread watchdog([&] {
    for (int i = 0; i < 3000 && done.load() < n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (done.load() < n) {
      std::fprintf(stderr, "serve_concurrency_test: %d of %d requests still running after 300 s: hang\n",
                   n - done.load(), n);
      std::abort();
    }
  });
  for (std::thread& t : threads) t.join();
  watchdog.join();
}

class ServeConcurrencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("eseal_serve_concurrency_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto url = store::CreateTestDatabase("postgresql", &sqlite_path_);
    ASSERT_TRUE(url.ok()) << url.status().ToString();
    db_ = *url;
    // Both processes share the database and the KEK (kept outside either data folder).
    for (int i = 0; i < 2; ++i) {
      std::string name = "server" + std::to_string(i);
      servers_[i] = std::make_unique<ServeProcess>(
          std::vector<std::string>{ESEAL_BIN, "serve", "--data", (dir_ / name).string(), "--db", db_,
                                   "--kek-file", (dir_ / "kek.key").string(), "--listen", "127.0.0.1:0",
                                   "--threads", "16", "--accept-unsynchronised-clock"},
          dir_ / (name + ".out"), dir_ / (name + ".err"));
      // The second starts once the first has made the identity.
      ports_[i] = servers_[i]->Start();
      ASSERT_NE(ports_[i], 0) << "eseal serve did not start:\n" << servers_[i]->Output();
    }
    EXPECT_EQ(servers_[1]->Output().find("first start"), std::string::npos) << "the second made its own identity";
    auto token = ReadFile((dir_ / "server0" / "operator.token").string());
    ASSERT_TRUE(token.ok()) << token.status().ToString();
    op_ = ToString(*token);
    while (!op_.empty() && (op_.back() == '\n' || op_.back() == '\r')) op_.pop_back();
  }
  void TearDown() override {
    for (auto& s : servers_) s.reset();
    store::RemoveTestDatabase(db_, sqlite_path_);
    if (!HasFailure()) fs::remove_all(dir_);
  }

  // On server `i % 2`.
  Reply Call(int i, const std::string& method, const std::string& path, const std::string& token,
             const std::string& body = "", const httplib::MultipartFormDataItems* form = nullptr) {
    httplib::Client c("127.0.0.1", ports_[i % 2]);
    c.set_connection_timeout(10, 0);
    c.set_read_timeout(240, 0);
    httplib::Headers h;
    if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
    httplib::Result r = method == "GET" ? c.Get(path, h)
                        : form         ? c.Post(path, h, *form)
                                       : c.Post(path, h, body, "application/json");
    Reply out;
    if (!r) return out;
    out.status = r->status;
    out.raw = r->body;
    out.body = json::parse(r->body, nullptr, false);
    return out;
  }

  std::string NewHolder(int n) {
    // USCCs with a valid check character (GB 32100).
    static constexpr std::string_view kSet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    static constexpr int kW[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    char first[18];
    std::snprintf(first, sizeof first, "91450100%08dX", n);
    first[16] = '0';
    int sum = 0;
    for (int i = 0; i < 17; ++i) sum += static_cast<int>(kSet.find(first[i])) * kW[i];
    std::string uscc = std::string(first, 17) + kSet[static_cast<size_t>((31 - sum % 31) % 31)];
    Reply h = Call(0, "POST", "/api/v1/holders", op_,
                   json{{"uscc", uscc}, {"name", "双服务并发测试" + std::to_string(n) + "有限公司"},
                        {"legal_rep", "张三"}, {"status", "active"}}
                       .dump());
    EXPECT_TRUE(h.status == 200 || h.status == 201) << h.raw;
    return h.body.value("id", "");
  }
  std::string NewAdmin(const std::string& holder_id) {
    Reply acc = Call(0, "POST", "/api/v1/accounts", op_,
                     json{{"name", "admin " + holder_id}, {"role", "holder_admin"}, {"holder_id", holder_id}}.dump());
    EXPECT_EQ(acc.status, 201) << acc.raw;
    return acc.body.value("token", "");
  }
  std::string Apply(int i, const std::string& admin, const std::string& kind) {
    Reply app = Call(i, "POST", "/api/v1/applications", admin,
                     json{{"type", "new_seal"}, {"seal_kind", kind}, {"password", kPassword}}.dump());
    EXPECT_EQ(app.status, 201) << app.raw;
    return app.body.value("id", "");
  }
  std::string MakeSeal(int i, const std::string& admin, const std::string& kind) {
    std::string app = Apply(i, admin, kind);
    Reply done = Call(i, "POST", "/api/v1/applications/" + app + "/approve", op_, "{}");
    EXPECT_EQ(done.status, 200) << done.raw;
    return done.body.value("result_seal_id", "");
  }
  Reply Sign(int i, const std::string& token, const std::string& seal_id, const std::string& password) {
    httplib::MultipartFormDataItems form = {
        {"document", doc_, "helloworld.ofd", "application/ofd"},
        {"password", password, "", ""},
        {"page", "1", "", ""},
        {"x", "40", "", ""},
        {"y", "40", "", ""},
    };
    return Call(i, "POST", "/api/v1/seals/" + seal_id + "/sign", token, "", &form);
  }
  std::vector<std::vector<std::string>> Query(const std::string& sql) {
    auto rows = store::QuerySqlForTest(db_, sql);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() ? *rows : std::vector<std::vector<std::string>>{};
  }
  void ExpectAuditVerifiesOnBoth() {
    for (int i = 0; i < 2; ++i) {
      Reply v = Call(i, "GET", "/api/v1/audit/verify", op_);
      ASSERT_EQ(v.status, 200) << v.raw;
      EXPECT_EQ(v.body["ok"], true) << "server " << i << ": " << v.raw;
    }
  }

  fs::path dir_;
  std::string db_, sqlite_path_, op_, doc_;
  std::unique_ptr<ServeProcess> servers_[2];
  int ports_[2] = {0, 0};
};

int64_t CrlNumber(const x509::Crl& crl) {
  int64_t n = 0;
  for (uint8_t b : crl.crl_number()) n = n << 8 | b;
  return n;
}

TEST_F(ServeConcurrencyTest, RevocationsGuessesReviewsAndSigningsAcrossTwoProcesses) {
  auto doc_bytes = ReadFile(std::string(ESEAL_SHARED_TESTDATA) + "/ofdrw/unsigned/helloworld.ofd");
  ASSERT_TRUE(doc_bytes.ok()) << doc_bytes.status().ToString();
  doc_ = ToString(*doc_bytes);
  const std::string holder = NewHolder(1);
  const std::string admin = NewAdmin(holder);
  ASSERT_FALSE(admin.empty());

  // ---- 16 concurrent revocations, 8 on each process, land on the one CRL ----
  constexpr int kRevocations = 16;
  std::vector<std::string> seals;
  for (int i = 0; i < kRevocations; ++i) seals.push_back(MakeSeal(i, admin, "business"));
  for (const std::string& s : seals) ASSERT_FALSE(s.empty());
  const int64_t before = std::stoll(Query("SELECT value FROM settings WHERE name = 'crl_number'").at(0).at(0));
  std::vector<int> revoke_status(kRevocations);
  RunTogether(kRevocations, [&](int i) {
    revoke_status[i] = Call(i, "POST", "/api/v1/seals/" + seals[i] + "/revoke", admin,
                            json{{"reason", "并发撤销测试 " + std::to_string(i)}}.dump())
                           .status;
  });
  for (int i = 0; i < kRevocations; ++i) EXPECT_EQ(revoke_status[i], 200) << "revocation " << i;
  const int64_t after = std::stoll(Query("SELECT value FROM settings WHERE name = 'crl_number'").at(0).at(0));
  EXPECT_EQ(after, before + kRevocations);  // one CRL per revocation, no number twice
  for (int i = 0; i < 2; ++i) {
    httplib::Client c("127.0.0.1", ports_[i]);
    auto r = c.Get("/api/v1/crl");
    ASSERT_TRUE(r && r->status == 200);
    auto crl = x509::Crl::FromDer(AsBytes(r->body));
    ASSERT_TRUE(crl.ok()) << crl.status().ToString();
    EXPECT_EQ(CrlNumber(*crl), after) << "server " << i << " publishes another CRL";
    for (const std::string& s : seals) {
      auto serial = Query("SELECT cert_serial_hex FROM seals WHERE id = '" + s + "'");
      ASSERT_EQ(serial.size(), 1u);
      auto bytes = HexDecode(serial[0][0]);
      ASSERT_TRUE(bytes.ok());
      EXPECT_NE(crl->Lookup(*bytes), nullptr) << "seal " << s << " is missing from the CRL of server " << i;
    }
  }

  // ---- 50 parallel wrong guesses, 25 on each: at most 5 evaluated, one answer ----
  constexpr int kGuesses = 50;
  const std::string target = MakeSeal(0, admin, "contract");
  ASSERT_FALSE(target.empty());
  std::vector<Reply> guesses(kGuesses);
  RunTogether(kGuesses, [&](int i) { guesses[i] = Sign(i, admin, target, "wrong guess " + std::to_string(i)); });
  for (int i = 0; i < kGuesses; ++i) {
    EXPECT_EQ(guesses[i].status, guesses[0].status) << i << ": " << guesses[i].raw;
    EXPECT_EQ(guesses[i].body["error"], guesses[0].body["error"]) << i << ": " << guesses[i].raw;
  }
  EXPECT_EQ(guesses[0].status, 401) << guesses[0].raw;
  auto count = [&](const std::string& action) {
    return std::stoll(Query("SELECT COUNT(*) FROM audit_log WHERE object_id = '" + target + "' AND action = '" +
                            action + "'")
                          .at(0)
                          .at(0));
  };
  EXPECT_EQ(count("seal.password_wrong"), 5);  // the limit: the 5th locks the seal
  EXPECT_EQ(count("seal.password_refused"), kGuesses - 5);
  EXPECT_EQ(Query("SELECT CASE WHEN locked THEN 'locked' ELSE 'open' END FROM seals WHERE id = '" + target + "'").at(0).at(0),
            "locked");

  // ---- reviews and signings together on both processes: all complete ----
  constexpr int kReviews = 6, kSignings = 6;
  const std::string signer_seal = MakeSeal(1, admin, "finance");
  ASSERT_FALSE(signer_seal.empty());
  std::vector<std::string> apps;
  std::vector<std::string> admins;
  for (int i = 0; i < kReviews; ++i) {
    admins.push_back(NewAdmin(NewHolder(100 + i)));
    apps.push_back(Apply(i, admins.back(), "contract"));
  }
  std::vector<Reply> results(kReviews + kSignings);
  RunTogether(kReviews + kSignings, [&](int i) {
    results[i] = i < kReviews ? Call(i, "POST", "/api/v1/applications/" + apps[i] + "/approve", op_, "{}")
                              : Sign(i, admin, signer_seal, kPassword);
  });
  for (int i = 0; i < kReviews; ++i) {
    EXPECT_EQ(results[i].status, 200) << "review " << i << ": " << results[i].raw.substr(0, 300);
    EXPECT_EQ(results[i].body.value("status", ""), "completed") << results[i].raw.substr(0, 300);
  }
  for (int i = kReviews; i < kReviews + kSignings; ++i) {
    EXPECT_EQ(results[i].status, 200) << "signing " << i << ": " << results[i].raw.substr(0, 300);
  }
  EXPECT_EQ(std::stoll(Query("SELECT COUNT(*) FROM signatures WHERE seal_id = '" + signer_seal + "'").at(0).at(0)),
            kSignings);

  ExpectAuditVerifiesOnBoth();
  for (auto& s : servers_) s->Stop(SIGTERM);
}

}  // namespace
}  // namespace eseal
