// Making seals and signatures with our CA, then verifying them: sign → verify → flip one
// byte → verify again, asserting which check fails. Output is re-encode-stable.
#include "eseal/ses/make.h"

#include <gtest/gtest.h>

#include "eseal/crypto/random.h"
#include "eseal/crypto/sm3.h"
#include "eseal/verify/ses_verify.h"
#include "eseal/x509/ca.h"

namespace eseal::verify {
namespace {

using namespace ses;  // NOLINT: the test exercises ses:: making and verify:: checking

Time At(const char* s) { return *ParseTime(s); }

struct World {
  crypto::Sm2PrivateKey root_key = *crypto::Sm2PrivateKey::Generate();
  crypto::Sm2PrivateKey maker_key = *crypto::Sm2PrivateKey::Generate();
  crypto::Sm2PrivateKey signer_key = *crypto::Sm2PrivateKey::Generate();
  x509::Certificate root, maker, signer;

  World() {
    Rng& rng = crypto::SystemRng();
    root = *x509::MakeRootCertificate(*x509::Name::Parse("C=CN,O=eseal test,CN=Test Root"),
                                      root_key, At("2026-01-01T00:00:00Z"),
                                      At("2036-01-01T00:00:00Z"), rng);
    x509::IssueRequest m{*x509::Name::Parse("C=CN,O=eseal test,CN=Seal Maker"),
                         maker_key.PublicKey(), x509::CertificateRole::kSealMaker,
                         At("2026-01-01T00:00:00Z"), At("2031-01-01T00:00:00Z")};
    maker = *x509::IssueCertificate(root, root_key, m, rng);
    x509::IssueRequest s{*x509::Name::Parse("C=CN,O=某某有限公司,CN=某某有限公司"),
                         signer_key.PublicKey(), x509::CertificateRole::kSigner,
                         At("2026-11-01T00:00:00Z"), At("2027-11-01T00:00:00Z")};
    signer = *x509::IssueCertificate(root, root_key, s, rng);
  }

  SealSpec Spec(Version v) const {
    SealSpec spec;
    spec.version = v;
    spec.vid = "ESEAL";
    spec.esid = "45010000000001";
    spec.type = kTypeContract;
    spec.name = "某某有限公司合同专用章";
    spec.signer_certs = {signer.der()};
    spec.create_date = At("2026-11-01T00:00:00Z");
    spec.valid_start = At("2026-11-01T00:00:00Z");
    spec.valid_end = At("2027-11-01T00:00:00Z");
    spec.picture = Picture{"PNG", Bytes{0x89, 'P', 'N', 'G'}, 40, 40};
    return spec;
  }

  // The root as eseal's platform registers its own: signers, and makers carrying the
  // maker policy. No CRLs here (revocation has its own tests): off, by name.
  ValidationPolicy Policy(const char* now = "2027-01-03T00:00:00Z") const {
    ValidationPolicy p;
    p.AddAnchor(root, "test root", RolesOf(Role::kSigner) | RolesOf(Role::kSealMaker),
                {x509::SealMakerPolicy()});
    p.check_revocation = false;
    p.time.now = At(now);
    return p;
  }
};

std::string Dump(const Report& r) {
  std::string s;
  for (const Check& c : r.checks()) {
    s += "  " + c.id + " = " + std::string(CheckResultName(c.result)) + "  " + c.detail + "\n";
  }
  return s;
}

class MakeTest : public ::testing::TestWithParam<Version> {};

TEST_P(MakeTest, SealAndSignatureVerifyAndAreReencodeStable) {
  World w;
  auto seal = MakeSeal(w.Spec(GetParam()), w.maker.der(), w.maker_key);
  ASSERT_TRUE(seal.ok()) << seal.status().ToString();
  auto parsed = ParseSeal(seal->der);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->version, GetParam());
  EXPECT_EQ(EncodeSeal(*parsed), seal->der);

  Report sr = VerifySeal(*parsed, At("2027-01-01T00:00:00Z"), w.Policy());
  EXPECT_EQ(sr.verdict(), Verdict::kPassed) << Dump(sr);

