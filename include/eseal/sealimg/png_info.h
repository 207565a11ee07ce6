// Checks of PNG seal impressions (印模) that arrive from outside, e.g. the physical-seal
// impression data of the public security feed or an upload: the file is a complete,
// well-formed PNG of bounded size, and what its dimensions and resolution are.
// Thread-safety: reentrant.
#pragma once

#include <cstddef>

#include "eseal/base/bytes.h"
#include "eseal/base/result.h"

namespace eseal::sealimg {

inline constexpr size_t kMaxPngBytes = 16 * 1024 * 1024;
inline constexpr int kMaxImpressionSidePx = 4096;

struct ImageInfo {
  int width_px = 0;
  int height_px = 0;
  bool has_alpha = false;  // an alpha channel or a tRNS chunk
  int dpi_x = 0;           // from the pHYs chunk; 0 when the file does not say
  int dpi_y = 0;
};

// Validates the whole file, not just the header: signature, chunk layout and CRCs, IHDR
// fields, at most kMaxImpressionSidePx per side, nothing after IEND, and that the image
// data decompresses. InvalidArgument (one sentence saying what is wrong) otherwise.
Result<ImageInfo> ProbePng(ByteView png);

}  // namespace eseal::sealimg
