// Every real OFD file through the model: OFD.xml, Document.xml, pages, resources,
// Signatures.xml and each Signature.xml, with known values checked per vendor.
#include <gtest/gtest.h>

#include <filesystem>

#include "eseal/ofd/reader.h"

namespace eseal::ofd {
namespace {

const std::string kData = ESEAL_SHARED_TESTDATA "/ofdrw/";

Reader Open(const std::string& rel) {
  auto r = Reader::OpenFile(kData + rel);
  EXPECT_TRUE(r.ok()) << rel << ": " << r.status().ToString();
  if (!r.ok()) std::abort();
  return std::move(r).value();
}

TEST(ModelTest, EveryRealFileParsesCompletely) {
  int files = 0, signatures = 0, pages = 0;
  for (const auto& de : std::filesystem::recursive_directory_iterator(kData)) {
    if (!de.is_regular_file() || de.path().extension() != ".ofd") continue;
    const std::string f = de.path().string();
    ++files;
    auto r = Reader::OpenFile(f);
    ASSERT_TRUE(r.ok()) << f << ": " << r.status().ToString();
    ASSERT_GE(r->page_count(), 1u) << f;
    auto res = r->LoadResources();
    ASSERT_TRUE(res.ok()) << f << ": " << res.status().ToString();
    for (size_t i = 0; i < r->page_count(); ++i) {
      auto info = r->GetPageInfo(i);
      ASSERT_TRUE(info.ok()) << f << " page " << i << ": " << info.status().ToString();
      EXPECT_FALSE(info->size_is_default) << f << " page " << i;
      EXPECT_GT(info->physical_box.w, 50) << f;
      auto page = r->LoadPage(i);
      ASSERT_TRUE(page.ok()) << f;
      ASSERT_TRUE(r->LoadResources(*page).ok()) << f;
      for (const TemplateUse& t : page->templates) {
        auto tp = r->LoadTemplate(t.template_id);
        EXPECT_TRUE(tp.ok()) << f << " template " << t.template_id << ": "
                             << tp.status().ToString();
      }
      ++pages;
    }
    const bool is_signed = f.find("/signed/") != std::string::npos;
    EXPECT_EQ(r->has_signatures(), is_signed) << f;
    if (!is_signed) {
      EXPECT_EQ(r->LoadSignatures().status().code(), StatusCode::kNotFound);
      continue;
    }
    auto sigs = r->LoadSignatures();
    ASSERT_TRUE(sigs.ok()) << f << ": " << sigs.status().ToString();
    ASSERT_FALSE(sigs->entries.empty()) << f;
    for (const SignatureEntry& e : sigs->entries) {
      auto s = r->LoadSignature(e);
      ASSERT_TRUE(s.ok()) << f << " " << e.id << ": " << s.status().ToString();
      ++signatures;
      EXPECT_FALSE(s->provider.provider_name.empty()) << f;
      EXPECT_FALSE(s->references.empty()) << f;
      EXPECT_TRUE(r->package().Contains(s->signed_value_path)) << f << " " << s->signed_value;
      if (!s->seal_base_loc.empty()) {
        EXPECT_TRUE(r->package().Contains(s->seal_path)) << f;
      }
      for (const Reference& ref : s->references) {
        EXPECT_TRUE(r->package().Contains(ref.path)) << f << " " << ref.file_ref;
        EXPECT_EQ(ref.check_value.size(), 44u) << f << " " << ref.file_ref;  // base64 of 32 bytes
      }
      for (const StampAnnot& a : s->stamp_annots) {
        EXPECT_TRUE(a.boundary.has_value()) << f;
        EXPECT_TRUE(r->PageIndexForRef(a.page_ref).ok()) << f << " PageRef " << a.page_ref;
      }
    }
  }
  EXPECT_GE(files, 37);
  EXPECT_GE(signatures, 38);
  EXPECT_GE(pages, 60);
}

TEST(ModelTest, RidingSealHasFiveClippedStampAnnots) {
  Reader r = Open("signed/generated-with-ofdrw/v4-seal-riding.ofd");
  EXPECT_EQ(r.page_count(), 5u);
  auto sigs = r.LoadSignatures();
  ASSERT_TRUE(sigs.ok());
  EXPECT_EQ(sigs->max_sign_id, "6");
  ASSERT_EQ(sigs->entries.size(), 1u);
  EXPECT_EQ(sigs->entries[0].type, "Seal");
  auto s = r.LoadSignature(sigs->entries[0]);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->stamp_annots.size(), 5u);
  const char* refs[] = {"1", "21", "43", "63", "83"};
  for (size_t i = 0; i < 5; ++i) {
    const StampAnnot& a = s->stamp_annots[i];
    EXPECT_EQ(a.id, std::to_string(i + 2));
    EXPECT_EQ(a.page_ref, refs[i]);
    EXPECT_EQ(*r.PageIndexForRef(a.page_ref), i);
    ASSERT_TRUE(a.clip.has_value());
    EXPECT_EQ(*a.clip, (Box{8.0 * i, 0, 8, 40}));
    EXPECT_EQ(*a.boundary, (Box{202 - 8.0 * i, 40, 40, 40}));
  }
  EXPECT_EQ(s->check_method, "SM3");
  EXPECT_EQ(s->signature_method, "1.2.156.10197.1.501");
  EXPECT_EQ(s->seal_path, "/Doc_0/Signs/Sign_0/Seal.esl");
  EXPECT_EQ(s->signed_value_path, "/Doc_0/Signs/Sign_0/SignedValue.dat");
  EXPECT_EQ(s->references.size(), 8u);
  EXPECT_EQ(s->references[0].path, "/OFD.xml");
  EXPECT_EQ(s->references[0].check_value, "ZP00IYWXJYsSlZkGUJCOov27J4/SMyjIh1ZVdtWkEO0=");
  auto info = r.GetPageInfo(3);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->id, 63u);
  EXPECT_EQ(info->path, "/Doc_0/Pages/Page_3/Content.xml");
  EXPECT_EQ(info->physical_box, (Box{0, 0, 210, 297}));
}

