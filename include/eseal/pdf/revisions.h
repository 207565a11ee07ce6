// Revisions (增量更新) of a PDF file (ISO 32000-1 §7.5.6): each incremental update appends
// objects, a cross-reference section and a trailer whose /Prev points at the previous
// section. Found by following startxref and /Prev from the end of the file — our own code,
// because every ByteRange check needs the byte offset where each revision ends, which no
// parser library reports.
// Thread-safety: reentrant.
#pragma once

#include <cstdint>
#include <vector>

#include "eseal/base/bytes.h"
#include "eseal/base/result.h"
#include "eseal/pdf/limits.h"

namespace eseal::pdf {

struct Revision {
  uint64_t xref_offset = 0;  // where its cross-reference section starts
  uint64_t end = 0;          // just after its "%%EOF" (and the end-of-line that follows, if any)
  uint64_t eof_end = 0;      // just after "%%EOF"
  bool xref_stream = false;  // a cross-reference stream (PDF 1.5) rather than a table
};

// The revisions, oldest first. InvalidArgument when there is no startxref, an offset points
// outside the file or at something that is not a cross-reference section, or /Prev does not
// go strictly backwards (a loop); ResourceExhausted past limits.max_revisions.
Result<std::vector<Revision>> FindRevisions(ByteView file, const Limits& limits);

}  // namespace eseal::pdf
