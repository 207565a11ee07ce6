// Content.xml: page objects (页对象, GB/T 33190-2016 §7.7), layers and graphic objects.
#include "eseal/ofd/page.h"

#include <algorithm>
#include <cmath>

#include "eseal/ofd/path.h"
#include "internal.h"
#include "xml.h"

namespace eseal::ofd {

using internal::Attr;
using internal::Child;
using internal::Children;
using internal::ChildText;
using internal::LocalName;
using internal::Text;

namespace {

size_t CountCodePoints(std::string_view s) {
  size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

// DeltaX/DeltaY with the "g <count> <value>" repeat form (§11.3), at most `max_count` values.
// Parsing stops quietly at the first malformed token: positions are best effort.
std::vector<double> ParseDeltas(std::string_view s, size_t max_count) {
  std::vector<double> out;
  std::vector<std::string_view> toks;
  size_t i = 0;
  while (i < s.size() && out.size() < max_count) {
    while (i < s.size() && internal::IsXmlSpace(s[i])) ++i;
    if (i >= s.size()) break;
    size_t j = i;
    while (j < s.size() && !internal::IsXmlSpace(s[j])) ++j;
    toks.push_back(s.substr(i, j - i));
    i = j;
    // Resolve complete items as they come so memory stays bounded by max_count.
    while (!toks.empty() && out.size() < max_count) {
      if (toks[0] == "g") {
        if (toks.size() < 3) break;
        auto count = internal::ParseDouble(toks[1]);
        auto value = internal::ParseDouble(toks[2]);
        if (!count || !value || *count < 0) return out;
        double n = std::min(std::floor(*count), static_cast<double>(max_count - out.size()));
        out.insert(out.end(), static_cast<size_t>(n), *value);
        toks.clear();
      } else {
        auto v = internal::ParseDouble(toks[0]);
        if (!v) return out;
        out.push_back(*v);
        toks.clear();
      }
    }
  }
  return out;
}

std::string RawText(pugi::xml_node node) {
  std::string out;
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) out += c.value();
  }
  return out;
}

class ObjectParser {
 public:
  ObjectParser(const Limits& limits, std::string_view what) : limits_(limits), what_(what) {}

  Status ParseChildren(pugi::xml_node parent, std::vector<PageObject>* out, int depth) {
    if (depth > limits_.max_xml_depth) {
      return ResourceExhaustedError(what_ + ": page blocks nest too deeply");
    }
    for (pugi::xml_node n = parent.first_child(); n; n = n.next_sibling()) {
      if (n.type() != pugi::node_element) continue;
      std::string_view name = LocalName(n);
      ObjectType type;
      if (name == "TextObject") {
        type = ObjectType::kText;
      } else if (name == "PathObject") {
        type = ObjectType::kPath;
      } else if (name == "ImageObject") {
        type = ObjectType::kImage;
      } else if (name == "CompositeObject") {
        type = ObjectType::kComposite;
      } else if (name == "PageBlock") {
        type = ObjectType::kBlock;
      } else {
        continue;
      }
      if (++count_ > limits_.max_page_objects) {
        return ResourceExhaustedError(what_ + ": more than the limit of " +
                                      std::to_string(limits_.max_page_objects) +
                                      " graphic objects");
      }
      PageObject o;
      o.type = type;
      Common(n, &o);
      switch (type) {
        case ObjectType::kText:
          TextObject(n, &o);
          break;
        case ObjectType::kPath:
          o.stroke = internal::ParseBool(Attr(n, "Stroke"), true);
          o.fill = internal::ParseBool(Attr(n, "Fill"), false);
          o.rule = std::string(Attr(n, "Rule"));
          o.abbreviated_data = ChildText(n, "AbbreviatedData");
          break;
        case ObjectType::kImage:
        case ObjectType::kComposite:
          o.resource_id = internal::ParseId(Attr(n, "ResourceID")).value_or(0);
          break;
        case ObjectType::kBlock:
          RETURN_IF_ERROR(ParseChildren(n, &o.children, depth + 1));
          break;
      }
      out->push_back(std::move(o));
    }
    return Status::Ok();
  }

