// Resource files (资源, GB/T 33190-2016 §7.9): fonts, colour spaces, drawing parameters, media.
#include "eseal/ofd/resources.h"

#include <algorithm>
#include <charconv>

#include "eseal/ofd/geometry.h"
#include "eseal/ofd/path.h"
#include "internal.h"
#include "xml.h"

namespace eseal::ofd {

using internal::Attr;
using internal::Child;
using internal::Children;
using internal::ChildText;
using internal::Text;

std::optional<Color> MakeColor(std::string_view value, std::string_view index,
                               std::string_view color_space, std::string_view alpha) {
  Color c;
  value = internal::Trim(value);
  bool ok = false;
  if (!value.empty()) {
    size_t i = 0;
    while (i < value.size()) {
      while (i < value.size() && internal::IsXmlSpace(value[i])) ++i;
      if (i >= value.size()) break;
      size_t j = i;
      while (j < value.size() && !internal::IsXmlSpace(value[j])) ++j;
      std::string_view tok = value.substr(i, j - i);
      i = j;
      if (c.value.size() >= 8) return std::nullopt;
      if (tok.front() == '#') {
        unsigned v = 0;
        auto [p, ec] = std::from_chars(tok.data() + 1, tok.data() + tok.size(), v, 16);
        if (ec != std::errc() || p != tok.data() + tok.size()) return std::nullopt;
        c.value.push_back(static_cast<double>(v));
      } else {
        auto d = internal::ParseDouble(tok);
        if (!d) return std::nullopt;
        c.value.push_back(*d);
      }
    }
    ok = !c.value.empty();
  }
  if (auto idx = internal::ParseId(index); idx && *idx < 1u << 20) {
    c.index = static_cast<int>(*idx);
    ok = true;
  }
  if (!ok) return std::nullopt;
  c.color_space = internal::ParseId(color_space).value_or(0);
  if (auto a = internal::ParseDouble(alpha)) c.alpha = static_cast<int>(std::clamp(*a, 0.0, 255.0));
  return c;
}

namespace internal {

std::optional<Color> ParseColorNode(pugi::xml_node node) {
  if (!node) return std::nullopt;
  return MakeColor(Attr(node, "Value"), Attr(node, "Index"), Attr(node, "ColorSpace"),
                   Attr(node, "Alpha"));
}

}  // namespace internal

namespace {

// The folder named by a Res BaseLoc ("Res", "/", "/Doc_0/Res"), with a trailing '/'.
std::string ResDir(std::string_view res_path, std::string_view base_loc) {
  std::string dir = ParentDir(res_path);
  base_loc = internal::Trim(base_loc);
  if (base_loc.empty()) return dir;
  if (base_loc == "/") return "/";
  auto r = ResolveLocInDir(dir, base_loc);
  if (!r.ok()) return dir;
  return *r + "/";
}

std::string ResolveIn(std::string_view dir, std::string_view loc) {
  if (internal::Trim(loc).empty()) return "";
  auto r = ResolveLocInDir(dir, loc);
  return r.ok() ? std::move(r).value() : std::string();
}

}  // namespace

Status ParseResXml(ByteView xml, std::string_view res_path, const Limits& limits, Resources* into) {
  const std::string what(res_path);
  pugi::xml_document doc;
  RETURN_IF_ERROR(internal::ParseXml(xml, limits, what, &doc));
  ASSIGN_OR_RETURN(pugi::xml_node root, internal::RootElement(doc, "Res", what));
  const std::string dir = ResDir(res_path, Attr(root, "BaseLoc"));

  for (pugi::xml_node group : Children(root, "Fonts")) {
    for (pugi::xml_node f : Children(group, "Font")) {
      auto id = internal::ParseId(Attr(f, "ID"));
      if (!id) continue;
      FontDef d;
      d.id = *id;
      d.font_name = std::string(Attr(f, "FontName"));
      d.family_name = std::string(Attr(f, "FamilyName"));
      d.charset = std::string(Attr(f, "Charset"));
      d.italic = internal::ParseBool(Attr(f, "Italic"), false);
      d.bold = internal::ParseBool(Attr(f, "Bold"), false);
      d.serif = internal::ParseBool(Attr(f, "Serif"), false);
      d.fixed_width = internal::ParseBool(Attr(f, "FixedWidth"), false);
      d.font_file = ResolveIn(dir, ChildText(f, "FontFile"));
      into->fonts.emplace(d.id, std::move(d));
    }
  }
  for (pugi::xml_node group : Children(root, "ColorSpaces")) {
    for (pugi::xml_node cs : Children(group, "ColorSpace")) {
      auto id = internal::ParseId(Attr(cs, "ID"));
      if (!id) continue;
      ColorSpaceDef d;
      d.id = *id;
      d.type = std::string(internal::Trim(Attr(cs, "Type")));
      d.bits_per_component =
          static_cast<int>(internal::ParseId(Attr(cs, "BitsPerComponent")).value_or(8) % 64);
      into->color_spaces.emplace(d.id, std::move(d));
    }
  }
  for (pugi::xml_node group : Children(root, "DrawParams")) {
    for (pugi::xml_node dp : Children(group, "DrawParam")) {
      auto id = internal::ParseId(Attr(dp, "ID"));
      if (!id) continue;
      DrawParamDef d;
      d.id = *id;
      d.relative = internal::ParseId(Attr(dp, "Relative")).value_or(0);
      if (auto lw = internal::ParseDouble(Attr(dp, "LineWidth")); lw && *lw >= 0)
        d.line_width = *lw;
      d.join = std::string(Attr(dp, "Join"));
      d.cap = std::string(Attr(dp, "Cap"));
      d.fill_color = internal::ParseColorNode(Child(dp, "FillColor"));
      d.stroke_color = internal::ParseColorNode(Child(dp, "StrokeColor"));
      into->draw_params.emplace(d.id, std::move(d));
    }
  }
  for (pugi::xml_node group : Children(root, "MultiMedias")) {
    for (pugi::xml_node m : Children(group, "MultiMedia")) {
      auto id = internal::ParseId(Attr(m, "ID"));
      if (!id) continue;
      MultiMediaDef d;
      d.id = *id;
      d.type = std::string(Attr(m, "Type"));
      d.format = std::string(Attr(m, "Format"));
      d.media_file = ResolveIn(dir, ChildText(m, "MediaFile"));
      into->multimedia.emplace(d.id, std::move(d));
    }
  }
  return Status::Ok();
}

}  // namespace eseal::ofd
