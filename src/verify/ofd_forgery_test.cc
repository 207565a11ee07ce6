// Attacks on the verifier's trust and time (issue 9), built as a hostile party would: the
// SES_Seal, TBS_Sign and SES_Signature are DER written by hand here (a TLV encoder of this
// file, not eseal's asn1 writer or signer), the OFD parts are XML written by hand and zipped
// by the raw test zip builder. Only the certificates come from eseal's CA, as from any CA a
// relying party trusts. Each attack asserts the exact verdict and the check that explains
// it; the same document made honestly PASSES.
//   - rogue maker: an ordinary subscriber certificate "makes" a government seal;
//   - backdated after compromise: a revoked key claims a time before its revocation;
//   - no revocation data: nothing says whether the signer was revoked.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "eseal/crypto/random.h"
#include "eseal/crypto/sm2.h"
#include "eseal/crypto/sm3.h"
#include "eseal/verify/ofd_verifier.h"
#include "eseal/verify/report_json.h"
#include "eseal/x509/builder.h"
#include "eseal/x509/ca.h"
#include "test_zip.h"

namespace eseal::verify {
namespace {

// ---- DER by hand (X.690), independent of eseal::asn1 ----

Bytes Tlv(uint8_t tag, const Bytes& content) {
  Bytes out{tag};
  size_t n = content.size();
  if (n < 0x80) {
    out.push_back(static_cast<uint8_t>(n));
  } else {
    Bytes len;
    for (size_t v = n; v > 0; v >>= 8) len.insert(len.begin(), static_cast<uint8_t>(v & 0xff));
    out.push_back(static_cast<uint8_t>(0x80 | len.size()));
    out.insert(out.end(), len.begin(), len.end());
  }
  out.insert(out.end(), content.begin(), content.end());
  return out;
}
Bytes Cat(const std::vector<Bytes>& parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}
Bytes Seq(const std::vector<Bytes>& parts) { return Tlv(0x30, Cat(parts)); }
Bytes Int(int64_t v) {
  Bytes b;
  do {
    b.insert(b.begin(), static_cast<uint8_t>(v & 0xff));
    v >>= 8;
  } while (v > 0);
  if (b[0] & 0x80) b.insert(b.begin(), 0);
  return Tlv(0x02, b);
}
Bytes Str(uint8_t tag, const std::string& s) { return Tlv(tag, Bytes(s.begin(), s.end())); }
Bytes Ia5(const std::string& s) { return Str(0x16, s); }
Bytes Utf8(const std::string& s) { return Str(0x0c, s); }
Bytes Octets(const Bytes& b) { return Tlv(0x04, b); }
Bytes Bits(const Bytes& b) {
  Bytes c{0x00};
  c.insert(c.end(), b.begin(), b.end());
  return Tlv(0x03, c);
}
// 1.2.156.10197.1.501 (SM2 with SM3).
Bytes Sm2WithSm3Oid() { return Tlv(0x06, Bytes{0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x83, 0x75}); }
Bytes GenTime(Time t) {
  CivilTime c = ToCivil(t);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d%02d%02d%02dZ", c.year, c.month, c.day, c.hour,
                c.minute, c.second);
  return Str(0x18, buf);
}

Time At(const char* s) { return *ParseTime(s); }

// ---- a seal, a signature value and an OFD, by hand ----

struct SealParts {
  std::string esid, name;
  const x509::Certificate* maker;
  const crypto::Sm2PrivateKey* maker_key;
  std::vector<const x509::Certificate*> signers;
  Time valid_start, valid_end;
};

Bytes HandMadeSeal(const SealParts& s) {
  std::vector<Bytes> certs;
  for (const x509::Certificate* c : s.signers) certs.push_back(Octets(c->der()));
  const Bytes png = {0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a};
  Bytes info = Seq({Seq({Ia5("ES"), Int(4), Ia5("FORGE")}), Ia5(s.esid),
                    Seq({Int(2), Utf8(s.name), Int(1), Seq(certs), GenTime(s.valid_start),
                         GenTime(s.valid_start), GenTime(s.valid_end)}),
                    Seq({Ia5("PNG"), Octets(png), Int(40), Int(40)})});
  Bytes maker_sig = s.maker_key->Sign(info).value();
  return Seq({info, Octets(s.maker->der()), Sm2WithSm3Oid(), Bits(maker_sig)});
}

const char* kSigPath = "/Doc_0/Signs/Sign_0/Signature.xml";

std::string B64Sm3(const std::string& text) { return Base64Encode(crypto::Sm3Bytes(ToBytes(text))); }

std::vector<std::pair<std::string, std::string>> Content() {
  return {
      {"OFD.xml",
       "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:OFD xmlns:ofd=\"http://www.ofdspec.org/2016\" "
       "Version=\"1.0\" DocType=\"OFD\"><ofd:DocBody><ofd:DocInfo><ofd:DocID>f</ofd:DocID></ofd:DocInfo>"
       "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot><ofd:Signatures>/Doc_0/Signs/Signatures.xml"
       "</ofd:Signatures></ofd:DocBody></ofd:OFD>"},
      {"Doc_0/Document.xml",
       "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Document xmlns:ofd=\"http://www.ofdspec.org/2016\">"
       "<ofd:CommonData><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>"
       "<ofd:MaxUnitID>4</ofd:MaxUnitID></ofd:CommonData><ofd:Pages><ofd:Page ID=\"1\" "
       "BaseLoc=\"Pages/Page_0/Content.xml\"/></ofd:Pages></ofd:Document>"},
      {"Doc_0/Pages/Page_0/Content.xml",
       "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Page xmlns:ofd=\"http://www.ofdspec.org/2016\">"
       "<ofd:Content><ofd:Layer ID=\"2\"><ofd:PathObject ID=\"3\" Boundary=\"10 10 50 10\">"
       "<ofd:AbbreviatedData>M 0 0 L 50 0</ofd:AbbreviatedData></ofd:PathObject></ofd:Layer>"
       "</ofd:Content></ofd:Page>"},
  };
}

// A one-page OFD sealed (Type="Seal", continue mode) with `seal_der` by `signer`, claiming
// `claimed` as its signing time. Every content file is protected.
Bytes HandSealedOfd(const Bytes& seal_der, const x509::Certificate& signer,
                    const crypto::Sm2PrivateKey& signer_key, Time claimed) {
  auto files = Content();
  std::string refs;
  for (const auto& [name, text] : files) {
    refs += "<ofd:Reference FileRef=\"/" + name + "\"><ofd:CheckValue>" + B64Sm3(text) +
            "</ofd:CheckValue></ofd:Reference>";
  }
  std::string signature_xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Signature xmlns:ofd=\"http://www.ofdspec.org/2016\">"
      "<ofd:SignedInfo><ofd:Provider ProviderName=\"forge\" Company=\"forge\" Version=\"1\"/>"
      "<ofd:SignatureMethod>1.2.156.10197.1.501</ofd:SignatureMethod>"
      "<ofd:SignatureDateTime>20261120093035Z</ofd:SignatureDateTime>"
      "<ofd:References CheckMethod=\"1.2.156.10197.1.401\">" + refs + "</ofd:References>"
      "<ofd:StampAnnot ID=\"1\" PageRef=\"1\" Boundary=\"50 50 40 40\"/></ofd:SignedInfo>"
      "<ofd:SignedValue>/Doc_0/Signs/Sign_0/SignedValue.dat</ofd:SignedValue></ofd:Signature>";
  Bytes tbs = Seq({Int(4), seal_der, GenTime(claimed), Bits(crypto::Sm3Bytes(ToBytes(signature_xml))),
                   Ia5(kSigPath)});
  Bytes value = Seq({tbs, Octets(signer.der()), Sm2WithSm3Oid(), Bits(signer_key.Sign(tbs).value())});
  std::vector<ofd::testing::ZipEntrySpec> zip;
  for (const auto& [name, text] : files) zip.push_back({name, ToBytes(text)});
  zip.push_back({"Doc_0/Signs/Signatures.xml",
                 ToBytes("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Signatures "
                         "xmlns:ofd=\"http://www.ofdspec.org/2016\"><ofd:Signature ID=\"1\" "
                         "Type=\"Seal\" BaseLoc=\"/Doc_0/Signs/Sign_0/Signature.xml\"/>"
                         "</ofd:Signatures>")});
  zip.push_back({"Doc_0/Signs/Sign_0/Signature.xml", ToBytes(signature_xml)});
  zip.push_back({"Doc_0/Signs/Sign_0/SignedValue.dat", value, 0, 0});
  return ofd::testing::BuildZip(zip);
}

// ---- the PKI: a CA a relying party trusts, its seal maker, an enterprise, a stranger ----

struct Pki {
  crypto::Sm2PrivateKey root_key = crypto::Sm2PrivateKey::Generate().value();
  crypto::Sm2PrivateKey maker_key = crypto::Sm2PrivateKey::Generate().value();
  crypto::Sm2PrivateKey signer_key = crypto::Sm2PrivateKey::Generate().value();
  crypto::Sm2PrivateKey rogue_key = crypto::Sm2PrivateKey::Generate().value();
  x509::Certificate root, maker, signer, rogue;

