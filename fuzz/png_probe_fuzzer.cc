// Fuzz target for sealimg::ProbePng, the check of PNG seal impressions (印模) from outside.
#include <cstddef>
#include <cstdint>

#include "eseal/sealimg/png_info.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto info = eseal::sealimg::ProbePng(eseal::ByteView(data, size));
  if (info.ok() && (info->width_px <= 0 || info->height_px <= 0 ||
                    info->width_px > eseal::sealimg::kMaxImpressionSidePx ||
                    info->height_px > eseal::sealimg::kMaxImpressionSidePx)) {
    __builtin_trap();
  }
  return 0;
}
