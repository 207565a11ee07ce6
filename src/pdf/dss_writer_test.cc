// The DSS writer: earlier bytes never change; the DSS reads back (Document::dss) on files
// with a classic table, object and cross-reference streams, and linearised; a second DSS
// keeps the first one's entries and writes none twice; the revision is classified as a
// DSS and nothing else. The reader is checked on a DSS written by hand here (a deflated
// stream, entries that are not streams or use another filter, a /VRI).
#include "eseal/pdf/dss_writer.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <map>

#include "eseal/pdf/changes.h"
#include "test_pdfs.h"
#include "test_qpdf.h"

namespace eseal::pdf {
namespace {

using namespace std::literals;
using testing::ClassicPdf;
using testing::QpdfRewrite;
using testing::Rewrite;

Bytes B(std::string_view s) { return Bytes(s.begin(), s.end()); }

// A hand-written incremental update with a classic xref section (not the writer under test).
Bytes AppendByHand(const Bytes& in, const std::map<int, std::string>& objs, int size) {
  std::string s(in.begin(), in.end());
  const uint64_t prev = std::stoull(s.substr(s.rfind("startxref") + 9));
  std::map<int, size_t> at;
  for (const auto& [n, body] : objs) {
    at[n] = s.size();
    s += std::to_string(n) + " 0 obj\n" + body + "\nendobj\n";
  }
  const size_t xref = s.size();
  s += "xref\n";
  for (const auto& [n, off] : at) {
    char e[40];
    std::snprintf(e, sizeof e, "%d 1\n%010zu 00000 n\r\n", n, off);
    s += e;
  }
  s += "trailer\n<< /Size " + std::to_string(size) + " /Root 1 0 R /Prev " + std::to_string(prev) +
       " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return B(s);
}

class DssTest : public ::testing::TestWithParam<int> {
 protected:
  Bytes Input() {
    Bytes classic = ClassicPdf(2);
    if (GetParam() == 0) return classic;
    return QpdfRewrite(classic, GetParam() == 1 ? Rewrite::kObjectStreams : Rewrite::kLinearized);
  }
};

TEST_P(DssTest, AppendsReadsBackAndIsClassifiedAsDss) {
  const Bytes in = Input();
  auto doc = Document::Open(in);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_FALSE(doc->dss().present);
  DssAddition add;
  add.certs = {B("cert-one\n\r\0 with binary"sv), B("cert-two"), B("cert-one\n\r\0 with binary"sv)};
  add.crls = {B("crl-one")};
  auto out = AppendDss(*doc, add);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->certs_added, 2u) << "the duplicate is written once";
  EXPECT_EQ(out->crls_added, 1u);
  ASSERT_GT(out->file.size(), in.size());
  EXPECT_TRUE(std::equal(in.begin(), in.end(), out->file.begin())) << "an earlier byte changed";

  auto again = Document::Open(out->file);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  const Dss& dss = again->dss();
  EXPECT_TRUE(dss.present);
  EXPECT_EQ(dss.certs, (std::vector<Bytes>{add.certs[0], add.certs[1]}));
  EXPECT_EQ(dss.crls, add.crls);
  EXPECT_TRUE(dss.ocsps.empty());
  EXPECT_TRUE(dss.problems.empty());
  EXPECT_EQ(again->revisions().size(), doc->revisions().size() + 1);
  EXPECT_EQ(again->revisions().back().xref_stream, GetParam() == 1);

  auto changes = ChangesAfter(*again, in.size());
  ASSERT_TRUE(changes.ok()) << changes.status().ToString();
  ASSERT_EQ(changes->size(), 1u);
  EXPECT_EQ((*changes)[0].kinds, std::vector<ChangeKind>{ChangeKind::kDss}) << (*changes)[0].detail;

  // A second DSS keeps the first one's entries and adds only what is new.
  DssAddition more;
  more.certs = {add.certs[1], B("cert-three")};
  more.ocsps = {B("ocsp-one")};
  auto second = AppendDss(*again, more);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->certs_added, 1u);
  EXPECT_EQ(second->ocsps_added, 1u);
  auto third = Document::Open(second->file);
  ASSERT_TRUE(third.ok()) << third.status().ToString();
  EXPECT_EQ(third->dss().certs, (std::vector<Bytes>{add.certs[0], add.certs[1], B("cert-three")}));
  EXPECT_EQ(third->dss().crls, add.crls);
  EXPECT_EQ(third->dss().ocsps, more.ocsps);
  auto changes2 = ChangesAfter(*third, in.size());
  ASSERT_TRUE(changes2.ok());
  ASSERT_EQ(changes2->size(), 2u);
  EXPECT_EQ((*changes2)[1].kinds, std::vector<ChangeKind>{ChangeKind::kDss})
      << (*changes2)[1].detail;

