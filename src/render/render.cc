// Page rendering with cairo (see render.h).
#include "eseal/render/render.h"

#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "eseal/ofd/path_data.h"
#include "eseal/ofd/text.h"
#include "image_decode.h"

namespace eseal::render {
namespace {

using ofd::Box;
using ofd::Color;
using ofd::Layer;
using ofd::Page;
using ofd::PageObject;
using ofd::Resources;

constexpr double kDefaultLineWidth = 0.353;  // mm, GB/T 33190 default
constexpr int kMaxBlockDepth = 64;

struct ContextDeleter {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};
using Context = std::unique_ptr<cairo_t, ContextDeleter>;

struct Rgba {
  double r = 0, g = 0, b = 0, a = 1;
};

// Everything one render needs while walking the objects.
class Painter {
 public:
  Painter(const ofd::Reader& reader, const RenderOptions& options, cairo_t* cr)
      : reader_(reader), options_(options), cr_(cr) {}

  void DrawPage(const Page& page, const Resources& res) {
    for (const Layer* layer : ofd::LayersInDrawOrder(page)) {
      for (const PageObject& o : layer->objects) DrawObject(o, res, layer->draw_param, 0);
    }
  }

 private:
  const ofd::DrawParamDef* Param(const Resources& res, uint64_t id) const {
    if (id == 0) return nullptr;
    auto it = res.draw_params.find(id);
    return it == res.draw_params.end() ? nullptr : &it->second;
  }
  // The first value `get` finds along the DrawParam chain (Relative), at most 8 deep.
  template <typename T, typename F>
  std::optional<T> FromParams(const Resources& res, uint64_t id, F get) const {
    for (int depth = 0; depth < 8 && id != 0; ++depth) {
      const ofd::DrawParamDef* p = Param(res, id);
      if (p == nullptr) break;
      if (std::optional<T> v = get(*p)) return v;
      id = p->relative;
    }
    return std::nullopt;
  }

  Rgba ToRgba(const Color& c, const Resources& res, int object_alpha) const {
    std::string type = "RGB";
    int bits = 8;
    if (auto it = res.color_spaces.find(c.color_space); it != res.color_spaces.end()) {
      type = it->second.type;
      bits = it->second.bits_per_component;
    }
    double max = (bits >= 1 && bits <= 16) ? std::pow(2.0, bits) - 1 : 255.0;
    auto ch = [&](size_t i) { return std::clamp(c.value[i] / max, 0.0, 1.0); };
    Rgba out;
    if (c.value.size() >= 4 || (type == "CMYK" && c.value.size() >= 4)) {
      double k = ch(3);
      out = {(1 - ch(0)) * (1 - k), (1 - ch(1)) * (1 - k), (1 - ch(2)) * (1 - k), 1};
    } else if (c.value.size() == 3) {
      out = {ch(0), ch(1), ch(2), 1};
    } else if (c.value.size() == 1 || c.value.size() == 2) {
      out = {ch(0), ch(0), ch(0), 1};
    }
    out.a = (c.alpha / 255.0) * (object_alpha / 255.0);
    return out;
  }

  // Applies `m` after the current transformation, unless the result would be singular or
  // not finite: cairo puts the whole context into a permanent error state on a bad matrix,
  // and one absurd object must not blank the page.
  bool SafeTransform(const cairo_matrix_t& m) {
    cairo_matrix_t cur, res;
    cairo_get_matrix(cr_, &cur);
    cairo_matrix_multiply(&res, &m, &cur);
    for (double v : {res.xx, res.yx, res.xy, res.yy, res.x0, res.y0}) {
      if (!std::isfinite(v) || std::fabs(v) > 1e9) return false;
    }
    cairo_matrix_t inv = res;
    if (cairo_matrix_invert(&inv) != CAIRO_STATUS_SUCCESS) return false;
    for (double v : {inv.xx, inv.yx, inv.xy, inv.yy, inv.x0, inv.y0}) {
      if (!std::isfinite(v)) return false;
    }
    cairo_set_matrix(cr_, &res);
    return true;
  }
  bool SafeTranslate(double x, double y) {
    cairo_matrix_t m;
    cairo_matrix_init_translate(&m, x, y);
    return SafeTransform(m);
  }
  bool SafeScale(double sx, double sy) {
    cairo_matrix_t m;
    cairo_matrix_init_scale(&m, sx, sy);
    return SafeTransform(m);
  }

