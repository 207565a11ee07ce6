// `--tsa-url` on `eseal ofd sign` and `eseal sign`: the token comes over HTTP from a TSA on
// 127.0.0.1 (eseal's own, with a key and certificate made by `cert issue --role tsa`),
// is checked against --tsa-url-trust before use, and `verify --tsa-trust` judges the
// signer at its genTime. An unreachable TSA fails the signing and writes nothing.
#include <gtest/gtest.h>

#include "cli_fixture.h"
#include "eseal/crypto/random.h"
#include "eseal/tsp/authority.h"
#include "internal.h"
#include "test_http_tsa.h"

namespace eseal::cli {
namespace {

std::vector<std::string> Plus(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

class SignTsaUrlCliTest : public testing::CliFixture {
 protected:
  // A TSA certificate from the world's CA and eseal's TSA on the fixture's clock, served
  // over HTTP.
  void StartTsa() {
    ASSERT_EQ(Run({"key", "gen", "--out", P("tsa.pem")}).code, 0);
    testing::Out c =
        Run({"cert", "issue", "--ca", P("ca"), "--pubkey", P("tsa.pub.pem"), "--subject",
             "C=CN,O=Licensed TSA,CN=Licensed TSA", "--role", "tsa", "--out", P("tsa.crt")});
    ASSERT_EQ(c.code, 0) << c.err;
    auto key = LoadPrivateKey(P("tsa.pem"), "");
    auto cert = LoadCertificate(P("tsa.crt"));
    auto chain = LoadCertificates({P("ca/issuing.pem")});
    ASSERT_TRUE(key.ok() && cert.ok() && chain.ok());
    tsp::TsaOptions opts;
    opts.chain = *chain;
    auto tsa = tsp::TimestampAuthority::Create(std::make_shared<crypto::Sm2PrivateKey>(*key), *cert,
                                               opts, clock_, serials_);
    ASSERT_TRUE(tsa.ok()) << tsa.status().ToString();
    tsa_.emplace(*std::move(tsa));
    server_ = std::make_unique<sign::testing::HttpTsaServer>(sign::testing::Honest(*tsa_));
  }
  void TearDown() override {
    server_.reset();
    CliFixture::TearDown();
  }
  std::vector<std::string> OfdSign(const std::string& out) const {
    return {"ofd",    "sign",
            "--seal", P("seal.esl"),
            "--key",  P("signer.pem"),
            "--cert", P("signer.crt"),
            "--in",   testing::kShared + "unsigned/helloworld.ofd",
            "--out",  out,
            "--page", "1",
            "--x",    "20",
            "--y",    "20"};
  }
  // The time.validation line of a verbose report.
  static std::string TimeLine(const std::string& out) {
    const size_t at = out.find("time.validation");
    return at == std::string::npos ? std::string() : out.substr(at, out.find('\n', at) - at);
  }

  tsp::RandomSerialSource serials_{crypto::SystemRng()};
  std::optional<tsp::TimestampAuthority> tsa_;
  std::unique_ptr<sign::testing::HttpTsaServer> server_;
};

TEST_F(SignTsaUrlCliTest, OfdSignOverHttpVerifiesAtTheTimestamp) {
  MakeWorld();
  StartTsa();
  testing::Out s = Run(Plus(OfdSign(P("o.ofd")), {"--tsa-url", server_->url(), "--tsa-url-trust",
                                                  P("ca/root.pem"), "--tsa-timeout", "20"}));
  ASSERT_EQ(s.code, 0) << s.err;
  EXPECT_NE(s.out.find("timestamp: genTime 2026-11-23T09:30:00Z"), std::string::npos) << s.out;
  EXPECT_EQ(s.err.find("--tsa-url-trust"), std::string::npos)
      << s.err;  // no note: the chain was checked
  EXPECT_EQ(server_->requests(), 1);

  testing::Out v =
      RunTrusted({"ofd", "verify", P("o.ofd"), "--verbose", "--tsa-trust", P("ca/root.pem")});
  EXPECT_EQ(v.code, kExitPassed) << v.out << v.err;
  EXPECT_NE(TimeLine(v.out).find("the timestamp's genTime"), std::string::npos) << v.out;
}

TEST_F(SignTsaUrlCliTest, DetachedSignOverHttpWithoutTrustNotesIt) {
  MakeWorld();
  StartTsa();
  ASSERT_TRUE(WriteFileAtomic(P("doc.txt"), std::string_view("合同正文\n"), 0644).ok());
  testing::Out s =
      Run({"sign", "--seal", P("seal.esl"), "--key", P("signer.pem"), "--cert", P("signer.crt"),
           "--in", P("doc.txt"), "--out", P("doc.sig"), "--tsa-url", server_->url()});
  ASSERT_EQ(s.code, 0) << s.err;
  EXPECT_NE(s.err.find("未给 --tsa-url-trust"), std::string::npos) << s.err;
  testing::Out v = RunTrusted({"verify", "--sig", P("doc.sig"), "--in", P("doc.txt"), "--verbose",
                               "--tsa-trust", P("ca/root.pem")});
  EXPECT_EQ(v.code, kExitPassed) << v.out << v.err;
  EXPECT_NE(TimeLine(v.out).find("the timestamp's genTime"), std::string::npos) << v.out;
}

TEST_F(SignTsaUrlCliTest, TheWrongTrustRootRefusesTheTokenAndWritesNothing) {
  MakeWorld();
  StartTsa();
  // An unrelated root (another `ca init`): the TSA's chain does not reach it.
  ASSERT_EQ(Run({"ca", "init", "--out", P("other"), "--name", "Other"}).code, 0);
  testing::Out s = Run(Plus(OfdSign(P("o.ofd")),
                            {"--tsa-url", server_->url(), "--tsa-url-trust", P("other/root.pem")}));
  EXPECT_EQ(s.code, ExitCodeFor(StatusCode::kDataLoss)) << s.err;
  EXPECT_NE(s.err.find("证书链"), std::string::npos) << s.err;
  EXPECT_FALSE(std::filesystem::exists(P("o.ofd")));
}

TEST_F(SignTsaUrlCliTest, AnUnreachableTsaFailsAndWritesNothing) {
  MakeWorld();
  const std::string url = "http://127.0.0.1:" + std::to_string(sign::testing::UnusedPort()) + "/";
  testing::Out s = Run(Plus(OfdSign(P("o.ofd")), {"--tsa-url", url, "--tsa-timeout", "2"}));
  EXPECT_NE(s.code, 0);
  EXPECT_EQ(s.code, ExitCodeFor(StatusCode::kUnavailable)) << s.err;
  EXPECT_NE(s.err.find("时间戳服务不可达"), std::string::npos) << s.err;
  EXPECT_NE(s.err.find(url), std::string::npos) << s.err;
  EXPECT_FALSE(std::filesystem::exists(P("o.ofd")));

  ASSERT_TRUE(WriteFileAtomic(P("doc.txt"), std::string_view("x\n"), 0644).ok());
  testing::Out d =
      Run({"sign", "--seal", P("seal.esl"), "--key", P("signer.pem"), "--cert", P("signer.crt"),
           "--in", P("doc.txt"), "--out", P("doc.sig"), "--tsa-url", url});
  EXPECT_EQ(d.code, ExitCodeFor(StatusCode::kUnavailable)) << d.err;
  EXPECT_FALSE(std::filesystem::exists(P("doc.sig")));
}

TEST_F(SignTsaUrlCliTest, BadCombinationsAreUsageErrors) {
  MakeWorld();
  const std::vector<std::vector<std::string>> bad = {
      {"--tsa-url", "http://127.0.0.1:1/", "--tsa-key", P("signer.pem"), "--tsa-cert",
       P("signer.crt")},
      {"--tsa-url-trust", P("ca/root.pem")},
      {"--tsa-timeout", "3"},
      {"--tsa-url", "http://127.0.0.1:1/", "--tsa-timeout", "-1"},
      {"--tsa-url", "ftp://127.0.0.1/"},
  };
  for (const auto& extra : bad) {
    testing::Out s = Run(Plus(OfdSign(P("o.ofd")), extra));
    EXPECT_EQ(s.code, kExitUsage) << extra[0] << ": " << s.err;
    EXPECT_FALSE(std::filesystem::exists(P("o.ofd")));
  }
}

}  // namespace
}  // namespace eseal::cli