 private:
  static void Common(pugi::xml_node n, PageObject* o) {
    o->id = internal::ParseId(Attr(n, "ID")).value_or(0);
    if (auto b = ParseBox(Attr(n, "Boundary")); b.ok()) o->boundary = *b;
    if (internal::HasAttr(n, "CTM")) {
      if (auto m = ParseMatrix(Attr(n, "CTM")); m.ok()) o->ctm = *m;
    }
    o->draw_param = internal::ParseId(Attr(n, "DrawParam")).value_or(0);
    if (auto lw = internal::ParseDouble(Attr(n, "LineWidth")); lw && *lw >= 0) o->line_width = *lw;
    if (auto a = internal::ParseDouble(Attr(n, "Alpha"))) {
      o->alpha = static_cast<int>(std::clamp(*a, 0.0, 255.0));
    }
    o->visible = internal::ParseBool(Attr(n, "Visible"), true);
    o->fill_color = internal::ParseColorNode(Child(n, "FillColor"));
    o->stroke_color = internal::ParseColorNode(Child(n, "StrokeColor"));
  }

  static void TextObject(pugi::xml_node n, PageObject* o) {
    o->font = internal::ParseId(Attr(n, "Font")).value_or(0);
    if (auto s = internal::ParseDouble(Attr(n, "Size")); s && *s > 0) o->size = *s;
    o->stroke = internal::ParseBool(Attr(n, "Stroke"), false);
    o->fill = internal::ParseBool(Attr(n, "Fill"), true);
    if (auto h = internal::ParseDouble(Attr(n, "HScale")); h && *h > 0) o->h_scale = *h;
    if (auto w = internal::ParseId(Attr(n, "Weight")); w && *w <= 1000)
      o->weight = static_cast<int>(*w);
    o->italic = internal::ParseBool(Attr(n, "Italic"), false);
    for (pugi::xml_node tc : Children(n, "TextCode")) {
      TextCode code;
      if (internal::HasAttr(tc, "X")) code.x = internal::ParseDouble(Attr(tc, "X"));
      if (internal::HasAttr(tc, "Y")) code.y = internal::ParseDouble(Attr(tc, "Y"));
      code.text = RawText(tc);
      size_t n_chars = CountCodePoints(code.text);
      size_t max_deltas = n_chars > 0 ? n_chars - 1 : 0;
      code.delta_x = ParseDeltas(Attr(tc, "DeltaX"), max_deltas);
      code.delta_y = ParseDeltas(Attr(tc, "DeltaY"), max_deltas);
      o->text_codes.push_back(std::move(code));
    }
  }

  const Limits& limits_;
  std::string what_;
  size_t count_ = 0;
};

LayerType ParseLayerType(std::string_view t) {
  t = internal::Trim(t);
  if (t == "Background") return LayerType::kBackground;
  if (t == "Foreground") return LayerType::kForeground;
  if (t == "Custom") return LayerType::kCustom;
  return LayerType::kBody;
}

}  // namespace

Result<Page> ParsePageXml(ByteView xml, std::string_view page_path, const Limits& limits) {
  const std::string what(page_path);
  pugi::xml_document doc;
  RETURN_IF_ERROR(internal::ParseXml(xml, limits, what, &doc));
  ASSIGN_OR_RETURN(pugi::xml_node root, internal::RootElement(doc, "Page", what));
  Page p;
  p.path = what;
  if (pugi::xml_node area = Child(root, "Area")) p.area = internal::ParsePageArea(area);
  for (pugi::xml_node t : Children(root, "Template")) {
    auto id = internal::ParseId(Attr(t, "TemplateID"));
    if (!id) continue;
    p.templates.push_back({*id, std::string(internal::Trim(Attr(t, "ZOrder")))});
  }
  for (pugi::xml_node r : Children(root, "PageRes")) {
    std::string path = internal::ResolveOrEmpty(page_path, Text(r));
    if (!path.empty()) p.page_res.push_back(std::move(path));
  }
  ObjectParser parser(limits, what);
  if (pugi::xml_node content = Child(root, "Content")) {
    for (pugi::xml_node l : Children(content, "Layer")) {
      Layer layer;
      layer.id = internal::ParseId(Attr(l, "ID")).value_or(0);
      layer.type = ParseLayerType(Attr(l, "Type"));
      layer.draw_param = internal::ParseId(Attr(l, "DrawParam")).value_or(0);
      RETURN_IF_ERROR(parser.ParseChildren(l, &layer.objects, 1));
      p.layers.push_back(std::move(layer));
    }
  }
  return p;
}

std::vector<const Layer*> LayersInDrawOrder(const Page& page) {
  std::vector<const Layer*> out;
  for (const Layer& l : page.layers) {
    if (l.type == LayerType::kBackground) out.push_back(&l);
  }
  for (const Layer& l : page.layers) {
    if (l.type == LayerType::kBody || l.type == LayerType::kCustom) out.push_back(&l);
  }
  for (const Layer& l : page.layers) {
    if (l.type == LayerType::kForeground) out.push_back(&l);
  }
  return out;
}

}  // namespace eseal::ofd
