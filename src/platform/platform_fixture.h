// A real Platform over a real store (SQLite file or the throwaway PostgreSQL), with a fixed
// clock, a file KEK and low PBKDF2 iterations so tests run fast. Shared by the platform
// test files; every test gets fresh storage.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "eseal/base/file.h"
#include "eseal/crypto/kek.h"
#include "eseal/crypto/sm3.h"
#include "eseal/platform/platform.h"
#include "eseal/store/store.h"
#include "eseal/store/testing.h"

namespace eseal::platform::testing {

inline Time At(const char* s) { return *ParseTime(s); }

// A valid USCC (GB 32100) from a number: "91450100" + 9 digits + check character.
inline std::string MakeUscc(int n, const char* prefix = "91450100") {
  char digits[16];
  std::snprintf(digits, sizeof digits, "%09d", n);
  std::string s = std::string(prefix) + digits;
  return s + *UsccCheckCharacter(s);
}

inline Bytes LoadShared(const std::string& rel) {
  auto b = ReadFile(std::string(ESEAL_SHARED_TESTDATA) + "/ofdrw/" + rel);
  EXPECT_TRUE(b.ok()) << rel;
  return b.ok() ? *b : Bytes{};
}

inline SecretBytes Pw(std::string_view s) { return SecretBytes(s); }

class PlatformTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto url = store::CreateTestDatabase(GetParam(), &sqlite_path_);
    ASSERT_TRUE(url.ok()) << url.status().ToString();
    url_ = *url;
    Bytes k(32, 0x42);
    kek_ = crypto::FileKek::FromBytes(k);
    Open();
  }

  void TearDown() override {
    platform_.reset();
    store_.reset();
    store::RemoveTestDatabase(url_, sqlite_path_);
  }

  // (Re)opens the platform over the same database, as a restart would.
  void Open() {
    platform_.reset();
    store_.reset();
    auto st = store::OpenStore(url_);
    ASSERT_TRUE(st.ok()) << st.status().ToString();
    store_ = *std::move(st);
    PlatformOptions o;
    o.store = store_.get();
    o.kek = kek_.get();
    o.clock = &clock_;
    o.pbkdf2_iterations = 1000;
    // Tests travel years ahead and reopen (evidence renewal): the bootstrap operator token
    // must outlive that. Token expiry itself is tested in sign_in_test.cc.
    o.token_validity_days = 20 * 365;
    o.accept_unsynchronised_clock = true;  // test hosts need not run NTP
    o.name = "Guangxi Seal Platform";
    if (options_hook_) options_hook_(o);
    Bootstrap boot;
    auto p = Platform::Open(o, &boot);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    platform_ = *std::move(p);
    if (boot.created) operator_token_ = boot.operator_token;
    auto op = platform_->Authenticate(operator_token_);
    ASSERT_TRUE(op.ok()) << op.status().ToString();
    op_ = *op;
  }

  Platform& P() { return *platform_; }

  Holder MakeHolder(int n, const std::string& name, HolderStatus status = HolderStatus::kActive) {
    Platform::HolderInput in;
    in.uscc = MakeUscc(n);
    in.name = name;
    in.legal_rep = "张三";
    in.status = status;
    auto h = P().UpsertHolder(op_, in);
    EXPECT_TRUE(h.ok()) << h.status().ToString();
    return h.ok() ? *h : Holder{};
  }

  Caller Account(Role role, const std::string& holder_id, const std::string& area = "") {
    Platform::AccountInput in;
    in.name = std::string(Name(role)) + " " + holder_id + area;
    in.role = role;
    in.holder_id = holder_id;
    in.area_code = area;
    auto acc = P().CreateAccount(op_, in);
    EXPECT_TRUE(acc.ok()) << acc.status().ToString();
    auto c = P().Authenticate(acc.ok() ? acc->token : "");
    EXPECT_TRUE(c.ok());
    return c.ok() ? *c : Caller{};
  }

  // Applies for a seal as the holder's admin and approves it as the operator.
  Seal MakeSeal(const Caller& admin, const std::string& kind, std::string_view password = "correct horse") {
    Platform::ApplyInput in;
    in.type = ApplicationType::kNewSeal;
    in.seal_kind = kind;
    in.password = Pw(password);
    auto app = P().Apply(admin, std::move(in));
    EXPECT_TRUE(app.ok()) << app.status().ToString();
    if (!app.ok()) return Seal{};
    auto done = P().Review(op_, app->id, true, "");
    EXPECT_TRUE(done.ok()) << done.status().ToString();
    if (!done.ok()) return Seal{};
    EXPECT_EQ(done->status, ApplicationStatus::kCompleted);
    auto seal = P().GetSeal(admin, done->result_seal_id);
    EXPECT_TRUE(seal.ok());
    return seal.ok() ? *seal : Seal{};
  }

  Result<Platform::SignOutcome> Sign(const Caller& c, const Seal& seal, std::string_view password,
                                     Bytes doc = {}) {
    Platform::SignInput in;
    in.seal = seal.id;
    in.password = Pw(password);
    in.document = doc.empty() ? LoadShared("unsigned/helloworld.ofd") : std::move(doc);
    in.document_name = "helloworld.ofd";
    in.placement.positions.push_back(sign::PagePosition{1, 50, 50});
    return P().SignDocument(c, std::move(in));
  }

  FixedClock clock_{At("2026-11-23T09:00:00Z")};
  std::unique_ptr<crypto::FileKek> kek_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Platform> platform_;
  std::string operator_token_;
  Caller op_;
  std::string sqlite_path_, url_;
  // Changes the options before the next Open() (a test's own clock probe, TSA, ...).
  std::function<void(PlatformOptions&)> options_hook_;
};

inline std::string BackendName(const ::testing::TestParamInfo<std::string>& p) { return p.param; }

#define ESEAL_PLATFORM_BACKENDS(suite)                                                        \
  INSTANTIATE_TEST_SUITE_P(Backends, suite, ::testing::Values("sqlite", "postgresql"),      \
                           ::eseal::platform::testing::BackendName)

}  // namespace eseal::platform::testing
