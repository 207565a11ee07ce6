// Signatures.xml (签名列表) writing and minimal editing, OFD.xml editing, and a whole
// signing-shaped update through PackageWriter.
#include "eseal/ofd/signatures.h"

#include <gtest/gtest.h>

#include "eseal/ofd/ofd_root.h"
#include "eseal/ofd/package_writer.h"
#include "eseal/ofd/reader.h"

namespace eseal::ofd {
namespace {

const std::string kData = ESEAL_SHARED_TESTDATA "/ofdrw/";

std::string Entry(const std::string& ofd, const std::string& path) {
  auto p = Package::OpenFile(kData + ofd);
  EXPECT_TRUE(p.ok());
  auto b = p->Read(path);
  EXPECT_TRUE(b.ok()) << ofd << " " << path;
  return b.ok() ? ToString(*b) : std::string();
}

TEST(SignaturesTest, SerialisesInOfdrwForm) {
  for (const char* f : {"signed/generated-with-ofdrw/v4-seal-twice.ofd",
                        "signed/generated-with-ofdrw/v4-seal-riding.ofd",
                        "signed/generated-with-ofdrw/sign-raw-sm2.ofd"}) {
    std::string orig = Entry(f, "/Doc_0/Signs/Signatures.xml");
    auto s = ParseSignaturesXml(AsBytes(orig), "/Doc_0/Signs/Signatures.xml");
    ASSERT_TRUE(s.ok());
    auto out = SerializeSignatures(*s);
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(AsChars(*out), orig) << f;
  }
  Signatures bad;
  bad.entries.push_back({"", "Seal", "/x.xml", "", ""});
  EXPECT_EQ(SerializeSignatures(bad).status().code(), StatusCode::kInvalidArgument);
}

TEST(SignaturesTest, AddingToOfdrwFileGivesWhatOfdrwWrites) {
  // ofdrw appended Sign_1 to v4-seal-continue.ofd and produced v4-seal-twice.ofd.
  std::string before =
      Entry("signed/generated-with-ofdrw/v4-seal-continue.ofd", "/Doc_0/Signs/Signatures.xml");
  std::string after =
      Entry("signed/generated-with-ofdrw/v4-seal-twice.ofd", "/Doc_0/Signs/Signatures.xml");
  SignatureEntry e{"3", "Seal", "/Doc_0/Signs/Sign_1/Signature.xml", "", ""};
  auto out = AddSignatureToSignaturesXml(AsBytes(before), e, "4");
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(AsChars(*out), after);
}

TEST(SignaturesTest, AddingToVendorFilesKeepsEveryOtherByte) {
  // KingGrid: MaxSignId first, relative BaseLoc.
  std::string kg = Entry("signed/ofdrw-repo-vendor/999.ofd", "/Doc_0/Signs/Signatures.xml");
  SignatureEntry e{"3", "Seal", "/Doc_0/Signs/Sign_1/Signature.xml", "", ""};
  auto out = AddSignatureToSignaturesXml(AsBytes(kg), e, "4");
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  std::string want = kg;
  want.replace(want.find(">2<"), 3, ">4<");
  want.insert(
      want.find("</ofd:Signatures>"),
      "<ofd:Signature ID=\"3\" Type=\"Seal\" BaseLoc=\"/Doc_0/Signs/Sign_1/Signature.xml\"/>");
  EXPECT_EQ(AsChars(*out), want);
  auto parsed = ParseSignaturesXml(*out, "/Doc_0/Signs/Signatures.xml");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->entries[0].path,
            "/Doc_0/Signs/Sign_0/Signature.xml");  // untouched, still relative
  EXPECT_EQ(parsed->entries[1].path, "/Doc_0/Signs/Sign_1/Signature.xml");

