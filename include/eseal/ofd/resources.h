// Resources: resource files (资源, GB/T 33190-2016 §7.9): PublicRes, DocumentRes and page
// resources describe fonts (字形), colour spaces (颜色空间), drawing parameters (绘制参数) and
// multimedia (多媒体, i.e. images). Objects on a page refer to them by ID.
// Thread-safety: values and pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eseal/base/bytes.h"
#include "eseal/base/result.h"
#include "eseal/ofd/limits.h"

namespace eseal::ofd {

// CT_Color (颜色): channel values in the colour space's range (0..255 for 8 bits).
struct Color {
  std::vector<double> value;  // empty when only Index is given
  int index = -1;
  uint64_t color_space = 0;  // 0: the document default (RGB)
  int alpha = 255;
};

struct FontDef {
  uint64_t id = 0;
  std::string font_name;
  std::string family_name;
  std::string charset;
  bool italic = false;
  bool bold = false;
  bool serif = false;
  bool fixed_width = false;
  std::string font_file;  // canonical path of an embedded font file, or empty
};

struct ColorSpaceDef {
  uint64_t id = 0;
  std::string type;  // "RGB", "GRAY", "CMYK"
  int bits_per_component = 8;
};

// CT_DrawParam (绘制参数). `relative` names a DrawParam whose values apply where this one
// has none.
struct DrawParamDef {
  uint64_t id = 0;
  uint64_t relative = 0;
  std::optional<double> line_width;
  std::string join;
  std::string cap;
  std::optional<Color> fill_color;
  std::optional<Color> stroke_color;
};

struct MultiMediaDef {
  uint64_t id = 0;
  std::string type;        // "Image", "Audio", "Video"
  std::string format;      // as declared ("PNG", "JPEG", ...); may be empty or wrong
  std::string media_file;  // canonical path
};

struct Resources {
  std::map<uint64_t, FontDef> fonts;
  std::map<uint64_t, ColorSpaceDef> color_spaces;
  std::map<uint64_t, DrawParamDef> draw_params;
  std::map<uint64_t, MultiMediaDef> multimedia;
};

// Parses one resource file (<Res BaseLoc=...>) at canonical path `res_path` and adds its
// definitions to `into` (later files do not override IDs already present). Media and font
// file names are resolved against the Res BaseLoc folder, itself relative to `res_path`.
Status ParseResXml(ByteView xml, std::string_view res_path, const Limits& limits, Resources* into);

// Parses a CT_Color element's attribute values (Value, Index, ColorSpace, Alpha). Values may
// be decimal or "#hex". Returns nullopt if Value and Index are both absent or malformed.
std::optional<Color> MakeColor(std::string_view value, std::string_view index,
                               std::string_view color_space, std::string_view alpha);

}  // namespace eseal::ofd
