#include "eseal/ofd/path.h"

#include <gtest/gtest.h>

namespace eseal::ofd {
namespace {

TEST(PathTest, ResolvesAbsoluteAndRelativeLocs) {
  EXPECT_EQ(*ResolveLoc("/OFD.xml", "Doc_0/Document.xml"), "/Doc_0/Document.xml");
  EXPECT_EQ(*ResolveLoc("/OFD.xml", "/Doc_0/Document.xml"), "/Doc_0/Document.xml");
  // KingGrid: BaseLoc relative to Signatures.xml's folder.
  EXPECT_EQ(*ResolveLoc("/Doc_0/Signs/Signatures.xml", "Sign_0/Signature.xml"),
            "/Doc_0/Signs/Sign_0/Signature.xml");
  EXPECT_EQ(*ResolveLoc("/Doc_0/Document.xml", "  Pages/Page_0/Content.xml\n"),
            "/Doc_0/Pages/Page_0/Content.xml");
  EXPECT_EQ(*ResolveLoc("/Doc_0/Tpls/Tpl_0/Content.xml", "../../Res/a.png"), "/Doc_0/Res/a.png");
  EXPECT_EQ(*ResolveLoc("/Doc_0/Document.xml", "./Pages//Page_0/./Content.xml"),
            "/Doc_0/Pages/Page_0/Content.xml");
  EXPECT_EQ(*ResolveLocInDir("/Doc_0/Res/", "image.png"), "/Doc_0/Res/image.png");
}

TEST(PathTest, RefusesLocsThatEscapeOrAreMalformed) {
  EXPECT_EQ(ResolveLoc("/OFD.xml", "../etc/passwd").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ResolveLoc("/Doc_0/Document.xml", "../../x").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ResolveLoc("/OFD.xml", "Doc_0\\Document.xml").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ResolveLoc("/OFD.xml", "").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ResolveLoc("/OFD.xml", "/").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ResolveLoc("/OFD.xml",
                       "a\x01"
                       "b")
                .status()
                .code(),
            StatusCode::kInvalidArgument);
}

TEST(PathTest, EntryNames) {
  EXPECT_EQ(*PathForEntryName("Doc_0/Document.xml"), "/Doc_0/Document.xml");
  EXPECT_EQ(*PathForEntryName("Doc_0/"), "/Doc_0");
  for (const char* bad :
       {"/abs.xml", "../x", "a/../../x", "a\\b", "C:/x", "a//b", "./a", "", "/"}) {
    auto r = PathForEntryName(bad);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_NE(PathForEntryName("a/../b").status().message().find("traversal"), std::string::npos);
  EXPECT_EQ(EntryNameFor("/Doc_0/Document.xml"), "Doc_0/Document.xml");
  EXPECT_EQ(ParentDir("/Doc_0/Signs/Signatures.xml"), "/Doc_0/Signs/");
  EXPECT_EQ(ParentDir("/OFD.xml"), "/");
  EXPECT_TRUE(IsCanonicalPath("/Doc_0/Signs/Sign_0/Signature.xml"));
  EXPECT_FALSE(IsCanonicalPath("Doc_0/x"));
  EXPECT_FALSE(IsCanonicalPath("/Doc_0/../x"));
  EXPECT_FALSE(IsCanonicalPath("/Doc_0/"));
}

}  // namespace
}  // namespace eseal::ofd
