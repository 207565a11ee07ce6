// Hostile input to the public verifier (issue 9, "The public verifier survives hostile
// input"): documents whose every single read is within ofd::Limits but that asked for work
// without bound in total — the same signature listed 1,000 times, DocBodies sharing that
// list, entries naming one padded Signature.xml, many signatures over large XML, a
// SignedData with 100,000 certificates. Each test asserts the exact verdict and that SM2
// verifications and XML parses stay within small constants, counted with the thread's work
// counters (crypto::Sm2VerifyCount, ofd::XmlParseCount), not timed.
//
// The hostile packages are written here from the files of an honestly signed one, with the
// raw zip builder of src/ofd/test_zip.h (no eseal writer involved in the attack).
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "eseal/crypto/sm2.h"
#include "eseal/ofd/package.h"
#include "eseal/ofd/work_count.h"
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
using sign::testing::Request;
using sign::testing::Shared;
using sign::testing::World;

const World& W() {
  static const World w = MakeWorld();
  return w;
}

std::string Dump(const OfdVerification& v) { return OfdVerificationToText(v, false); }

// The counts below compare one verification's work with the honest document's: each
// proves everything afresh, so that no test's count depends on what another test left in
// the process-wide proof cache (proof_cache_test.cc and ofd_proof_cache_test.cc count
// what the cache saves).
OfdVerifyOptions Uncached() {
  OfdVerifyOptions o = testing::WorldOptions(W());
  o.policy.proof_cache = nullptr;
  return o;
}

// A verification and the work it did on this thread.
struct Counted {
  OfdVerification v;
  uint64_t sm2 = 0;
  uint64_t xml = 0;
};

Counted CountedVerify(ByteView doc, const OfdVerifyOptions& o) {
  Counted c;
  const uint64_t sm2 = crypto::Sm2VerifyCount();
  const uint64_t xml = ofd::XmlParseCount();
  auto v = VerifyOfd(doc, o);
  c.sm2 = crypto::Sm2VerifyCount() - sm2;
  c.xml = ofd::XmlParseCount() - xml;
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  if (v.ok()) c.v = *std::move(v);
  // In the XML output (--gtest_output=xml): the last verification of each test.
  ::testing::Test::RecordProperty("sm2_verifications", std::to_string(c.sm2));
  ::testing::Test::RecordProperty("xml_parses", std::to_string(c.xml));
  return c;
}

// Every file of a package, by zip name (no leading '/').
std::map<std::string, std::string> Files(ByteView doc) {
  auto pkg = ofd::Package::Open(Bytes(doc.begin(), doc.end())).value();
  std::map<std::string, std::string> out;
  for (const std::string& p : pkg.FilePaths()) out[p.substr(1)] = ToString(pkg.Read(p).value());
  return out;
}

Bytes Zip(const std::map<std::string, std::string>& files) {
  return ofd::testing::BuildZipFiles({files.begin(), files.end()});
}

// helloworld.ofd signed honestly by the test world, `times` signatures in continue mode.
Bytes Signed(int times = 1, Bytes in = {}) {
  Bytes doc = in.empty() ? MustRead(Shared("ofdrw/unsigned/helloworld.ofd")) : std::move(in);
  for (int i = 0; i < times; ++i) {
    sign::OfdSignRequest r = Request(W(), doc);
    r.placement.positions = {{1, 10.0 + 5 * i, 10}};
    doc = sign::SignOfd(r).value().document;
  }
  return doc;
}

// The <ofd:Signature .../> element of a Signatures.xml and the text around the list.
struct SignatureList {
  std::string path;    // zip name of Signatures.xml
  std::string before;  // up to the first <ofd:Signature
  std::string first;   // the first <ofd:Signature .../> element
  std::string after;   // from the end of the last one
};

SignatureList FindList(const std::map<std::string, std::string>& files) {
  SignatureList l;
  for (const auto& [name, text] : files) {
    if (name.ends_with("Signatures.xml")) l.path = name;
  }
  const std::string& t = files.at(l.path);
  size_t a = t.find("<ofd:Signature ");
  size_t b = t.find("/>", a) + 2;
  size_t last = t.rfind("<ofd:Signature ");
  size_t end = t.find("/>", last) + 2;
  l.before = t.substr(0, a);
  l.first = t.substr(a, b - a);
  l.after = t.substr(end);
  return l;
}

// The element with another ID.
std::string WithId(std::string element, int id) {
  size_t a = element.find("ID=\"") + 4;
  size_t b = element.find('"', a);
  return element.replace(a, b - a, std::to_string(id));
}

