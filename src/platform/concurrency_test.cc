// Shared state under real parallel transactions (DESIGN.md "Concurrency"): two Platform
// instances over one database, as two `eseal serve` processes share one PostgreSQL, and
// threads released together. SQLite serialises its writers and hides these races; the
// suites run on both so the behaviour is the same, and PostgreSQL is the one that bites.
// A watchdog turns a hang into a failure; no assertion depends on how long anything took.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <latch>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "eseal/x509/crl.h"
#include "platform_fixture.h"

namespace eseal::platform::testing {
namespace {

// Runs fn(0..n-1) on n threads released at the same moment. A run still going after
// `guard` is a hang (a deadlock no database broke): the process aborts so the test fails
// instead of waiting for ctest's timeout.
void RunTogether(int n, const std::function<void(int)>& fn,
                 std::chrono::seconds guard = std::chrono::seconds(300)) {
  std::latch start(n);
  std::mutex mu;
  std::condition_variable cv;
  int done = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      fn(i);
      std::lock_guard<std::mutex> lock(mu);
      ++done;
      cv.notify_all();
    });
  }
  {
    std::unique_lock<std::mutex> lock(mu);
    if (!cv.wait_for(lock, guard, [&] { return done == n; })) {
      std::fprintf(stderr, "concurrency_test: %d of %d threads still running after %lld s: hang\n", n - done, n,
                   static_cast<long long>(guard.count()));
      std::abort();
    }
  }
  for (std::thread& t : threads) t.join();
}

int64_t CrlNumber(const x509::Crl& crl) {
  int64_t n = 0;
  for (uint8_t b : crl.crl_number()) n = n << 8 | b;
  return n;
}

class ConcurrencyTest : public PlatformTest {
 protected:
  void SetUp() override {
    PlatformTest::SetUp();
    if (HasFatalFailure()) return;
    // The second "process": its own store (connection pool) and Platform over the same URL.
    auto st = store::OpenStore(url_);
    ASSERT_TRUE(st.ok()) << st.status().ToString();
    second_store_ = *std::move(st);
    PlatformOptions o;
    o.store = second_store_.get();
    o.kek = kek_.get();
    o.clock = &clock_;
    o.pbkdf2_iterations = 1000;
    o.accept_unsynchronised_clock = true;
    o.name = "Guangxi Seal Platform";
    auto p = Platform::Open(o, nullptr);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    second_ = *std::move(p);
  }

  void TearDown() override {
    second_.reset();
    second_store_.reset();
    PlatformTest::TearDown();
  }

  // Even threads go through this process, odd ones through the other.
  Platform& On(int i) { return i % 2 == 0 ? P() : *second_; }

  Result<Platform::SignOutcome> SignOn(Platform& p, const Caller& c, const Seal& seal, std::string_view password) {
    Platform::SignInput in;
    in.seal = seal.id;
    in.password = Pw(password);
    in.document = doc_;
    in.document_name = "并发测试.ofd";
    in.placement.positions.push_back(sign::PagePosition{1, 50, 50});
    return p.SignDocument(c, std::move(in));
  }

  Result<x509::Crl> Crl() {
    ASSIGN_OR_RETURN(Bytes der, P().CurrentCrl());
    return x509::Crl::FromDer(der);
  }

  std::map<std::string, int> AuditCounts(const std::string& object_id) {
    std::map<std::string, int> n;
    auto trail = P().ListAudit(op_, 0, 1000);
    EXPECT_TRUE(trail.ok());
    if (trail.ok()) {
      for (const AuditEntry& e : *trail) {
        if (e.object_id == object_id) ++n[e.action];
      }
    }
    return n;
  }

  Bytes doc_ = LoadShared("unsigned/helloworld.ofd");
  std::unique_ptr<Store> second_store_;
  std::unique_ptr<Platform> second_;
};

