// The CLI end to end: make a CA, keys, certificates, a seal with a generated image, sign a
// file, verify it; exit codes for every outcome; --help everywhere; bad input gives one line.
#include "eseal/cli/cli.h"

#include "cli_fixture.h"
#include "eseal/crypto/key_protection.h"
#include "eseal/crypto/sm2.h"
#include "eseal/ses/seal_status_response.h"

namespace eseal::cli {
namespace {

using testing::kShared;
using testing::Out;
using CliTest = testing::CliFixture;

TEST_F(CliTest, MakeSignVerifyAndTamper) {
  MakeWorld();
  Out inspect = Run({"seal", "inspect", P("seal.esl"), "--image-out", P("seal.png")});
  ASSERT_EQ(inspect.code, 0) << inspect.err;
  EXPECT_NE(inspect.out.find("esID:         4501000000000001"), std::string::npos) << inspect.out;
  EXPECT_NE(inspect.out.find("v4"), std::string::npos);
  auto png = ReadFile(P("seal.png"));
  ASSERT_TRUE(png.ok());
  EXPECT_EQ(Bytes(png->begin(), png->begin() + 4), (Bytes{0x89, 'P', 'N', 'G'}));

  Out json = Run({"seal", "inspect", P("seal.esl"), "--json"});
  EXPECT_NE(json.out.find("\"name\": \"南宁市某某科技有限公司\""), std::string::npos) << json.out;

  // The seal verifies with the CA root as seal-maker anchor, is indeterminate without one,
  // and with the root trusted for signers only.
  Out sv = RunTrusted({"seal", "verify", P("seal.esl")});
  EXPECT_EQ(sv.code, 0) << sv.out;
  EXPECT_EQ(Run({"seal", "verify", P("seal.esl")}).code, kExitIndeterminate);
  Out signer_only = Run({"seal", "verify", P("seal.esl"), "--trust", P("ca/chain.pem"), "--crl",
                         P("ca/crl.pem"), "--crl", P("ca/root-crl.pem"), "--verbose"});
  EXPECT_EQ(signer_only.code, kExitIndeterminate) << signer_only.out;
  EXPECT_NE(signer_only.out.find("INDET  maker.role"), std::string::npos) << signer_only.out;
  Out late = RunTrusted({"seal", "verify", P("seal.esl"), "--at", "2028-01-01T00:00:00Z", "--json"});
  EXPECT_EQ(late.code, kExitFailed);
  EXPECT_NE(late.out.find("\"verdict\": \"FAILED\""), std::string::npos);
  EXPECT_NE(late.out.find("ses.seal.valid_at_time"), std::string::npos);

  ASSERT_TRUE(WriteFileAtomic(P("contract.txt"), std::string_view("合同正文 v1")).ok());
  Out sign = Run({"sign", "--seal", P("seal.esl"), "--key", P("signer.pem"), "--cert",
                  P("signer.crt"), "--in", P("contract.txt"), "--out", P("contract.sig")});
  ASSERT_EQ(sign.code, 0) << sign.err;
  Out ok = RunTrusted({"verify", "--sig", P("contract.sig"), "--in", P("contract.txt"), "--json"});
  EXPECT_EQ(ok.code, 0) << ok.out;
  EXPECT_NE(ok.out.find("\"verdict\": \"PASSED\""), std::string::npos);

  ASSERT_TRUE(WriteFileAtomic(P("contract.txt"), std::string_view("合同正文 v2")).ok());
  Out bad = RunTrusted({"verify", "--sig", P("contract.sig"), "--in", P("contract.txt")});
  EXPECT_EQ(bad.code, kExitFailed);
  EXPECT_NE(bad.out.find("FAIL   ses.signature.data_hash"), std::string::npos) << bad.out;
}

// The built-in CA revokes and publishes a CRL. No timestamp proves when either signature
// was made, so both are judged now, after the revocation: a key compromise FAILS both
// (the claimed time proves nothing; issue 9 "backdated after compromise"); asked --at the
// first signing time, the earlier one would have passed.
TEST_F(CliTest, RevokePublishCrlAndVerifyAtTheSigningTime) {
  MakeWorld();
  ASSERT_TRUE(WriteFileAtomic(P("a.txt"), std::string_view("合同正文")).ok());
  auto sign = [&](const std::string& out) {
    return Run({"sign", "--seal", P("seal.esl"), "--key", P("signer.pem"), "--cert", P("signer.crt"),
                "--in", P("a.txt"), "--out", P(out)});
  };
  ASSERT_EQ(sign("before.sig").code, 0);
  clock_.Advance(std::chrono::hours(1));
  Out rev = Run({"cert", "revoke", "--ca", P("ca"), "--cert", P("signer.crt"), "--reason", "keyCompromise"});
  ASSERT_EQ(rev.code, 0) << rev.err;
  EXPECT_EQ(Run({"cert", "revoke", "--ca", P("ca"), "--cert", P("signer.crt")}).code,
            ExitCodeFor(StatusCode::kFailedPrecondition))
      << "revoking twice is refused (exit 4, README \"Command line\")";
  Out crl = Run({"ca", "crl", "--ca", P("ca"), "--out", P("crl.der")});
  ASSERT_EQ(crl.code, 0) << crl.err;
  EXPECT_NE(crl.out.find("1 revoked certificate(s)"), std::string::npos) << crl.out;
  clock_.Advance(std::chrono::hours(1));
  ASSERT_EQ(sign("after.sig").code, 0);

  auto verify = [&](const std::string& sig, std::vector<std::string> more = {}) {
    std::vector<std::string> args = {"verify", "--sig", P(sig), "--in", P("a.txt"), "--verbose"};
    args.insert(args.end(), more.begin(), more.end());
    return RunTrusted(args);
  };
  Out before = verify("before.sig");
  EXPECT_EQ(before.code, kExitFailed) << before.out;
  EXPECT_NE(before.out.find("FAIL   signer.cert.revocation"), std::string::npos) << before.out;
  Out after = verify("after.sig");
  EXPECT_EQ(after.code, kExitFailed) << after.out;
  EXPECT_NE(after.out.find("FAIL   signer.cert.revocation"), std::string::npos) << after.out;
  Out then = verify("before.sig", {"--at", "2026-11-23T09:30:00Z"});
  EXPECT_EQ(then.code, kExitPassed) << then.out;
  EXPECT_NE(then.out.find("PASS   signer.cert.revocation"), std::string::npos) << then.out;
  EXPECT_NE(then.out.find("INFO   time.validation"), std::string::npos) << then.out;
  EXPECT_EQ(Run({"cert", "revoke", "--ca", P("ca")}).code, kExitUsage);
}

TEST_F(CliTest, V1SealsToo) {
  MakeWorld("v1");
  ASSERT_TRUE(WriteFileAtomic(P("a.txt"), std::string_view("x")).ok());
  ASSERT_EQ(Run({"sign", "--seal", P("seal.esl"), "--key", P("signer.pem"), "--cert",
                 P("signer.crt"), "--in", P("a.txt"), "--out", P("a.sig")}).code, 0);
  Out v = RunTrusted({"verify", "--sig", P("a.sig"), "--in", P("a.txt")});
  EXPECT_EQ(v.code, 0) << v.out;
}

TEST_F(CliTest, WrongPasswordIsRefusedCleanly) {
  MakeWorld();
  ASSERT_TRUE(WriteFileAtomic(P("wrong"), std::string_view("not it\n"), 0600).ok());
  Out o = Run({"seal", "make", "--maker-cert", P("maker.crt"), "--maker-key", P("maker.pem"),
               "--maker-password-file", P("wrong"), "--signer-cert", P("signer.crt"), "--kind",
               "contract", "--name", "X", "--id", "1", "--out", P("x.esl")});
  EXPECT_EQ(o.code, 4);
  EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
  EXPECT_EQ(o.err.find("not it"), std::string::npos);
  EXPECT_FALSE(FileExists(P("x.esl")));
}

TEST_F(CliTest, RealOfdrwSealWithTestRoot) {
  Out o = Run({"seal", "verify", kShared + "seals/UserV4.esl", "--maker-trust",
               kShared + "keys/sealer_cert.pem", "--at", "2021-06-01T00:00:00Z"});
  EXPECT_EQ(o.code, 0) << o.out;
  Out expired = Run({"seal", "verify", kShared + "seals/UserV4.esl", "--maker-trust",
                     kShared + "keys/sealer_cert.pem"});
  EXPECT_EQ(expired.code, kExitFailed);
  Out hebei = Run({"seal", "verify", kShared + "seals/SESealData.DER"});
  EXPECT_EQ(hebei.code, kExitFailed);
  EXPECT_NE(hebei.out.find("FAIL   ses.seal.maker_signature"), std::string::npos);
}

TEST_F(CliTest, BadInputGivesExitTwoAndOneLine) {
  ASSERT_TRUE(WriteFileAtomic(P("junk.esl"), std::string_view("\x30\x82\xff\xff junk")).ok());
  ASSERT_TRUE(WriteFileAtomic(P("empty.esl"), std::string_view("")).ok());
  for (const std::string& f : {P("junk.esl"), P("empty.esl"), P("missing.esl")}) {
    for (const char* cmd : {"inspect", "verify"}) {
      Out o = Run({"seal", cmd, f});
      EXPECT_EQ(o.code, kExitUsage) << cmd << " " << f << ": " << o.err;
      EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
      EXPECT_EQ(o.err.rfind("eseal: ", 0), 0u) << o.err;
    }
  }
  // Truncated real seal.
  auto real = ReadFile(kShared + "seals/UserV4.esl");
  ASSERT_TRUE(real.ok());
  ASSERT_TRUE(WriteFileAtomic(P("trunc.esl"), ByteView(real->data(), real->size() / 2)).ok());
  EXPECT_EQ(Run({"seal", "inspect", P("trunc.esl")}).code, kExitUsage);
  // Usage errors.
  EXPECT_EQ(Run({}).code, kExitUsage);
  EXPECT_EQ(Run({"seal", "make"}).code, kExitUsage);
  EXPECT_EQ(Run({"nonsense"}).code, kExitUsage);
  EXPECT_EQ(Run({"seal", "image", "--kind", "round-ish", "--name", "x", "--out", P("x.png")}).code,
            kExitUsage);
  EXPECT_EQ(Run({"seal", "verify", P("junk.esl"), "--at", "yesterday"}).code, kExitUsage);
}

TEST_F(CliTest, HelpOnEveryCommand) {
  const std::vector<std::vector<std::string>> cmds = {
      {}, {"ca"}, {"ca", "init"}, {"ca", "crl"}, {"key"}, {"key", "gen"}, {"cert"}, {"cert", "issue"},
      {"cert", "revoke"},
      {"seal"}, {"seal", "image"}, {"seal", "make"}, {"seal", "inspect"}, {"seal", "verify"},
      {"sign"}, {"verify"}};
  for (auto c : cmds) {
    c.push_back("--help");
    Out o = Run(c);
    EXPECT_EQ(o.code, 0) << c.size();
    EXPECT_NE(o.out.find("--help"), std::string::npos) << o.out;
  }
  Out make = Run({"seal", "make", "--help"});
  EXPECT_NE(make.out.find("--maker-cert"), std::string::npos) << make.out;
}

TEST_F(CliTest, SealImageForEveryKind) {
  for (const char* kind : {"legal-name", "contract", "finance", "business", "gov-service"}) {
    Out o = Run({"seal", "image", "--kind", kind, "--name", "广西某某有限公司", "--out",
                 P(std::string(kind) + ".png")});
    EXPECT_EQ(o.code, 0) << kind << ": " << o.err;
  }
  EXPECT_EQ(Run({"seal", "image", "--kind", "invoice", "--name", "广西某某有限公司", "--code",
                 "91450100MA5L8XXX1X", "--out", P("invoice.png")}).code, 0);
  EXPECT_EQ(Run({"seal", "image", "--kind", "legal-rep", "--name", "张三", "--out",
                 P("rep.png")}).code, 0);
}

// --seal-status: a signed seal-status answer from the seal's maker counts as status
// evidence on `seal verify` (and `verify`, `ofd verify`: the same trust options).
TEST_F(CliTest, SealStatusAnswerIsStatusEvidence) {
  MakeWorld();
  auto seal = ses::ParseSeal(ReadFile(P("seal.esl")).value()).value();
  auto maker = crypto::LoadPrivateKeyPem(ToString(ReadFile(P("maker.pem")).value()),
                                         AsBytes("correct horse"), nullptr);
  ASSERT_TRUE(maker.ok()) << maker.status().ToString();
  const Time now = *ParseTime("2026-11-23T09:30:00Z");
  auto answer = [&](ses::SealStatus status, const std::string& name) {
    ses::SealStatusStatement st;
    st.seal = &seal;
    st.status = status;
    if (ses::SealStatusHasSince(status)) st.since = now - kDay;
    st.produced_at = st.this_update = now;
    st.next_update = now + kDay;
    auto a = ses::SignSealStatusResponse(st, seal.maker_cert, *maker);
    EXPECT_TRUE(a.ok()) << a.status().ToString();
    EXPECT_TRUE(WriteFileAtomic(P(name), a->der).ok());
    return P(name);
  };
  Out ok = RunTrusted({"seal", "verify", P("seal.esl"), "--seal-status",
                       answer(ses::SealStatus::kInForce, "in_force.der"), "--verbose"});
  EXPECT_EQ(ok.code, kExitPassed) << ok.out;
  EXPECT_NE(ok.out.find("status.seal_at_signing"), std::string::npos) << ok.out;
  Out revoked = RunTrusted({"seal", "verify", P("seal.esl"), "--seal-status",
                            answer(ses::SealStatus::kRevoked, "revoked.der")});
  EXPECT_EQ(revoked.code, kExitFailed) << revoked.out;
  EXPECT_NE(revoked.out.find("FAIL   status.seal_at_signing"), std::string::npos) << revoked.out;
  ASSERT_TRUE(WriteFileAtomic(P("junk.der"), std::string_view("not an answer")).ok());
  Out junk = RunTrusted({"seal", "verify", P("seal.esl"), "--seal-status", P("junk.der")});
  EXPECT_NE(junk.code, kExitPassed);
  EXPECT_NE(junk.err.find("--seal-status"), std::string::npos) << junk.err;
}

// `--crypto` picks the SM2 implementation for one run; what one signs the other verifies.
TEST_F(CliTest, EitherSm2BackendVerifiesWhatTheOtherSigned) {
  const crypto::Sm2Backend saved = crypto::CurrentSm2Backend();
  MakeWorld();
  ASSERT_TRUE(WriteFileAtomic(P("contract.txt"), std::string_view("合同正文")).ok());
  const std::vector<std::pair<std::string, std::string>> pairs = {{"openssl", "eseal"},
                                                                  {"eseal", "openssl"}};
  for (const auto& [signer, verifier] : pairs) {
    Out sign = Run({"--crypto", signer, "sign", "--seal", P("seal.esl"), "--key", P("signer.pem"),
                    "--cert", P("signer.crt"), "--in", P("contract.txt"), "--out", P("c.sig")});
    ASSERT_EQ(sign.code, 0) << sign.err;
    EXPECT_EQ(crypto::Sm2BackendName(crypto::CurrentSm2Backend()), signer);
    Out ok = RunTrusted({"--crypto", verifier, "verify", "--sig", P("c.sig"), "--in",
                         P("contract.txt"), "--json"});
    EXPECT_EQ(ok.code, 0) << signer << " -> " << verifier << ": " << ok.out;
    EXPECT_NE(ok.out.find("\"verdict\": \"PASSED\""), std::string::npos);
  }
  Out bad = Run({"--crypto", "gmssl", "seal", "inspect", P("seal.esl")});
  EXPECT_EQ(bad.code, kExitUsage);
  // The refusal a person reads is Chinese first and names what to give.
  EXPECT_EQ(bad.err.rfind("eseal: 密码实现只能是 eseal 或 openssl", 0), 0u) << bad.err;
  crypto::SetSm2Backend(saved);
}

}  // namespace
}  // namespace eseal::cli