const Check* DocumentCheck(const OfdVerification& v, std::string_view id) {
  for (const Check& c : v.document.checks()) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

std::string Param(const Check& c, std::string_view name) {
  for (const auto& [k, val] : c.params) {
    if (k == name) return val;
  }
  return "";
}

// The honest document and what verifying it costs: the yardstick for the attacks.
struct Baseline {
  Bytes doc;
  std::map<std::string, std::string> files;
  Counted honest;
};

const Baseline& Base() {
  static const Baseline* b = [] {
    auto* out = new Baseline;
    out->doc = Signed();
    out->files = Files(out->doc);
    out->honest = CountedVerify(out->doc, Uncached());
    return out;
  }();
  return *b;
}

TEST(OfdHostile, HonestDocumentPassesWithFewVerifications) {
  const Baseline& b = Base();
  EXPECT_EQ(b.honest.v.verdict(), Verdict::kPassed) << Dump(b.honest.v);
  ASSERT_EQ(b.honest.v.signatures.size(), 1u);
  EXPECT_GE(b.honest.sm2, 2u);
  EXPECT_LE(b.honest.sm2, 8u);
  EXPECT_LE(b.honest.xml, 24u);
}

// The first file: Signatures.xml lists the same signature 1,000 times (6 s of CPU
// and 400 MB before). It is verified once; the repeats are one WARNING.
TEST(OfdHostile, SameSignatureListedAThousandTimes) {
  const Baseline& b = Base();
  auto files = b.files;
  SignatureList l = FindList(files);
  std::string list = l.before;
  for (int i = 1; i <= 1000; ++i) list += WithId(l.first, i);
  files[l.path] = list + l.after;
  Counted c = CountedVerify(Zip(files), Uncached());
  EXPECT_EQ(c.v.verdict(), Verdict::kPassed) << Dump(c.v);
  ASSERT_EQ(c.v.signatures.size(), 1u);
  EXPECT_EQ(c.v.signatures[0].id, "1");
  const Check* dup = DocumentCheck(c.v, "ofd.signatures.duplicate_base_loc");
  ASSERT_NE(dup, nullptr) << Dump(c.v);
  EXPECT_EQ(dup->result, CheckResult::kWarning);
  EXPECT_EQ(Param(*dup, "count"), "1000");
  EXPECT_EQ(Param(*dup, "verified_id"), "1");
  // No duplicate_id warning per entry: the report stays small.
  EXPECT_LT(c.v.document.checks().size(), 12u) << Dump(c.v);
  EXPECT_EQ(c.sm2, b.honest.sm2);
  EXPECT_LE(c.xml, b.honest.xml + 1);
}

// ... and three DocBody elements naming that list (19 s, 1.7 GB and a 64 MB answer
// before). eseal's signature protects OFD.xml, so the added DocBodies are a change to a
// protected file: FAILED on exactly that. The shared list is read once and reported.
TEST(OfdHostile, ThreeDocBodiesNameTheThousandEntryList) {
  const Baseline& b = Base();
  auto files = b.files;
  SignatureList l = FindList(files);
  std::string list = l.before;
  for (int i = 1; i <= 1000; ++i) list += WithId(l.first, i);
  files[l.path] = list + l.after;
  std::string& ofd = files.at("OFD.xml");
  size_t a = ofd.find("<ofd:DocBody>");
  size_t e = ofd.find("</ofd:DocBody>") + std::string("</ofd:DocBody>").size();
  ASSERT_NE(a, std::string::npos);
  std::string body = ofd.substr(a, e - a);
  ofd.insert(e, body + body);
  Counted c = CountedVerify(Zip(files), Uncached());
  ASSERT_EQ(c.v.signatures.size(), 1u) << Dump(c.v);
  int shared = 0;
  for (const Check& k : c.v.document.checks()) {
    if (k.id == "ofd.signatures.shared_list") ++shared;
  }
  EXPECT_EQ(shared, 2) << Dump(c.v);
  EXPECT_EQ(c.v.verdict(), Verdict::kFailed) << Dump(c.v);
  std::vector<std::string> failed;
  for (const Check& k : c.v.signatures[0].report.checks()) {
    if (k.result == CheckResult::kFail) failed.push_back(k.id + ":" + Param(k, "file"));
  }
  EXPECT_EQ(failed, std::vector<std::string>{"ofd.reference.digest:/OFD.xml"}) << Dump(c.v);
  EXPECT_EQ(c.sm2, b.honest.sm2);
  // OFD.xml, the list and Signature.xml once each; the coverage graph follows each DocBody
  // (the same files), which its own cache keeps to one parse per file.
  EXPECT_LE(c.xml, b.honest.xml + 2);
  EXPECT_LT(c.v.document.checks().size(), 16u);
}

// 17 DocBody elements: refused (ResourceExhausted → HTTP 422), nothing verified.
TEST(OfdHostile, TooManyDocBodiesRefuseThePackage) {
  const Baseline& b = Base();
  auto files = b.files;
  std::string& ofd = files.at("OFD.xml");
  size_t a = ofd.find("<ofd:DocBody>");
  size_t e = ofd.find("</ofd:DocBody>") + std::string("</ofd:DocBody>").size();
  std::string body = ofd.substr(a, e - a);
  for (int i = 0; i < 16; ++i) ofd.insert(e, body);
  const uint64_t sm2 = crypto::Sm2VerifyCount();
  auto v = VerifyOfd(Zip(files), Uncached());
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(v.status().message().find("17 DocBody"), std::string::npos) << v.status().message();
  EXPECT_EQ(crypto::Sm2VerifyCount(), sm2);
}

// More distinct signatures than Budget::max_signatures: refused.
TEST(OfdHostile, TooManyDistinctSignaturesRefuseThePackage) {
  const Baseline& b = Base();
  auto files = b.files;
  SignatureList l = FindList(files);
  std::string list = l.before + l.first;
  for (int i = 2; i <= 4; ++i) {
    std::string e = WithId(l.first, i);
    size_t at = e.find("BaseLoc=\"") + 9;
    e.insert(at, "/Doc_0/Other_" + std::to_string(i));
    list += e;
  }
  files[l.path] = list + l.after;
  OfdVerifyOptions o = Uncached();
  o.policy.budget.max_signatures = 3;
  auto v = VerifyOfd(Zip(files), o);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(v.status().message().find("more than 3 distinct signatures"), std::string::npos)
      << v.status().message();
  o.policy.budget.max_signatures = 4;
  auto ok = VerifyOfd(Zip(files), o);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->signatures.size(), 4u);
}

