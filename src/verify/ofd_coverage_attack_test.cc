// Coverage attacks of issue 9 (DESIGN.md "Coverage is what the reader renders"), built
// without eseal's OFD signer: the packages, Signature.xml and References are written here
// by hand and the signature values made directly with the SES library (ses::SignWithSeal,
// the same step any vendor's signer ends with). Each attack asserts the exact verdict and
// the check that explains it; the same document signed honestly PASSES.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "eseal/crypto/sm3.h"
#include "eseal/ofd/package.h"
#include "eseal/ofd/work_count.h"
#include "eseal/ses/make.h"
#include "eseal/sign/ofd_signer.h"
#include "eseal/verify/ofd_verifier.h"
#include "eseal/x509/ca.h"
#include "internal.h"
#include "test_world.h"
#include "test_zip.h"

namespace eseal::verify {
namespace {

using sign::testing::MakeWorld;
using sign::testing::MustRead;
using sign::testing::Shared;
using sign::testing::World;
using Files = std::map<std::string, std::string>;  // entry name -> content

const World& W() {
  static const World w = MakeWorld();
  return w;
}

// The world's root for both roles, judged a day after signing; revocation is off by name
// (it has its own tests), so what is left to decide the verdict is coverage.
OfdVerifyOptions Options() {
  OfdVerifyOptions o;
  o.policy.AddAnchor(W().root, "test root", RolesOf(Role::kSigner) | RolesOf(Role::kSealMaker),
                     {x509::SealMakerPolicy()});
  o.policy.check_revocation = false;
  o.policy.time.now = W().sign_time + std::chrono::hours(24);
  return o;
}

std::string Dump(const OfdVerification& v) { return OfdVerificationToText(v, true); }

OfdVerification MustVerify(const Bytes& doc) {
  auto v = VerifyOfd(doc, Options());
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  return v.ok() ? *std::move(v) : OfdVerification{};
}

// Checks of one id as "result:file" (or "result" when no file is named).
std::set<std::string> Checks(const Report& r, const std::string& id) {
  std::set<std::string> out;
  for (const Check& c : r.checks()) {
    if (c.id != id) continue;
    std::string s(CheckResultName(c.result));
    for (char& ch : s) ch = static_cast<char>(ch >= 'a' && ch <= 'z' ? ch - 'a' + 'A' : ch);
    for (const auto& [k, val] : c.params) {
      if (k == "file") s += ":" + val;
    }
    out.insert(s);
  }
  return out;
}

constexpr char kNs[] = "xmlns:ofd=\"http://www.ofdspec.org/2016\"";

std::string OfdXml(const std::string& doc_root) {
  return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ofd:OFD ") + kNs +
         " DocType=\"OFD\" Version=\"1.0\"><ofd:DocBody><ofd:DocInfo><ofd:DocID>c0ffee</ofd:DocID>"
         "</ofd:DocInfo><ofd:DocRoot>" +
         doc_root + "</ofd:DocRoot><ofd:Signatures>Doc_0/Signs/Signatures.xml</ofd:Signatures>"
                    "</ofd:DocBody></ofd:OFD>";
}

std::string PageXml(const std::string& text, bool with_template) {
  return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ofd:Page ") + kNs + ">" +
         (with_template ? "<ofd:Template TemplateID=\"2\" ZOrder=\"Background\"/>" : "") +
         "<ofd:Content><ofd:Layer ID=\"10\"><ofd:TextObject ID=\"11\" Boundary=\"20 20 120 10\" "
         "Font=\"3\" Size=\"5\"><ofd:TextCode X=\"0\" Y=\"5\">" +
         text + "</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>";
}

// A one-page invoice whose amount is on the template page (模板页), as tax invoices are.
Files Invoice(const std::string& amount) {
  return {
      {"OFD.xml", OfdXml("Doc_0/Document.xml")},
      {"Doc_0/Document.xml",
       std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ofd:Document ") + kNs +
           "><ofd:CommonData><ofd:MaxUnitID>20</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 "
           "140</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>"
           "<ofd:TemplatePage ID=\"2\" BaseLoc=\"Tpls/Tpl_0/Content.xml\"/></ofd:CommonData>"
           "<ofd:Pages><ofd:Page ID=\"1\" BaseLoc=\"Pages/Page_0/Content.xml\"/></ofd:Pages>"
           "</ofd:Document>"},
      {"Doc_0/PublicRes.xml", std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ofd:Res ") +
                                  kNs + " BaseLoc=\"Res\"><ofd:Fonts><ofd:Font ID=\"3\" "
                                        "FontName=\"宋体\"/></ofd:Fonts></ofd:Res>"},
      {"Doc_0/Tpls/Tpl_0/Content.xml", PageXml("Amount: " + amount, false)},
      {"Doc_0/Pages/Page_0/Content.xml", PageXml("Invoice No. 24112000000048542163", true)},
  };
}

std::string SignaturesXml(int n) {
  std::string s = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ofd:Signatures ") + kNs + ">";
  for (int i = 0; i < n; ++i) {
    s += "<ofd:Signature ID=\"" + std::to_string(i + 1) + "\" Type=\"Seal\" BaseLoc=\"/Doc_0/Signs/Sign_" +
         std::to_string(i) + "/Signature.xml\"/>";
  }
  return s + "<ofd:MaxSignId>" + std::to_string(n) + "</ofd:MaxSignId></ofd:Signatures>";
}

// Adds signature number `n` (folder Sign_n) protecting `protect` (entry names) as they are
// in `files` now: Seal.esl, Signature.xml with hand-computed References, and an
// SES_Signature over it made with the world's seal. Signatures.xml is left out (continue
// mode) and rewritten to list n + 1 signatures.
void HandSign(Files& files, int n, const std::vector<std::string>& protect) {
  const World& w = W();
  const std::string dir = "Doc_0/Signs/Sign_" + std::to_string(n) + "/";
  files[dir + "Seal.esl"] = std::string(w.seal.der.begin(), w.seal.der.end());
  files["Doc_0/Signs/Signatures.xml"] = SignaturesXml(n + 1);
  std::string refs;
  std::vector<std::string> all = protect;
  all.push_back(dir + "Seal.esl");
  for (const std::string& p : all) {
    refs += "<ofd:Reference FileRef=\"/" + p + "\"><ofd:CheckValue>" +
            Base64Encode(crypto::Sm3Bytes(ToBytes(files.at(p)))) + "</ofd:CheckValue></ofd:Reference>";
  }
  const std::string sig_path = "/" + dir + "Signature.xml";
  const std::string xml =
      std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ofd:Signature ") + kNs +
      "><ofd:SignedInfo><ofd:Provider ProviderName=\"hand\" Company=\"test\" Version=\"1\"/>"
      "<ofd:SignatureMethod>1.2.156.10197.1.501</ofd:SignatureMethod><ofd:SignatureDateTime>"
      "20261123093035Z</ofd:SignatureDateTime><ofd:References CheckMethod=\"1.2.156.10197.1.401\">" +
      refs + "</ofd:References><ofd:StampAnnot ID=\"" + std::to_string(100 + n) +
      "\" PageRef=\"1\" Boundary=\"150 10 40 40\"/><ofd:Seal><ofd:BaseLoc>/" + dir +
      "Seal.esl</ofd:BaseLoc></ofd:Seal></ofd:SignedInfo><ofd:SignedValue>/" + dir +
      "SignedValue.dat</ofd:SignedValue></ofd:Signature>";
  files[dir + "Signature.xml"] = xml;
  ses::SignSpec spec;
  spec.time = w.sign_time;
  spec.data_hash = crypto::Sm3Bytes(ToBytes(xml));
  spec.property_info = sig_path;
  auto sig = ses::SignWithSeal(w.seal, w.signer.der(), w.signer_key, spec);
  ASSERT_TRUE(sig.ok()) << sig.status().ToString();
  Bytes der = ses::EncodeSignature(*sig);
  files[dir + "SignedValue.dat"] = std::string(der.begin(), der.end());
}

Bytes Zip(const Files& files) {
  return ofd::testing::BuildZipFiles({files.begin(), files.end()});
}

const std::string kTemplate = "/Doc_0/Tpls/Tpl_0/Content.xml";
const std::vector<std::string> kContent = {"OFD.xml", "Doc_0/Document.xml", "Doc_0/PublicRes.xml",
                                           "Doc_0/Pages/Page_0/Content.xml"};

std::vector<std::string> Plus(std::vector<std::string> a, const std::string& b) {
  a.push_back(b);
  return a;
}

// ---- Unprotected template -------------------------------------------------------------

TEST(OfdCoverageAttack, HonestInvoicePasses) {
  Files f = Invoice("100.00");
  HandSign(f, 0, Plus(kContent, "Doc_0/Tpls/Tpl_0/Content.xml"));
  OfdVerification v = MustVerify(Zip(f));
  EXPECT_EQ(v.verdict(), Verdict::kPassed) << Dump(v);
  ASSERT_EQ(v.signatures.size(), 1u);
  EXPECT_TRUE(Checks(v.signatures[0].report, "ofd.coverage.uncovered").empty());
  // The same template changed after signing: the digest names it.
  f["Doc_0/Tpls/Tpl_0/Content.xml"] = PageXml("Amount: 900000.00", false);
  OfdVerification t = MustVerify(Zip(f));
  EXPECT_EQ(t.verdict(), Verdict::kFailed) << Dump(t);
  EXPECT_EQ(Checks(t.signatures[0].report, "ofd.reference.digest").count("FAIL:" + kTemplate), 1u);
}

TEST(OfdCoverageAttack, UnprotectedTemplateIsNeverPassed) {
  Files f = Invoice("100.00");
  HandSign(f, 0, kContent);  // the template left out, as some vendors do
  OfdVerification before = MustVerify(Zip(f));
  EXPECT_EQ(before.verdict(), Verdict::kIndeterminate) << Dump(before);
  // The attack: the template's amount changed after signing.
  f["Doc_0/Tpls/Tpl_0/Content.xml"] = PageXml("Amount: 900000.00", false);
  OfdVerification v = MustVerify(Zip(f));
  EXPECT_EQ(v.verdict(), Verdict::kIndeterminate) << Dump(v);
  const Report& r = v.signatures.at(0).report;
  EXPECT_EQ(Checks(r, "ofd.coverage.uncovered"), std::set<std::string>{"INDETERMINATE:" + kTemplate})
      << Dump(v);
  const Check* c = r.Find("ofd.coverage.uncovered");
  ASSERT_NE(c, nullptr);
  EXPECT_NE(c->detail.find("印章未覆盖阅读器显示的内容"), std::string::npos) << c->detail;
  EXPECT_NE(c->detail.find("the seal does not cover what the reader shows"), std::string::npos);
  bool named_by_document = false;
  for (const auto& [k, val] : c->params) named_by_document |= k == "named_by" && val == "/Doc_0/Document.xml";
  EXPECT_TRUE(named_by_document) << Dump(v);
  // Named by the signed Document.xml: existed when signed, so not "smuggled".
  EXPECT_FALSE(r.Has("ofd.reference.smuggled", CheckResult::kFail));
}

// ---- DocRoot swap -----------------------------------------------------------------------

// Sign_0 in continue mode without OFD.xml (KingGrid, GOMAIN), then a later signature.
Files ContinueModeInvoice() {
  Files f = Invoice("100.00");
  HandSign(f, 0, {"Doc_0/Document.xml", "Doc_0/PublicRes.xml", "Doc_0/Pages/Page_0/Content.xml",
                  "Doc_0/Tpls/Tpl_0/Content.xml"});
  return f;
}

TEST(OfdCoverageAttack, HonestContinueModeAndLaterAppearancePass) {
  Files f = ContinueModeInvoice();
  OfdVerification one = MustVerify(Zip(f));
  EXPECT_EQ(one.verdict(), Verdict::kPassed) << Dump(one);
  EXPECT_EQ(Checks(one.signatures[0].report, "ofd.reference.unprotected"),
            std::set<std::string>{"WARNING:/OFD.xml"});
  // A second seal that adds only its own appearance (its Sign_1 folder).
  std::vector<std::string> all = {"Doc_0/Document.xml", "Doc_0/PublicRes.xml",
                                  "Doc_0/Pages/Page_0/Content.xml", "Doc_0/Tpls/Tpl_0/Content.xml",
                                  "Doc_0/Signs/Sign_0/Signature.xml",
                                  "Doc_0/Signs/Sign_0/SignedValue.dat"};
  HandSign(f, 1, all);
  OfdVerification two = MustVerify(Zip(f));
  EXPECT_EQ(two.verdict(), Verdict::kPassed) << Dump(two);
  ASSERT_EQ(two.signatures.size(), 2u);
  const Check* cov = two.signatures[0].report.Find("ofd.reference.coverage");
  ASSERT_NE(cov, nullptr);
  bool later = false;
  for (const auto& [k, val] : cov->params) later |= k == "later_signature_files" && val == "3";
  EXPECT_TRUE(later) << cov->detail;
}

TEST(OfdCoverageAttack, DocRootSwapFails) {
  Files f = ContinueModeInvoice();
  // The attacker's document inside a later signature's own folder, signed by that later
  // signature (even with a seal the verifier trusts), and OFD.xml pointed at it.
  const std::string d = "Doc_0/Signs/Sign_1/";
  f[d + "Document.xml"] =
      std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ofd:Document ") + kNs +
      "><ofd:CommonData><ofd:MaxUnitID>20</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 "
      "140</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>/Doc_0/PublicRes.xml</ofd:PublicRes>"
      "</ofd:CommonData><ofd:Pages><ofd:Page ID=\"1\" BaseLoc=\"Page.xml\"/></ofd:Pages></ofd:Document>";
  f[d + "Page.xml"] = PageXml("Amount: 900000.00", false);
  f["OFD.xml"] = OfdXml(d + "Document.xml");
  HandSign(f, 1, {"OFD.xml", d + "Document.xml", d + "Page.xml", "Doc_0/PublicRes.xml",
                  "Doc_0/Signs/Sign_0/Signature.xml", "Doc_0/Signs/Sign_0/SignedValue.dat"});
  OfdVerification v = MustVerify(Zip(f));
  EXPECT_EQ(v.verdict(), Verdict::kFailed) << Dump(v);
  ASSERT_EQ(v.signatures.size(), 2u);
  const Report& first = v.signatures[0].report;
  EXPECT_EQ(first.verdict(), Verdict::kFailed) << Dump(v);
  EXPECT_EQ(Checks(first, "ofd.coverage.doc_root"),
            std::set<std::string>{"FAIL:/Doc_0/Signs/Sign_1/Document.xml"})
      << Dump(v);
  // Its own digests all still match: only coverage sees the swap.
  for (const Check& c : first.checks()) {
    if (c.id == "ofd.reference.digest") {
      EXPECT_EQ(c.result, CheckResult::kPass) << c.detail;
    }
  }
  // What the reader now shows of the swapped document is uncovered too.
  EXPECT_EQ(Checks(first, "ofd.coverage.uncovered").count("INDETERMINATE:/Doc_0/Signs/Sign_1/Page.xml"), 1u)
      << Dump(v);
  // The tolerance for an unprotected OFD.xml is not granted.
  EXPECT_TRUE(Checks(first, "ofd.reference.unprotected").empty()) << Dump(v);
}

// A second, unsigned document added to the package through the unprotected OFD.xml: no
// signature covers it, and nothing this signature protects names it.
TEST(OfdCoverageAttack, AddedUnsignedDocBodyIsUncoveredAndSmuggled) {
  Files f = ContinueModeInvoice();
  f["Doc_1/Document.xml"] = f["Doc_0/Document.xml"];
  f["Doc_1/Pages/Page_0/Content.xml"] = PageXml("Amount: 900000.00", true);
  f["Doc_1/Tpls/Tpl_0/Content.xml"] = PageXml("Amount: 900000.00", false);
  f["Doc_1/PublicRes.xml"] = f["Doc_0/PublicRes.xml"];
  std::string o = OfdXml("Doc_0/Document.xml");
  o.insert(o.find("</ofd:OFD>"), "<ofd:DocBody><ofd:DocRoot>Doc_1/Document.xml</ofd:DocRoot></ofd:DocBody>");
  f["OFD.xml"] = o;
  OfdVerification v = MustVerify(Zip(f));
  EXPECT_EQ(v.verdict(), Verdict::kFailed) << Dump(v);
  const Report& r = v.signatures.at(0).report;
  const std::set<std::string> doc1 = {"/Doc_1/Document.xml", "/Doc_1/Pages/Page_0/Content.xml",
                                      "/Doc_1/Tpls/Tpl_0/Content.xml", "/Doc_1/PublicRes.xml"};
  std::set<std::string> uncovered, smuggled;
  for (const std::string& p : doc1) {
    uncovered.insert("INDETERMINATE:" + p);
    smuggled.insert("FAIL:" + p);
  }
  EXPECT_EQ(Checks(r, "ofd.coverage.uncovered"), uncovered) << Dump(v);
  EXPECT_EQ(Checks(r, "ofd.reference.smuggled"), smuggled) << Dump(v);
  // Its own document is still where the signature left it.
  EXPECT_TRUE(Checks(r, "ofd.coverage.doc_root").empty());
}

// A second DocBody naming the same signature list (in other letter case, which the
// verifier reads as the same file) with the attacker's document as its DocRoot: the seals
// of that list now appear on it, so it is this signature's document too.
TEST(OfdCoverageAttack, SecondDocBodyBorrowingTheSignatureListFails) {
  Files f = ContinueModeInvoice();
  f["Doc_1/Document.xml"] = f["Doc_0/Document.xml"];
  f["Doc_1/Pages/Page_0/Content.xml"] = PageXml("Amount: 900000.00", true);
  f["Doc_1/Tpls/Tpl_0/Content.xml"] = PageXml("Amount: 900000.00", false);
  f["Doc_1/PublicRes.xml"] = f["Doc_0/PublicRes.xml"];
  std::string o = OfdXml("Doc_0/Document.xml");
  o.insert(o.find("</ofd:OFD>"),
           "<ofd:DocBody><ofd:DocRoot>Doc_1/Document.xml</ofd:DocRoot>"
           "<ofd:Signatures>doc_0/signs/signatures.xml</ofd:Signatures></ofd:DocBody>");
  f["OFD.xml"] = o;
  OfdVerification v = MustVerify(Zip(f));
  EXPECT_EQ(v.verdict(), Verdict::kFailed) << Dump(v);
  EXPECT_EQ(Checks(v.signatures.at(0).report, "ofd.coverage.doc_root"),
            std::set<std::string>{"FAIL:/Doc_1/Document.xml"})
      << Dump(v);
}

// ---- Files the reader does or does not reach ---------------------------------------------

TEST(OfdCoverageAttack, SmuggledAndUnreachableFiles) {
  Files f = Invoice("100.00");
  HandSign(f, 0, Plus(kContent, "Doc_0/Tpls/Tpl_0/Content.xml"));
  // Unreachable and owned by no signature: not shown, so a WARNING.
  Files a = f;
  a["Doc_0/Pages/Page_9/Content.xml"] = PageXml("not shown", false);
  OfdVerification va = MustVerify(Zip(a));
  EXPECT_EQ(va.verdict(), Verdict::kPassed) << Dump(va);
  EXPECT_EQ(Checks(va.signatures[0].report, "ofd.coverage.unreachable"),
            std::set<std::string>{"WARNING:/Doc_0/Pages/Page_9/Content.xml"});

  // A resource file the signer left out now names a font that was not there: the resource
  // file is uncovered (the signed Document.xml names it), the font also smuggled (only the
  // unprotected file names it).
  Files b = Invoice("100.00");
  HandSign(b, 0, {"OFD.xml", "Doc_0/Document.xml", "Doc_0/Pages/Page_0/Content.xml",
                  "Doc_0/Tpls/Tpl_0/Content.xml"});
  b["Doc_0/PublicRes.xml"] = std::string("<?xml version=\"1.0\"?><ofd:Res ") + kNs +
                             " BaseLoc=\"Res\"><ofd:Fonts><ofd:Font ID=\"3\" FontName=\"x\"><ofd:FontFile>"
                             "evil.ttf</ofd:FontFile></ofd:Font></ofd:Fonts></ofd:Res>";
  b["Doc_0/Res/evil.ttf"] = "glyphs that draw 9 as 1";
  OfdVerification vb = MustVerify(Zip(b));
  EXPECT_EQ(vb.verdict(), Verdict::kFailed) << Dump(vb);
  const Report& rb = vb.signatures[0].report;
  EXPECT_EQ(Checks(rb, "ofd.coverage.uncovered"),
            (std::set<std::string>{"INDETERMINATE:/Doc_0/PublicRes.xml", "INDETERMINATE:/Doc_0/Res/evil.ttf"}))
      << Dump(vb);
  EXPECT_EQ(Checks(rb, "ofd.reference.smuggled"), std::set<std::string>{"FAIL:/Doc_0/Res/evil.ttf"})
      << Dump(vb);
}

// Every OFD eseal's own signer makes covers everything the reader shows, in both modes and
// when continuing a vendor's document.
TEST(OfdCoverageAttack, EsealSignedDocumentsHaveNoCoverageGaps) {
  for (const char* name : {"helloworld.ofd", "invoice-unsigned.ofd", "VPage7.ofd", "doc1File.ofd",
                           "namespace_no_std.ofd"}) {
    SCOPED_TRACE(name);
    Bytes in = MustRead(Shared(std::string("ofdrw/unsigned/") + name));
    for (sign::ProtectMode mode : {sign::ProtectMode::kContinue, sign::ProtectMode::kWhole}) {
      sign::OfdSignRequest r = sign::testing::Request(W(), in);
      r.placement.positions = {{1, 30, 40}};
      r.mode = mode;
      auto out = sign::SignOfd(r);
      ASSERT_TRUE(out.ok()) << out.status().ToString();
      Bytes doc = out->document;
      if (mode == sign::ProtectMode::kContinue) {
        sign::OfdSignRequest again = sign::testing::Request(W(), doc);
        again.placement.positions = {{1, 100, 40}};
        auto second = sign::SignOfd(again);
        ASSERT_TRUE(second.ok()) << second.status().ToString();
        doc = second->document;
      }
      OfdVerification v = MustVerify(doc);
      for (const SignatureVerification& s : v.signatures) {
        for (const Check& c : s.report.checks()) {
          if (c.id.starts_with("ofd.coverage.") || c.id == "ofd.reference.smuggled" ||
              c.id == "ofd.reference.unprotected") {
            ADD_FAILURE() << s.id << ": " << c.id << " " << c.detail;
          }
        }
      }
    }
  }
}

// Coverage parses each package file once per verification, however many signatures judge
// it (issue 9: it used to re-parse every referenced XML once per signature).
TEST(OfdCoverageAttack, CoverageParsesEachFileOncePerVerification) {
  Files f = Invoice("100.00");
  std::vector<std::string> protect = Plus(kContent, "Doc_0/Tpls/Tpl_0/Content.xml");
  constexpr int kSignatures = 8;
  for (int n = 0; n < kSignatures; ++n) HandSign(f, n, protect);
  const Bytes doc = Zip(f);
  const uint64_t before = ofd::XmlParseCount();
  OfdVerification v = MustVerify(doc);
  const uint64_t parses = ofd::XmlParseCount() - before;
  ASSERT_EQ(v.signatures.size(), static_cast<size_t>(kSignatures));
  // The 6 content files (OFD.xml three times: the verifier, and the graph's typed and tree
  // reads; Document.xml twice: stamp pages and graph), Signatures.xml, each Signature.xml.
  EXPECT_LE(parses, 3u + 2u + 3u + 1u + kSignatures) << parses;
}

// ---- The graph itself --------------------------------------------------------------------

TEST(OfdRenderGraph, FollowsWhatTheReaderFollowsAndParsesEachFileOnce) {
  Files f = Invoice("100.00");
  f["Doc_0/Res/font.ttf"] = "not really a font";
  f["Doc_0/PublicRes.xml"] = std::string("<?xml version=\"1.0\"?><ofd:Res ") + kNs +
                             " BaseLoc=\"Res\"><ofd:Fonts><ofd:Font ID=\"3\" FontName=\"x\"><ofd:FontFile>"
                             "font.ttf</ofd:FontFile></ofd:Font></ofd:Fonts></ofd:Res>";
  HandSign(f, 0, kContent);
  auto pkg = ofd::Package::Open(Zip(f)).value();
  internal::RenderGraph g = internal::BuildRenderGraph(pkg);
  EXPECT_TRUE(g.error.empty()) << g.error;
  EXPECT_TRUE(g.problems.empty());
  ASSERT_EQ(g.doc_bodies.size(), 1u);
  EXPECT_EQ(g.doc_bodies[0].files, (std::set<std::string>{"/Doc_0/Document.xml", "/Doc_0/PublicRes.xml",
                                          "/Doc_0/Res/font.ttf", kTemplate,
                                          "/Doc_0/Pages/Page_0/Content.xml"}));
  EXPECT_EQ(g.files.at("/Doc_0/Res/font.ttf").named_by,
            std::vector<std::string>{"/Doc_0/PublicRes.xml"});
  // OFD.xml twice (typed model and tree), Document.xml, PublicRes.xml and two pages; the
  // font is a leaf, never parsed. Counted by the ofd parser itself, not by the graph.
  EXPECT_EQ(g.xml_parses, 6u);
}

// A reachable file the ofd readers would refuse (here a DTD with an entity, the billion
// laughs' first step) is not followed by the graph either: coverage cannot be proven, so
// the signature is not PASSED.
TEST(OfdRenderGraph, RefusesWhatTheOfdParserRefuses) {
  Files f = Invoice("100.00");
  f["Doc_0/Pages/Page_0/Content.xml"] =
      "<?xml version=\"1.0\"?><!DOCTYPE p [<!ENTITY e \"x\">]><ofd:Page " + std::string(kNs) +
      "><ofd:Content/></ofd:Page>";
  HandSign(f, 0, kContent);
  auto pkg = ofd::Package::Open(Zip(f)).value();
  internal::RenderGraph g = internal::BuildRenderGraph(pkg);
  ASSERT_EQ(g.problems.size(), 1u);
  EXPECT_NE(g.problems[0].find("/Doc_0/Pages/Page_0/Content.xml"), std::string::npos) << g.problems[0];
  OfdVerification v = MustVerify(Zip(f));
  EXPECT_NE(v.verdict(), Verdict::kPassed);
  EXPECT_TRUE(v.signatures.at(0).report.Has("ofd.coverage.graph", CheckResult::kIndeterminate))
      << OfdVerificationToText(v, true);
}

}  // namespace
}  // namespace eseal::verify
