// Test inputs: a small PDF written by hand with a classic cross-reference table,
// independent of the writer under test (test_qpdf.h has qpdf's rewrites of it).
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "eseal/base/bytes.h"

namespace eseal::pdf::testing {

// `pages` A4 pages, each showing "Page N" in Helvetica; a classic xref table.
inline Bytes ClassicPdf(int pages = 2) {
  std::string out = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";
  std::vector<size_t> off(4 + 2 * pages, 0);
  auto obj = [&](int n, const std::string& body) {
    off[n] = out.size();
    out += std::to_string(n) + " 0 obj\n" + body + "\nendobj\n";
  };
  std::string kids;
  for (int i = 0; i < pages; ++i) kids += std::to_string(4 + 2 * i) + " 0 R ";
  obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
  obj(2, "<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages) + " >>");
  obj(3, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
  for (int i = 0; i < pages; ++i) {
    std::string text = "BT /F1 24 Tf 72 720 Td (Page " + std::to_string(i + 1) + " Party A \\(seal\\):) Tj ET";
    obj(4 + 2 * i, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /Resources << /Font << /F1 3 0 R >> >> "
                   "/Contents " + std::to_string(5 + 2 * i) + " 0 R >>");
    obj(5 + 2 * i, "<< /Length " + std::to_string(text.size()) + " >>\nstream\n" + text + "\nendstream");
  }
  size_t xref = out.size();
  int size = 4 + 2 * pages;
  out += "xref\n0 " + std::to_string(size) + "\n0000000000 65535 f\r\n";
  for (int n = 1; n < size; ++n) {
    char e[32];
    std::snprintf(e, sizeof e, "%010zu 00000 n\r\n", off[n]);
    out += e;
  }
  out += "trailer\n<< /Size " + std::to_string(size) + " /Root 1 0 R /ID [<0123456789ABCDEF0123456789ABCDEF> "
         "<0123456789ABCDEF0123456789ABCDEF>] >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return Bytes(out.begin(), out.end());
}

}  // namespace eseal::pdf::testing