// Entries that all name one padded Signature.xml (~33 MB each before: LoadList kept every
// entry's bytes and parse). The padding changes the signed bytes, so the verdict is FAILED
// on the data hash — computed once, with one copy of the file.
TEST(OfdHostile, EntriesNamingOnePaddedSignatureXml) {
  const Baseline& b = Base();
  auto files = b.files;
  SignatureList l = FindList(files);
  std::string sig_path;
  {
    size_t a = l.first.find("BaseLoc=\"") + 9;
    sig_path = l.first.substr(a, l.first.find('"', a) - a);
    if (sig_path.starts_with("/")) sig_path.erase(0, 1);
  }
  ASSERT_TRUE(files.count(sig_path)) << sig_path;
  // 4 MiB of letters that deflate about 1.6:1 (within every ratio limit), in a comment.
  std::string pad;
  pad.reserve(4 << 20);
  uint32_t x = 12345;
  while (pad.size() < (4u << 20)) {
    x = x * 1103515245u + 12345u;
    pad += static_cast<char>('a' + (x >> 16) % 26);
  }
  std::string& sx = files[sig_path];
  sx.insert(sx.find("?>") + 2, "<!--" + pad + "-->");
  std::string list = l.before;
  for (int i = 1; i <= 32; ++i) list += WithId(l.first, i);
  files[l.path] = list + l.after;
  Counted c = CountedVerify(Zip(files), Uncached());
  EXPECT_EQ(c.v.verdict(), Verdict::kFailed) << Dump(c.v);
  ASSERT_EQ(c.v.signatures.size(), 1u);
  EXPECT_EQ(c.v.signatures[0].report.ResultOf("ses.signature.data_hash"), CheckResult::kFail)
      << Dump(c.v);
  EXPECT_LE(c.sm2, b.honest.sm2);
  EXPECT_LE(c.xml, b.honest.xml + 1);
}

// 16 signatures over a large compressible page (72 s from 141 KB before: the coverage
// check re-parsed every protected XML once per signature). Each file is parsed a bounded
// number of times whatever the number of signatures.
TEST(OfdHostile, SixteenSignaturesOverLargeXml) {
  auto files = Files(MustRead(Shared("ofdrw/unsigned/helloworld.ofd")));
  std::string page_name;
  for (const auto& [name, text] : files) {
    if (name.ends_with("Content.xml")) page_name = name;
  }
  ASSERT_FALSE(page_name.empty());
  std::string& page = files[page_name];
  size_t layer_end = page.rfind("</ofd:Layer>");
  ASSERT_NE(layer_end, std::string::npos);
  std::string objects;
  for (int i = 0; i < 20000; ++i) {
    objects += "<ofd:TextObject ID=\"" + std::to_string(100000 + i) +
               "\" Boundary=\"10 10 50 10\" Font=\"" + "1" +
               "\" Size=\"3\"><ofd:TextCode X=\"0\" Y=\"3\">" + std::to_string(i * 7919) +
               "</ofd:TextCode></ofd:TextObject>";
  }
  page.insert(layer_end, objects);
  Bytes big = Zip(files);
  Bytes doc = Signed(16, big);
  size_t xml_files = 0;
  for (const auto& [name, text] : Files(doc)) xml_files += name.ends_with(".xml") ? 1 : 0;
  Counted c = CountedVerify(doc, Uncached());
  EXPECT_EQ(c.v.verdict(), Verdict::kPassed) << Dump(c.v);
  ASSERT_EQ(c.v.signatures.size(), 16u);
  // Per signature: the seal maker's, the signer's and the certificates' verifications.
  EXPECT_LE(c.sm2, 16 * Base().honest.sm2);
  // Each XML file at most twice (a typed parse and the coverage graph's), plus a few.
  EXPECT_LE(c.xml, 2 * xml_files + 8) << xml_files << " XML files";
}