  // Nothing new: no empty revision.
  auto same = AppendDss(*third, more);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->file, second->file);
  EXPECT_EQ(same->certs_added + same->crls_added + same->ocsps_added, 0u);
}

INSTANTIATE_TEST_SUITE_P(
    Producers, DssTest, ::testing::Values(0, 1, 2), [](const ::testing::TestParamInfo<int>& p) {
      return std::string(p.param == 0 ? "Classic" : p.param == 1 ? "ObjectStreams" : "Linearized");
    });

TEST(DssReader, ReadsADeflatedEntryAndNamesWhatItSkips) {
  const std::string der = "a certificate's DER, deflated";
  uLongf len = compressBound(der.size());
  Bytes z(len);
  ASSERT_EQ(compress2(z.data(), &len, reinterpret_cast<const Bytef*>(der.data()), der.size(), 6),
            Z_OK);
  z.resize(len);
  // A stream whose declared data inflates to more than the limit allows.
  Bytes zeros(4096, 0);
  uLongf blen = compressBound(zeros.size());
  Bytes bomb(blen);
  ASSERT_EQ(compress2(bomb.data(), &blen, zeros.data(), zeros.size(), 9), Z_OK);
  bomb.resize(blen);
  auto stream = [](const std::string& dict, const Bytes& data) {
    return "<< " + dict + " /Length " + std::to_string(data.size()) + " >>\nstream\n" +
           std::string(data.begin(), data.end()) + "\nendstream";
  };
  // ClassicPdf(1) uses objects 1..5.
  Bytes pdf = AppendByHand(
      ClassicPdf(1),
      {{1,
        "<< /Type /Catalog /Pages 2 0 R /DSS << /Certs [20 0 R 21 0 R 22 0 R] /CRLs [23 0 R] "
        "/VRI << /ABCD << /Cert [20 0 R] >> >> >> >>"},
       {20, stream("/Filter /FlateDecode", z)},
       {21, "(not a stream)"},
       {22, stream("/Filter /ASCIIHexDecode", B("6869>"))},
       {23, stream("/Filter [/FlateDecode]", bomb)}},
      24);
  Limits limits;
  limits.max_stream_bytes = 1024;
  auto doc = Document::Open(pdf, limits);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  const Dss& dss = doc->dss();
  EXPECT_TRUE(dss.present);
  EXPECT_EQ(dss.certs, std::vector<Bytes>{B(der)});
  EXPECT_TRUE(dss.crls.empty());
  EXPECT_EQ(dss.vri, 1u);
  ASSERT_EQ(dss.problems.size(), 3u);
  EXPECT_NE(dss.problems[0].find("Certs[1] is not a stream"), std::string::npos) << dss.problems[0];
  EXPECT_NE(dss.problems[1].find("Certs[2] uses a filter"), std::string::npos) << dss.problems[1];
  EXPECT_NE(dss.problems[2].find("CRLs[0] does not inflate"), std::string::npos) << dss.problems[2];

  // A direct DSS dictionary is kept (its /VRI too) and the Catalog points at the new one.
  DssAddition add;
  add.crls = {B("crl")};
  auto out = AppendDss(*doc, add);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  auto again = Document::Open(out->file, limits);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->dss().certs, std::vector<Bytes>{B(der)});
  EXPECT_EQ(again->dss().crls, std::vector<Bytes>{B("crl")});
  EXPECT_EQ(again->dss().vri, 1u);
  EXPECT_EQ(again->dss().problems.size(), 3u) << "the unreadable entries are kept as they were";
}

TEST(DssReader, ADssThatIsNotADictionaryIsRefusedForWriting) {
  Bytes pdf =
      AppendByHand(ClassicPdf(1), {{1, "<< /Type /Catalog /Pages 2 0 R /DSS [1 2 3] >>"}}, 6);
  auto doc = Document::Open(pdf);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_FALSE(doc->dss().present);
  DssAddition add;
  add.certs = {B("c")};
  EXPECT_EQ(AppendDss(*doc, add).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace eseal::pdf
