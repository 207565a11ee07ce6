// The CLI tests' shared fixture: a private temporary folder per test, `eseal` run in-process
// against a fixed clock, and a world of a CA, a seal maker (password-protected key), a
// signer and a contract seal made through the commands themselves.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "eseal/base/clock.h"
#include "eseal/base/file.h"
#include "eseal/cli/cli.h"

namespace eseal::cli::testing {

inline const std::string kShared = std::string(ESEAL_SHARED_TESTDATA) + "/ofdrw/";

struct Out {
  int code;
  std::string out, err;
};

class CliFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = (std::filesystem::temp_directory_path() / ("eseal_cli_" + std::to_string(::getpid()) + "_" +
                                                      info->test_suite_name() + "_" + info->name()))
               .string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  Out Run(std::vector<std::string> args) {
    args.insert(args.begin(), "eseal");
    std::ostringstream out, err;
    int code = cli::Run(args, out, err, clock_);
    return {code, out.str(), err.str()};
  }
  std::string P(const std::string& name) const { return dir_ + "/" + name; }

  // CA, maker and signer keys and certificates, a contract seal (SES_Seal of `format`).
  void MakeWorld(const std::string& format = "v4") {
    ASSERT_EQ(Run({"ca", "init", "--out", P("ca"), "--name", "Test"}).code, 0);
    ASSERT_TRUE(WriteFileAtomic(P("pw"), std::string_view("correct horse\n"), 0600).ok());
    ASSERT_EQ(Run({"key", "gen", "--out", P("maker.pem"), "--password-file", P("pw"), "--iterations", "1000"}).code,
              0);
    ASSERT_EQ(Run({"key", "gen", "--out", P("signer.pem")}).code, 0);
    Out m = Run({"cert", "issue", "--ca", P("ca"), "--pubkey", P("maker.pub.pem"), "--subject",
                 "C=CN,O=Test Seal Maker,CN=Test Seal Maker", "--role", "maker", "--out", P("maker.crt")});
    ASSERT_EQ(m.code, 0) << m.err;
    ASSERT_EQ(Run({"cert", "issue", "--ca", P("ca"), "--pubkey", P("signer.pub.pem"), "--subject",
                   "C=CN,O=南宁市某某科技有限公司,CN=南宁市某某科技有限公司", "--role", "signer", "--out",
                   P("signer.crt")})
                  .code,
              0);
    Out s = Run({"seal", "make", "--maker-cert", P("maker.crt"), "--maker-key", P("maker.pem"),
                 "--maker-password-file", P("pw"), "--signer-cert", P("signer.crt"), "--kind", "contract",
                 "--name", "南宁市某某科技有限公司", "--id", "4501000000000001", "--format", format, "--out",
                 P("seal.esl")});
    ASSERT_EQ(s.code, 0) << s.err;
    ASSERT_EQ(Run({"ca", "crl", "--ca", P("ca")}).code, 0);
  }

  // The validation policy for what MakeWorld's CA issued, as `eseal ca init` prints it:
  // the root for signers and for makers (eseal maker policy), the issuing CA, both CRLs.
  std::vector<std::string> Trust() const {
    return {"--trust", P("ca/root.pem"), "--maker-trust", P("ca/root.pem"), "--intermediate",
            P("ca/issuing.pem"), "--crl", P("ca/crl.pem"), "--crl", P("ca/root-crl.pem")};
  }
  // `args` followed by Trust().
  Out RunTrusted(std::vector<std::string> args) {
    for (const std::string& a : Trust()) args.push_back(a);
    return Run(std::move(args));
  }

  FixedClock clock_{*ParseTime("2026-11-23T09:30:00Z")};
  std::string dir_;
};

}  // namespace eseal::cli::testing
