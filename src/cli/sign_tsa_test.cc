// `--tsa-key/--tsa-cert` on `eseal ofd sign` and `eseal sign`: the signature carries a
// token from a local TSA, and `verify --tsa-trust` judges the signer at its genTime. The
// same options on `eseal pdf extend` make the document timestamp after the DSS.
#include <gtest/gtest.h>

#include "cli_fixture.h"
#include "test_pdfs.h"

namespace eseal::cli {
namespace {

class SignTsaCliTest : public testing::CliFixture {
 protected:
  // A TSA key and certificate from the world's CA (`cert issue --role tsa`).
  void MakeTsa() {
    ASSERT_EQ(Run({"key", "gen", "--out", P("tsa.pem")}).code, 0);
    testing::Out c = Run({"cert", "issue", "--ca", P("ca"), "--pubkey", P("tsa.pub.pem"), "--subject",
                          "C=CN,O=Test TSA,CN=Test TSA", "--role", "tsa", "--out", P("tsa.crt")});
    ASSERT_EQ(c.code, 0) << c.err;
  }
  std::vector<std::string> TsaArgs() const {
    return {"--tsa-key", P("tsa.pem"), "--tsa-cert", P("tsa.crt"), "--tsa-chain", P("ca/issuing.pem")};
  }
};

std::vector<std::string> Plus(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST_F(SignTsaCliTest, OfdSignStampedVerifiesAtTheTimestamp) {
  MakeWorld();
  MakeTsa();
  const std::string hello = testing::kShared + "unsigned/helloworld.ofd";
  for (const std::string format : {"seal", "sign"}) {
    std::vector<std::string> sign = {"ofd", "sign", "--format", format, "--key", P("signer.pem"), "--cert",
                                     P("signer.crt"), "--in", hello, "--out", P(format + ".ofd")};
    if (format == "seal") sign = Plus(sign, {"--seal", P("seal.esl"), "--page", "1", "--x", "20", "--y", "20"});
    testing::Out s = Run(Plus(sign, TsaArgs()));
    ASSERT_EQ(s.code, 0) << s.err;
    EXPECT_NE(s.out.find("timestamp: genTime 2026-11-23T09:30:00Z"), std::string::npos) << s.out;

    testing::Out v = RunTrusted({"ofd", "verify", P(format + ".ofd"), "--verbose", "--tsa-trust", P("ca/root.pem")});
    EXPECT_EQ(v.code, kExitPassed) << v.out << v.err;
    const size_t at = v.out.find("time.validation");
    ASSERT_NE(at, std::string::npos) << v.out;
    const std::string line = v.out.substr(at, v.out.find('\n', at) - at);
    EXPECT_NE(line.find("the timestamp's genTime"), std::string::npos) << line;
  }
}

TEST_F(SignTsaCliTest, WithoutTheOptionsNothingIsStamped) {
  MakeWorld();
  const std::string hello = testing::kShared + "unsigned/helloworld.ofd";
  testing::Out s = Run({"ofd", "sign", "--seal", P("seal.esl"), "--key", P("signer.pem"), "--cert", P("signer.crt"),
                        "--in", hello, "--out", P("o.ofd"), "--page", "1", "--x", "20", "--y", "20"});
  ASSERT_EQ(s.code, 0) << s.err;
  EXPECT_EQ(s.out.find("timestamp"), std::string::npos) << s.out;
  testing::Out v = RunTrusted({"ofd", "verify", P("o.ofd"), "--verbose"});
  EXPECT_EQ(v.code, kExitPassed) << v.out;
  const size_t at = v.out.find("time.validation");
  ASSERT_NE(at, std::string::npos) << v.out;
  EXPECT_EQ(v.out.substr(at, v.out.find('\n', at) - at).find("timestamp"), std::string::npos);
}

TEST_F(SignTsaCliTest, DetachedSignStamped) {
  MakeWorld();
  MakeTsa();
  ASSERT_TRUE(WriteFileAtomic(P("doc.txt"), std::string_view("合同正文\n"), 0644).ok());
  testing::Out s = Run(Plus({"sign", "--seal", P("seal.esl"), "--key", P("signer.pem"), "--cert", P("signer.crt"),
                             "--in", P("doc.txt"), "--out", P("doc.sig")},
                            TsaArgs()));
  ASSERT_EQ(s.code, 0) << s.err;
  EXPECT_NE(s.out.find("timestamp: genTime"), std::string::npos) << s.out;
  testing::Out v = RunTrusted({"verify", "--sig", P("doc.sig"), "--in", P("doc.txt"), "--verbose", "--tsa-trust",
                               P("ca/root.pem")});
  EXPECT_EQ(v.code, kExitPassed) << v.out << v.err;
  const size_t at = v.out.find("time.validation");
  ASSERT_NE(at, std::string::npos) << v.out;
  EXPECT_NE(v.out.substr(at, v.out.find('\n', at) - at).find("the timestamp's genTime"), std::string::npos) << v.out;
}

TEST_F(SignTsaCliTest, BadTsaOptionsWriteNothing) {
  MakeWorld();
  MakeTsa();
  const std::string hello = testing::kShared + "unsigned/helloworld.ofd";
  const std::vector<std::string> sign = {"ofd", "sign", "--format", "sign", "--key", P("signer.pem"),
                                         "--cert", P("signer.crt"), "--in", hello, "--out", P("x.ofd")};
  // Only half of the pair.
  EXPECT_EQ(Run(Plus(sign, {"--tsa-key", P("tsa.pem")})).code, kExitUsage);
  EXPECT_FALSE(std::filesystem::exists(P("x.ofd")));
  // A certificate without the timeStamping purpose (the signer's) is refused as a TSA, and
  // the message says how to get one.
  testing::Out wrong = Run(Plus(sign, {"--tsa-key", P("signer.pem"), "--tsa-cert", P("signer.crt")}));
  EXPECT_EQ(wrong.code, ExitCodeFor(StatusCode::kFailedPrecondition)) << wrong.err;
  EXPECT_NE(wrong.err.find("--role tsa"), std::string::npos) << wrong.err;
  EXPECT_FALSE(std::filesystem::exists(P("x.ofd")));
  // A v1 seal cannot carry a token: refused, nothing written.
  testing::Out m = Run({"seal", "make", "--maker-cert", P("maker.crt"), "--maker-key", P("maker.pem"),
                        "--maker-password-file", P("pw"), "--signer-cert", P("signer.crt"), "--kind", "contract",
                        "--name", "南宁市某某科技有限公司", "--id", "4501000000000002", "--format", "v1", "--out",
                        P("seal1.esl")});
  ASSERT_EQ(m.code, 0) << m.err;
  testing::Out v1 = Run(Plus({"ofd", "sign", "--seal", P("seal1.esl"), "--key", P("signer.pem"), "--cert",
                              P("signer.crt"), "--in", hello, "--out", P("x.ofd"), "--page", "1", "--x", "20",
                              "--y", "20"},
                             TsaArgs()));
  EXPECT_EQ(v1.code, ExitCodeFor(StatusCode::kFailedPrecondition)) << v1.err;
  EXPECT_NE(v1.err.find("GM/T 0031-2014 (v1)"), std::string::npos) << v1.err;
  EXPECT_FALSE(std::filesystem::exists(P("x.ofd")));
}

TEST_F(SignTsaCliTest, PdfExtendAddsTheDssAndADocumentTimestamp) {
  MakeWorld();
  MakeTsa();
  const Bytes pdf = pdf::testing::ClassicPdf(1);
  ASSERT_TRUE(WriteFileAtomic(P("doc.pdf"), pdf, 0644).ok());
  testing::Out s = Run({"pdf", "sign", "--seal", P("seal.esl"), "--key", P("signer.pem"), "--cert", P("signer.crt"),
                        "--in", P("doc.pdf"), "--out", P("signed.pdf"), "--page", "1", "--x", "20", "--y", "20"});
  ASSERT_EQ(s.code, 0) << s.err;
  testing::Out e = Run(Plus({"pdf", "extend", "--in", P("signed.pdf"), "--out", P("lt.pdf"), "--cert",
                             P("ca/root.pem"), "--cert", P("ca/issuing.pem"), "--crl", P("ca/crl.pem"), "--crl",
                             P("ca/root-crl.pem")},
                            TsaArgs()));
  ASSERT_EQ(e.code, 0) << e.err;
  EXPECT_NE(e.out.find("document timestamp in field eseal-ts-1"), std::string::npos) << e.out;

  // The relying party gives anchors only: the issuing CA and both CRLs come from the DSS.
  testing::Out v = Run({"pdf", "verify", P("lt.pdf"), "--verbose", "--trust", P("ca/root.pem"), "--maker-trust",
                        P("ca/root.pem"), "--tsa-trust", P("ca/root.pem")});
  EXPECT_EQ(v.code, kExitPassed) << v.out << v.err;
  EXPECT_NE(v.out.find("pdf.dss"), std::string::npos) << v.out;
  EXPECT_NE(v.out.find("signature eseal-ts-1 (doc_timestamp, revision 4): PASSED"), std::string::npos) << v.out;
  EXPECT_NE(v.out.find("pdf.doc_timestamp.time"), std::string::npos) << v.out;
  // The same without the DSS: the issuing CA and the CRLs are missing.
  testing::Out plain = Run({"pdf", "verify", P("signed.pdf"), "--trust", P("ca/root.pem"), "--maker-trust",
                            P("ca/root.pem")});
  EXPECT_EQ(plain.code, kExitIndeterminate) << plain.out << plain.err;

  // Nothing new and no TSA: refused, nothing written. (Without --no-document-certs the
  // document timestamp's TSA certificate would be new.)
  testing::Out again = Run({"pdf", "extend", "--in", P("lt.pdf"), "--out", P("again.pdf"), "--crl", P("ca/crl.pem"),
                            "--no-document-certs"});
  EXPECT_EQ(again.code, ExitCodeFor(StatusCode::kFailedPrecondition)) << again.err;
  EXPECT_NE(again.err.find("nothing to add"), std::string::npos) << again.err;
  EXPECT_FALSE(std::filesystem::exists(P("again.pdf")));
}

}  // namespace
}  // namespace eseal::cli
