// Sign -> verify -> flip one byte -> verify, on every unsigned sample in every placement
// mode, on our own golden documents (testdata/ofd-signed) and on every VALID golden of
// ofdrw; hostile packages through both signing and verification.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>

#include "eseal/crypto/sm3.h"
#include "eseal/ofd/package.h"
#include "eseal/ofd/package_writer.h"
#include "eseal/ofd/reader.h"
#include "eseal/ofd/text.h"
#include "eseal/sign/ofd_signer.h"
#include "eseal/verify/ofd_verifier.h"
#include "eseal/x509/signed_data.h"
#include "test_policy.h"
#include "test_world.h"
#include "test_zip.h"

namespace eseal::verify {
namespace {

using sign::testing::MakeWorld;
using sign::testing::MustRead;
using sign::testing::Own;
using sign::testing::Request;
using sign::testing::Shared;
using sign::testing::World;

const World& W() {
  static const World w = MakeWorld();
  return w;
}

OfdVerifyOptions TrustW(const World& w) { return testing::WorldOptions(w); }

// No anchors, judged at the same "now" as TrustW.
OfdVerifyOptions NoTrust() {
  OfdVerifyOptions o;
  o.policy.time.now = W().sign_time + std::chrono::hours(1);
  return o;
}

std::string Dump(const OfdVerification& v) { return OfdVerificationToText(v, false); }

OfdVerification MustVerify(ByteView doc, const OfdVerifyOptions& o) {
  auto v = VerifyOfd(doc, o);
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  return v.ok() ? *std::move(v) : OfdVerification{};
}

std::set<std::string> Failed(const Report& r) {
  std::set<std::string> out;
  for (const Check& c : r.checks()) {
    if (c.result != CheckResult::kFail) continue;
    std::string id = c.id;
    for (const auto& [k, val] : c.params) {
      if (k == "file") id += ":" + val;
    }
    out.insert(id);
  }
  return out;
}

// A keyword from the document: the first two non-space characters of its first text.
std::string KeywordInDocument(ByteView doc) {
  auto reader = ofd::Reader::OpenBytes(Bytes(doc.begin(), doc.end()));
  if (!reader.ok()) return "";
  std::vector<ofd::TextRun> all;
  for (size_t p = 0; p < reader->page_count(); ++p) {
    auto runs = ofd::ExtractPageText(*reader, p);
    if (runs.ok()) all.insert(all.end(), runs->begin(), runs->end());
  }
  for (const ofd::TextRun& r : all) {
    std::string k;
    int n = 0;
    for (const std::string& cp : ofd::SplitCodePoints(r.text)) {
      if (cp == " " || cp == "\xe3\x80\x80") continue;
      k += cp;
      if (++n == 2) return k;
    }
  }
  return "";
}

// ---- Sign every unsigned sample in every placement mode -------------------------------

TEST(OfdRoundTrip, EveryUnsignedSampleInEveryPlacementMode) {
  const World& w = W();
  int signed_count = 0;
  for (const auto& e : std::filesystem::directory_iterator(Shared("ofdrw/unsigned"))) {
    const std::string name = e.path().filename().string();
    SCOPED_TRACE(name);
    Bytes in = MustRead(e.path().string());
    auto reader = ofd::Reader::OpenBytes(in);
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    const int pages = static_cast<int>(reader->page_count());

    std::vector<std::pair<std::string, sign::OfdSignRequest>> cases;
    sign::OfdSignRequest base = Request(w, in);
    {
      sign::OfdSignRequest r = base;
      r.placement.positions = {{1, 30, 40}};
      cases.emplace_back("position", r);
    }
    {
      sign::OfdSignRequest r = base;
      r.placement.positions = {{1, 10, 10}, {pages, 100, 150}};
      cases.emplace_back("two appearances", r);
    }
    std::string kw = KeywordInDocument(in);
    if (kw.empty()) {
      // VPage7 has no text at all: keyword placement says so.
      sign::OfdSignRequest r = base;
      r.placement.keyword = sign::KeywordPlacement{"任何", 0, 1, 0};
      auto s = sign::SignOfd(r);
      EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
      EXPECT_NE(s.status().message().find("not found"), std::string::npos);
    } else {
      sign::OfdSignRequest r = base;
      r.placement.keyword = sign::KeywordPlacement{kw, 1, 1, 0};
      cases.emplace_back("keyword " + kw, r);
      r.placement.keyword = sign::KeywordPlacement{kw, 0, 1, 0};
      cases.emplace_back("keyword (every hit) " + kw, r);
    }
    if (pages >= 2) {
      for (sign::Edge edge : {sign::Edge::kLeft, sign::Edge::kRight, sign::Edge::kTop, sign::Edge::kBottom}) {
        sign::OfdSignRequest r = base;
        r.placement.riding = sign::RidingPlacement{edge, 1, 0, -1};
        cases.emplace_back("riding " + std::to_string(static_cast<int>(edge)), r);
      }
    }
    {
      sign::OfdSignRequest r = base;
      r.placement.positions = {{1, 30, 40}};
      r.mode = sign::ProtectMode::kWhole;
      cases.emplace_back("whole", r);
    }
    {
      sign::OfdSignRequest r = base;
      r.type = sign::SignatureType::kSign;
      r.seal = nullptr;
      cases.emplace_back("Type=Sign", r);
    }
    for (const auto& [label, req] : cases) {
      SCOPED_TRACE(label);
      auto out = sign::SignOfd(req);
      ASSERT_TRUE(out.ok()) << out.status().ToString();
      OfdVerification v = MustVerify(out->document, TrustW(w));
      EXPECT_EQ(v.verdict(), Verdict::kPassed) << Dump(v);
      ASSERT_EQ(v.signatures.size(), 1u);
      const Report& rep = v.signatures[0].report;
      int on_pages = 0;
      for (const Check& c : rep.checks()) on_pages += c.id == "ofd.stamp_annot.page" && c.result == CheckResult::kPass;
      EXPECT_EQ(on_pages, out->appearances);
      EXPECT_FALSE(rep.Has("ofd.reference.unprotected", CheckResult::kWarning)) << Dump(v);
      EXPECT_EQ(MustVerify(out->document, NoTrust()).verdict(), Verdict::kIndeterminate);
      ++signed_count;
    }
  }
  EXPECT_GE(signed_count, 30);
}

TEST(OfdRoundTrip, SignTwiceInContinueModeBothStayValid) {
  const World& w = W();
  World v1 = MakeWorld(ses::Version::kV1);
  for (const char* f : {"helloworld.ofd", "VPage7.ofd", "invoice-unsigned.ofd", "doc1File.ofd"}) {
    SCOPED_TRACE(f);
    Bytes in = MustRead(Shared(std::string("ofdrw/unsigned/") + f));
    sign::OfdSignRequest a = Request(w, in);
    a.placement.positions = {{1, 20, 20}};
    auto first = sign::SignOfd(a);
    ASSERT_TRUE(first.ok()) << first.status().ToString();
    // The second signature by another system's v1 seal, then a Type=Sign on top.
    sign::OfdSignRequest b = Request(v1, first->document);
    b.placement.positions = {{1, 120, 20}};
    auto second = sign::SignOfd(b);
    ASSERT_TRUE(second.ok()) << second.status().ToString();
    sign::OfdSignRequest c = Request(w, second->document);
    c.type = sign::SignatureType::kSign;
    c.seal = nullptr;
    c.mode = sign::ProtectMode::kWhole;
    auto third = sign::SignOfd(c);
    ASSERT_TRUE(third.ok()) << third.status().ToString();
    OfdVerifyOptions o = TrustW(w);
    o.policy.AddAnchor(v1.root, "other root",
                       RolesOf(Role::kSigner) | RolesOf(Role::kSealMaker), {x509::SealMakerPolicy()});
    o.policy.crls.push_back(testing::EmptyCrl(v1.root, v1.root_key));
    OfdVerification v = MustVerify(third->document, o);
    ASSERT_EQ(v.signatures.size(), 3u);
    for (const SignatureVerification& s : v.signatures) {
      EXPECT_EQ(s.report.verdict(), Verdict::kPassed) << s.id << "\n" << Dump(v);
    }
    // The last one closed the document.
    sign::OfdSignRequest d = Request(w, third->document);
    d.placement.positions = {{1, 60, 60}};
    EXPECT_EQ(sign::SignOfd(d).status().code(), StatusCode::kFailedPrecondition);
  }
}

TEST(OfdRoundTrip, ContinuingVendorDocumentsKeepsTheirSignaturesIntact) {
  // ofdrw's reSignTest: append to GOMAIN's signedFile.ofd; both verify.
  for (const char* f : {"ofdrw-repo-vendor/signedFile.ofd", "ofdrw-repo-vendor/999.ofd",
                        "ofdrw-repo-vendor/SignScaleError.ofd", "ofdrw-repo-vendor/不规范资源路径.ofd"}) {
    SCOPED_TRACE(f);
    Bytes in = MustRead(Shared(std::string("ofdrw/signed/") + f));
    OfdVerification before = MustVerify(in, NoTrust());
    sign::OfdSignRequest r = Request(W(), in);
    r.placement.positions = {{1, 10, 10}};
    auto out = sign::SignOfd(r);
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    OfdVerification after = MustVerify(out->document, TrustW(W()));
    ASSERT_EQ(after.signatures.size(), before.signatures.size() + 1);
    for (size_t i = 0; i < before.signatures.size(); ++i) {
      EXPECT_EQ(Failed(after.signatures[i].report), Failed(before.signatures[i].report)) << Dump(after);
    }
    EXPECT_EQ(after.signatures.back().report.verdict(), Verdict::kPassed) << Dump(after);
  }
}

TEST(OfdRoundTrip, PlatformChecksAreAddedPerSealSignature) {
  Bytes in = MustRead(Shared("ofdrw/unsigned/helloworld.ofd"));
  sign::OfdSignRequest r = Request(W(), in);
  r.placement.positions = {{1, 10, 10}};
  auto out = sign::SignOfd(r);
  ASSERT_TRUE(out.ok());
  EXPECT_FALSE(out->signed_value.empty());
  OfdVerifyOptions o = TrustW(W());
  int calls = 0;
  o.on_record = [&](const ses::Signature& s) {
    ++calls;
    EXPECT_EQ(s.tbs.seal.info.esid, "4501000000000001");
    RecordFacts f;
    f.checks = {{"platform.seal.status_at_signing_time", CheckResult::kFail, "revoked", {}}};
    return f;
  };
  OfdVerification v = MustVerify(out->document, o);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(v.signatures[0].report.ResultOf("platform.seal.status_at_signing_time"), CheckResult::kFail);
  EXPECT_EQ(v.verdict(), Verdict::kFailed);
}

// ---- Tamper: flip one byte in each protected file ----------------------------------------

// Flips one byte so that XML stays well formed and means the same to a reader (a letter
// of the namespace URI changes case), and binary files change in their last byte (inside
// the signature value for SES_Signature, SignedData and Seal.esl).
Bytes Flip(const std::string& path, Bytes data) {
  std::string_view s = AsChars(data);
  if (path.ends_with(".xml")) {
    size_t ns = s.find("xmlns");
    if (ns != std::string_view::npos) {
      size_t q = s.find('"', ns);
      if (q != std::string_view::npos && q + 1 < s.size()) {
        data[q + 1] ^= 0x20;  // 'h' <-> 'H'
        return data;
      }
    }
  }
  data.back() ^= 0x01;
  return data;
}

struct Expectation {
  std::map<size_t, std::set<std::string>> added;  // per signature index: new failures
};

// What flipping `file` must break, signature by signature.
Expectation Expect(const std::string& file, const ofd::Reader& reader,
                   const std::vector<ofd::SignatureEntry>& entries) {
  Expectation e;
  for (size_t i = 0; i < entries.size(); ++i) {
    auto sig = reader.LoadSignature(entries[i]);
    if (!sig.ok()) continue;
    for (const ofd::Reference& r : sig->references) {
      if (r.path == file) e.added[i].insert("ofd.reference.digest:" + file);
    }
    bool seal = entries[i].IsSeal();
    Bytes value = reader.package().Read(sig->signed_value_path).value_or(Bytes{});
    bool signed_data = x509::LooksLikeSignedData(value);
    if (file == sig->seal_path) e.added[i].insert("ofd.seal.matches_signed_value:" + file);
    if (file == entries[i].path) {
      e.added[i].insert(seal ? "ses.signature.data_hash" : signed_data ? "sign.data_hash" : "sign.value");
    }
    if (file == sig->signed_value_path) e.added[i].insert(seal ? "ses.signature.value" : "sign.value");
  }
  return e;
}

void TamperEveryProtectedFile(const std::string& label, const Bytes& doc, const OfdVerifyOptions& o) {
  SCOPED_TRACE(label);
  OfdVerification base = MustVerify(doc, o);
  auto reader = ofd::Reader::OpenBytes(doc);
  ASSERT_TRUE(reader.ok());
  auto list = reader->LoadSignatures();
  ASSERT_TRUE(list.ok());
  std::set<std::string> files;
  for (const ofd::SignatureEntry& en : list->entries) {
    auto sig = reader->LoadSignature(en);
    ASSERT_TRUE(sig.ok());
    for (const ofd::Reference& r : sig->references) files.insert(r.path);
    files.insert(en.path);
    files.insert(sig->signed_value_path);
  }
  int flipped = 0;
  for (const std::string& f : files) {
    SCOPED_TRACE(f);
    Bytes original = reader->package().Read(f).value();
    ofd::PackageWriter w(reader->package());
    ASSERT_TRUE(w.Put(f, Flip(f, original)).ok());
    auto tampered = w.Write();
    ASSERT_TRUE(tampered.ok()) << tampered.status().ToString();
    OfdVerification v = MustVerify(*tampered, o);
    EXPECT_EQ(v.verdict(), Verdict::kFailed) << Dump(v);
    EXPECT_EQ(Failed(v.document), Failed(base.document));
    Expectation exp = Expect(f, *reader, list->entries);
    ASSERT_EQ(v.signatures.size(), base.signatures.size());
    for (size_t i = 0; i < v.signatures.size(); ++i) {
      std::set<std::string> before = Failed(base.signatures[i].report);
      std::set<std::string> after = Failed(v.signatures[i].report);
      std::set<std::string> added;
      for (const std::string& id : after) {
        if (!before.count(id)) added.insert(id);
      }
      EXPECT_EQ(added, exp.added[i]) << "signature " << i << "\n" << Dump(v);
      // Checks made only once a value verifies (a bare SM2 value names no signer until a
      // certificate verifies it) may drop out; nothing else may.
      bool bare_broken = after.count("sign.value") && !v.signatures[i].report.Find("sign.data_hash");
      for (const std::string& id : before) {
        if (bare_broken && (id.starts_with("signer.") || id.starts_with("sign.signer_cert"))) continue;
        EXPECT_TRUE(after.count(id)) << id;
      }
    }
    ++flipped;
  }
  EXPECT_GE(flipped, 3);
}

TEST(OfdTamper, OurGoldenDocuments) {
  // Made by testdata/ofd-signed/make.sh with `eseal ca init`; no CRL was kept with them,
  // so revocation is off by name, and "now" is inside the certificates' year.
  OfdVerifyOptions o;
  auto chain = x509::Certificate::FromPemBundle(AsChars(MustRead(Own("ofd-signed/ca-chain.pem"))));
  ASSERT_TRUE(chain.ok());
  for (const x509::Certificate& c : *chain) {
    if (c.IsSelfIssued()) {
      o.policy.AddAnchor(c, "golden CA", RolesOf(Role::kSigner) | RolesOf(Role::kSealMaker),
                         {x509::SealMakerPolicy()});
    } else {
      o.policy.intermediates.push_back(c);
    }
  }
  o.policy.check_revocation = false;
  o.policy.time.now = *ParseTime("2026-12-01T00:00:00Z");
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(Own("ofd-signed"))) {
    if (e.path().extension() != ".ofd") continue;
    Bytes doc = MustRead(e.path().string());
    OfdVerification v = MustVerify(doc, o);
    EXPECT_EQ(v.verdict(), Verdict::kPassed) << e.path() << "\n" << Dump(v);
    TamperEveryProtectedFile(e.path().filename().string(), doc, o);
    ++n;
  }
  EXPECT_EQ(n, 7);
}

TEST(OfdTamper, OfdrwValidGoldens) {
  for (const char* f : {
           "generated-with-ofdrw/v4-seal-continue.ofd", "generated-with-ofdrw/v4-seal-whole.ofd",
           "generated-with-ofdrw/v4-seal-twice.ofd", "generated-with-ofdrw/v4-seal-riding.ofd",
           "generated-with-ofdrw/v1-seal.ofd", "generated-with-ofdrw/v5-seal.ofd",
           "generated-with-ofdrw/sign-gbt35275.ofd", "generated-with-ofdrw/sign-gbt35275-pkcs9.ofd",
           "ofdrw-repo-ofdrw-signed/allprotected.ofd", "ofdrw-repo-ofdrw-signed/SESV4SignDoc.ofd",
           "ofdrw-repo-ofdrw-signed/V4RideRight.ofd", "ofdrw-repo-vendor/v4signed.ofd",
           "ofdrw-repo-vendor/signedFile.ofd", "ofdrw-repo-vendor/1.ofd",
           "ofdrw-repo-vendor/draw_param_ref.ofd", "ofdrw-repo-vendor/999.ofd",
           "ofdrw-repo-vendor/不规范资源路径.ofd", "ofdrw-repo-vendor/SignScaleError.ofd",
           "ofdrw-repo-vendor/testPathClip.ofd", "ofdrw-repo-vendor/testImageOverridePage.ofd",
           "ofdrw-repo-vendor/testImageNotFound.ofd"}) {
    TamperEveryProtectedFile(f, MustRead(Shared(std::string("ofdrw/signed/") + f)), NoTrust());
  }
  // The bare SM2 samples, with the certificate that verifies them.
  OfdVerifyOptions o;
  o.policy.sign_certs = {x509::Certificate::FromPem(AsChars(MustRead(Shared("ofdrw/keys/user_cert.pem")))).value()};
  TamperEveryProtectedFile("DigitalSign.ofd", MustRead(Shared("ofdrw/signed/ofdrw-repo-ofdrw-signed/DigitalSign.ofd")), o);
  TamperEveryProtectedFile("sign-raw-sm2.ofd", MustRead(Shared("ofdrw/signed/generated-with-ofdrw/sign-raw-sm2.ofd")), o);
}

TEST(OfdTamper, AddedAndRemovedFiles) {
  Bytes in = MustRead(Shared("ofdrw/unsigned/helloworld.ofd"));
  sign::OfdSignRequest r = Request(W(), in);
  r.placement.positions = {{1, 10, 10}};
  Bytes doc = sign::SignOfd(r).value().document;
  auto pkg = ofd::Package::Open(doc).value();
  // A file added after signing that no reader reaches (nothing names it) and no signature
  // owns: not shown, so no forgery — WARNING ofd.coverage.unreachable, no failure.
  // (Reachable additions: ofd_coverage_attack_test.cc.)
  {
    ofd::PackageWriter w(pkg);
    ASSERT_TRUE(w.Put("/Doc_0/Pages/Page_1/Content.xml", ToBytes("<ofd:Page xmlns:ofd=\"x\"/>")).ok());
    OfdVerification v = MustVerify(w.Write().value(), TrustW(W()));
    EXPECT_EQ(Failed(v.signatures[0].report), std::set<std::string>{}) << Dump(v);
    EXPECT_TRUE(v.signatures[0].report.Has("ofd.coverage.unreachable", CheckResult::kWarning));
  }
  // Likewise a file in a folder named like a signature's, but listed nowhere.
  {
    ofd::PackageWriter w(pkg);
    ASSERT_TRUE(w.Put("/Doc_0/Signs/Sign_7/Seal.esl", Bytes{1, 2, 3}).ok());
    OfdVerification v = MustVerify(w.Write().value(), TrustW(W()));
    EXPECT_EQ(Failed(v.signatures[0].report), std::set<std::string>{});
    EXPECT_TRUE(v.signatures[0].report.Has("ofd.coverage.unreachable", CheckResult::kWarning));
  }
  // A protected file removed from the package: ofd.reference.missing. (The writer cannot
  // drop entries, so build the package from the files.)
  {
    std::vector<std::pair<std::string, std::string>> files;
    for (const std::string& p : pkg.FilePaths()) {
      if (p == "/Doc_0/PublicRes.xml") continue;
      Bytes b = pkg.Read(p).value();
      files.emplace_back(p.substr(1), std::string(b.begin(), b.end()));
    }
    OfdVerification v = MustVerify(ofd::testing::BuildZipFiles(files), TrustW(W()));
    EXPECT_EQ(Failed(v.signatures[0].report),
              std::set<std::string>{"ofd.reference.missing:/Doc_0/PublicRes.xml"})
        << Dump(v);
  }
  // A StampAnnot on a page that does not exist (re-signed so that only that is wrong is
  // not possible without the key; the check is exercised through a hand-edited copy).
  {
    auto sig_xml = pkg.Read("/Doc_0/Signs/Sign_0/Signature.xml").value();
    std::string s(sig_xml.begin(), sig_xml.end());
    size_t at = s.find("PageRef=\"1\"");
    ASSERT_NE(at, std::string::npos);
    s.replace(at, 11, "PageRef=\"9\"");
    ofd::PackageWriter w(pkg);
    ASSERT_TRUE(w.Put("/Doc_0/Signs/Sign_0/Signature.xml", ToBytes(s)).ok());
    OfdVerification v = MustVerify(w.Write().value(), TrustW(W()));
    EXPECT_EQ(Failed(v.signatures[0].report),
              (std::set<std::string>{"ses.signature.data_hash", "ofd.stamp_annot.page"}))
        << Dump(v);
  }
}

// ---- Hostile packages through signing and verification ----------------------------------

constexpr uint64_t kRssBound = uint64_t{400} << 20;

void BothRefuse(const std::string& what, const Bytes& zip, StatusCode code) {
  SCOPED_TRACE(what);
  sign::OfdSignRequest r = Request(W(), zip);
  r.placement.positions = {{1, 10, 10}};
  auto s = sign::SignOfd(r);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), code) << s.status().ToString();
  EXPECT_FALSE(s.status().message().empty());
  auto v = VerifyOfd(zip, NoTrust());
  ASSERT_FALSE(v.ok()) << (v.ok() ? Dump(*v) : "");
  EXPECT_EQ(v.status().code(), code) << v.status().ToString();
}