TEST(ModelTest, KingGridRelativeBaseLoc) {
  Reader r = Open("signed/ofdrw-repo-vendor/999.ofd");
  auto sigs = r.LoadSignatures();
  ASSERT_TRUE(sigs.ok());
  ASSERT_EQ(sigs->entries.size(), 1u);
  EXPECT_EQ(sigs->entries[0].base_loc, "Sign_0/Signature.xml");
  EXPECT_EQ(sigs->entries[0].path, "/Doc_0/Signs/Sign_0/Signature.xml");
  EXPECT_TRUE(sigs->entries[0].IsSeal());  // no Type: Seal
  EXPECT_EQ(sigs->max_sign_id, "2");
  auto s = r.LoadSignature(sigs->entries[0]);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->provider.provider_name, "KingGrid");
  EXPECT_FALSE(s->provider.as_child_elements);
  EXPECT_EQ(s->check_method, "1.2.156.10197.1.401");
  EXPECT_EQ(s->signature_date_time, "20200817111329Z");
  EXPECT_TRUE(s->seal_base_loc.empty());  // tax invoices: no <Seal>
  // Document: 5 pages with their own templates, 210 x 140 mm invoice pages.
  EXPECT_EQ(r.page_count(), 5u);
  EXPECT_EQ(r.document().templates.size(), 5u);
  EXPECT_EQ(r.document().pages[4].id, 629u);
  EXPECT_EQ(r.GetPageInfo(0)->physical_box, (Box{0, 0, 210, 140}));
  EXPECT_EQ(r.document().annotations, "/Doc_0/Annots/Annotations.xml");
  auto res = r.LoadResources();
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->multimedia.at(6).media_file, "/Doc_0/Res/qrcode.png");
  EXPECT_EQ(res->fonts.at(3).font_name, "宋体");
}

TEST(ModelTest, DianJuSignValueDatAndRootResourceFolder) {
  Reader r = Open("signed/ofdrw-repo-vendor/不规范资源路径.ofd");
  auto sigs = r.LoadSignatures();
  ASSERT_TRUE(sigs.ok());
  auto s = r.LoadSignature(sigs->entries[0]);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->signed_value, "/Doc_0/Signs/Sign_0/SignValue.dat");
  EXPECT_EQ(s->signed_value_path, "/Doc_0/Signs/Sign_0/SignValue.dat");
  EXPECT_EQ(s->provider.provider_name, "DJ");
  EXPECT_EQ(s->provider.company, "DianJu");
  ASSERT_EQ(s->stamp_annots.size(), 1u);
  EXPECT_EQ(*s->stamp_annots[0].boundary, (Box{248.25, 117.19, 39.90, 39.90}));
  EXPECT_EQ(r.document().pages[0].path, "/Doc_0/Page_1/Content.xml");
  auto res = r.LoadResources();
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->multimedia.at(2).media_file, "/Doc_0/Res/2.gif");
}