  Bytes data = ToBytes("a contract to be sealed");
  SignSpec spec{At("2027-01-02T03:04:05Z"), crypto::Sm3Bytes(data), "contract.txt"};
  auto sig = SignWithSeal(*parsed, w.signer.der(), w.signer_key, spec);
  ASSERT_TRUE(sig.ok()) << sig.status().ToString();
  auto sp = ParseSignature(sig->der);
  ASSERT_TRUE(sp.ok());
  EXPECT_EQ(EncodeSignature(*sp), sig->der);
  EXPECT_EQ(sp->tbs.seal.der, seal->der) << "the embedded seal is the seal, byte for byte";
  EXPECT_EQ(sp->tbs.time, spec.time);

  Report r = VerifySesSignature(*sp, crypto::Sm3Bytes(data), w.Policy());
  EXPECT_EQ(r.verdict(), Verdict::kPassed) << Dump(r);
  ValidationPolicy none = w.Policy();
  none.anchors.clear();
  Report no_anchor = VerifySesSignature(*sp, crypto::Sm3Bytes(data), none);
  EXPECT_EQ(no_anchor.verdict(), Verdict::kIndeterminate);

  // Other data: only the data hash fails.
  Report other = VerifySesSignature(*sp, crypto::Sm3Bytes(ToBytes("another text")), w.Policy());
  EXPECT_EQ(other.FailedIds(), std::vector<std::string>{"ses.signature.data_hash"});
}

TEST_P(MakeTest, FlippingOneByteFailsTheRightCheck) {
  World w;
  auto seal = MakeSeal(w.Spec(GetParam()), w.maker.der(), w.maker_key);
  ASSERT_TRUE(seal.ok());
  Bytes data = ToBytes("data");
  auto sig = SignWithSeal(*seal, w.signer.der(), w.signer_key,
                          SignSpec{At("2027-01-02T03:04:05Z"), crypto::Sm3Bytes(data), "d"});
  ASSERT_TRUE(sig.ok());

  // Flip one byte of the seal name inside the signature: the maker signature and the
  // signature value both break (the seal is inside TBS_Sign).
  Bytes name = ToBytes("合同专用章");
  Bytes der = sig->der;
  auto it = std::search(der.begin(), der.end(), name.begin(), name.end());
  ASSERT_NE(it, der.end());
  *it ^= 0x01;
  auto bad = ParseSignature(der);
  if (bad.ok()) {
    Report r = VerifySesSignature(*bad, crypto::Sm3Bytes(data), w.Policy());
    std::vector<std::string> f = r.FailedIds();
    std::sort(f.begin(), f.end());
    EXPECT_EQ(f, (std::vector<std::string>{"ses.seal.maker_signature", "ses.signature.value"}))
        << Dump(r);
  } else {
    // A flip that breaks UTF-8 is a parse error, which is also a correct outcome.
    EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  }

  // Flip the last byte of the signature value: the signature value fails, nothing else.
  Bytes der2 = sig->der;
  ByteView value(sig->signature);
  auto pos = std::search(der2.begin(), der2.end(), value.begin(), value.end());
  ASSERT_NE(pos, der2.end());
  *(pos + static_cast<ptrdiff_t>(value.size()) - 1) ^= 0x01;
  auto bad2 = ParseSignature(der2);
  ASSERT_TRUE(bad2.ok());
  Report r2 = VerifySesSignature(*bad2, crypto::Sm3Bytes(data), w.Policy());
  EXPECT_EQ(r2.FailedIds(), std::vector<std::string>{"ses.signature.value"}) << Dump(r2);

  // Flip a byte of the data hash.
  Bytes der3 = sig->der;
  Bytes hash = crypto::Sm3Bytes(data);
  auto hpos = std::search(der3.begin(), der3.end(), hash.begin(), hash.end());
  ASSERT_NE(hpos, der3.end());
  *hpos ^= 0x80;
  auto bad3 = ParseSignature(der3);
  ASSERT_TRUE(bad3.ok());
  Report r3 = VerifySesSignature(*bad3, hash, w.Policy());
  std::vector<std::string> f3 = r3.FailedIds();
  std::sort(f3.begin(), f3.end());
  EXPECT_EQ(f3, (std::vector<std::string>{"ses.signature.data_hash", "ses.signature.value"}));
}

INSTANTIATE_TEST_SUITE_P(Versions, MakeTest, ::testing::Values(Version::kV4, Version::kV1),
                         [](const auto& p) { return std::string(VersionName(p.param)); });

// eseal's role policies keep one CA's certificates apart: a signer (UKey) certificate
// cannot make a seal, a seal-maker certificate cannot sign a document — even though both
// chain to the same root that serves both roles.
TEST(RoleTest, SignerCannotMakeSealsAndMakerCannotSign) {
  World w;
  // A "seal" whose maker is the signer certificate (the rogue-maker forgery).
  SealSpec spec = w.Spec(Version::kV4);
  auto rogue = MakeSeal(spec, w.signer.der(), w.signer_key);
  ASSERT_TRUE(rogue.ok()) << rogue.status().ToString();
  Report sr = VerifySeal(*rogue, At("2027-01-01T00:00:00Z"), w.Policy());
  EXPECT_EQ(sr.verdict(), Verdict::kFailed) << Dump(sr);
  EXPECT_EQ(sr.FailedIds(), std::vector<std::string>{"maker.role"}) << Dump(sr);

  // A seal listing the maker certificate as its signer, used by the maker key.
  spec.signer_certs = {w.maker.der()};
  auto seal = MakeSeal(spec, w.maker.der(), w.maker_key);
  ASSERT_TRUE(seal.ok());
  Bytes hash = crypto::Sm3Bytes(ToBytes("x"));
  auto sig = SignWithSeal(*seal, w.maker.der(), w.maker_key,
                          SignSpec{At("2027-01-02T00:00:00Z"), hash, "x"});
  ASSERT_TRUE(sig.ok()) << sig.status().ToString();
  Report r = VerifySesSignature(*sig, hash, w.Policy());
  EXPECT_EQ(r.verdict(), Verdict::kFailed) << Dump(r);
  EXPECT_EQ(r.FailedIds(), std::vector<std::string>{"signer.role"}) << Dump(r);
}

TEST(MakeRulesTest, RefusesWhatASealSystemMustRefuse) {
  World w;
  SealSpec spec = w.Spec(Version::kV4);
  // The maker key must belong to the maker certificate.
  EXPECT_EQ(MakeSeal(spec, w.maker.der(), w.signer_key).status().code(),
            StatusCode::kFailedPrecondition);
  SealSpec no_name = spec;
  no_name.name.clear();
  EXPECT_EQ(MakeSeal(no_name, w.maker.der(), w.maker_key).status().code(),
            StatusCode::kInvalidArgument);
  SealSpec backwards = spec;
  std::swap(backwards.valid_start, backwards.valid_end);
  EXPECT_FALSE(MakeSeal(backwards, w.maker.der(), w.maker_key).ok());

  auto seal = MakeSeal(spec, w.maker.der(), w.maker_key);
  ASSERT_TRUE(seal.ok());
  Bytes hash = crypto::Sm3Bytes(ToBytes("x"));
  // Only a listed signer may sign, only with its own key, only while the seal is valid.
  EXPECT_EQ(SignWithSeal(*seal, w.maker.der(), w.maker_key,
                         SignSpec{At("2027-01-01T00:00:00Z"), hash, "x"})
                .status()
                .code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(SignWithSeal(*seal, w.signer.der(), w.maker_key,
                         SignSpec{At("2027-01-01T00:00:00Z"), hash, "x"})
                .status()
                .code(),
            StatusCode::kFailedPrecondition);
  auto late = SignWithSeal(*seal, w.signer.der(), w.signer_key,
                           SignSpec{At("2028-01-01T00:00:00Z"), hash, "x"});
  EXPECT_EQ(late.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(late.status().message().find("not valid at the signing time"), std::string::npos);

  // A signature made after expiry (forced, as a test vector) fails on the seal period.
  SignSpec forced{At("2028-01-01T00:00:00Z"), hash, "x"};
  forced.allow_outside_seal_validity = true;
  auto sig = SignWithSeal(*seal, w.signer.der(), w.signer_key, forced);
  ASSERT_TRUE(sig.ok());
  Report r = VerifySesSignature(*sig, hash, w.Policy("2028-01-02T00:00:00Z"));
  std::vector<std::string> f = r.FailedIds();
  std::sort(f.begin(), f.end());
  EXPECT_EQ(f, (std::vector<std::string>{"ses.seal.valid_at_signing_time",
                                         "ses.signature.signer_cert.valid_at_signing_time"}))
      << Dump(r);
  EXPECT_EQ(r.ResultOf("signer.cert.validity"), CheckResult::kIndeterminate) << Dump(r);
}

}  // namespace
}  // namespace eseal::verify
