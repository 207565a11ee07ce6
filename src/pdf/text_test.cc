// Text with positions for keyword placement: a simple font without widths (estimated), a
// Chinese Type 0 font through its ToUnicode CMap (exact), and a Type 0 font without one
// (reported as unmapped, never guessed).
#include "eseal/pdf/text.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "test_pdfs.h"

namespace eseal::pdf {
namespace {

// A one-page PDF whose page shows `content` with font F1 = object 5 (`font`), plus `extra`
// objects from 6 on.
Bytes OnePage(const std::string& font, const std::string& content, const std::vector<std::string>& extra) {
  std::vector<std::string> objs = {
      "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
      "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream", font};
  objs.insert(objs.end(), extra.begin(), extra.end());
  std::string out = "%PDF-1.7\n";
  std::vector<size_t> off;
  for (size_t i = 0; i < objs.size(); ++i) {
    off.push_back(out.size());
    out += std::to_string(i + 1) + " 0 obj\n" + objs[i] + "\nendobj\n";
  }
  size_t xref = out.size();
  out += "xref\n0 " + std::to_string(objs.size() + 1) + "\n0000000000 65535 f\r\n";
  for (size_t o : off) {
    char e[32];
    std::snprintf(e, sizeof e, "%010zu 00000 n\r\n", o);
    out += e;
  }
  out += "trailer\n<< /Size " + std::to_string(objs.size() + 1) + " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) +
         "\n%%EOF\n";
  return Bytes(out.begin(), out.end());
}

const char* kToUnicode =
    "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Test def\n"
    "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
    "2 beginbfchar <0001> <7532> <0002> <65B9> endbfchar\n"
    "1 beginbfrange <0003> <0004> <FF08> endbfrange\n"
    "endcmap CMapName currentdict /CMap defineresource pop end end";

TEST(TextTest, ASimpleFontIsReadAndPlacedWhereItStarts) {
  auto doc = Document::Open(testing::ClassicPdf(3));
  ASSERT_TRUE(doc.ok());
  auto text = ReadPageText(*doc, 1);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(text->text, "Page 2 Party A (seal):");
  EXPECT_FALSE(text->unmapped);
  auto hits = FindText(*doc, "Party A", 2, 3);
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 2u);
  EXPECT_EQ((*hits)[0].page, 2);
  EXPECT_EQ((*hits)[1].page, 3);
  // "Page 2 " before it: seven glyphs at the estimated half em of 24 pt.
  EXPECT_NEAR((*hits)[0].x0, 72 + 7 * 12, 0.01);
  EXPECT_LT((*hits)[0].y0, 720);
  EXPECT_GT((*hits)[0].y1, 720);
}

TEST(TextTest, AChineseType0FontIsMappedThroughToUnicodeWithItsWidths) {
  std::string cmap = kToUnicode;
  Bytes pdf = OnePage(
      "<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
      "BT /F1 12 Tf 100 500 Td <0001000200030004> Tj ET",
      {"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /DW 1000 /W [3 [500 500]] >>",
       "<< /Length " + std::to_string(cmap.size()) + " >>\nstream\n" + cmap + "\nendstream"});
  auto doc = Document::Open(pdf);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  auto text = ReadPageText(*doc, 0);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->text, "甲方（）");
  auto hits = FindText(*doc, "甲方", 1, 0);
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_NEAR((*hits)[0].x0, 100, 0.01);
  EXPECT_NEAR((*hits)[0].x1, 124, 0.01);  // two glyphs of 1000/1000 em at 12 pt
  auto paren = FindText(*doc, "（）", 1, 0);
  ASSERT_TRUE(paren.ok() && paren->size() == 1u);
  EXPECT_NEAR((*paren)[0].x1 - (*paren)[0].x0, 12, 0.01);  // /W gives them half an em
}

TEST(TextTest, AType0FontWithoutToUnicodeIsReportedUnmapped) {
  Bytes pdf = OnePage("<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [6 0 R] >>",
                      "BT /F1 12 Tf 100 500 Td <00010002> Tj ET",
                      {"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun >>"});
  auto doc = Document::Open(pdf);
  ASSERT_TRUE(doc.ok());
  bool unmapped = false;
  auto hits = FindText(*doc, "甲方", 1, 0, &unmapped);
  ASSERT_TRUE(hits.ok());
  EXPECT_TRUE(hits->empty());
  EXPECT_TRUE(unmapped);
}

}  // namespace
}  // namespace eseal::pdf
