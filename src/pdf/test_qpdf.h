// Test inputs: qpdf's own rewrites of a PDF (QPDFWriter: object streams with a
// cross-reference stream, or linearised), as another producer would write them.
#pragma once

#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFWriter.hh>

#include <memory>

#include "eseal/base/bytes.h"

namespace eseal::pdf::testing {

enum class Rewrite { kObjectStreams, kLinearized };

// qpdf's rewrite of `in`.
inline Bytes QpdfRewrite(const Bytes& in, Rewrite how) {
  QPDF q;
  q.processMemoryFile("in.pdf", reinterpret_cast<const char*>(in.data()), in.size());
  QPDFWriter w(q);
  w.setOutputMemory();
  w.setStaticID(true);
  if (how == Rewrite::kObjectStreams) w.setObjectStreamMode(qpdf_o_generate);
  if (how == Rewrite::kLinearized) w.setLinearization(true);
  w.write();
  std::unique_ptr<Buffer> b(w.getBuffer());
  return Bytes(b->getBuffer(), b->getBuffer() + b->getSize());
}

}  // namespace eseal::pdf::testing