  // oesplugin: indented, lower-case encoding declaration, "s4" IDs.
  std::string oes = Entry("signed/ofdrw-repo-vendor/keyword.ofd", "/Doc_0/Signs/Signatures.xml");
  SignatureEntry e5{"s5", "Seal", "/Doc_0/Signs/Sign_4/Signature.xml", "", ""};
  out = AddSignatureToSignaturesXml(AsBytes(oes), e5, "s5");
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  want = oes;
  want.replace(want.find(">s4<"), 4, ">s5<");
  size_t last = want.find("/>", want.find("ID=\"4\"")) + 2;
  want.insert(
      last,
      "<ofd:Signature ID=\"s5\" Type=\"Seal\" BaseLoc=\"/Doc_0/Signs/Sign_4/Signature.xml\"/>");
  EXPECT_EQ(AsChars(*out), want);

  // iOFD (Signatures.xml beside Document.xml).
  std::string iofd = Entry("signed/ofdrw-repo-vendor/n.ofd", "/Doc_0/Signatures.xml");
  out = AddSignatureToSignaturesXml(AsBytes(iofd), e, "3");
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(AsChars(*out).substr(0, iofd.find("<ofd:MaxSignId>")),
            iofd.substr(0, iofd.find("<ofd:MaxSignId>")));
}

TEST(SignaturesTest, EditingOddShapes) {
  SignatureEntry e{"1", "Sign", "Sign_0/Signature.xml", "", ""};
  // Empty self-closing list without MaxSignId, no prefix.
  auto out = AddSignatureToSignaturesXml(
      AsBytes("<Signatures xmlns=\"http://www.ofdspec.org/2016\"/>"), e, "1");
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(AsChars(*out),
            "<Signatures xmlns=\"http://www.ofdspec.org/2016\"><MaxSignId>1</MaxSignId>"
            "<Signature ID=\"1\" Type=\"Sign\" BaseLoc=\"Sign_0/Signature.xml\"/></Signatures>");
  // No MaxSignId: one is added first, in schema order.
  out = AddSignatureToSignaturesXml(
      AsBytes("<a:Signatures xmlns:a=\"u\"><!-- c --></a:Signatures>"), e, "7");
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(
      AsChars(*out),
      "<a:Signatures xmlns:a=\"u\"><a:MaxSignId>7</a:MaxSignId><!-- c --><a:Signature ID=\"1\" "
      "Type=\"Sign\" BaseLoc=\"Sign_0/Signature.xml\"/></a:Signatures>");
  // MaxSignId left alone when none is given.
  out = AddSignatureToSignaturesXml(AsBytes("<Signatures><MaxSignId>9</MaxSignId></Signatures>"), e,
                                    "");
  ASSERT_TRUE(out.ok());
  EXPECT_NE(AsChars(*out).find("<MaxSignId>9</MaxSignId>"), std::string_view::npos);
  // Duplicate IDs are refused; so is a missing BaseLoc.
  EXPECT_EQ(AddSignatureToSignaturesXml(
                AsBytes("<Signatures><Signature ID=\"1\" BaseLoc=\"x\"/></Signatures>"), e, "2")
                .status()
                .code(),
            StatusCode::kAlreadyExists);
  SignatureEntry no_loc{"2", "", "", "", ""};
  EXPECT_EQ(AddSignatureToSignaturesXml(AsBytes("<Signatures/>"), no_loc, "2").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(AddSignatureToSignaturesXml(AsBytes("<Other/>"), e, "2").status().code(),
            StatusCode::kInvalidArgument);
}

TEST(SignaturesTest, AddsSignaturesElementToOfdXml) {
  std::string hello = Entry("unsigned/helloworld.ofd", "/OFD.xml");
  std::string signed_xml = Entry("signed/generated-with-ofdrw/v4-seal-continue.ofd", "/OFD.xml");
  auto out = AddSignaturesToOfdXml(AsBytes(hello), 0, "/Doc_0/Signs/Signatures.xml");
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(AsChars(*out), signed_xml);  // exactly what ofdrw wrote
  EXPECT_EQ(
      AddSignaturesToOfdXml(AsBytes(signed_xml), 0, "/Doc_0/Signs/Signatures.xml").status().code(),
      StatusCode::kFailedPrecondition);
  EXPECT_EQ(AddSignaturesToOfdXml(AsBytes(hello), 1, "/x.xml").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(AddSignaturesToOfdXml(AsBytes(hello), 0, "../x.xml").status().code(),
            StatusCode::kInvalidArgument);

  std::string ns = Entry("unsigned/namespace_no_std.ofd", "/OFD.xml");
  out = AddSignaturesToOfdXml(AsBytes(ns), 0, "/Doc_0/Signs/Signatures.xml");
  ASSERT_TRUE(out.ok());
  std::string want = ns;
  want.insert(want.find("</ofd:DocBody>"),
              "<ofd:Signatures>/Doc_0/Signs/Signatures.xml</ofd:Signatures>");
  EXPECT_EQ(AsChars(*out), want);
}

// The shape of a first signature on an unsigned document, as the sign module will do it.
TEST(SignaturesTest, FirstSignatureOnAnUnsignedDocument) {
  auto r = Reader::OpenFile(kData + "unsigned/helloworld.ofd");
  ASSERT_TRUE(r.ok());
  const Package& pkg = r->package();
  std::string folder = NextSignFolder(pkg, "/Doc_0/Signs/");
  EXPECT_EQ(folder, "/Doc_0/Signs/Sign_0/");

  Signatures list;
  list.entries.push_back({"1", "Seal", folder + "Signature.xml", "", ""});
  list.max_sign_id = "2";
  auto list_xml = SerializeSignatures(list);
  ASSERT_TRUE(list_xml.ok());
  auto ofd_xml = AddSignaturesToOfdXml(*pkg.Read("/OFD.xml"), 0, "/Doc_0/Signs/Signatures.xml");
  ASSERT_TRUE(ofd_xml.ok());
  Signature sig;
  sig.provider.provider_name = "eseal";
  sig.signature_method = std::string(kSm2WithSm3Oid);
  sig.check_method = std::string(kSm3Oid);
  sig.references.push_back({"/OFD.xml", "/OFD.xml", "AAAA"});
  sig.stamp_annots.push_back(
      {"2", std::to_string(r->document().pages[0].id), Box{50, 50, 40, 40}, {}});
  sig.signed_value = folder + "SignedValue.dat";
  auto sig_xml = SerializeSignature(sig);
  ASSERT_TRUE(sig_xml.ok());

  PackageWriter w(pkg);
  ASSERT_TRUE(w.Put("/OFD.xml", *ofd_xml).ok());
  ASSERT_TRUE(w.Put("/Doc_0/Signs/Signatures.xml", *list_xml).ok());
  ASSERT_TRUE(w.Put(folder + "Signature.xml", *sig_xml).ok());
  ASSERT_TRUE(w.Put(folder + "SignedValue.dat", Bytes{1, 2, 3}).ok());
  auto out = w.Write();
  ASSERT_TRUE(out.ok()) << out.status().ToString();

  auto r2 = Reader::OpenBytes(*out);
  ASSERT_TRUE(r2.ok());
  ASSERT_TRUE(r2->has_signatures());
  auto sigs = r2->LoadSignatures();
  ASSERT_TRUE(sigs.ok());
  ASSERT_EQ(sigs->entries.size(), 1u);
  auto s = r2->LoadSignature(sigs->entries[0]);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->stamp_annots[0].page_ref, "1");
  EXPECT_EQ(*r2->package().Read(s->signed_value_path), (Bytes{1, 2, 3}));
  EXPECT_EQ(NextSignFolder(r2->package(), "/Doc_0/Signs/"), "/Doc_0/Signs/Sign_1/");
}

}  // namespace
}  // namespace eseal::ofd