TEST(ModelTest, IofdProviderChildrenAndSignaturesLocation) {
  Reader r = Open("signed/ofdrw-repo-vendor/n.ofd");
  EXPECT_EQ(r.doc_body().signatures_path, "/Doc_0/Signatures.xml");
  EXPECT_EQ(r.doc_body().doc_root_path, "/Doc_0/Document.xml");
  auto sigs = r.LoadSignatures();
  ASSERT_TRUE(sigs.ok());
  ASSERT_EQ(sigs->entries.size(), 1u);
  EXPECT_EQ(sigs->entries[0].id, "0");
  auto s = r.LoadSignature(sigs->entries[0]);
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->provider.as_child_elements);
  EXPECT_EQ(s->provider.provider_name, "iOFD® 2.1.1 ©2019-2020 dms360.cn");
  EXPECT_EQ(s->provider.version, "2.1.1");
  EXPECT_EQ(s->provider.company, "dms360.cn");
  EXPECT_EQ(s->check_method, "1.2.156.10197.1.401.2");
  ASSERT_EQ(s->stamp_annots.size(), 1u);
  EXPECT_EQ(s->stamp_annots[0].page_ref, "1021");
  EXPECT_EQ(*r.PageIndexForRef("1021"), 1u);
  EXPECT_EQ(*s->stamp_annots[0].clip, (Box{0, 0, 33, 33}));
  EXPECT_EQ(s->seal_path, "/Doc_0/Signs/Sign_0/Seal.esl");
  EXPECT_EQ(s->references.size(), 6u);
}

TEST(ModelTest, GomainRelativeSignaturesPathAndOtherVendors) {
  Reader v4 = Open("signed/ofdrw-repo-vendor/v4signed.ofd");
  EXPECT_EQ(v4.doc_body().signatures, "Doc_0/Signs/Signatures.xml");
  EXPECT_EQ(v4.doc_body().signatures_path, "/Doc_0/Signs/Signatures.xml");
  auto s = v4.LoadSignature(v4.LoadSignatures()->entries[0]);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->provider.provider_name, "gomain_eseal");

  Reader kw = Open("signed/ofdrw-repo-vendor/keyword.ofd");
  auto list = kw.LoadSignatures();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->entries.size(), 2u);
  EXPECT_EQ(list->max_sign_id, "s4");
  EXPECT_TRUE(list->entries[0].IsSeal());
  EXPECT_EQ(list->entries[1].type, "Sign");
  EXPECT_FALSE(list->entries[1].IsSeal());

  Reader h = Open("signed/ofdrw-repo-ofdrw-signed/h.ofd");
  auto hl = h.LoadSignatures();
  ASSERT_TRUE(hl.ok());
  EXPECT_EQ(hl->entries.size(), 2u);
  EXPECT_EQ(hl->max_sign_id, "s008");  // two MaxSignId elements: the last one counts
  EXPECT_EQ(LargestSignId(*hl), 8u);

  Reader doc1 = Open("unsigned/doc1File.ofd");
  EXPECT_EQ(doc1.doc_body().doc_root_path, "/Doc_1/Document.xml");
  EXPECT_EQ(NextSignFolder(doc1.package(), "/Doc_1/Signs/"), "/Doc_1/Signs/Sign_0/");

  Reader twice = Open("signed/generated-with-ofdrw/v4-seal-twice.ofd");
  EXPECT_EQ(NextSignFolder(twice.package(), "/Doc_0/Signs/"), "/Doc_0/Signs/Sign_2/");
  EXPECT_EQ(LargestSignId(*twice.LoadSignatures()), 4u);

  Reader inv = Open("unsigned/invoice-unsigned.ofd");
  auto info = inv.GetPageInfo(0);
  ASSERT_TRUE(info.ok());
  EXPECT_FALSE(inv.document().page_area.physical_box.has_value());  // from the page's own Area
  EXPECT_EQ(info->physical_box, (Box{0, 0, 210, 140}));
  EXPECT_EQ(info->id, 61u);

  Reader ns = Open("unsigned/namespace_no_std.ofd");
  EXPECT_EQ(ns.page_count(), 1u);
  auto page = ns.LoadPage(0);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->layers.size(), 1u);
  ASSERT_EQ(page->layers[0].objects.size(), 1u);
  EXPECT_EQ(page->layers[0].objects[0].type, ObjectType::kText);
}

