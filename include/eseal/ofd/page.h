// Page: a page's or template page's Content.xml (页对象, GB/T 33190-2016 §7.7): its own page
// area, the templates it uses, its layers (图层) and the graphic objects (图元) in them:
// text (文字对象, §11), paths (图形对象, §9), images (图像对象, §10), composite objects
// (复合对象) and page blocks (页块, which nest). Enough of the model to find text and draw
// the page; glyph-level details (CGTransform, Glyphs, shadings) are skipped.
//
// Coordinates: a graphic object's Boundary is in page millimetres; its content is in object
// space, mapped by the CTM and then moved to the Boundary's origin:
//   page = Boundary.origin + CTM(object).
//
// Thread-safety: values and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eseal/base/bytes.h"
#include "eseal/base/result.h"
#include "eseal/ofd/document.h"
#include "eseal/ofd/geometry.h"
#include "eseal/ofd/limits.h"
#include "eseal/ofd/resources.h"

namespace eseal::ofd {

// CT_Text/TextCode (文字定位): the text of one run and where its characters go.
struct TextCode {
  // Position of the first character's origin (baseline) in object space. Absent values
  // are taken from the previous TextCode of the same TextObject (§11.3).
  std::optional<double> x;
  std::optional<double> y;
  // Offsets between consecutive characters, with the "g <count> <value>" repeats of §11.3
  // expanded. Never longer than the number of characters minus one.
  std::vector<double> delta_x;
  std::vector<double> delta_y;
  std::string text;  // UTF-8
};

enum class ObjectType { kText, kPath, kImage, kComposite, kBlock };

struct PageObject {
  ObjectType type = ObjectType::kBlock;
  uint64_t id = 0;
  Box boundary;
  std::optional<Matrix> ctm;
  uint64_t draw_param = 0;
  std::optional<double> line_width;
  int alpha = 255;
  bool visible = true;
  std::optional<Color> fill_color;
  std::optional<Color> stroke_color;
  bool fill = false;    // text: default true; path: default false
  bool stroke = false;  // text: default false; path: default true

  // Text.
  uint64_t font = 0;
  double size = 0;       // font size in mm
  double h_scale = 1.0;  // horizontal scale of glyphs
  int weight = 400;
  bool italic = false;
  std::vector<TextCode> text_codes;

  // Path: AbbreviatedData (see path_data.h) and fill rule ("NonZero" or "Even-Odd").
  std::string abbreviated_data;
  std::string rule;

  // Image: the MultiMedia resource ID. Composite: the CompositeGraphicUnit resource ID.
  uint64_t resource_id = 0;

  // Page block: nested objects.
  std::vector<PageObject> children;
};

enum class LayerType { kBody, kBackground, kForeground, kCustom };

struct Layer {
  uint64_t id = 0;
  LayerType type = LayerType::kBody;
  uint64_t draw_param = 0;
  std::vector<PageObject> objects;
};

// <Template TemplateID ZOrder> on a page.
struct TemplateUse {
  uint64_t template_id = 0;
  std::string z_order;  // "Background" (default when empty) or "Foreground"
};

struct Page {
  std::string path;  // canonical path of this Content.xml
  std::optional<PageArea> area;
  std::vector<TemplateUse> templates;
  std::vector<std::string> page_res;  // canonical paths of page resource files
  std::vector<Layer> layers;          // in file order; see DrawOrder below
};

// Parses a Content.xml at canonical path `page_path`. ResourceExhausted for more than
// limits.max_page_objects graphic objects or nesting deeper than limits.max_xml_depth.
Result<Page> ParsePageXml(ByteView xml, std::string_view page_path, const Limits& limits = {});

// Layers in drawing order: Background layers, then Body (and custom), then Foreground;
// file order within each group.
std::vector<const Layer*> LayersInDrawOrder(const Page& page);

// True if the z-order string means "drawn above the page content".
inline bool IsForeground(std::string_view z_order) { return z_order == "Foreground"; }

}  // namespace eseal::ofd
