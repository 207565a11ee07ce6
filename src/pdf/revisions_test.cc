// Revisions and the reader's refusals: a /Prev loop, an offset outside the file, a
// damaged table (recovery is off), an encrypted file, not a PDF, too many objects.
#include "eseal/pdf/revisions.h"

#include <gtest/gtest.h>

#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFWriter.hh>

#include "eseal/pdf/document.h"
#include "test_pdfs.h"

namespace eseal::pdf {
namespace {

std::string Text(const Bytes& b) { return std::string(b.begin(), b.end()); }
Bytes FromText(const std::string& s) { return Bytes(s.begin(), s.end()); }

TEST(RevisionsTest, OneRevisionEndsAtTheFileEnd) {
  Bytes pdf = testing::ClassicPdf(1);
  auto r = FindRevisions(pdf, {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ(r->front().end, pdf.size());
  EXPECT_FALSE(r->front().xref_stream);
  auto doc = Document::Open(pdf);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ(doc->page_count(), 1u);
  EXPECT_NEAR(doc->page(0).width(), 595.28, 0.01);
}

TEST(RevisionsTest, APrevLoopAndAnOffsetOutsideTheFileAreRefused) {
  std::string s = Text(testing::ClassicPdf(1));
  size_t sx = s.rfind("startxref\n");
  std::string xref_at = s.substr(sx + 10, s.find('\n', sx + 10) - sx - 10);
  // The trailer names itself as /Prev: a loop.
  std::string loop = s;
  loop.replace(loop.find("/Root 1 0 R"), 11, "/Root 1 0 R /Prev " + xref_at);
  EXPECT_EQ(FindRevisions(FromText(loop), {}).status().code(), StatusCode::kInvalidArgument);
  std::string outside = s;
  outside.replace(sx + 10, xref_at.size(), "99999999");
  EXPECT_EQ(FindRevisions(FromText(outside), {}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Document::Open(FromText(outside)).status().code(), StatusCode::kInvalidArgument);
}

TEST(RevisionsTest, ANestedPrevIsNotTheTrailers) {
  std::string s = Text(testing::ClassicPdf(1));
  s.replace(s.find("/Root 1 0 R"), 11, "/Root 1 0 R /Info << /Prev 5 /Title (x /Prev 7) >>");
  auto r = FindRevisions(FromText(s), {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->size(), 1u);
}

TEST(RevisionsTest, DamagedEncryptedAndForeignFilesGetClearRefusals) {
  std::string s = Text(testing::ClassicPdf(2));
  // Shift every object by one byte: the table's offsets are now wrong, which only
  // recovery would paper over.
  std::string damaged = s;
  damaged.insert(damaged.find("1 0 obj"), " ");
  auto d = Document::Open(FromText(damaged));
  EXPECT_EQ(d.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(d.status().message().find("修复"), std::string::npos) << d.status().message();

  Bytes plain = testing::ClassicPdf(1);
  QPDF q;
  q.processMemoryFile("p.pdf", reinterpret_cast<const char*>(plain.data()), plain.size());
  QPDFWriter w(q);
  w.setOutputMemory();
  w.setR6EncryptionParameters("user", "owner", true, true, true, true, true, true, qpdf_r3p_full, true);
  w.write();
  std::unique_ptr<Buffer> b(w.getBuffer());
  Bytes encrypted(b->getBuffer(), b->getBuffer() + b->getSize());
  EXPECT_EQ(Document::Open(encrypted).status().code(), StatusCode::kFailedPrecondition);

  EXPECT_EQ(Document::Open(FromText("PK\3\4 not a pdf at all")).status().code(), StatusCode::kInvalidArgument);
  Limits few;
  few.max_objects = 3;
  EXPECT_EQ(Document::Open(testing::ClassicPdf(2), few).status().code(), StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace eseal::pdf
