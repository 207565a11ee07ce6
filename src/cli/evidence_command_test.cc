// Evidence records (验证证据记录) on the command line: `--evidence` on `ofd verify` and
// `verify`, `eseal evidence show` and `eseal evidence renew`. The records are built here with
// the public API, the way the platform keeps them at signing time.
#include <gtest/gtest.h>

#include "cli_fixture.h"
#include "eseal/crypto/key_protection.h"
#include "eseal/crypto/random.h"
#include "eseal/crypto/sm3.h"
#include "eseal/ofd/package.h"
#include "eseal/ses/signature.h"
#include "eseal/sign/timestamper.h"
#include "eseal/tsp/authority.h"
#include "eseal/verify/evidence_record.h"
#include "eseal/verify/ofd_verifier.h"

namespace eseal::cli {
namespace {

std::vector<std::string> Plus(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// The text line of check `id` (first one), or "" — the result tag leads it ("PASS ", "INDET").
std::string Line(const std::string& out, const std::string& id) {
  const size_t at = out.find("  " + id + "  ");
  if (at == std::string::npos) return "";
  size_t start = out.rfind('\n', at) + 1;  // npos + 1 == 0
  while (out[start] == ' ') ++start;       // reports nest under "document:" and signatures
  return out.substr(start, out.find('\n', at) - start);
}

class EvidenceCliTest : public testing::CliFixture {
 protected:
  // A TSA key and certificate (`name`.pem, `name`.crt) from the world's issuing CA, valid
  // `days` from the clock's now.
  void MakeTsa(const std::string& name, int days) {
    ASSERT_EQ(Run({"key", "gen", "--out", P(name + ".pem")}).code, 0);
    testing::Out c = Run({"cert", "issue", "--ca", P("ca"), "--pubkey", P(name + ".pub.pem"),
                          "--subject", "C=CN,O=Test TSA,CN=" + name, "--role", "tsa", "--days",
                          std::to_string(days), "--out", P(name + ".crt")});
    ASSERT_EQ(c.code, 0) << c.err;
  }
  std::vector<std::string> TsaArgs(const std::string& name) const {
    return {"--tsa-key",      P(name + ".pem"), "--tsa-cert",
            P(name + ".crt"), "--tsa-chain",    P("ca/issuing.pem")};
  }
  // Seals hello world with the world's seal, stamped by TSA `tsa`.
  void SignOfd(const std::string& out, const std::string& tsa) {
    testing::Out s =
        Run(Plus({"ofd", "sign", "--seal", P("seal.esl"), "--key", P("signer.pem"), "--cert",
                  P("signer.crt"), "--in", testing::kShared + "unsigned/helloworld.ofd", "--out",
                  P(out), "--page", "1", "--x", "20", "--y", "20"},
                 TsaArgs(tsa)));
    ASSERT_EQ(s.code, 0) << s.err;
  }

  static Bytes Read(const std::string& path) {
    auto b = ReadFile(path);
    EXPECT_TRUE(b.ok()) << path;
    return b.ok() ? *b : Bytes{};
  }
  static Bytes CertDer(const std::string& path) {
    auto c = x509::Certificate::FromPem(AsChars(Read(path)));
    EXPECT_TRUE(c.ok()) << path;
    return c.ok() ? c->der() : Bytes{};
  }
  static Bytes CrlDer(const std::string& path) {
    auto c = x509::Crl::FromPem(AsChars(Read(path)));
    EXPECT_TRUE(c.ok()) << path;
    return c.ok() ? c->der() : Bytes{};
  }

  // The first signature of an OFD as the verifier parses it.
  static ses::Signature FirstSignature(const std::string& ofd) {
    auto v = verify::VerifyOfd(Read(ofd), verify::OfdVerifyOptions{});
    EXPECT_TRUE(v.ok() && !v->signatures.empty() && v->signatures[0].ses);
    return *v->signatures.at(0).ses;
  }

  // Adds an archive timestamp from TSA `tsa` on the fixture's clock (the platform's job).
  void Renew(verify::EvidenceRecord& e, const std::string& tsa) {
    auto key = crypto::LoadPrivateKeyPem(AsChars(Read(P(tsa + ".pem"))), {}, nullptr);
    ASSERT_TRUE(key.ok()) << key.status().message();
    auto cert = x509::Certificate::FromPem(AsChars(Read(P(tsa + ".crt"))));
    ASSERT_TRUE(cert.ok());
    tsp::RandomSerialSource serials(crypto::SystemRng());
    auto authority =
        tsp::TimestampAuthority::Create(std::make_shared<crypto::Sm2PrivateKey>(*std::move(key)),
                                        *cert, tsp::TsaOptions{}, clock_, serials);
    ASSERT_TRUE(authority.ok()) << authority.status().message();
    ASSERT_TRUE(verify::RenewEvidence(e, sign::LocalTimestamper(*authority), {}, {}).ok());
  }

  // What the platform keeps at signing: the chains (signer, maker, issuing CA, TSA), the
  // CRLs current now, the signature's token, and one archive timestamp from `tsa`.
  void WriteRecord(const ses::Signature& sig, const std::string& tsa, const std::string& out) {
    verify::EvidenceRecord e;
    e.signature_hash = crypto::Sm3Bytes(sig.der);
    e.signed_at = clock_.Now();
    e.certificates = {CertDer(P("signer.crt")), CertDer(P("maker.crt")),
                      CertDer(P("ca/issuing.pem")), CertDer(P(tsa + ".crt"))};
    e.crls = {CrlDer(P("ca/crl.pem")), CrlDer(P("ca/root-crl.pem"))};
    e.signature_timestamp = sig.timestamp;
    Renew(e, tsa);
    ASSERT_TRUE(WriteFileAtomic(P(out), verify::EncodeEvidenceRecord(e)).ok());
  }

  // The relying party's own anchors, and no CRL: the evidence must bring those.
  std::vector<std::string> Anchors() const {
    return {"--trust",     P("ca/root.pem"), "--maker-trust",  P("ca/root.pem"),
            "--tsa-trust", P("ca/root.pem"), "--intermediate", P("ca/issuing.pem")};
  }
};

// Years later the signer's certificate has expired and the CRLs of the time are gone; the
// token proves when it signed, and the record's CRLs decide revocation then.
TEST_F(EvidenceCliTest, RecordDecidesRevocationYearsLater) {
  MakeWorld();
  MakeTsa("tsa", 3650);
  SignOfd("signed.ofd", "tsa");
  WriteRecord(FirstSignature(P("signed.ofd")), "tsa", "evidence.der");

  clock_.Set(*ParseTime("2030-06-01T00:00:00Z"));
  testing::Out bare = Run(Plus({"ofd", "verify", P("signed.ofd")}, Anchors()));
  EXPECT_EQ(bare.code, kExitIndeterminate) << bare.out;
  EXPECT_NE(bare.out.find("cert.revocation"), std::string::npos) << bare.out;

  testing::Out with = Run(Plus(
      {"ofd", "verify", P("signed.ofd"), "--verbose", "--evidence", P("evidence.der")}, Anchors()));
  EXPECT_EQ(with.code, kExitPassed) << with.out << with.err;
  EXPECT_EQ(Line(with.out, "evidence.archive_timestamp").rfind("PASS", 0), 0u) << with.out;
  EXPECT_EQ(Line(with.out, "evidence.renewal").rfind("PASS", 0), 0u) << with.out;
  const std::string named = Line(with.out, "evidence.signature");
  EXPECT_EQ(named.rfind("PASS", 0), 0u) << with.out;
  EXPECT_NE(named.find("signature 1 (/Doc_0/Signs/Sign_0/Signature.xml)"), std::string::npos)
      << named;

  testing::Out json = Run(Plus(
      {"ofd", "verify", P("signed.ofd"), "--json", "--evidence", P("evidence.der")}, Anchors()));
  EXPECT_EQ(json.code, kExitPassed) << json.out;
  EXPECT_NE(json.out.find("\"evidence.archive_timestamp\""), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("\"evidence_file\""), std::string::npos) << json.out;

  // The record is not an anchor: without the relying party's --tsa-trust its archive
  // timestamp proves nothing and the verdict cannot pass.
  std::vector<std::string> no_tsa = {"--trust", P("ca/root.pem"), "--maker-trust",
                                     P("ca/root.pem")};
  testing::Out untrusted =
      Run(Plus({"ofd", "verify", P("signed.ofd"), "--evidence", P("evidence.der")}, no_tsa));
  EXPECT_NE(untrusted.code, kExitPassed) << untrusted.out;
}

TEST_F(EvidenceCliTest, DetachedSignatureWithRecord) {
  MakeWorld();
  MakeTsa("tsa", 3650);
  ASSERT_TRUE(WriteFileAtomic(P("doc.txt"), std::string_view("合同正文\n"), 0644).ok());
  testing::Out s = Run(Plus({"sign", "--seal", P("seal.esl"), "--key", P("signer.pem"), "--cert",
                             P("signer.crt"), "--in", P("doc.txt"), "--out", P("doc.sig")},
                            TsaArgs("tsa")));
  ASSERT_EQ(s.code, 0) << s.err;
  auto sig = ses::ParseSignature(Read(P("doc.sig")));
  ASSERT_TRUE(sig.ok());
  WriteRecord(*sig, "tsa", "evidence.der");

  clock_.Set(*ParseTime("2030-06-01T00:00:00Z"));
  const std::vector<std::string> verify = {"verify", "--sig", P("doc.sig"), "--in", P("doc.txt")};
  EXPECT_EQ(Run(Plus(verify, Anchors())).code, kExitIndeterminate);
  testing::Out with =
      Run(Plus(Plus(verify, {"--verbose", "--evidence", P("evidence.der")}), Anchors()));
  EXPECT_EQ(with.code, kExitPassed) << with.out << with.err;
  EXPECT_NE(Line(with.out, "evidence.signature").find("--sig"), std::string::npos) << with.out;
}

TEST_F(EvidenceCliTest, TamperedArchiveTimestampFails) {
  MakeWorld();
  MakeTsa("tsa", 3650);
  SignOfd("signed.ofd", "tsa");
  WriteRecord(FirstSignature(P("signed.ofd")), "tsa", "evidence.der");
  auto e = verify::ParseEvidenceRecord(Read(P("evidence.der")));
  ASSERT_TRUE(e.ok());
  // The token's last byte is in its SM2 signature value: still DER, no longer the TSA's.
  e->archive_timestamps[0].token.back() ^= 0x01;
  ASSERT_TRUE(WriteFileAtomic(P("tampered.der"), verify::EncodeEvidenceRecord(*e)).ok());

  testing::Out v =
      Run(Plus({"ofd", "verify", P("signed.ofd"), "--evidence", P("tampered.der")}, Anchors()));
  EXPECT_EQ(v.code, kExitFailed) << v.out;
  EXPECT_EQ(Line(v.out, "evidence.archive_timestamp").rfind("FAIL", 0), 0u) << v.out;
}

TEST_F(EvidenceCliTest, RecordForAnotherSignatureIsIndeterminate) {
  MakeWorld();
  MakeTsa("tsa", 3650);
  SignOfd("signed.ofd", "tsa");
  SignOfd("other.ofd", "tsa");
  WriteRecord(FirstSignature(P("other.ofd")), "tsa", "other.der");

  // Verified now, with the CRLs: the only open question is whose record this is.
  testing::Out v = RunTrusted({"ofd", "verify", P("signed.ofd"), "--tsa-trust", P("ca/root.pem"),
                               "--evidence", P("other.der")});
  EXPECT_EQ(v.code, kExitIndeterminate) << v.out;
  const std::string line = Line(v.out, "evidence.signature");
  EXPECT_EQ(line.rfind("INDET", 0), 0u) << v.out;
  EXPECT_NE(line.find("another signature"), std::string::npos) << line;
  EXPECT_EQ(RunTrusted({"ofd", "verify", P("signed.ofd"), "--tsa-trust", P("ca/root.pem")}).code,
            kExitPassed);
}

// A Type="Sign" signature has no SES_Signature: its record is matched by SM3 of the
// SignedValue file (the GB/T 35275 SignedData).
TEST_F(EvidenceCliTest, TypeSignMatchedBySignedValue) {
  MakeWorld();
  MakeTsa("tsa", 3650);
  testing::Out s = Run(
      Plus({"ofd", "sign", "--format", "sign", "--key", P("signer.pem"), "--cert", P("signer.crt"),
            "--in", testing::kShared + "unsigned/helloworld.ofd", "--out", P("signed.ofd")},
           TsaArgs("tsa")));
  ASSERT_EQ(s.code, 0) << s.err;
  auto package = ofd::Package::Open(Read(P("signed.ofd")));
  ASSERT_TRUE(package.ok());
  auto value = package->Read("/Doc_0/Signs/Sign_0/SignedValue.dat");
  ASSERT_TRUE(value.ok());
  ses::Signature stand_in;  // only its hash is used: the token stays inside the SignedData
  stand_in.der = *value;
  WriteRecord(stand_in, "tsa", "evidence.der");

  testing::Out v = RunTrusted({"ofd", "verify", P("signed.ofd"), "--verbose", "--tsa-trust",
                               P("ca/root.pem"), "--evidence", P("evidence.der")});
  EXPECT_EQ(v.code, kExitPassed) << v.out << v.err;
  EXPECT_EQ(Line(v.out, "evidence.signature").rfind("PASS", 0), 0u) << v.out;
}

// A record whose only archive timestamp's TSA certificate has expired says "renew"; renewed
// in time with a newer TSA (and the CRLs of that day), it verifies again.
TEST_F(EvidenceCliTest, RenewAddsAnArchiveTimestamp) {
  MakeWorld();
  MakeTsa("tsa", 365);
  SignOfd("signed.ofd", "tsa");
  WriteRecord(FirstSignature(P("signed.ofd")), "tsa", "evidence.der");

  testing::Out show1 = Run({"evidence", "show", P("evidence.der")});
  ASSERT_EQ(show1.code, 0) << show1.err;
  EXPECT_NE(show1.out.find("archive timestamps:  1\n"), std::string::npos) << show1.out;
  EXPECT_NE(show1.out.find("genTime 2026-11-23T09:30:00Z, TSA CN=tsa, O=Test TSA, C=CN"),
            std::string::npos)
      << show1.out;

  clock_.Set(*ParseTime("2027-06-01T00:00:00Z"));
  MakeTsa("tsa2", 3650);
  ASSERT_EQ(Run({"ca", "crl", "--ca", P("ca")}).code, 0);
  testing::Out r =
      Run(Plus({"evidence", "renew", "--in", P("evidence.der"), "--out", P("renewed.der"), "--crl",
                P("ca/crl.pem"), "--crl", P("ca/root-crl.pem")},
               TsaArgs("tsa2")));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("archive timestamp 2 added"), std::string::npos) << r.out;

  testing::Out show2 = Run({"evidence", "show", P("renewed.der"), "--json"});
  ASSERT_EQ(show2.code, 0) << show2.err;
  EXPECT_NE(show2.out.find("\"gen_time\": \"2027-06-01T00:00:00Z\""), std::string::npos)
      << show2.out;
  EXPECT_NE(show2.out.find("\"crls\": 2,\n      \"certificates\": 1"), std::string::npos)
      << show2.out;
  auto renewed = verify::ParseEvidenceRecord(Read(P("renewed.der")));
  ASSERT_TRUE(renewed.ok());
  EXPECT_EQ(renewed->archive_timestamps.size(), 2u);

  clock_.Set(*ParseTime("2030-06-01T00:00:00Z"));
  testing::Out old =
      Run(Plus({"ofd", "verify", P("signed.ofd"), "--evidence", P("evidence.der")}, Anchors()));
  EXPECT_EQ(old.code, kExitIndeterminate) << old.out;
  EXPECT_EQ(Line(old.out, "evidence.renewal").rfind("INDET", 0), 0u) << old.out;
  testing::Out v = Run(Plus(
      {"ofd", "verify", P("signed.ofd"), "--verbose", "--evidence", P("renewed.der")}, Anchors()));
  EXPECT_EQ(v.code, kExitPassed) << v.out << v.err;
}

TEST_F(EvidenceCliTest, UnusableFilesAreUsageErrors) {
  MakeWorld();
  MakeTsa("tsa", 3650);
  SignOfd("signed.ofd", "tsa");
  ASSERT_TRUE(
      WriteFileAtomic(P("garbage.der"), std::string_view("not an evidence record"), 0644).ok());
  testing::Out v = RunTrusted({"ofd", "verify", P("signed.ofd"), "--evidence", P("garbage.der")});
  EXPECT_EQ(v.code, kExitUsage);
  EXPECT_NE(v.err.find("--evidence " + P("garbage.der")), std::string::npos) << v.err;
  EXPECT_NE(v.err.find("证据记录"), std::string::npos) << v.err;
  EXPECT_EQ(v.out, "");  // stopped before printing a verdict
  EXPECT_EQ(RunTrusted({"ofd", "verify", P("signed.ofd"), "--evidence", P("missing.der")}).code,
            kExitUsage);
  EXPECT_EQ(Run({"evidence", "show", P("garbage.der")}).code, kExitUsage);
  // Renewing needs a TSA, and writes nothing without one.
  WriteRecord(FirstSignature(P("signed.ofd")), "tsa", "evidence.der");
  EXPECT_EQ(Run({"evidence", "renew", "--in", P("evidence.der"), "--out", P("x.der")}).code,
            kExitUsage);
  EXPECT_FALSE(std::filesystem::exists(P("x.der")));
}

}  // namespace
}  // namespace eseal::cli
