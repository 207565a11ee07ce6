#include "xml.h"

#include <gtest/gtest.h>

namespace eseal::ofd::internal {
namespace {

Status Parse(std::string_view text, const Limits& limits = {}) {
  pugi::xml_document doc;
  return ParseXml(AsBytes(text), limits, "test.xml", &doc);
}

TEST(XmlTest, RefusesDoctypeAndEntities) {
  EXPECT_EQ(Parse("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM "
                  "\"file:///etc/passwd\">]><x>&e;</x>")
                .code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(Parse("<!doctype x><x/>").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Parse("<x><!-- <! ENTITY --></x>").code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Parse("<x>DOCTYPE is just a word</x>").ok());
  EXPECT_TRUE(Parse("\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?><x/>").ok());  // BOM
}

TEST(XmlTest, RefusesNonUtf8AndMalformed) {
  EXPECT_EQ(Parse(std::string_view("\xFF\xFE<\0x\0/\0>\0", 10)).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(Parse(std::string_view("<x>\0</x>", 8)).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Parse("<x><y></x>").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Parse("").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Parse("just text").code(), StatusCode::kInvalidArgument);
}

TEST(XmlTest, BoundsSizeAndDepth) {
  Limits small;
  small.max_xml_size = 10;
  EXPECT_EQ(Parse("<x>01234567890</x>", small).code(), StatusCode::kResourceExhausted);
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "<a>";
  for (int i = 0; i < 100000; ++i) deep += "</a>";
  Status s = Parse(deep);
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
  EXPECT_NE(s.message().find("deeper"), std::string::npos);
  std::string ok;
  for (int i = 0; i < 100; ++i) ok += "<a>";
  for (int i = 0; i < 100; ++i) ok += "</a>";
  EXPECT_TRUE(Parse(ok).ok());
}

TEST(XmlTest, MatchesByLocalName) {
  pugi::xml_document doc;
  ASSERT_TRUE(
      ParseXml(AsBytes("<o:A xmlns:o=\"u\" o:k=\"1\"><o:B> t </o:B><B>u</B><C x=\"2\"/></o:A>"), {},
               "t", &doc)
          .ok());
  pugi::xml_node a = doc.document_element();
  EXPECT_EQ(LocalName(a), "A");
  EXPECT_EQ(Children(a, "B").size(), 2u);
  EXPECT_EQ(ChildText(a, "B"), "t");
  EXPECT_EQ(Attr(Child(a, "C"), "x"), "2");
  EXPECT_EQ(Attr(a, "k"), "1");
  EXPECT_EQ(Prefix("o:A"), "o");
  EXPECT_EQ(Prefix("A"), "");
}

TEST(XmlTest, ScansElementSpans) {
  std::string_view text =
      "<?xml version=\"1.0\"?>\n<!-- <fake> --><r a=\"x>y\"><m>1</m><s "
      "id='q/>'/><![CDATA[<no>]]></r>\n";
  auto root = ScanElements(text, 10);
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  EXPECT_EQ(root->qname, "r");
  ASSERT_EQ(root->children.size(), 2u);
  const ElementSpan& m = root->children[0];
  EXPECT_EQ(text.substr(m.start, m.end - m.start), "<m>1</m>");
  EXPECT_EQ(text.substr(m.start_tag_end, m.end_tag_start - m.start_tag_end), "1");
  const ElementSpan& s = root->children[1];
  EXPECT_TRUE(s.self_closing);
  EXPECT_EQ(text.substr(s.start, s.end - s.start), "<s id='q/>'/>");
  EXPECT_EQ(text.substr(root->end_tag_start, root->end - root->end_tag_start), "</r>");
  auto edited = ApplyEdits(text, {{m.start_tag_end, m.end_tag_start, "2"}, {s.end, s.end, "<n/>"}});
  ASSERT_TRUE(edited.ok());
  EXPECT_NE(edited->find("<m>2</m><s id='q/>'/><n/>"), std::string::npos);
  EXPECT_FALSE(ApplyEdits("abc", {{0, 2, ""}, {1, 2, ""}}).ok());
}

TEST(XmlTest, Escapes) {
  std::string out;
  AppendEscaped(&out, "a<b>&\"c\"\n", true);
  EXPECT_EQ(out, "a&lt;b&gt;&amp;&quot;c&quot;&#10;");
  out.clear();
  AppendEscaped(&out, "a<&\"", false);
  EXPECT_EQ(out, "a&lt;&amp;\"");
}

}  // namespace
}  // namespace eseal::ofd::internal