  Pki() {
    Rng& rng = crypto::SystemRng();
    const Time from = At("2026-01-01T00:00:00Z"), to = At("2027-06-01T00:00:00Z");
    root = x509::MakeRootCertificate(x509::Name::Parse("C=CN,O=Trusted CA,CN=Trusted Root").value(),
                                     root_key, from, At("2036-01-01T00:00:00Z"), rng)
               .value();
    auto issue = [&](const char* dn, const crypto::Sm2PrivateKey& k, x509::CertificateRole role, uint8_t serial) {
      x509::IssueRequest r{x509::Name::Parse(dn).value(), k.PublicKey(), role, from, to};
      r.serial = Bytes{0x51, serial};
      return x509::IssueCertificate(root, root_key, r, rng).value();
    };
    maker = issue("C=CN,O=Seal Platform,CN=Seal Maker", maker_key, x509::CertificateRole::kSealMaker, 1);
    signer = issue("C=CN,O=南宁市某某科技有限公司,CN=南宁市某某科技有限公司", signer_key,
                   x509::CertificateRole::kSigner, 2);
    // Any subscriber of the trusted CA (an enterprise UKey): no eseal role policy at all.
    x509::CertificateParams p;
    p.serial = {0x51, 0x03};
    p.issuer = root.subject();
    p.subject = x509::Name::Parse("C=CN,O=某商户,CN=某商户").value();
    p.not_before = from;
    p.not_after = to;
    p.spki_der = rogue_key.PublicKey().ToSpkiDer();
    p.key_usage = x509::kDigitalSignature | x509::kNonRepudiation;
    rogue = x509::Certificate::FromDer(x509::BuildCertificate(p, root_key).value()).value();
  }

