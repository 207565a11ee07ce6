// Strict UTF-8 decoding for the texts engraved on a seal.
#include <cstdint>
#include <string>

#include "internal.h"

namespace eseal::sealimg::internal {

Result<std::u32string> DecodeUtf8(std::string_view text, std::string_view what) {
  std::u32string out;
  size_t i = 0;
  while (i < text.size()) {
    const auto b0 = static_cast<uint8_t>(text[i]);
    char32_t c = 0;
    size_t len = 0;
    char32_t min = 0;
    if (b0 < 0x80) {
      c = b0;
      len = 1;
    } else if ((b0 & 0xE0) == 0xC0) {
      c = b0 & 0x1F;
      len = 2;
      min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
      c = b0 & 0x0F;
      len = 3;
      min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
      c = b0 & 0x07;
      len = 4;
      min = 0x10000;
    } else {
      return InvalidArgumentError(std::string(what) + " is not valid UTF-8 (bad byte at offset " +
                                  std::to_string(i) + ")");
    }
    if (i + len > text.size()) {
      return InvalidArgumentError(std::string(what) + " is not valid UTF-8 (truncated sequence)");
    }
    for (size_t k = 1; k < len; ++k) {
      const auto b = static_cast<uint8_t>(text[i + k]);
      if ((b & 0xC0) != 0x80) {
        return InvalidArgumentError(std::string(what) +
                                    " is not valid UTF-8 (bad continuation byte at offset " +
                                    std::to_string(i + k) + ")");
      }
      c = (c << 6) | (b & 0x3F);
    }
    if (len > 1 && c < min) {
      return InvalidArgumentError(std::string(what) + " is not valid UTF-8 (overlong form)");
    }
    if ((c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF) {
      return InvalidArgumentError(std::string(what) + " is not valid UTF-8 (not a character)");
    }
    out.push_back(c);
    i += len;
  }
  return out;
}

std::string EncodeUtf8(char32_t c) {
  std::string s;
  if (c < 0x80) {
    s.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    s.push_back(static_cast<char>(0xC0 | (c >> 6)));
    s.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    s.push_back(static_cast<char>(0xE0 | (c >> 12)));
    s.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    s.push_back(static_cast<char>(0xF0 | (c >> 18)));
    s.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
  return s;
}

}  // namespace eseal::sealimg::internal