TEST(ModelTest, PageContentDetails) {
  Reader r = Open("unsigned/helloworld.ofd");
  auto page = r.LoadPage(0);
  ASSERT_TRUE(page.ok());
  const PageObject& t = page->layers[0].objects[0];
  EXPECT_EQ(t.id, 4u);
  EXPECT_EQ(t.boundary, (Box{31.7, 25.4, 40.5, 5}));
  EXPECT_EQ(t.font, 3u);
  EXPECT_EQ(t.size, 3.0);
  EXPECT_TRUE(t.fill);
  ASSERT_EQ(t.text_codes.size(), 1u);
  EXPECT_EQ(t.text_codes[0].text, "你好呀，OFD Reader&Writer！");
  EXPECT_EQ(t.text_codes[0].delta_x.size(), 21u);

  // "g" repeats in the invoice template, capped at the character count.
  Reader inv = Open("unsigned/invoice-unsigned.ofd");
  auto tpl = inv.LoadTemplate(1);
  ASSERT_TRUE(tpl.ok());
  const PageObject* title = nullptr;
  for (const Layer& l : tpl->layers) {
    for (const PageObject& o : l.objects) {
      if (o.id == 3 && o.type == ObjectType::kText) title = &o;
    }
  }
  ASSERT_NE(title, nullptr);
  EXPECT_EQ(title->text_codes[0].text, "电子发票（增值税专用发票）");
  EXPECT_EQ(title->text_codes[0].delta_x, std::vector<double>(11, 7.0696));
  auto ip = inv.LoadPage(0);
  ASSERT_TRUE(ip.ok());
  ASSERT_EQ(ip->templates.size(), 1u);
  EXPECT_EQ(ip->templates[0].template_id, 1u);
  EXPECT_EQ(ip->templates[0].z_order, "Background");
  bool found_image = false, found_spaces = false;
  for (const PageObject& o : ip->layers[0].objects) {
    if (o.type == ObjectType::kImage) {
      found_image = true;
      EXPECT_EQ(o.resource_id, 6920u);
      EXPECT_EQ(*o.ctm, (Matrix{20, 0, 0, 20, 0, 0}));
    }
    if (o.id == 6946) {
      found_spaces = true;
      EXPECT_EQ(o.text_codes[0].text, "    ");  // whitespace-only text is kept
    }
  }
  EXPECT_TRUE(found_image);
  EXPECT_TRUE(found_spaces);
}

TEST(ModelTest, MalformedModelsAreRefused) {
  auto bad = [](std::string_view xml) { return AsBytes(xml); };
  EXPECT_EQ(ParseOfdXml(bad("<ofd:OFD xmlns:ofd=\"x\"/>")).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(
      ParseOfdXml(bad("<OFD><DocBody><DocRoot>../x</DocRoot></DocBody></OFD>")).status().code(),
      StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseOfdXml(bad("<Document/>")).status().code(), StatusCode::kInvalidArgument);
  // No prefix at all is fine.
  auto ok = ParseOfdXml(bad("<OFD><DocBody><DocRoot>Doc_0/Document.xml</DocRoot></DocBody></OFD>"));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->doc_bodies[0].doc_root_path, "/Doc_0/Document.xml");
  EXPECT_EQ(ParseDocumentXml(
                bad("<Document><Pages><Page ID=\"x\" BaseLoc=\"a.xml\"/></Pages></Document>"),
                "/Doc_0/Document.xml")
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseSignatureXml(bad("<Signature/>"), "/s.xml").status().code(),
            StatusCode::kInvalidArgument);
  Limits few;
  few.max_signatures = 1;
  EXPECT_EQ(
      ParseSignaturesXml(bad("<Signatures><Signature ID=\"1\" BaseLoc=\"a\"/><Signature ID=\"2\" "
                             "BaseLoc=\"b\"/></Signatures>"),
                         "/Doc_0/Signs/Signatures.xml", few)
          .status()
          .code(),
      StatusCode::kResourceExhausted);
  Limits objects;
  objects.max_page_objects = 2;
  EXPECT_EQ(ParsePageXml(bad("<Page><Content><Layer><PathObject/><PathObject/><PageBlock/></"
                             "Layer></Content></Page>"),
                         "/p.xml", objects)
                .status()
                .code(),
            StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace eseal::ofd
