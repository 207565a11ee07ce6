// Text positions (文字定位) and keyword search on real and synthetic pages.
#include "eseal/ofd/text.h"

#include <gtest/gtest.h>

#include "test_zip.h"

namespace eseal::ofd {
namespace {

const std::string kData = ESEAL_SHARED_TESTDATA "/ofdrw/";

Reader Open(const std::string& rel) {
  auto r = Reader::OpenFile(kData + rel);
  EXPECT_TRUE(r.ok()) << rel << ": " << r.status().ToString();
  if (!r.ok()) std::abort();
  return std::move(r).value();
}

void ExpectBox(const Box& got, const Box& want, const std::string& label) {
  EXPECT_NEAR(got.x, want.x, 1e-6) << label;
  EXPECT_NEAR(got.y, want.y, 1e-6) << label;
  EXPECT_NEAR(got.w, want.w, 1e-6) << label;
  EXPECT_NEAR(got.h, want.h, 1e-6) << label;
}

TEST(TextTest, HelloWorldPositions) {
  Reader r = Open("unsigned/helloworld.ofd");
  auto runs = ExtractPageText(r, 0);
  ASSERT_TRUE(runs.ok());
  ASSERT_EQ(runs->size(), 1u);
  const TextRun& run = (*runs)[0];
  EXPECT_EQ(run.text, "你好呀，OFD Reader&Writer！");
  ASSERT_EQ(run.char_boxes.size(), 22u);
  // Boundary 31.7 25.4, X 0 Y 3, size 3: the first character's box.
  ExpectBox(run.char_boxes[0], {31.7, 25.4 + 3 - 0.88 * 3, 3, 3}, "你");
  auto m = FindText(r, 0, "OFD");
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->size(), 1u);
  // "O" after four 3 mm advances; three 1.5 mm characters.
  ExpectBox((*m)[0].box, {31.7 + 12, 25.76, 4.5, 3}, "OFD");
  EXPECT_EQ((*m)[0].char_boxes.size(), 3u);
  // Whitespace is ignored on both sides.
  auto m2 = FindText(r, 0, "OFD Reader");
  ASSERT_TRUE(m2.ok());
  ASSERT_EQ(m2->size(), 1u);
  EXPECT_EQ((*m2)[0].text, "OFDReader");
  auto m3 = FindText(r, 0, "OFDReader");
  ASSERT_EQ(m3->size(), 1u);
  EXPECT_TRUE(FindText(r, 0, "不存在")->empty());
  EXPECT_TRUE(FindText(r, 0, "  ")->empty());
}

TEST(TextTest, InvoiceLabelsComeFromTheTemplate) {
  Reader r = Open("unsigned/invoice-unsigned.ofd");
  auto m = FindText(r, 0, "名称");
  ASSERT_TRUE(m.ok());
  // Buyer and seller "名称：" and the "项目名称" column header.
  ASSERT_EQ(m->size(), 3u);
  ExpectBox((*m)[0].box, {11.5265, 33.5 + 3.0163 - 0.88 * 3.175, 6.35, 3.175}, "buyer 名称");
  EXPECT_NEAR((*m)[1].box.x, 111.5 + 0.5265, 1e-6);
  EXPECT_NEAR((*m)[2].box.x, 15.5 + 0.5265 + 2 * 3.175, 1e-6);  // 项目名称: two characters in
  // "g" repeats: the 9th character of the title is at X + 8 * 7.0696.
  auto title = FindText(r, 0, "专用发票");
  ASSERT_TRUE(title.ok());
  ASSERT_EQ(title->size(), 1u);
  EXPECT_NEAR((*title)[0].box.x, 56 + 1.061 + 8 * 7.0696, 1e-6);
  // Page content (not template): the seller's name and the tax ID in Courier New.
  auto seller = FindText(r, 0, "北京互联三六五科技有限公司");
  ASSERT_EQ(seller->size(), 1u);
  EXPECT_NEAR((*seller)[0].box.x, 120, 1e-6);
  EXPECT_EQ(FindText(r, 0, "91110108690017781B")->size(), 1u);
  // A CTM that compresses text horizontally ("0.89 0 0 1 0 0").
  auto buy = FindText(r, 0, "购");
  ASSERT_EQ(buy->size(), 1u);
  EXPECT_NEAR((*buy)[0].box.x, 5.5 + 0.89 * 0.5265, 1e-6);
  EXPECT_NEAR((*buy)[0].box.w, 0.89 * 3.175, 1e-6);
  EXPECT_GE(FindText(r, 0, "税")->size(), 4u);
}

TEST(TextTest, VendorInvoices) {
  Reader gomain = Open("signed/ofdrw-repo-vendor/v4signed.ofd");
  auto m = FindText(gomain, 0, "名称");
  ASSERT_TRUE(m.ok());
  ASSERT_GE(m->size(), 3u);
  // "名称：" with DeltaX="15.57 3.475": the two characters are 15.57 mm apart.
  ASSERT_EQ((*m)[0].char_boxes.size(), 2u);
  EXPECT_NEAR((*m)[0].char_boxes[0].x, 13.52, 1e-6);
  EXPECT_NEAR((*m)[0].char_boxes[1].x, 13.52 + 15.57, 1e-6);
  EXPECT_EQ(FindText(gomain, 0, "重庆增值税电子普通发票")->size(), 1u);
  EXPECT_GE(FindText(gomain, 0, "发票")->size(), 3u);

  Reader kg = Open("signed/ofdrw-repo-vendor/999.ofd");
  for (size_t page = 0; page < kg.page_count(); ++page) {
    auto runs = ExtractPageText(kg, page);
    ASSERT_TRUE(runs.ok()) << page;
    EXPECT_GT(runs->size(), 10u) << page;
  }
  EXPECT_GE(FindText(kg, 0, "纳税人识别号")->size(), 2u);

  Reader ant = Open("signed/ofdrw-repo-vendor/SignScaleError.ofd");
  auto tax = FindText(ant, 0, "纳税人识别号");
  ASSERT_TRUE(tax.ok());
  EXPECT_GE(tax->size(), 2u);
  EXPECT_EQ(FindText(ant, 0, "浙江增值税电子普通发票")->size(), 1u);
}

// A synthetic page: a label split over two TextObjects on one line, a nested page block,
// DeltaY (vertical text), TextCodes that inherit X/Y, and a foreground template.
TEST(TextTest, CrossRunBlocksVerticalAndTemplates) {
  const std::string ns = "xmlns:ofd=\"http://www.ofdspec.org/2016\"";
  std::string doc =
      "<ofd:Document " + ns +
      "><ofd:CommonData><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox>"
      "</ofd:PageArea><ofd:TemplatePage ID=\"9\" "
      "BaseLoc=\"Tpls/T/Content.xml\"/></ofd:CommonData><ofd:Pages>"
      "<ofd:Page ID=\"1\" BaseLoc=\"Pages/Page_0/Content.xml\"/></ofd:Pages></ofd:Document>";
  std::string page =
      "<ofd:Page " + ns +
      "><ofd:Template TemplateID=\"9\" ZOrder=\"Foreground\"/><ofd:Content>"
      "<ofd:Layer ID=\"1\">"
      "<ofd:TextObject ID=\"2\" Boundary=\"10 10 20 5\" Size=\"4\"><ofd:TextCode X=\"0\" Y=\"4\" "
      "DeltaX=\"4\">纳税"
      "</ofd:TextCode></ofd:TextObject>"
      "<ofd:PageBlock ID=\"3\"><ofd:PageBlock ID=\"4\">"
      "<ofd:TextObject ID=\"5\" Boundary=\"18 10 30 5\" Size=\"4\"><ofd:TextCode X=\"0\" Y=\"4\" "
      "DeltaX=\"g 3 4\">"
      "人识别号</ofd:TextCode></ofd:TextObject></ofd:PageBlock></ofd:PageBlock>"
      "<ofd:TextObject ID=\"6\" Boundary=\"100 50 5 30\" Size=\"5\"><ofd:TextCode X=\"0\" Y=\"5\" "
      "DeltaY=\"g 2 6\">竖排字</ofd:TextCode><ofd:TextCode "
      "X=\"0\">ab</ofd:TextCode></ofd:TextObject>"
      "<ofd:TextObject ID=\"7\" Boundary=\"150 10 30 5\" Size=\"4\"><ofd:TextCode X=\"0\" "
      "Y=\"4\">名</ofd:TextCode>"
      "</ofd:TextObject><ofd:TextObject ID=\"8\" Boundary=\"190 10 10 5\" Size=\"4\"><ofd:TextCode "
      "X=\"0\" "
      "Y=\"4\">称</ofd:TextCode></ofd:TextObject>"
      "</ofd:Layer></ofd:Content></ofd:Page>";
  std::string tpl =
      "<ofd:Page " + ns +
      "><ofd:Content><ofd:Layer ID=\"1\"><ofd:TextObject ID=\"2\" Boundary=\"10 200 50 5\" "
      "Size=\"4\"><ofd:TextCode X=\"0\" "
      "Y=\"4\">模板文字</ofd:TextCode></ofd:TextObject></ofd:Layer>"
      "</ofd:Content></ofd:Page>";
  auto r = Reader::OpenBytes(testing::MinimalOfd({{"Doc_0/Document.xml", doc},
                                                  {"Doc_0/Pages/Page_0/Content.xml", page},
                                                  {"Doc_0/Tpls/T/Content.xml", tpl}}));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto runs = ExtractPageText(*r, 0);
  ASSERT_TRUE(runs.ok());
  ASSERT_EQ(runs->size(), 7u);
  EXPECT_TRUE(runs->back().in_template);  // foreground template comes last
  EXPECT_EQ(runs->back().text, "模板文字");

  // Across two TextObjects (one inside nested page blocks) on the same baseline.
  auto m = FindText(*r, 0, "纳税人识别号");
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->size(), 1u);
  ExpectBox((*m)[0].box, {10, 10 + 4 - 0.88 * 4, 24, 4}, "纳税人识别号");
  // Runs too far apart on a line do not join.
  EXPECT_TRUE(FindText(*r, 0, "名称")->empty());
  // Vertical text: DeltaY moves each character down.
  auto v = FindText(*r, 0, "排");
  ASSERT_EQ(v->size(), 1u);
  EXPECT_NEAR((*v)[0].box.y, 50 + 5 + 6 - 0.88 * 5, 1e-6);
  EXPECT_NEAR((*v)[0].box.x, 100, 1e-6);
  // The second TextCode has no Y: it keeps the first one's Y (5), with its own X.
  auto ab = FindText(*r, 0, "ab");
  ASSERT_EQ(ab->size(), 1u);
  EXPECT_NEAR((*ab)[0].box.y, 50 + 5 - 0.88 * 5, 1e-6);
  EXPECT_NEAR((*ab)[0].box.w, 5, 1e-6);  // two narrow characters, half an em each
  EXPECT_EQ(FindText(*r, 0, "模板")->size(), 1u);
}