// Each revocation rebuilds the CRL under the crl_number lock, taken before the revoked
// certificates are listed: none is left off, no number repeats, and every CRL contains
// everything a CRL with a smaller number did.
TEST_P(ConcurrencyTest, SixteenConcurrentRevocationsAllLandOnTheCrl) {
  constexpr int kSeals = 16;
  Holder h = MakeHolder(1, "并发注销测试有限公司");
  Caller admin = Account(Role::kHolderAdmin, h.id);
  std::vector<Seal> seals;
  for (int i = 0; i < kSeals; ++i) seals.push_back(MakeSeal(admin, "business"));
  ASSERT_FALSE(HasFailure());
  auto first = Crl();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  const int64_t before = CrlNumber(*first);

  std::vector<Status> results(kSeals);
  std::vector<Bytes> seen(kSeals);  // the CRL each thread reads right after its commit
  RunTogether(kSeals, [&](int i) {
    results[i] = On(i).Revoke(admin, seals[i].id, "企业注销 (deregistered)").status();
    auto der = On(i + 1).CurrentCrl();
    if (der.ok()) seen[i] = *der;
  });

  auto last = Crl();
  ASSERT_TRUE(last.ok()) << last.status().ToString();
  const x509::Crl& final_crl = *last;
  for (int i = 0; i < kSeals; ++i) {
    ASSERT_TRUE(results[i].ok()) << i << ": " << results[i].ToString();
    EXPECT_NE(final_crl.Lookup(*HexDecode(seals[i].cert_serial_hex)), nullptr) << "seal " << i << " is not on the CRL";
  }
  EXPECT_EQ(CrlNumber(final_crl), before + kSeals) << "one CRL per revocation, no number used twice";

  std::map<int64_t, std::set<std::string>> by_number;
  for (int i = 0; i < kSeals; ++i) {
    auto crl = x509::Crl::FromDer(seen[i]);
    ASSERT_TRUE(crl.ok()) << crl.status().ToString();
    EXPECT_NE(crl->Lookup(*HexDecode(seals[i].cert_serial_hex)), nullptr)
        << "the CRL published after revocation " << i << " committed lacks it";
    std::set<std::string> listed;
    for (int j = 0; j < kSeals; ++j) {
      if (crl->Lookup(*HexDecode(seals[j].cert_serial_hex))) listed.insert(seals[j].cert_serial_hex);
    }
    by_number[CrlNumber(*crl)] = std::move(listed);
  }
  const std::set<std::string>* prev = nullptr;
  for (const auto& [number, listed] : by_number) {
    EXPECT_GT(number, before);
    if (prev) {
      for (const std::string& s : *prev) EXPECT_TRUE(listed.count(s)) << "CRL " << number << " lost " << s;
      EXPECT_GT(listed.size(), prev->size()) << "CRL " << number << " adds nothing to the one before";
    }
    prev = &listed;
  }
}

// Fifty guesses at once from two processes: five attempts are reserved (and so five keys
// derived), the rest refused before deriving, and every caller gets the one answer.
TEST_P(ConcurrencyTest, FiftyParallelWrongGuessesEvaluateAtMostTheLimit) {
  constexpr int kGuesses = 50;
  Holder h = MakeHolder(1, "并发口令测试有限公司");
  Caller admin = Account(Role::kHolderAdmin, h.id);
  Seal seal = MakeSeal(admin, "contract");
  ASSERT_FALSE(HasFailure());

  std::vector<Status> results(kGuesses);
  RunTogether(kGuesses, [&](int i) {
    results[i] = SignOn(On(i), admin, seal, "guess number " + std::to_string(i)).status();
  });

  for (int i = 0; i < kGuesses; ++i) {
    EXPECT_EQ(results[i].code(), StatusCode::kUnauthenticated) << i << ": " << results[i].ToString();
    EXPECT_EQ(results[i].message(), results[0].message()) << "guess " << i << " was answered differently";
  }
  std::map<std::string, int> audit = AuditCounts(seal.id);
  const int limit = PlatformOptions{}.password_attempt_limit;
  EXPECT_LE(audit["seal.password_wrong"], limit) << "more keys derived than the limit allows";
  EXPECT_EQ(audit["seal.password_wrong"], limit) << "the first guesses in should have been tried";
  EXPECT_EQ(audit["seal.password_wrong"] + audit["seal.password_refused"], kGuesses) << "every attempt is audited";
  EXPECT_EQ(audit["seal.locked"], 1);
  auto after = P().GetSeal(op_, seal.id);
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->locked);
  EXPECT_EQ(after->failed_attempts, limit);

  // The right password now gets the wrong one's answer, and nothing is signed.
  auto right = SignOn(*second_, admin, seal, "correct horse");
  EXPECT_EQ(right.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(right.status().message(), results[0].message());
  ASSERT_TRUE(P().Unlock(op_, seal.id).ok());
  EXPECT_TRUE(SignOn(*second_, admin, seal, "correct horse").ok());
}

