// The incremental-update writer: earlier bytes never change, the result opens with
// recovery off (qpdf), the signature is found again with the ByteRange it was given, on
// files with a classic table, with object and cross-reference streams, and linearised.
#include "eseal/pdf/signature_writer.h"

#include <gtest/gtest.h>

#include "test_pdfs.h"
#include "test_qpdf.h"

namespace eseal::pdf {
namespace {

using testing::ClassicPdf;
using testing::QpdfRewrite;
using testing::Rewrite;

RgbImage Picture() {
  RgbImage im;
  im.width = im.height = 4;
  im.rgb.assign(48, 0);
  for (size_t i = 0; i < 48; i += 3) im.rgb[i] = 0xe0;
  im.alpha.assign(16, 0x80);
  return im;
}

// Prepares, fills /Contents with `value`, and returns the file.
Bytes Sign(const Bytes& in, SignatureSpec spec, ByteView value) {
  auto doc = Document::Open(in);
  EXPECT_TRUE(doc.ok()) << doc.status().ToString();
  if (!doc.ok()) return {};
  auto p = PrepareSignature(*doc, spec);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  if (!p.ok()) return {};
  EXPECT_TRUE(p->SetContents(value).ok());
  return p->file();
}

class WriterTest : public ::testing::TestWithParam<int> {
 protected:
  Bytes Input() {
    Bytes classic = ClassicPdf(3);
    if (GetParam() == 0) return classic;
    return QpdfRewrite(classic, GetParam() == 1 ? Rewrite::kObjectStreams : Rewrite::kLinearized);
  }
};

TEST_P(WriterTest, AppendsWithoutTouchingEarlierBytesAndReadsBack) {
  Bytes in = Input();
  RgbImage pic = Picture();
  SignatureSpec spec;
  spec.field_name = "Seal1";
  spec.signing_time = PdfDate(1796601600);
  spec.image = &pic;
  spec.widgets = {Widget{2, 100, 100, 120, 120}};
  Bytes value = {0x30, 0x03, 0x02, 0x01, 0x07};
  Bytes out = Sign(in, spec, value);
  ASSERT_GT(out.size(), in.size());
  EXPECT_TRUE(std::equal(in.begin(), in.end(), out.begin())) << "an earlier byte changed";

  auto doc = Document::Open(out);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  ASSERT_EQ(doc->signatures().size(), 1u);
  const SignatureField& s = doc->signatures()[0];
  EXPECT_EQ(s.name, "Seal1");
  EXPECT_EQ(s.sub_filter, "adbe.pkcs7.detached");
  ASSERT_EQ(s.byte_range.size(), 4u);
  EXPECT_EQ(s.byte_range[0], 0);
  EXPECT_EQ(s.byte_range[2] + s.byte_range[3], static_cast<int64_t>(out.size()));
  EXPECT_EQ(out[s.byte_range[1]], '<');
  EXPECT_EQ(out[s.byte_range[2] - 1], '>');
  ASSERT_GE(s.contents.size(), value.size());
  EXPECT_TRUE(std::equal(value.begin(), value.end(), s.contents.begin()));
  EXPECT_EQ(s.widget_pages, std::vector<int>{2});
  ASSERT_GE(doc->revisions().size(), 2u);
  EXPECT_EQ(doc->revisions().back().end, out.size());
  EXPECT_EQ(doc->revisions().back().xref_stream, GetParam() == 1);
}

TEST_P(WriterTest, TwoSignaturesInSequenceAndARidingSeal) {
  Bytes in = Input();
  RgbImage pic = Picture();
  SignatureSpec first;
  first.field_name = "A";
  Bytes once = Sign(in, first, Bytes{1, 2, 3});
  SignatureSpec second;
  second.field_name = "B";
  second.image = &pic;
  for (int p = 1; p <= 3; ++p) second.widgets.push_back(Widget{p, 560, 400, 35.28 / 3, 120, -35.28 * (p - 1) / 3, 0, 35.28, 120});
  Bytes twice = Sign(once, second, Bytes{4, 5, 6});
  ASSERT_TRUE(std::equal(once.begin(), once.end(), twice.begin()));
  auto doc = Document::Open(twice);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  ASSERT_EQ(doc->signatures().size(), 2u);
  EXPECT_EQ(doc->signatures()[0].name, "A");
  EXPECT_EQ(doc->signatures()[0].byte_range[2] + doc->signatures()[0].byte_range[3], static_cast<int64_t>(once.size()));
  EXPECT_EQ(doc->signatures()[1].widget_pages, (std::vector<int>{1, 2, 3}));
  SignatureSpec again;
  again.field_name = "A";
  EXPECT_EQ(PrepareSignature(*doc, again).status().code(), StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Producers, WriterTest, ::testing::Values(0, 1, 2),
                         [](const ::testing::TestParamInfo<int>& p) {
                           return std::string(p.param == 0 ? "Classic" : p.param == 1 ? "ObjectStreams" : "Linearized");
                         });

TEST(WriterTest, ContentsThatDoNotFitAreRefused) {
  auto doc = Document::Open(ClassicPdf(1));
  ASSERT_TRUE(doc.ok());
  SignatureSpec spec;
  spec.field_name = "S";
  spec.contents_capacity = 4;
  auto p = PrepareSignature(*doc, spec);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->SetContents(Bytes(5, 1)).code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(p->SetContents(Bytes(4, 1)).ok());
}

TEST(WriterTest, ACertificationThatAllowsNoChangesRefusesAnotherSignature) {
  SignatureSpec cert;
  cert.field_name = "Cert";
  cert.docmdp = 1;
  Bytes certified = Sign(ClassicPdf(1), cert, Bytes{1});
  auto doc = Document::Open(certified);
  ASSERT_TRUE(doc.ok());
  ASSERT_EQ(doc->signatures().size(), 1u);
  EXPECT_EQ(doc->signatures()[0].docmdp, 1);
  SignatureSpec more;
  more.field_name = "More";
  EXPECT_EQ(PrepareSignature(*doc, more).status().code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace eseal::pdf
