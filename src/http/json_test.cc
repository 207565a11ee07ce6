#include "json.h"

#include <gtest/gtest.h>

namespace eseal::http {
namespace {

// The English half of a refusal, after checking that a Chinese half comes first.
std::string En(const Status& st) {
  const std::string& m = st.message();
  size_t slash = m.find(" / ");
  EXPECT_NE(slash, std::string::npos) << m;
  EXPECT_TRUE(slash != std::string::npos && slash > 0 && static_cast<unsigned char>(m[0]) >= 0x80) << m;
  return slash == std::string::npos ? m : m.substr(slash + 3);
}

TEST(InputTest, ReadsTypedFields) {
  auto in = Input::FromJson(R"({"s":"text","i":42,"n":1.5,"b":true,"t":"2026-11-23T09:30:00+08:00",
                               "bin":"AQID","list":["a","b"]})");
  ASSERT_TRUE(in.ok()) << in.status().ToString();
  std::string s;
  int64_t i = 0;
  double n = 0;
  bool b = false;
  Time t{};
  Bytes bin;
  std::vector<std::string> list;
  in->Str("s", &s, Need::kRequired)
      .Int("i", &i, Need::kRequired)
      .Num("n", &n, Need::kRequired)
      .Bool("b", &b, Need::kRequired)
      .Time("t", &t, Need::kRequired)
      .Binary("bin", &bin, Need::kRequired)
      .StrList("list", &list, Need::kRequired);
  ASSERT_TRUE(in->Finish().ok()) << in->Finish().ToString();
  EXPECT_EQ(s, "text");
  EXPECT_EQ(i, 42);
  EXPECT_EQ(n, 1.5);
  EXPECT_TRUE(b);
  EXPECT_EQ(FormatRfc3339(t), "2026-11-23T01:30:00Z");
  EXPECT_EQ(bin, (Bytes{1, 2, 3}));
  EXPECT_EQ(list, (std::vector<std::string>{"a", "b"}));
}

TEST(InputTest, MissingRequiredFieldIsNamed) {
  auto in = Input::FromJson(R"({"a":"x"})");
  ASSERT_TRUE(in.ok());
  std::string a, b;
  in->Str("a", &a, Need::kRequired).Str("b", &b, Need::kRequired);
  Status st = in->Finish();
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(En(st), "field 'b' is required");
}

TEST(InputTest, NullCountsAsAbsent) {
  auto in = Input::FromJson(R"({"a":null})");
  ASSERT_TRUE(in.ok());
  std::string a = "keep";
  in->Str("a", &a, Need::kOptional);
  EXPECT_TRUE(in->Finish().ok());
  EXPECT_EQ(a, "keep");
}

TEST(InputTest, WrongTypesAreRefused) {
  struct Case {
    const char* body;
    const char* message;
  } cases[] = {
      {R"({"f":1})", "field 'f' must be a string, not an integer"},
      {R"({"f":"1"})", "field 'f' must be an integer, not a string"},
      {R"({"f":1.5})", "field 'f' must be an integer, not a number"},
      {R"({"f":"yes"})", "field 'f' must be true or false, not a string"},
      {R"({"f":[1]})", "field 'f' must be an array of strings"},
      {R"({"f":"@@@"})", "field 'f' must be base64 (RFC 4648, with padding)"},
      {R"({"f":"tomorrow"})", "field 'f' must be a time such as 2026-11-23T09:30:00Z (RFC 3339)"},
  };
  int n = 0;
  for (const Case& c : cases) {
    auto in = Input::FromJson(c.body);
    ASSERT_TRUE(in.ok());
    std::string s;
    int64_t i = 0;
    bool b = false;
    std::vector<std::string> l;
    Bytes bin;
    Time t{};
    switch (n++) {
      case 0: in->Str("f", &s, Need::kRequired); break;
      case 1:
      case 2: in->Int("f", &i, Need::kRequired); break;
      case 3: in->Bool("f", &b, Need::kRequired); break;
      case 4: in->StrList("f", &l, Need::kRequired); break;
      case 5: in->Binary("f", &bin, Need::kRequired); break;
      case 6: in->Time("f", &t, Need::kRequired); break;
    }
    EXPECT_EQ(En(in->Finish()), c.message) << c.body;
  }
}

TEST(InputTest, IntegerRange) {
  auto in = Input::FromJson(R"({"n":1001})");
  ASSERT_TRUE(in.ok());
  int n = 0;
  in->Int("n", &n, Need::kRequired, 1, 1000);
  EXPECT_EQ(En(in->Finish()), "field 'n' must be an integer between 1 and 1000");
  auto big = Input::FromJson(R"({"n":18446744073709551615})");
  ASSERT_TRUE(big.ok());
  int64_t v = 0;
  big->Int("n", &v, Need::kRequired);
  EXPECT_FALSE(big->Finish().ok());
}

TEST(InputTest, UnknownFieldIsRefused) {
  auto in = Input::FromJson(R"({"a":"x","surprise":1})");
  ASSERT_TRUE(in.ok());
  std::string a;
  in->Str("a", &a, Need::kRequired);
  EXPECT_EQ(En(in->Finish()), "unknown field 'surprise'");
}

TEST(InputTest, MalformedJsonGivesOffsetButNoContent) {
  auto in = Input::FromJson(R"({"password":"hunter2)");
  ASSERT_FALSE(in.ok());
  EXPECT_EQ(in.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(in.status().message().find("not valid JSON"), std::string::npos);
  EXPECT_EQ(in.status().message().find("hunter2"), std::string::npos);
}

TEST(InputTest, NonObjectsDuplicatesAndDepthAreRefused) {
  EXPECT_EQ(En(Input::FromJson("[1,2]").status()), "the body must be a JSON object, not an array");
  EXPECT_EQ(En(Input::FromJson(R"({"a":1,"a":2})").status()), "the JSON body has the field 'a' twice");
  std::string deep(100, '[');
  deep = "{\"a\":" + deep + std::string(100, ']') + "}";
  EXPECT_NE(Input::FromJson(deep).status().message().find("nests deeper"), std::string::npos);
  EXPECT_FALSE(Input::FromJson("").ok());
  EXPECT_FALSE(Input::FromJson("{} {}").ok());
  // Invalid UTF-8 inside a string.
  EXPECT_FALSE(Input::FromJson("{\"a\":\"\xff\"}").ok());
}

TEST(InputTest, NulInsideTextIsRefused) {
  auto in = Input::FromJson(R"({"a":"x\u0000y"})");
  ASSERT_TRUE(in.ok());
  std::string a;
  in->Str("a", &a, Need::kRequired);
  EXPECT_EQ(En(in->Finish()), "field 'a' must be UTF-8 text without NUL characters");
}

TEST(InputTest, ObjectsNameTheItem) {
  auto in = Input::FromJson(R"({"items":[{"a":"x"},{"a":2}]})");
  ASSERT_TRUE(in.ok());
  std::vector<std::string> seen;
  in->Objects(
      "items",
      [&](Input& item, size_t) {
        std::string a;
        item.Str("a", &a, Need::kRequired);
        seen.push_back(a);
      },
      Need::kRequired);
  EXPECT_EQ(En(in->Finish()), "field 'items[1].a' must be a string, not an integer");
  auto unknown = Input::FromJson(R"({"items":[{"a":"x","b":1}]})");
  ASSERT_TRUE(unknown.ok());
  unknown->Objects("items", [](Input& item, size_t) {
    std::string a;
    item.Str("a", &a, Need::kRequired);
  }, Need::kRequired);
  EXPECT_EQ(En(unknown->Finish()), "unknown field 'items[0].b'");
}

TEST(InputTest, EnumsUseTheParser) {
  auto parse = [](std::string_view s) -> Result<int> {
    if (s == "one") return 1;
    return InvalidArgumentError("unknown number '" + std::string(s) + "'");
  };
  auto in = Input::FromJson(R"({"n":"two"})");
  ASSERT_TRUE(in.ok());
  int n = 0;
  in->Enum("n", &n, parse, Need::kRequired);
  EXPECT_EQ(En(in->Finish()), "field 'n' unknown number 'two'");
  std::optional<int> o;
  auto ok = Input::FromJson(R"({"n":"one"})");
  ok->Enum("n", &o, parse, Need::kOptional);
  EXPECT_TRUE(ok->Finish().ok());
  EXPECT_EQ(o, 1);
}

TEST(InputTest, MultipartFields) {
  std::vector<Part> parts = {
      {"document", "a.ofd", "application/ofd", std::string("PK\x03\x04", 4)},
      {"page", "", "", "2"},
      {"x", "", "", "10.5"},
      {"password", "", "", "secret"},
      {"seal_ids", "", "", "s1"},
      {"seal_ids", "", "", "s2"},
  };
  Input in = Input::FromParts(&parts);
  Bytes doc;
  std::string filename;
  int page = 0;
  double x = 0;
  SecretBytes pw;
  std::vector<std::string> ids;
  in.Binary("document", &doc, Need::kRequired, &filename)
      .Int("page", &page, Need::kRequired)
      .Num("x", &x, Need::kRequired)
      .Secret("password", &pw, Need::kRequired)
      .StrList("seal_ids", &ids, Need::kRequired);
  ASSERT_TRUE(in.Finish().ok()) << in.Finish().ToString();
  EXPECT_EQ(doc.size(), 4u);
  EXPECT_EQ(filename, "a.ofd");
  EXPECT_EQ(page, 2);
  EXPECT_EQ(x, 10.5);
  EXPECT_EQ(ToString(pw.view()), "secret");
  // The password's part was wiped once read.
  EXPECT_EQ(parts[3].data, std::string(6, '\0'));
  EXPECT_EQ(ids, (std::vector<std::string>{"s1", "s2"}));
}

TEST(InputTest, MultipartErrors) {
  std::vector<Part> parts = {{"page", "", "", "two"}, {"extra", "", "", "1"}};
  Input in = Input::FromParts(&parts);
  int page = 0;
  in.Int("page", &page, Need::kRequired);
  EXPECT_EQ(En(in.Finish()), "field 'page' must be an integer");
  std::vector<Part> twice = {{"a", "", "", "1"}, {"a", "", "", "2"}};
  Input in2 = Input::FromParts(&twice);
  std::string a;
  in2.Str("a", &a, Need::kRequired);
  EXPECT_EQ(En(in2.Finish()), "field 'a' is given more than once");
  std::vector<Part> unknown = {{"zzz", "", "", "1"}};
  Input in3 = Input::FromParts(&unknown);
  EXPECT_EQ(En(in3.Finish()), "unknown field 'zzz'");
  Input q = Input::FromQuery(&unknown);
  EXPECT_EQ(En(q.Finish()), "unknown query parameter 'zzz'");
}

// Found by fuzz_http_json: form fields and query parameters are raw bytes, and the text
// check let through surrogates, overlong forms and code points above U+10FFFF, which were
// then stored and echoed in JSON replies (and which PostgreSQL refuses in text columns).
TEST(InputTest, FormTextMustBeWellFormedUtf8) {
  const char* bad[] = {"\xed\xa0\x80", "\xe0\x80\xaf", "\xf4\x90\x80\x80", "\xc0\xaf"};
  for (const char* b : bad) {
    std::vector<Part> parts = {{"name", "", "", b}};
    Input in = Input::FromParts(&parts);
    std::string name = "unchanged";
    in.Str("name", &name, Need::kRequired);
    EXPECT_EQ(En(in.Finish()), "field 'name' must be UTF-8 text without NUL characters");
    EXPECT_EQ(name, "unchanged");
    std::vector<std::string> list;
    Input l = Input::FromQuery(&parts);
    l.StrList("name", &list, Need::kRequired);
    EXPECT_EQ(l.Finish().code(), StatusCode::kInvalidArgument);
  }
  std::vector<Part> good = {{"name", "", "", "印章 \xF0\x9F\x98\x80"}};
  Input in = Input::FromParts(&good);
  std::string name;
  in.Str("name", &name, Need::kRequired);
  EXPECT_TRUE(in.Finish().ok());
  EXPECT_EQ(name, "印章 \xF0\x9F\x98\x80");
}

TEST(JsonWriterTest, BuildsEscapedCompactJson) {
  JsonWriter w;
  w.BeginObject();
  w.Field("s", "a\"b\\c\n").Field("i", int64_t{-3}).Field("b", false);
  w.Key("arr").BeginArray().Int(1).String("x").Null().BeginObject().EndObject().EndArray();
  w.OptField("none", "").TimeField("t", TimeFromUnix(0)).TimeField("t2", TimeFromUnix(1795000000));
  w.Key("raw").Raw(R"({"k":[1,2]})");
  w.EndObject();
  EXPECT_EQ(w.str(),
            R"({"s":"a\"b\\c\n","i":-3,"b":false,"arr":[1,"x",null,{}],"none":null,"t":null,)"
            R"("t2":"2026-11-18T11:06:40Z","raw":{"k":[1,2]}})");
  EXPECT_TRUE(IsValidJson(w.str()));
  EXPECT_FALSE(IsValidJson("{"));
}

}  // namespace
}  // namespace eseal::http