  bool ApplyObjectTransform(const PageObject& o) {
    if (!SafeTranslate(o.boundary.x, o.boundary.y)) return false;
    if (o.ctm) {
      cairo_matrix_t m;
      cairo_matrix_init(&m, o.ctm->a, o.ctm->b, o.ctm->c, o.ctm->d, o.ctm->e, o.ctm->f);
      if (!SafeTransform(m)) return false;
    }
    return true;
  }

  void DrawObject(const PageObject& o, const Resources& res, uint64_t layer_param, int depth) {
    if (!o.visible || ++objects_ > 2 * reader_.limits().max_page_objects) return;
    if (o.type == ofd::ObjectType::kBlock) {
      if (depth >= kMaxBlockDepth) return;
      for (const PageObject& c : o.children) DrawObject(c, res, layer_param, depth + 1);
      return;
    }
    uint64_t param = o.draw_param != 0 ? o.draw_param : layer_param;
    cairo_save(cr_);
    if (ApplyObjectTransform(o)) {
      switch (o.type) {
        case ofd::ObjectType::kPath:
          DrawPath(o, res, param);
          break;
        case ofd::ObjectType::kText:
          DrawText(o, res, param);
          break;
        case ofd::ObjectType::kImage:
          DrawImage(o, res);
          break;
        default:
          break;  // composite objects are not drawn
      }
    }
    cairo_restore(cr_);
  }

  void ArcTo(double rx, double ry, double phi_deg, bool large, bool sweep, double x2, double y2) {
    double x1 = 0, y1 = 0;
    if (cairo_has_current_point(cr_)) cairo_get_current_point(cr_, &x1, &y1);
    if (!(rx > 1e-6 && ry > 1e-6) || (x1 == x2 && y1 == y2)) {
      cairo_line_to(cr_, x2, y2);
      return;
    }
    // SVG implementation notes F.6.5: endpoint to centre parameterisation.
    const double phi = phi_deg * M_PI / 180, cs = std::cos(phi), sn = std::sin(phi);
    const double dx2 = (x1 - x2) / 2, dy2 = (y1 - y2) / 2;
    const double x1p = cs * dx2 + sn * dy2, y1p = -sn * dx2 + cs * dy2;
    double lambda = (x1p * x1p) / (rx * rx) + (y1p * y1p) / (ry * ry);
    if (lambda > 1) {
      rx *= std::sqrt(lambda);
      ry *= std::sqrt(lambda);
    }
    double num = rx * rx * ry * ry - rx * rx * y1p * y1p - ry * ry * x1p * x1p;
    double den = rx * rx * y1p * y1p + ry * ry * x1p * x1p;
    double coef = den > 0 ? std::sqrt(std::max(0.0, num / den)) : 0;
    if (large == sweep) coef = -coef;
    const double cxp = coef * rx * y1p / ry, cyp = -coef * ry * x1p / rx;
    const double cx = cs * cxp - sn * cyp + (x1 + x2) / 2, cy = sn * cxp + cs * cyp + (y1 + y2) / 2;
    auto angle = [](double ux, double uy, double vx, double vy) {
      return std::atan2(ux * vy - uy * vx, ux * vx + uy * vy);
    };
    const double t1 = angle(1, 0, (x1p - cxp) / rx, (y1p - cyp) / ry);
    double dt = angle((x1p - cxp) / rx, (y1p - cyp) / ry, (-x1p - cxp) / rx, (-y1p - cyp) / ry);
    if (!sweep && dt > 0) dt -= 2 * M_PI;
    if (sweep && dt < 0) dt += 2 * M_PI;
    cairo_matrix_t saved;
    cairo_get_matrix(cr_, &saved);
    cairo_matrix_t arc;
    cairo_matrix_init_translate(&arc, cx, cy);
    cairo_matrix_rotate(&arc, phi);
    cairo_matrix_scale(&arc, rx, ry);
    if (!SafeTransform(arc)) {
      cairo_line_to(cr_, x2, y2);
      return;
    }
    if (dt > 0) {
      cairo_arc(cr_, 0, 0, 1, t1, t1 + dt);
    } else {
      cairo_arc_negative(cr_, 0, 0, 1, t1, t1 + dt);
    }
    cairo_set_matrix(cr_, &saved);
  }

