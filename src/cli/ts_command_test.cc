// eseal ts query / reply / verify (时间戳), and interoperation with the OpenSSL command line:
// `openssl ts -query -sm3 -cert` requests are answered, `openssl ts -reply -text` prints our
// replies, and `openssl ts -query -text` reads our requests.
#include <cstdio>

#include "cli_fixture.h"
#include "eseal/tsp/timestamp_request.h"
#include "eseal/tsp/timestamp_token.h"

namespace eseal::cli::testing {
namespace {

// Runs a shell command; its stdout and stderr, and the exit status.
std::pair<int, std::string> Shell(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
  if (p == nullptr) return {-1, ""};
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  return {::pclose(p), out};
}

bool HaveOpenssl() { return Shell("openssl version").first == 0; }

class TsCommand : public CliFixture {
 protected:
  void MakeTsa() {
    ASSERT_EQ(Run({"ca", "init", "--out", P("ca"), "--name", "Test"}).code, 0);
    ASSERT_EQ(Run({"key", "gen", "--out", P("tsa.pem")}).code, 0);
    Out c = Run({"cert", "issue", "--ca", P("ca"), "--pubkey", P("tsa.pub.pem"), "--subject",
                 "C=CN,O=Test TSA,CN=Test TSA", "--role", "tsa", "--out", P("tsa.crt")});
    ASSERT_EQ(c.code, 0) << c.err;
    EXPECT_NE(c.out.find("issued tsa certificate"), std::string::npos) << c.out;
    ASSERT_EQ(Run({"ca", "crl", "--ca", P("ca")}).code, 0);
    ASSERT_TRUE(WriteFileAtomic(P("a.txt"), std::string_view("合同正文 contract text\n")).ok());
    ASSERT_TRUE(WriteFileAtomic(P("b.txt"), std::string_view("another text\n")).ok());
  }
  Out Reply(const std::string& req, const std::string& resp) {
    return Run({"ts", "reply", "--key", P("tsa.pem"), "--cert", P("tsa.crt"), "--chain", P("ca/issuing.pem"),
                "--in", P(req), "--out", P(resp)});
  }
  Out Verify(std::vector<std::string> args, bool crls = true) {
    std::vector<std::string> a = {"ts", "verify"};
    a.insert(a.end(), args.begin(), args.end());
    for (const char* s : {"--tsa-trust", "ca/root.pem", "--intermediate", "ca/issuing.pem"}) {
      a.push_back(s[0] == '-' ? std::string(s) : P(s));
    }
    if (crls) {
      for (const char* s : {"ca/crl.pem", "ca/root-crl.pem"}) {
        a.push_back("--crl");
        a.push_back(P(s));
      }
    }
    return Run(a);
  }
};

TEST_F(TsCommand, QueryReplyVerify) {
  MakeTsa();
  Out q = Run({"ts", "query", "--data", P("a.txt"), "--cert-req", "--out", P("req.tsq")});
  ASSERT_EQ(q.code, 0) << q.err;
  Out r = Reply("req.tsq", "resp.tsr");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("granted"), std::string::npos) << r.out;

  Out good = Verify({"--reply", P("resp.tsr"), "--data", P("a.txt")});
  EXPECT_EQ(good.code, kExitPassed) << good.out << good.err;
  EXPECT_NE(good.out.find("genTime): 2026-11-23T09:30:00Z"), std::string::npos) << good.out;

  Out other = Verify({"--reply", P("resp.tsr"), "--data", P("b.txt")});
  EXPECT_EQ(other.code, kExitFailed) << other.out;
  EXPECT_NE(other.out.find("FAIL   tsp.imprint"), std::string::npos) << other.out;

  Out no_crl = Verify({"--reply", P("resp.tsr"), "--data", P("a.txt")}, false);
  EXPECT_EQ(no_crl.code, kExitIndeterminate) << no_crl.out;

  // The token alone, and the digest alone.
  auto resp = tsp::ParseTimestampResponse(ReadFile(P("resp.tsr")).value());
  ASSERT_TRUE(resp.ok() && resp->token);
  ASSERT_TRUE(WriteFileAtomic(P("token.der"), *resp->token).ok());
  auto token = tsp::ParseTimestampToken(*resp->token).value();
  EXPECT_EQ(token.signed_data.certificates.size(), 2u);  // certReq: the TSA and --chain
  Out by_digest = Verify({"--token", P("token.der"), "--digest", HexEncode(token.info.hashed_message)});
  EXPECT_EQ(by_digest.code, kExitPassed) << by_digest.out;
  Out wrong_digest = Verify({"--token", P("token.der"), "--digest", std::string(64, '0')});
  EXPECT_EQ(wrong_digest.code, kExitFailed) << wrong_digest.out;

  Out json = Verify({"--token", P("token.der"), "--data", P("a.txt"), "--json"});
  EXPECT_EQ(json.code, kExitPassed);
  EXPECT_NE(json.out.find("\"verdict\": \"PASSED\""), std::string::npos) << json.out;

