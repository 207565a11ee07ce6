// The seal picture as PDF image XObjects (ISO 32000-1 §8.9.5): the PNG decoded into RGB
// samples and, when it has transparency, an alpha channel for the /SMask, so the paper
// shows through the seal as it does on the physical impression. Our own decoder for the
// PNGs seal pictures are: 8-bit RGB, RGBA, grey or grey+alpha, not interlaced (others are
// refused with a message).
// Thread-safety: reentrant.
#pragma once

#include "eseal/base/bytes.h"
#include "eseal/base/result.h"

namespace eseal::pdf {

struct RgbImage {
  int width = 0, height = 0;
  Bytes rgb;    // width*height*3
  Bytes alpha;  // width*height, empty when fully opaque
};

// InvalidArgument for a PNG it does not decode; ResourceExhausted past 4096×4096 pixels.
Result<RgbImage> DecodePng(ByteView png);

}  // namespace eseal::pdf