  void DrawPath(const PageObject& o, const Resources& res, uint64_t param) {
    auto ops = ofd::ParseAbbreviatedData(o.abbreviated_data, 1 << 20);
    if (!ops.ok() || ops->empty()) return;
    cairo_new_path(cr_);
    for (const ofd::PathOp& op : *ops) {
      switch (op.kind) {
        case ofd::PathOp::kMove:
          cairo_move_to(cr_, op.p[0].x, op.p[0].y);
          break;
        case ofd::PathOp::kLine:
          if (cairo_has_current_point(cr_)) {
            cairo_line_to(cr_, op.p[0].x, op.p[0].y);
          } else {
            cairo_move_to(cr_, op.p[0].x, op.p[0].y);
          }
          break;
        case ofd::PathOp::kQuad: {
          double x0 = op.p[0].x, y0 = op.p[0].y;
          if (cairo_has_current_point(cr_)) cairo_get_current_point(cr_, &x0, &y0);
          const ofd::Point q = op.p[0], e = op.p[1];
          cairo_curve_to(cr_, x0 + 2.0 / 3 * (q.x - x0), y0 + 2.0 / 3 * (q.y - y0),
                         e.x + 2.0 / 3 * (q.x - e.x), e.y + 2.0 / 3 * (q.y - e.y), e.x, e.y);
          break;
        }
        case ofd::PathOp::kCubic:
          if (!cairo_has_current_point(cr_)) cairo_move_to(cr_, op.p[0].x, op.p[0].y);
          cairo_curve_to(cr_, op.p[0].x, op.p[0].y, op.p[1].x, op.p[1].y, op.p[2].x, op.p[2].y);
          break;
        case ofd::PathOp::kArc:
          ArcTo(op.p[0].x, op.p[0].y, op.rotation_deg, op.large_arc, op.sweep, op.p[1].x,
                op.p[1].y);
          break;
        case ofd::PathOp::kClose:
          cairo_close_path(cr_);
          break;
      }
    }
    std::optional<Color> fill = o.fill_color;
    if (!fill)
      fill = FromParams<Color>(res, param, [](const ofd::DrawParamDef& p) { return p.fill_color; });
    std::optional<Color> stroke = o.stroke_color;
    if (!stroke)
      stroke =
          FromParams<Color>(res, param, [](const ofd::DrawParamDef& p) { return p.stroke_color; });
    std::optional<double> lw = o.line_width;
    if (!lw)
      lw = FromParams<double>(res, param, [](const ofd::DrawParamDef& p) { return p.line_width; });
    cairo_set_fill_rule(cr_,
                        o.rule == "Even-Odd" ? CAIRO_FILL_RULE_EVEN_ODD : CAIRO_FILL_RULE_WINDING);
    // Fill colour defaults to transparent, stroke colour to black (§9.1).
    if (o.fill && fill) {
      Rgba c = ToRgba(*fill, res, o.alpha);
      cairo_set_source_rgba(cr_, c.r, c.g, c.b, c.a);
      cairo_fill_preserve(cr_);
    }
    if (o.stroke) {
      Rgba c = stroke ? ToRgba(*stroke, res, o.alpha) : Rgba{0, 0, 0, o.alpha / 255.0};
      cairo_set_source_rgba(cr_, c.r, c.g, c.b, c.a);
      cairo_set_line_width(cr_, std::clamp(lw.value_or(kDefaultLineWidth), 0.0, 50.0));
      cairo_stroke_preserve(cr_);
    }
    cairo_new_path(cr_);
  }

