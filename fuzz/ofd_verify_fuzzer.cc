// Fuzzes OFD verification end to end on hostile packages: zip layer, every XML file the
// verifier reads, signature values (SES_Signature, SignedData), coverage analysis and the
// report renderers. Nothing may crash, hang or allocate beyond the limits.
#include <cstddef>
#include <cstdint>

#include "eseal/verify/ofd_verifier.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  eseal::verify::OfdVerifyOptions options;
  options.limits.max_package_size = 8u << 20;
  options.limits.max_total_uncompressed = 16u << 20;
  options.limits.max_entry_size = 8u << 20;
  options.limits.max_xml_size = 4u << 20;
  auto v = eseal::verify::VerifyOfd(eseal::ByteView(data, size), options);
  if (v.ok()) {
    (void)eseal::verify::OfdVerificationToJson(*v);
    (void)eseal::verify::OfdVerificationToText(*v, true);
    (void)v->verdict();
  }
  return 0;
}
