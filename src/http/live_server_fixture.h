// Test fixture: a real Platform on SQLite or PostgreSQL (the test parameter; PostgreSQL is
// the CTest fixture's throwaway server) behind the real Server on a free port of 127.0.0.1,
// with the first operator's token in op_ and a clock the test moves. Shared by the API
// tests that go over a socket (api_platform_test.cc, authz_api_test.cc).
// Thread-safety: gtest runs one test at a time per process.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include <httplib.h>

#include "eseal/base/clock.h"
#include "eseal/base/file.h"
#include "eseal/base/log.h"
#include "eseal/crypto/kek.h"
#include "eseal/http/server.h"
#include "eseal/platform/platform.h"
#include "eseal/store/store.h"
#include "eseal/store/testing.h"

namespace eseal::http::testing {

// The n-th valid USCC (统一社会信用代码) of a test area, check character included.
inline std::string Uscc(int n) {
  char digits[16];
  std::snprintf(digits, sizeof digits, "%09d", n);
  std::string s = std::string("91450100") + digits;
  return s + *platform::UsccCheckCharacter(s);
}

// ofdrw's unsigned hello-world OFD, as bytes in a string.
inline std::string HelloOfd() {
  auto b = ReadFile(std::string(ESEAL_SHARED_TESTDATA) + "/ofdrw/unsigned/helloworld.ofd");
  EXPECT_TRUE(b.ok()) << b.status().ToString();
  return b.ok() ? ToString(*b) : "";
}

class LiveServerTest : public ::testing::TestWithParam<std::string> {
 protected:
  // What a test changes in the server's options before it starts.
  virtual void Tune(ServerOptions&) {}

  void SetUp() override {
    log::SetLevel(log::Level::kWarn);
    auto url = store::CreateTestDatabase(GetParam(), &sqlite_path_);
    ASSERT_TRUE(url.ok()) << url.status().ToString();
    url_ = *url;
    kek_ = crypto::FileKek::FromBytes(Bytes(32, 0x42));
    auto st = store::OpenStore(url_);
    ASSERT_TRUE(st.ok()) << st.status().ToString();
    store_ = *std::move(st);
    platform::PlatformOptions o;
    o.store = store_.get();
    o.kek = kek_.get();
    o.pbkdf2_iterations = 1000;
    o.accept_unsynchronised_clock = true;  // test hosts need not run NTP
    o.name = "Guangxi Seal Platform";
    o.clock = &clock_;
    platform::Bootstrap boot;
    auto p = platform::Platform::Open(o, &boot);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    platform_ = *std::move(p);
    ASSERT_TRUE(boot.created);
    op_ = boot.operator_token;

    ServerOptions so;
    so.port = 0;
    so.threads = 4;
    Tune(so);
    auto s = Server::Create(*platform_, so);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    server_ = *std::move(s);
    ASSERT_TRUE(server_->Bind().ok());
    thread_ = std::thread([this] { (void)server_->Serve(); });
  }

  void TearDown() override {
    if (server_) {
      server_->Stop();
      thread_.join();
    }
    server_.reset();
    platform_.reset();
    store_.reset();
    store::RemoveTestDatabase(url_, sqlite_path_);
    log::SetLevel(log::Level::kInfo);
  }

  httplib::Client Client() {
    httplib::Client c("127.0.0.1", server_->port());
    c.set_read_timeout(60, 0);
    c.set_write_timeout(60, 0);
    return c;
  }

  std::string sqlite_path_, url_, op_;
  // Times are whole seconds; tests advance this clock between events whose order matters
  // (sign, then revoke) instead of depending on the wall clock.
  FixedClock clock_{SystemClock().Now()};
  std::unique_ptr<crypto::FileKek> kek_;
  std::unique_ptr<platform::Store> store_;
  std::unique_ptr<platform::Platform> platform_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
};

}  // namespace eseal::http::testing