  static std::string FamilyFor(const ofd::FontDef* f) {
    if (f == nullptr) return "Noto Serif CJK SC";
    std::string n = f->font_name + " " + f->family_name;
    auto has = [&](const char* s) { return n.find(s) != std::string::npos; };
    if (has("Courier") || has("Mono") || f->fixed_width) return "Noto Sans Mono CJK SC";
    if (has("黑") || has("Hei") || has("Arial") || has("Helvetica") || has("Sans") || has("雅黑")) {
      return "Noto Sans CJK SC";
    }
    return "Noto Serif CJK SC";
  }

  void DrawText(const PageObject& o, const Resources& res, uint64_t param) {
    const ofd::FontDef* font = nullptr;
    if (auto it = res.fonts.find(o.font); it != res.fonts.end()) font = &it->second;
    const bool bold = o.weight >= 600 || (font != nullptr && font->bold);
    const bool italic = o.italic || (font != nullptr && font->italic);
    cairo_select_font_face(cr_, FamilyFor(font).c_str(),
                           italic ? CAIRO_FONT_SLANT_ITALIC : CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    const double size = ofd::EffectiveFontSize(o);
    if (!(size < 1000 && o.h_scale < 100)) return;  // absurd sizes are not drawn
    cairo_matrix_t fm;
    cairo_matrix_init_scale(&fm, size * o.h_scale, size);
    cairo_set_font_matrix(cr_, &fm);
    std::optional<Color> fill = o.fill_color;
    if (!fill)
      fill = FromParams<Color>(res, param, [](const ofd::DrawParamDef& p) { return p.fill_color; });
    std::optional<Color> stroke = o.stroke_color;
    if (!stroke)
      stroke =
          FromParams<Color>(res, param, [](const ofd::DrawParamDef& p) { return p.stroke_color; });
    Rgba fc = fill ? ToRgba(*fill, res, o.alpha) : Rgba{0, 0, 0, o.alpha / 255.0};
    Rgba sc = stroke ? ToRgba(*stroke, res, o.alpha) : Rgba{0, 0, 0, o.alpha / 255.0};
    for (const auto& code : ofd::LayoutTextObject(o)) {
      for (const ofd::GlyphPlacement& g : code) {
        if (g.text == " " || g.text == "\xEF\xBF\xBD") continue;
        cairo_new_path(cr_);
        cairo_move_to(cr_, g.origin.x, g.origin.y);
        cairo_text_path(cr_, g.text.c_str());
        if (o.fill) {
          cairo_set_source_rgba(cr_, fc.r, fc.g, fc.b, fc.a);
          cairo_fill_preserve(cr_);
        }
        if (o.stroke) {
          cairo_set_source_rgba(cr_, sc.r, sc.g, sc.b, sc.a);
          cairo_set_line_width(cr_, o.line_width.value_or(kDefaultLineWidth / 2));
          cairo_stroke_preserve(cr_);
        }
        cairo_new_path(cr_);
      }
    }
  }

  void Placeholder() {
    cairo_rectangle(cr_, 0, 0, 1, 1);
    cairo_set_source_rgba(cr_, 0.85, 0.85, 0.85, 1);
    cairo_fill(cr_);
  }

  void DrawImage(const PageObject& o, const Resources& res) {
    // The image fills the unit square of its CTM; without a CTM, its Boundary.
    if (!o.ctm && !SafeScale(std::max(o.boundary.w, 1e-3), std::max(o.boundary.h, 1e-3))) return;
    auto mm = res.multimedia.find(o.resource_id);
    if (mm == res.multimedia.end() || mm->second.media_file.empty()) return Placeholder();
    const ofd::EntryInfo* e = reader_.package().FindIgnoringCase(mm->second.media_file);
    if (e == nullptr) return Placeholder();
    if (image_pixels_ > 4 * options_.max_image_pixels) return Placeholder();  // page budget
    auto bytes = reader_.package().ReadEntry(*e, reader_.limits().max_entry_size);
    if (!bytes.ok()) return Placeholder();
    auto surface = internal::DecodeImage(*bytes, options_.max_image_pixels);
    if (!surface.ok()) return Placeholder();
    const int w = cairo_image_surface_get_width(surface->get());
    const int h = cairo_image_surface_get_height(surface->get());
    image_pixels_ += static_cast<uint64_t>(w) * static_cast<uint64_t>(h);
    if (!SafeScale(1.0 / w, 1.0 / h)) return;
    cairo_set_source_surface(cr_, surface->get(), 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr_), CAIRO_FILTER_GOOD);
    cairo_paint_with_alpha(cr_, o.alpha / 255.0);
  }

