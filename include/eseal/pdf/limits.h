// Limits: the bounds the PDF reader enforces on outside bytes before it parses them, so a
// PDF bomb (millions of objects, an xref /Prev loop, deep nesting, a huge stream) gets a
// clear ResourceExhausted error instead of taking the process down.
// Thread-safety: a plain value.
#pragma once

#include <cstddef>
#include <cstdint>

namespace eseal::pdf {

struct Limits {
  uint64_t max_file_size = uint64_t{256} << 20;  // the whole file
  size_t max_objects = 200000;                   // objects in the cross-reference table
  size_t max_revisions = 64;                     // incremental updates (xref sections)
  size_t max_pages = 5000;
  size_t max_signatures = 200;                   // signature fields
  int max_depth = 32;                            // field tree and page tree depth
  // Object comparisons spent classifying the revisions after each signature
  // (pdf_changes), in objects looked at over all signatures.
  uint64_t max_compared_objects = 2000000;
  uint64_t max_stream_bytes = uint64_t{64} << 20;  // one stream compared or decoded
  size_t max_dss_entries = 1000;  // certificates, CRLs and OCSP answers in the /DSS, together
};

}  // namespace eseal::pdf