  x509::Crl Crl(std::vector<x509::CrlEntryParams> revoked = {}) const {
    x509::CrlRequest r{At("2026-11-30T00:00:00Z"), At("2026-12-30T00:00:00Z"), {0x02}, std::move(revoked)};
    return x509::MakeCrl(root, root_key, r).value();
  }

  // A relying party that registered this CA for signers and for makers carrying the
  // maker policy, with its current CRL, verifying on 2026-12-01.
  ValidationPolicy Policy(std::vector<x509::CrlEntryParams> revoked = {}) const {
    ValidationPolicy p;
    p.AddAnchor(root, "Trusted CA", RolesOf(Role::kSigner) | RolesOf(Role::kSealMaker),
                {x509::SealMakerPolicy()});
    p.crls.push_back(Crl(std::move(revoked)));
    p.time.now = At("2026-12-01T00:00:00Z");
    return p;
  }

  Bytes Seal(const x509::Certificate& mk, const crypto::Sm2PrivateKey& mk_key,
             const std::string& name, const x509::Certificate& listed) const {
    return HandMadeSeal({"450100000000009", name, &mk, &mk_key, {&listed},
                         At("2026-06-01T00:00:00Z"), At("2027-06-01T00:00:00Z")});
  }
};

const Pki& K() {
  static const Pki* k = new Pki;
  return *k;
}

OfdVerification Verify(const Bytes& doc, const ValidationPolicy& policy) {
  OfdVerifyOptions o;
  o.policy = policy;
  auto v = VerifyOfd(doc, o);
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  return v.ok() ? *std::move(v) : OfdVerification{};
}

CheckResult Result(const OfdVerification& v, const std::string& id) {
  return v.signatures.empty() ? CheckResult::kSkipped : v.signatures[0].report.ResultOf(id);
}

std::string Dump(const OfdVerification& v) { return OfdVerificationToText(v, true); }

const char* kGovSeal = "南宁市人民政府政务服务专用章";

TEST(OfdForgery, HonestHandMadeDocumentPasses) {
  const Pki& k = K();
  Bytes doc = HandSealedOfd(k.Seal(k.maker, k.maker_key, "南宁市某某科技有限公司合同专用章", k.signer),
                            k.signer, k.signer_key, At("2026-11-20T09:30:35Z"));
  OfdVerification v = Verify(doc, k.Policy());
  EXPECT_EQ(v.verdict(), Verdict::kPassed) << Dump(v);
  EXPECT_EQ(Result(v, "maker.role"), CheckResult::kPass);
  EXPECT_EQ(Result(v, "signer.role"), CheckResult::kPass);
  EXPECT_EQ(Result(v, "signer.cert.revocation"), CheckResult::kPass);
}

// An ordinary subscriber of a trusted CA signs a government seal as its "maker". The CA is
// trusted for makers only through the maker policy, which the subscriber lacks: FAILED.
TEST(OfdForgery, RogueMakerFromAnotherSubscriberFails) {
  const Pki& k = K();
  Bytes doc = HandSealedOfd(k.Seal(k.rogue, k.rogue_key, kGovSeal, k.rogue), k.rogue, k.rogue_key,
                            At("2026-11-20T09:30:35Z"));
  OfdVerification v = Verify(doc, k.Policy());
  EXPECT_EQ(v.verdict(), Verdict::kFailed) << Dump(v);
  EXPECT_EQ(v.signatures.at(0).report.FailedIds(), std::vector<std::string>{"maker.role"}) << Dump(v);
  // The enterprise's own signer certificate (eseal signer policy) cannot make seals either.
  Bytes by_signer = HandSealedOfd(k.Seal(k.signer, k.signer_key, kGovSeal, k.signer), k.signer,
                                  k.signer_key, At("2026-11-20T09:30:35Z"));
  OfdVerification s = Verify(by_signer, k.Policy());
  EXPECT_EQ(s.signatures.at(0).report.FailedIds(), std::vector<std::string>{"maker.role"}) << Dump(s);
}

// A relying party that trusts the CA for signers only and pins the one real maker: the
// rogue's seal is not from a trusted maker (INDETERMINATE), and the report says why.
TEST(OfdForgery, RogueMakerUnderASignerOnlyAnchorIsNotTrusted) {
  const Pki& k = K();
  ValidationPolicy p;
  p.AddAnchor(k.root, "Trusted CA", RolesOf(Role::kSigner));
  p.AddAnchor(k.maker, "the seal maker", RolesOf(Role::kSealMaker));
  p.crls.push_back(k.Crl());
  p.time.now = At("2026-12-01T00:00:00Z");
  Bytes doc = HandSealedOfd(k.Seal(k.rogue, k.rogue_key, kGovSeal, k.rogue), k.rogue, k.rogue_key,
                            At("2026-11-20T09:30:35Z"));
  OfdVerification v = Verify(doc, p);
  EXPECT_EQ(v.verdict(), Verdict::kIndeterminate) << Dump(v);
  EXPECT_EQ(Result(v, "maker.role"), CheckResult::kIndeterminate) << Dump(v);
  EXPECT_EQ(Result(v, "maker.cert.chain.anchor"), CheckResult::kIndeterminate);
  // The honest seal from the pinned maker passes under the same policy.
  Bytes honest = HandSealedOfd(k.Seal(k.maker, k.maker_key, kGovSeal, k.signer), k.signer,
                               k.signer_key, At("2026-11-20T09:30:35Z"));
  EXPECT_EQ(Verify(honest, p).verdict(), Verdict::kPassed) << Dump(Verify(honest, p));
}

// The signer's key was compromised on 2026-11-25 and the certificate revoked; the thief
// claims 2026-11-20. No timestamp proves that claim: FAILED on the revocation.
TEST(OfdForgery, BackdatedAfterKeyCompromiseFails) {
  const Pki& k = K();
  Bytes doc = HandSealedOfd(k.Seal(k.maker, k.maker_key, "南宁市某某科技有限公司合同专用章", k.signer),
                            k.signer, k.signer_key, At("2026-11-20T09:30:35Z"));
  auto revoked = [&](x509::RevocationReason why) {
    return std::vector<x509::CrlEntryParams>{{k.signer.serial(), At("2026-11-25T00:00:00Z"), why, std::nullopt}};
  };
  OfdVerification v = Verify(doc, k.Policy(revoked(x509::RevocationReason::kKeyCompromise)));
  EXPECT_EQ(v.verdict(), Verdict::kFailed) << Dump(v);
  EXPECT_EQ(v.signatures.at(0).report.FailedIds(), std::vector<std::string>{"signer.cert.revocation"}) << Dump(v);
  // Revoked for another reason: the signature may well be older, nothing proves it.
  OfdVerification s = Verify(doc, k.Policy(revoked(x509::RevocationReason::kSuperseded)));
  EXPECT_EQ(s.verdict(), Verdict::kIndeterminate) << Dump(s);
  EXPECT_EQ(Result(s, "signer.cert.revocation"), CheckResult::kIndeterminate);
  // The report names the time it judged at and why.
  const Check* t = v.signatures.at(0).report.Find("time.validation");
  ASSERT_NE(t, nullptr);
  bool unproven = false;
  for (const auto& [key, val] : t->params) unproven |= key == "source" && val == "verification_time";
  EXPECT_TRUE(unproven) << t->detail;
}

// No CRL given: revocation cannot be decided, so the verdict cannot be PASSED; turning it
// off is explicit and reported.
TEST(OfdForgery, NoRevocationDataIsIndeterminate) {
  const Pki& k = K();
  Bytes doc = HandSealedOfd(k.Seal(k.maker, k.maker_key, "南宁市某某科技有限公司合同专用章", k.signer),
                            k.signer, k.signer_key, At("2026-11-20T09:30:35Z"));
  ValidationPolicy p = k.Policy();
  p.crls.clear();
  OfdVerification v = Verify(doc, p);
  EXPECT_EQ(v.verdict(), Verdict::kIndeterminate) << Dump(v);
  const Check* c = v.signatures.at(0).report.Find("signer.cert.revocation");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->result, CheckResult::kIndeterminate);
  bool no_crl = false;
  for (const auto& [key, val] : c->params) no_crl |= key == "reason" && val == "no_crl";
  EXPECT_TRUE(no_crl) << c->detail;
  p.check_revocation = false;
  OfdVerification off = Verify(doc, p);
  EXPECT_EQ(off.verdict(), Verdict::kPassed) << Dump(off);
  EXPECT_EQ(Result(off, "policy.revocation"), CheckResult::kWarning);
}

}  // namespace
}  // namespace eseal::verify
