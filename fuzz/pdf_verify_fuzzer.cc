// Fuzzes PDF reading and verification: the reader (libqpdf with recovery off, revisions,
// signature fields), the ByteRange rules, the SES/CMS sniffing and the classification of
// later revisions, with small limits so each run stays fast.
#include <cstddef>
#include <cstdint>

#include "eseal/verify/pdf_verifier.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  eseal::verify::PdfVerifyOptions o;
  o.limits.max_file_size = 4 << 20;
  o.limits.max_objects = 5000;
  o.limits.max_revisions = 16;
  o.limits.max_pages = 50;
  o.limits.max_signatures = 16;
  o.limits.max_compared_objects = 50000;
  o.limits.max_stream_bytes = 1 << 20;
  auto v = eseal::verify::VerifyPdf(eseal::ByteView(data, size), o);
  if (v.ok()) (void)eseal::verify::PdfVerificationToJson(*v);
  return 0;
}