// Reviews that make, change (supersede) and revoke seals, signings with those seals and
// plain revocations, all at once from two processes: every transaction takes its locks in
// the one order and audits last, so none is broken off as a deadlock or a lock timeout.
TEST_P(ConcurrencyTest, ReviewsSigningsAndRevocationsNeverDeadlock) {
  constexpr int kHolders = 4;
  std::vector<Caller> admins;
  std::vector<Seal> contract, business;
  for (int i = 0; i < kHolders; ++i) {
    Holder h = MakeHolder(10 + i, "并发审核测试" + std::to_string(i) + "有限公司");
    admins.push_back(Account(Role::kHolderAdmin, h.id));
    contract.push_back(MakeSeal(admins[i], "contract"));
    business.push_back(MakeSeal(admins[i], "business"));
  }
  ASSERT_FALSE(HasFailure());

  std::mutex mu;
  std::vector<std::string> failures;
  auto check = [&](const std::string& what, const Status& st, bool may_be_refused) {
    // A seal superseded or revoked under a signer is a refusal, not a failure; Unavailable
    // (a lock timeout) or Internal (a deadlock the database broke) never is.
    if (st.ok() || (may_be_refused && st.code() == StatusCode::kFailedPrecondition)) return;
    std::lock_guard<std::mutex> lock(mu);
    failures.push_back(what + ": " + st.ToString());
  };
  constexpr int kRoles = 4;
  RunTogether(kHolders * kRoles, [&](int t) {
    const int i = t / kRoles;
    Platform& p = On(t);
    switch (t % kRoles) {
      case 0:  // sign with the contract seal, which a change supersedes meanwhile
        for (int k = 0; k < 3; ++k) check("sign", SignOn(p, admins[i], contract[i], "correct horse").status(), true);
        break;
      case 1: {  // a change of the contract seal: app, old seal, CRL, audit
        Platform::ApplyInput in;
        in.type = ApplicationType::kChange;
        in.seal_id = contract[i].id;
        in.seal_name = "并发审核测试" + std::to_string(i) + "有限公司（变更）";
        auto app = p.Apply(admins[i], std::move(in));
        check("apply change", app.status(), false);
        if (app.ok()) check("review change", On(t + 1).Review(op_, app->id, true, "").status(), false);
        break;
      }
      case 2: {  // a new seal: rendering and certification with no shared lock held
        Platform::ApplyInput in;
        in.type = ApplicationType::kNewSeal;
        in.seal_kind = "finance";
        in.password = Pw("correct horse");
        auto app = p.Apply(admins[i], std::move(in));
        check("apply new", app.status(), false);
        if (app.ok()) check("review new", On(t + 1).Review(op_, app->id, true, "").status(), false);
        break;
      }
      case 3:  // sign with the business seal, then revoke it
        check("sign business", SignOn(p, admins[i], business[i], "correct horse").status(), true);
        check("revoke", p.Revoke(admins[i], business[i].id, "印章失控 (lost)").status(), false);
        break;
    }
  });
  for (const std::string& f : failures) ADD_FAILURE() << f;

  // Every superseded and revoked certificate is on the last CRL, and the audit chain holds.
  auto crl = Crl();
  ASSERT_TRUE(crl.ok()) << crl.status().ToString();
  for (int i = 0; i < kHolders; ++i) {
    EXPECT_NE(crl->Lookup(*HexDecode(contract[i].cert_serial_hex)), nullptr) << "superseded " << i;
    EXPECT_NE(crl->Lookup(*HexDecode(business[i].cert_serial_hex)), nullptr) << "revoked " << i;
  }
  auto v = second_->VerifyAudit(op_);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_TRUE(v->ok) << v->problem;
}

ESEAL_PLATFORM_BACKENDS(ConcurrencyTest);

}  // namespace
}  // namespace eseal::platform::testing