  const ofd::Reader& reader_;
  const RenderOptions& options_;
  cairo_t* cr_;
  size_t objects_ = 0;
  uint64_t image_pixels_ = 0;
};

}  // namespace

Result<std::pair<int, int>> PixelSize(double width_mm, double height_mm,
                                      const RenderOptions& options) {
  if (!(options.dpi >= kMinDpi && options.dpi <= kMaxDpi)) {
    return InvalidArgumentError("DPI " + std::to_string(options.dpi) + " is outside " +
                                std::to_string(static_cast<int>(kMinDpi)) + ".." +
                                std::to_string(static_cast<int>(kMaxDpi)));
  }
  if (!(width_mm > 0 && height_mm > 0 && width_mm < 1e5 && height_mm < 1e5)) {
    return InvalidArgumentError("the page has no usable size");
  }
  double w = std::ceil(width_mm / 25.4 * options.dpi),
         h = std::ceil(height_mm / 25.4 * options.dpi);
  if (w > 32767 || h > 32767 || w * h > static_cast<double>(options.max_pixels)) {
    return ResourceExhaustedError("a " + std::to_string(static_cast<long>(w)) + "x" +
                                  std::to_string(static_cast<long>(h)) +
                                  " pixel render is larger than the limit of " +
                                  std::to_string(options.max_pixels) + " pixels");
  }
  return std::make_pair(static_cast<int>(w), static_cast<int>(h));
}

Result<Bitmap> RenderPage(const ofd::Reader& reader, size_t page_index,
                          const RenderOptions& options) {
  ASSIGN_OR_RETURN(ofd::PageInfo info, reader.GetPageInfo(page_index));
  const Box& pb = info.physical_box;
  ASSIGN_OR_RETURN(auto size, PixelSize(pb.w, pb.h, options));
  if (!(std::fabs(pb.x) < 1e5 && std::fabs(pb.y) < 1e5)) {
    return InvalidArgumentError("the page's PhysicalBox origin is out of range");
  }
  // Decode the overlays first: a bad one is the caller's error, before any drawing.
  std::vector<internal::Surface> overlays;
  for (size_t i = 0; i < options.overlays.size(); ++i) {
    const Overlay& ov = options.overlays[i];
    if (internal::Sniff(ov.png) != internal::ImageKind::kPng) {
      return InvalidArgumentError("overlay " + std::to_string(i) + " is not a PNG image");
    }
    auto s = internal::DecodeImage(ov.png, options.max_image_pixels);
    if (!s.ok()) return s.status().WithContext("overlay " + std::to_string(i));
    overlays.push_back(std::move(s).value());
  }
  ASSIGN_OR_RETURN(Page page, reader.LoadPage(page_index));
  Resources res;
  if (auto r = reader.LoadResources(page); r.ok()) res = std::move(r).value();

  internal::Surface surface(
      cairo_image_surface_create(CAIRO_FORMAT_ARGB32, size.first, size.second));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return ResourceExhaustedError("cannot allocate the page bitmap");
  }
  Context cr(cairo_create(surface.get()));
  cairo_set_source_rgb(cr.get(), 1, 1, 1);
  cairo_paint(cr.get());
  cairo_scale(cr.get(), options.dpi / 25.4, options.dpi / 25.4);
  cairo_translate(cr.get(), -pb.x, -pb.y);