TEST(TextTest, FeaturesFile) {
  auto r = Reader::OpenFile(ESEAL_TESTDATA "/ofd/features.ofd");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto m = FindText(*r, 0, "印章管理处");  // two objects in nested page blocks
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->size(), 1u);
  ExpectBox((*m)[0].box, {20, 80 + 5 - 0.88 * 5, 25, 5}, "印章管理处");
  auto v = FindText(*r, 0, "文字");
  ASSERT_TRUE(v.ok());
  ASSERT_EQ(v->size(), 2u);               // the vertical text and the foreground template
  EXPECT_NEAR((*v)[0].box.x, 151, 1e-6);  // vertical: X 1, one column
  EXPECT_NEAR((*v)[0].box.y, 60 + 6 + 16 - 0.88 * 6, 1e-6);
  EXPECT_NEAR((*v)[0].box.h, 14, 1e-6);          // two characters 8 mm apart, 6 mm high
  EXPECT_NEAR((*v)[1].box.x, 20 + 4 * 6, 1e-6);  // template: 前景模板文字, 5th character
  auto ab = FindText(*r, 0, "ab");
  ASSERT_EQ(ab->size(), 1u);
  EXPECT_NEAR((*ab)[0].box.x, 151, 1e-6);  // X inherited from the previous TextCode
  EXPECT_NEAR((*ab)[0].box.y, 60 + 40 - 0.88 * 6, 1e-6);
  auto res = r->LoadResources();
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->draw_params.at(4).relative, 3u);
  EXPECT_EQ(res->multimedia.at(7).media_file, "/Doc_0/Res/green.png");
}

TEST(TextTest, SplitCodePointsIsLenient) {
  EXPECT_EQ(SplitCodePoints("a你b"), (std::vector<std::string>{"a", "你", "b"}));
  EXPECT_EQ(SplitCodePoints("\xE4\xBD"),
            (std::vector<std::string>{"\xEF\xBF\xBD", "\xEF\xBF\xBD"}));
  EXPECT_EQ(SplitCodePoints("\xF0\x9F\x98\x80").size(), 1u);
}

}  // namespace
}  // namespace eseal::ofd