// A Type="Sign" value whose SignedData carries 100,000 copies of a certificate: the parse
// keeps 32 and the signature is INDETERMINATE (sign.certificates) without a single SM2
// verification or certificate path built.
TEST(OfdHostile, SignedDataWithAHundredThousandCertificates) {
  Bytes doc = MustRead(Shared("ofdrw/signed/generated-with-ofdrw/sign-gbt35275.ofd"));
  auto files = Files(doc);
  std::string value_name;
  for (const auto& [name, text] : files) {
    if (name.ends_with("SignedValue.dat")) value_name = name;
  }
  ASSERT_FALSE(value_name.empty());
  auto sd = x509::ParseSignedData(AsBytes(files[value_name])).value();
  ASSERT_FALSE(sd.certificates.empty());
  const Bytes one = sd.certificates[0];
  Bytes many;
  many.reserve(one.size() * 100000);
  for (int i = 0; i < 100000; ++i) many.insert(many.end(), one.begin(), one.end());
  sd.certificates = {std::move(many)};
  files[value_name] = ToString(x509::EncodeSignedData(sd));
  // Stored, not deflated: 100,000 equal certificates deflate far past the ratio limit,
  // and the attack must pass every per-file limit (52 MB is under the entry limits).
  std::vector<ofd::testing::ZipEntrySpec> specs;
  for (const auto& [name, text] : files) {
    ofd::testing::ZipEntrySpec e;
    e.name = name;
    e.data = ToBytes(text);
    if (name == value_name) e.method = 0;
    specs.push_back(std::move(e));
  }
  files.clear();
  Counted c = CountedVerify(ofd::testing::BuildZip(specs), Uncached());
  ASSERT_EQ(c.v.signatures.size(), 1u) << Dump(c.v);
  const Report& r = c.v.signatures[0].report;
  EXPECT_EQ(r.ResultOf("sign.certificates"), CheckResult::kIndeterminate) << Dump(c.v);
  EXPECT_EQ(c.v.verdict(), Verdict::kIndeterminate) << Dump(c.v);
  EXPECT_EQ(c.sm2, 0u);
  EXPECT_LE(c.xml, 16u);
}

// The work budget: with room for one signature's SM2 verifications only, a document with
// three signatures stops after the first and says so (verify.budget, INDETERMINATE).
TEST(OfdHostile, WorkBudgetEndsInIndeterminate) {
  Bytes doc = Signed(3);
  OfdVerifyOptions o = Uncached();
  Counted full = CountedVerify(doc, o);
  ASSERT_EQ(full.v.verdict(), Verdict::kPassed) << Dump(full.v);
  ASSERT_EQ(full.v.signatures.size(), 3u);
  o.policy.budget.max_sm2_verifications = full.sm2 / 3;
  Counted c = CountedVerify(doc, o);
  EXPECT_EQ(c.v.verdict(), Verdict::kIndeterminate) << Dump(c.v);
  EXPECT_LT(c.v.signatures.size(), 3u);
  const Check* budget = DocumentCheck(c.v, "verify.budget");
  ASSERT_NE(budget, nullptr) << Dump(c.v);
  EXPECT_EQ(budget->result, CheckResult::kIndeterminate);
  EXPECT_EQ(Param(*budget, "budget"), "sm2_verifications");
  EXPECT_EQ(Param(*budget, "signatures_listed"), "3");
  EXPECT_LT(c.sm2, full.sm2);
  // The XML-parse budget stops it too.
  o = Uncached();
  o.policy.budget.max_xml_parses = 2;
  Counted x = CountedVerify(doc, o);
  const Check* xb = DocumentCheck(x.v, "verify.budget");
  ASSERT_NE(xb, nullptr) << Dump(x.v);
  EXPECT_EQ(Param(*xb, "budget"), "xml_parses");
  EXPECT_EQ(x.v.verdict(), Verdict::kIndeterminate);
}

}  // namespace
}  // namespace eseal::verify