  Painter painter(reader, options, cr.get());
  auto draw_templates = [&](bool foreground) {
    if (!options.draw_templates) return;
    for (const ofd::TemplateUse& use : page.templates) {
      if (ofd::IsForeground(use.z_order) != foreground) continue;
      auto t = reader.LoadTemplate(use.template_id);
      if (!t.ok()) continue;
      Resources tres = res;
      for (const std::string& p : t->page_res) {
        if (auto xml = reader.ReadXmlFile(p); xml.ok())
          (void)ofd::ParseResXml(*xml, p, reader.limits(), &tres);
      }
      painter.DrawPage(*t, tres);
    }
  };
  draw_templates(false);
  painter.DrawPage(page, res);
  draw_templates(true);

  for (size_t i = 0; i < overlays.size(); ++i) {
    const Overlay& ov = options.overlays[i];
    cairo_surface_t* img = overlays[i].get();
    const int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
    if (!(ov.boundary.w > 0 && ov.boundary.h > 0 && ov.boundary.w < 1e5 && ov.boundary.h < 1e5 &&
          std::fabs(ov.boundary.x) < 1e5 && std::fabs(ov.boundary.y) < 1e5)) {
      continue;
    }
    cairo_save(cr.get());
    if (ov.clip) {
      cairo_rectangle(cr.get(), ov.boundary.x + ov.clip->x, ov.boundary.y + ov.clip->y, ov.clip->w,
                      ov.clip->h);
      cairo_clip(cr.get());
    }
    cairo_translate(cr.get(), ov.boundary.x, ov.boundary.y);
    cairo_scale(cr.get(), ov.boundary.w / w, ov.boundary.h / h);
    cairo_set_source_surface(cr.get(), img, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr.get()), CAIRO_FILTER_GOOD);
    cairo_paint(cr.get());
    cairo_restore(cr.get());
  }
  cairo_surface_flush(surface.get());
  if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS) {
    return InternalError(std::string("rendering failed: ") +
                         cairo_status_to_string(cairo_status(cr.get())));
  }
  Bitmap bm;
  bm.width = size.first;
  bm.height = size.second;
  bm.pixels.resize(static_cast<size_t>(bm.width) * bm.height);
  const unsigned char* data = cairo_image_surface_get_data(surface.get());
  const int stride = cairo_image_surface_get_stride(surface.get());
  for (int y = 0; y < bm.height; ++y) {
    std::memcpy(&bm.pixels[static_cast<size_t>(y) * bm.width],
                data + static_cast<size_t>(y) * stride, static_cast<size_t>(bm.width) * 4);
  }
  return bm;
}

namespace {
cairo_status_t AppendPng(void* closure, const unsigned char* data, unsigned int length) {
  auto* out = static_cast<Bytes*>(closure);
  out->insert(out->end(), data, data + length);
  return CAIRO_STATUS_SUCCESS;
}
}  // namespace

Result<Bytes> EncodePng(const Bitmap& bm) {
  if (bm.width <= 0 || bm.height <= 0 ||
      bm.pixels.size() != static_cast<size_t>(bm.width) * bm.height) {
    return InvalidArgumentError("empty or inconsistent bitmap");
  }
  internal::Surface s(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, bm.width, bm.height));
  if (cairo_surface_status(s.get()) != CAIRO_STATUS_SUCCESS)
    return ResourceExhaustedError("cannot allocate");
  cairo_surface_flush(s.get());
  unsigned char* data = cairo_image_surface_get_data(s.get());
  const int stride = cairo_image_surface_get_stride(s.get());
  for (int y = 0; y < bm.height; ++y) {
    std::memcpy(data + static_cast<size_t>(y) * stride,
                &bm.pixels[static_cast<size_t>(y) * bm.width], static_cast<size_t>(bm.width) * 4);
  }
  cairo_surface_mark_dirty(s.get());
  Bytes out;
  if (cairo_surface_write_to_png_stream(s.get(), &AppendPng, &out) != CAIRO_STATUS_SUCCESS) {
    return InternalError("PNG encoding failed");
  }
  return out;
}

Result<Bytes> RenderPagePng(const ofd::Reader& reader, size_t page_index,
                            const RenderOptions& options) {
  ASSIGN_OR_RETURN(Bitmap bm, RenderPage(reader, page_index, options));
  return EncodePng(bm);
}

}  // namespace eseal::render