TEST(OfdHostile, ZipBombTraversalXxeHugePageCountHugeImage) {
  using ofd::testing::BuildZip;
  using ofd::testing::MinimalOfd;
  using ofd::testing::ZipEntrySpec;
  const std::string sigs =
      "<?xml version=\"1.0\"?><ofd:Signatures xmlns:ofd=\"http://www.ofdspec.org/2016\"/>";

  // Zip bomb: 200 MB of zeros as an "image" (ratio ~1000:1), refused before inflating.
  {
    Bytes base = MinimalOfd();
    auto pkg = ofd::Package::Open(base).value();
    std::vector<ZipEntrySpec> entries;
    for (const std::string& p : pkg.FilePaths()) {
      ZipEntrySpec e;
      e.name = p.substr(1);
      e.data = pkg.Read(p).value();
      entries.push_back(e);
    }
    ZipEntrySpec img;
    img.name = "Doc_0/Res/image_1.png";
    img.zeros = uint64_t{200} << 20;
    entries.push_back(img);
    BothRefuse("zip bomb", BuildZip(entries), StatusCode::kResourceExhausted);
    // The same 200 MB image behind a lying 1000-byte header, with the ratio check off: it
    // is caught while inflating (signing reads it to hash it).
    entries.back().declared_size = 1000;
    ofd::Limits lax;
    lax.max_ratio = 0;
    sign::OfdSignRequest r = Request(W(), BuildZip(entries));
    Bytes lying = BuildZip(entries);
    r.document = lying;
    r.limits = lax;
    r.placement.positions = {{1, 10, 10}};
    auto s = sign::SignOfd(r);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.status().code(), StatusCode::kDataLoss) << s.status().ToString();
  }
  // Path traversal and absolute names.
  for (const char* bad : {"../evil.xml", "/etc/passwd", "Doc_0/../../x.xml"}) {
    ZipEntrySpec e;
    e.name = bad;
    e.data = ToBytes("x");
    ZipEntrySpec ofd_xml;
    ofd_xml.name = "OFD.xml";
    ofd_xml.data = ToBytes("<ofd:OFD xmlns:ofd=\"x\"/>");
    BothRefuse(bad, BuildZip({ofd_xml, e}), StatusCode::kInvalidArgument);
  }
  // XXE and entity expansion in OFD.xml.
  BothRefuse("xxe",
             MinimalOfd({{"OFD.xml",
                          "<?xml version=\"1.0\"?><!DOCTYPE ofd:OFD [<!ENTITY xxe SYSTEM "
                          "\"file:///etc/passwd\">]><ofd:OFD xmlns:ofd=\"http://www.ofdspec.org/2016\">"
                          "<ofd:DocBody><ofd:DocRoot>&xxe;</ofd:DocRoot></ofd:DocBody></ofd:OFD>"}}),
             StatusCode::kInvalidArgument);
  // 10,000 pages.
  {
    std::string doc =
        "<?xml version=\"1.0\"?><ofd:Document xmlns:ofd=\"http://www.ofdspec.org/2016\"><ofd:CommonData>"
        "<ofd:MaxUnitID>1</ofd:MaxUnitID></ofd:CommonData><ofd:Pages>";
    for (int i = 0; i < 10000; ++i) {
      doc += "<ofd:Page ID=\"" + std::to_string(i + 1) + "\" BaseLoc=\"Pages/Page_0/Content.xml\"/>";
    }
    doc += "</ofd:Pages></ofd:Document>";
    Bytes zip = MinimalOfd({{"Doc_0/Document.xml", doc}});
    sign::OfdSignRequest r = Request(W(), zip);
    r.placement.positions = {{1, 10, 10}};
    EXPECT_EQ(sign::SignOfd(r).status().code(), StatusCode::kResourceExhausted);
    // Verification reads the page list only for stamp annotations; with a signature list
    // present, the limit is an error too.
    std::string ofd_xml =
        "<?xml version=\"1.0\"?><ofd:OFD xmlns:ofd=\"http://www.ofdspec.org/2016\"><ofd:DocBody>"
        "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot><ofd:Signatures>Doc_0/Signs/Signatures.xml"
        "</ofd:Signatures></ofd:DocBody></ofd:OFD>";
    Bytes signed_zip = MinimalOfd({{"Doc_0/Document.xml", doc}, {"OFD.xml", ofd_xml},
                                   {"Doc_0/Signs/Signatures.xml", sigs}});
    auto v = VerifyOfd(signed_zip, NoTrust());
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.status().code(), StatusCode::kResourceExhausted) << v.status().ToString();
  }
  EXPECT_LT(ofd::testing::PeakRssBytes(), kRssBound);
}

// XML-level attacks inside a signed package are reported, not crashed on.
TEST(OfdHostile, HostileSignatureXmlIsReported) {
  Bytes in = MustRead(Shared("ofdrw/unsigned/helloworld.ofd"));
  sign::OfdSignRequest r = Request(W(), in);
  r.placement.positions = {{1, 10, 10}};
  Bytes doc = sign::SignOfd(r).value().document;
  auto pkg = ofd::Package::Open(doc).value();
  for (const std::string& evil : std::vector<std::string>{
           "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><x>&b;</x>",
           std::string(200, '<'), "", "<ofd:Signature xmlns:ofd=\"x\"/>"}) {
    ofd::PackageWriter w(pkg);
    ASSERT_TRUE(w.Put("/Doc_0/Signs/Sign_0/Signature.xml", ToBytes(evil)).ok());
    OfdVerification v = MustVerify(w.Write().value(), NoTrust());
    ASSERT_EQ(v.signatures.size(), 1u);
    EXPECT_EQ(v.signatures[0].report.ResultOf("ofd.signature.xml"), CheckResult::kFail) << Dump(v);
  }
}

}  // namespace
}  // namespace eseal::verify