  // Bad input: exit 2.
  EXPECT_EQ(Verify({"--reply", P("a.txt"), "--data", P("a.txt")}).code, kExitUsage);
  EXPECT_EQ(Verify({"--reply", P("resp.tsr"), "--token", P("token.der"), "--data", P("a.txt")}).code, kExitUsage);
  EXPECT_EQ(Run({"ts", "verify", "--token", P("token.der"), "--data", P("a.txt")}).code, kExitUsage);
}

TEST_F(TsCommand, BadRequestIsAnsweredWithARejectionAndExit2) {
  MakeTsa();
  ASSERT_TRUE(WriteFileAtomic(P("junk.tsq"), std::string_view("not a request")).ok());
  Out r = Reply("junk.tsq", "junk.tsr");
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("rejected"), std::string::npos) << r.err;
  auto resp = tsp::ParseTimestampResponse(ReadFile(P("junk.tsr")).value());
  ASSERT_TRUE(resp.ok());
  EXPECT_EQ(resp->status, 2);
  EXPECT_TRUE(resp->HasFailInfo(tsp::FailInfo::kBadDataFormat));
  EXPECT_FALSE(resp->token);
  Out v = Verify({"--reply", P("junk.tsr"), "--data", P("a.txt")});
  EXPECT_EQ(v.code, kExitFailed) << v.out;
  EXPECT_NE(v.out.find("tsp.reply.status"), std::string::npos) << v.out;
  // A signer certificate cannot act as a TSA.
  ASSERT_EQ(Run({"key", "gen", "--out", P("s.pem")}).code, 0);
  ASSERT_EQ(Run({"cert", "issue", "--ca", P("ca"), "--pubkey", P("s.pub.pem"), "--subject", "C=CN,O=S,CN=S", "--role",
                 "signer", "--out", P("s.crt")})
                .code,
            0);
  ASSERT_EQ(Run({"ts", "query", "--data", P("a.txt"), "--out", P("req.tsq")}).code, 0);
  EXPECT_EQ(Run({"ts", "reply", "--key", P("s.pem"), "--cert", P("s.crt"), "--in", P("req.tsq"), "--out", P("x.tsr")})
                .code,
            ExitCodeFor(StatusCode::kFailedPrecondition));
}

TEST_F(TsCommand, OpensslRequestsAreAnsweredAndOurRepliesPrint) {
  if (!HaveOpenssl()) GTEST_SKIP() << "openssl command not installed";
  MakeTsa();
  auto [qc, qout] = Shell("openssl ts -query -sm3 -data " + P("a.txt") + " -cert -out " + P("ossl.tsq"));
  ASSERT_EQ(qc, 0) << qout;
  auto req = tsp::ParseTimestampRequest(ReadFile(P("ossl.tsq")).value());
  ASSERT_TRUE(req.ok()) << req.status().ToString();
  ASSERT_TRUE(req->nonce && req->cert_req);
  Out r = Reply("ossl.tsq", "ossl.tsr");
  ASSERT_EQ(r.code, 0) << r.err;
  auto [rc, text] = Shell("openssl ts -reply -in " + P("ossl.tsr") + " -text");
  ASSERT_EQ(rc, 0) << text;
  EXPECT_NE(text.find("Status: Granted."), std::string::npos) << text;
  EXPECT_NE(text.find("Policy OID: 1.3.6.1.4.1.32473.2.1"), std::string::npos) << text;
  EXPECT_NE(text.find("Hash Algorithm: sm3"), std::string::npos) << text;
  EXPECT_NE(text.find("Time stamp: Nov 23 09:30:00 2026 GMT"), std::string::npos) << text;
  // OpenSSL prints the nonce as a hex number; compare the numbers, not their padding (a
  // leading zero nibble is printed or not depending on the value).
  auto strip = [](std::string h) {
    while (h.size() > 1 && h[0] == '0') h.erase(0, 1);
    return h;
  };
  const size_t at = text.find("Nonce: 0x");
  ASSERT_NE(at, std::string::npos) << text;
  const size_t start = at + 9;
  const std::string printed = text.substr(start, text.find('\n', start) - start);
  EXPECT_EQ(strip(printed), strip(HexEncode(*req->nonce, true))) << text;
  EXPECT_NE(text.find("TSA: DirName:"), std::string::npos) << text;
  EXPECT_EQ(Verify({"--reply", P("ossl.tsr"), "--data", P("a.txt")}).code, kExitPassed);

  // Ours, read by OpenSSL.
  ASSERT_EQ(Run({"ts", "query", "--data", P("a.txt"), "--cert-req", "--out", P("ours.tsq")}).code, 0);
  auto [oc, otext] = Shell("openssl ts -query -in " + P("ours.tsq") + " -text");
  ASSERT_EQ(oc, 0) << otext;
  EXPECT_NE(otext.find("Hash Algorithm: sm3"), std::string::npos) << otext;
  EXPECT_NE(otext.find("Certificate required: yes"), std::string::npos) << otext;
  EXPECT_NE(otext.find("Nonce: 0x"), std::string::npos) << otext;
  ASSERT_EQ(Run({"ts", "query", "--data", P("a.txt"), "--sha256", "--no-nonce", "--out", P("ours2.tsq")}).code, 0);
  auto [oc2, otext2] = Shell("openssl ts -query -in " + P("ours2.tsq") + " -text");
  EXPECT_NE(otext2.find("Hash Algorithm: sha256"), std::string::npos) << otext2;
  EXPECT_NE(otext2.find("Nonce: unspecified"), std::string::npos) << otext2;
  EXPECT_NE(otext2.find("Certificate required: no"), std::string::npos) << otext2;
}

}  // namespace
}  // namespace eseal::cli::testing
