// Signature.xml (签名描述文件): parse, write in ofdrw's exact form, round trips.
#include "eseal/ofd/signature.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "eseal/base/file.h"
#include "eseal/ofd/package.h"

namespace eseal::ofd {
namespace {

const std::string kData = ESEAL_SHARED_TESTDATA "/ofdrw/";

Bytes Entry(const std::string& ofd, const std::string& path) {
  auto p = Package::OpenFile(kData + ofd);
  EXPECT_TRUE(p.ok());
  auto b = p->Read(path);
  EXPECT_TRUE(b.ok()) << ofd << " " << path;
  return b.ok() ? *b : Bytes();
}

TEST(SignatureTest, OfdrwFilesSerialiseBackToTheSameBytes) {
  struct Case {
    std::string ofd, path;
  };
  std::vector<Case> cases = {
      {"signed/generated-with-ofdrw/v4-seal-continue.ofd", "/Doc_0/Signs/Sign_0/Signature.xml"},
      {"signed/generated-with-ofdrw/v4-seal-riding.ofd", "/Doc_0/Signs/Sign_0/Signature.xml"},
      {"signed/generated-with-ofdrw/v4-seal-twice.ofd", "/Doc_0/Signs/Sign_1/Signature.xml"},
      {"signed/generated-with-ofdrw/v4-seal-whole.ofd", "/Doc_0/Signs/Sign_0/Signature.xml"},
      {"signed/generated-with-ofdrw/v1-seal.ofd", "/Doc_0/Signs/Sign_0/Signature.xml"},
      {"signed/generated-with-ofdrw/sign-raw-sm2.ofd", "/Doc_0/Signs/Sign_0/Signature.xml"},
      {"signed/generated-with-ofdrw/sign-gbt35275-pkcs9.ofd", "/Doc_0/Signs/Sign_0/Signature.xml"},
  };
  for (const Case& c : cases) {
    Bytes orig = Entry(c.ofd, c.path);
    auto s = ParseSignatureXml(orig, c.path);
    ASSERT_TRUE(s.ok()) << c.ofd << ": " << s.status().ToString();
    auto out = SerializeSignature(*s);
    ASSERT_TRUE(out.ok()) << c.ofd;
    EXPECT_EQ(AsChars(*out), AsChars(orig)) << c.ofd;
  }
  // And the extracted copies.
  for (const char* dir : {"ofdrw-v1", "ofdrw-v4", "ofdrw-v5", "ofdrw-sign-gbt35275"}) {
    auto orig = ReadFile(kData + "extracted/" + dir + "/Signature.xml");
    ASSERT_TRUE(orig.ok());
    auto s = ParseSignatureXml(*orig, "/Doc_0/Signs/Sign_0/Signature.xml");
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(AsChars(*SerializeSignature(*s)), AsChars(*orig)) << dir;
  }
}

Signature Sample() {
  Signature s;
  s.path = "/Doc_0/Signs/Sign_1/Signature.xml";
  s.provider = {"eseal", "eseal & co", "0.1.0", "", false};
  s.signature_method = std::string(kSm2WithSm3Oid);
  s.signature_date_time = "2026-11-23 09:30:35";
  s.check_method = std::string(kSm3Oid);
  s.references = {{"/OFD.xml", "/OFD.xml", "uF/0kMSEBTQkIWnGJH9z06l+4HXhrmbjlXMNYss0txI="},
                  {"/Doc_0/Document.xml", "/Doc_0/Document.xml",
                   "8leHbNmudyFqM7JqYVNn5NLkdY2ZMe5jjr9X+TKewbA="}};
  s.stamp_annots = {{"4", "1", Box{50, 50, 40, 40}, std::nullopt},
                    {"5", "21", Box{194.5, 40, 40, 40}, Box{8, 0, 8, 40}}};
  s.seal_base_loc = "/Doc_0/Signs/Sign_1/Seal.esl";
  s.seal_path = s.seal_base_loc;
  s.parameters = {{"fp", "", "a<b"}};
  s.signed_value = "/Doc_0/Signs/Sign_1/SignedValue.dat";
  s.signed_value_path = s.signed_value;
  return s;
}

TEST(SignatureTest, WritesTheOfdrwFormWithTheCallersCheckMethod) {
  auto out = SerializeSignature(Sample());
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  std::string_view text = AsChars(*out);
  EXPECT_TRUE(text.starts_with(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Signature "
      "xmlns:ofd=\"http://www.ofdspec.org/2016\">"
      "<ofd:SignedValue>/Doc_0/Signs/Sign_1/SignedValue.dat</ofd:SignedValue><ofd:SignedInfo>"
      "<ofd:Provider ProviderName=\"eseal\" Company=\"eseal &amp; co\" Version=\"0.1.0\"/>"
      "<ofd:SignatureMethod>1.2.156.10197.1.501</ofd:SignatureMethod>"
      "<ofd:SignatureDateTime>2026-11-23 09:30:35</ofd:SignatureDateTime>"
      "<ofd:Seal><ofd:BaseLoc>/Doc_0/Signs/Sign_1/Seal.esl</ofd:BaseLoc></ofd:Seal>"
      "<ofd:StampAnnot ID=\"4\" Boundary=\"50 50 40 40\" PageRef=\"1\"/>"
      "<ofd:StampAnnot ID=\"5\" Boundary=\"194.5 40 40 40\" PageRef=\"21\" Clip=\"8 0 8 40\"/>"
      "<ofd:References CheckMethod=\"1.2.156.10197.1.401\"><ofd:Reference FileRef=\"/OFD.xml\">"))
      << text;
  EXPECT_EQ(text.find('\n', 40), std::string_view::npos);  // one line after the declaration
  EXPECT_TRUE(
      text.ends_with("</ofd:References><ofd:Parameters><ofd:Parameter Name=\"fp\">a&lt;b"
                     "</ofd:Parameter></ofd:Parameters></ofd:SignedInfo></ofd:Signature>"))
      << text;

  auto back = ParseSignatureXml(*out, "/Doc_0/Signs/Sign_1/Signature.xml");
  ASSERT_TRUE(back.ok());
  Signature want = Sample();
  EXPECT_EQ(back->provider.company, want.provider.company);
  EXPECT_EQ(back->check_method, "1.2.156.10197.1.401");
  ASSERT_EQ(back->references.size(), 2u);
  EXPECT_EQ(back->references[1].path, "/Doc_0/Document.xml");
  EXPECT_EQ(back->references[1].check_value, want.references[1].check_value);
  ASSERT_EQ(back->stamp_annots.size(), 2u);
  EXPECT_EQ(*back->stamp_annots[1].boundary, (Box{194.5, 40, 40, 40}));
  EXPECT_EQ(*back->stamp_annots[1].clip, (Box{8, 0, 8, 40}));
  EXPECT_FALSE(back->stamp_annots[0].clip.has_value());
  EXPECT_EQ(back->seal_path, "/Doc_0/Signs/Sign_1/Seal.esl");
  EXPECT_EQ(back->signed_value_path, want.signed_value_path);
  ASSERT_EQ(back->parameters.size(), 1u);
  EXPECT_EQ(back->parameters[0].value, "a<b");
  // Parse -> serialise -> parse is stable.
  EXPECT_EQ(AsChars(*SerializeSignature(*back)), text);
}

TEST(SignatureTest, VendorFilesRoundTripThroughTheModel) {
  for (const char* dir : {"gomain-v4-invoice", "antchain-v4", "dianju-v4", "oesplugin-v4-raw-rs",
                          "oesplugin-gbt35275-raw-rs"}) {
    auto orig = ReadFile(kData + "extracted/" + dir + "/Signature.xml");
    ASSERT_TRUE(orig.ok()) << dir;
    auto s = ParseSignatureXml(*orig, "/Doc_0/Signs/Sign_0/Signature.xml");
    ASSERT_TRUE(s.ok()) << dir << ": " << s.status().ToString();
    EXPECT_FALSE(s->check_method.empty()) << dir;
    auto out = SerializeSignature(*s);
    ASSERT_TRUE(out.ok()) << dir << ": " << out.status().ToString();
    auto back = ParseSignatureXml(*out, "/Doc_0/Signs/Sign_0/Signature.xml");
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back->references.size(), s->references.size());
    for (size_t i = 0; i < s->references.size(); ++i) {
      EXPECT_EQ(back->references[i].file_ref, s->references[i].file_ref);
      EXPECT_EQ(back->references[i].check_value, s->references[i].check_value);
    }
    EXPECT_EQ(back->stamp_annots.size(), s->stamp_annots.size());
    EXPECT_EQ(back->signed_value, s->signed_value);
    EXPECT_EQ(back->provider.provider_name, s->provider.provider_name);
  }
}

TEST(SignatureTest, RefusesIncompleteSignatures) {
  Signature s = Sample();
  s.signed_value.clear();
  EXPECT_EQ(SerializeSignature(s).status().code(), StatusCode::kInvalidArgument);
  s = Sample();
  s.references.clear();
  EXPECT_EQ(SerializeSignature(s).status().code(), StatusCode::kInvalidArgument);
  s = Sample();
  s.stamp_annots[0].boundary.reset();
  EXPECT_EQ(SerializeSignature(s).status().code(), StatusCode::kInvalidArgument);
  s = Sample();
  s.provider.provider_name.clear();
  EXPECT_EQ(SerializeSignature(s).status().code(), StatusCode::kInvalidArgument);
}

TEST(SignatureTest, ToleratesBadValuesItShouldReport) {
  // Element order reversed, an unresolvable FileRef, a malformed Boundary: it still parses.
  std::string_view xml =
      "<Signature><SignedValue>v.dat</SignedValue><SignedInfo>"
      "<StampAnnot ID=\"1\" PageRef=\"1\" Boundary=\"a b c d\"/>"
      "<References><Reference FileRef=\"/../x\"><CheckValue> AAAA\n BBBB "
      "</CheckValue></Reference></References>"
      "<Provider ProviderName=\"p\"/></SignedInfo></Signature>";
  auto s = ParseSignatureXml(AsBytes(xml), "/Doc_0/Signs/Sign_0/Signature.xml");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->signed_value_path, "/Doc_0/Signs/Sign_0/v.dat");
  EXPECT_EQ(s->references[0].path, "");
  EXPECT_EQ(s->references[0].check_value, "AAAABBBB");
  EXPECT_FALSE(s->stamp_annots[0].boundary.has_value());
  EXPECT_EQ(s->provider.provider_name, "p");
}

}  // namespace
}  // namespace eseal::ofd
