// Fonts for seal text: lookup through fontconfig (with a fixed list of Debian paths as a
// fallback) and glyph outlines read with FreeType in font units, so drawing is exact and
// independent of hinting.
#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_OUTLINE_H
#include FT_BBOX_H

#include <map>
#include <mutex>
#include <string>

#include "internal.h"

#if defined(__SANITIZE_ADDRESS__)
#define ESEAL_SEALIMG_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ESEAL_SEALIMG_ASAN 1
#endif
#endif
#if defined(ESEAL_SEALIMG_ASAN)
// fontconfig 2.14 leaks a few hundred bytes once, while parsing its XML configuration
// (FcInitLoadConfigAndFonts); nothing of ours. Tell LeakSanitizer so sanitizer builds of
// every binary that draws seals stay green. If another module ever needs suppressions too,
// move this hook to one shared place: there can be only one definition per binary.
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }
#endif

namespace eseal::sealimg::internal {
namespace {

constexpr char32_t kGuo = 0x56FD;  // 国, a full-bodied ideograph present in every CJK font
constexpr char32_t kYin = 0x5370;  // 印

// Debian locations of CJK fonts, best first (fonts-noto-cjk, then older packages).
constexpr const char* kCjkFallbacks[] = {
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
};

struct OutlineSink {
  std::vector<PathOp>* ops;
  double scale;  // 1 / units per em
  Point last;
  bool open = false;
};

Point ToEm(const FT_Vector* v, double scale) {
  return {static_cast<double>(v->x) * scale, -static_cast<double>(v->y) * scale};
}

int MoveTo(const FT_Vector* to, void* user) {
  auto* s = static_cast<OutlineSink*>(user);
  if (s->open) s->ops->push_back({PathOp::kClose, {}});
  s->last = ToEm(to, s->scale);
  s->ops->push_back({PathOp::kMove, {s->last, Point{}, Point{}}});
  s->open = true;
  return 0;
}

int LineTo(const FT_Vector* to, void* user) {
  auto* s = static_cast<OutlineSink*>(user);
  s->last = ToEm(to, s->scale);
  s->ops->push_back({PathOp::kLine, {s->last, Point{}, Point{}}});
  return 0;
}

int ConicTo(const FT_Vector* control, const FT_Vector* to, void* user) {
  // A quadratic Bezier as the cubic with control points 2/3 of the way to the control.
  auto* s = static_cast<OutlineSink*>(user);
  const Point c = ToEm(control, s->scale);
  const Point e = ToEm(to, s->scale);
  const Point c1{s->last.x + 2.0 / 3.0 * (c.x - s->last.x),
                 s->last.y + 2.0 / 3.0 * (c.y - s->last.y)};
  const Point c2{e.x + 2.0 / 3.0 * (c.x - e.x), e.y + 2.0 / 3.0 * (c.y - e.y)};
  s->ops->push_back({PathOp::kCubic, {c1, c2, e}});
  s->last = e;
  return 0;
}

int CubicTo(const FT_Vector* c1, const FT_Vector* c2, const FT_Vector* to, void* user) {
  auto* s = static_cast<OutlineSink*>(user);
  s->last = ToEm(to, s->scale);
  s->ops->push_back({PathOp::kCubic, {ToEm(c1, s->scale), ToEm(c2, s->scale), s->last}});
  return 0;
}

// Whether the face at path/index exists and has every character of `need`.
bool FaceHas(const std::string& path, int index, std::u32string_view need) {
  auto font = Font::Open(path, index);
  if (!font.ok()) return false;
  for (char32_t c : need) {
    if (!(*font)->Has(c)) return false;
  }
  return true;
}

std::mutex& CacheMutex() {
  static std::mutex m;
  return m;
}

std::map<std::string, FontLocation>& Cache() {
  static auto* cache = new std::map<std::string, FontLocation>();
  return *cache;
}

// fontconfig's best match for a pattern, preferring simplified-Chinese coverage when asked.
// Called with CacheMutex() held: fontconfig's configuration is shared process state.
bool MatchFontconfig(const std::string& pattern, bool chinese, FontLocation* out) {
  FcPattern* pat = FcNameParse(reinterpret_cast<const FcChar8*>(pattern.c_str()));
  if (pat == nullptr) return false;
  if (chinese) FcPatternAddString(pat, FC_LANG, reinterpret_cast<const FcChar8*>("zh-cn"));
  FcConfigSubstitute(nullptr, pat, FcMatchPattern);
  FcDefaultSubstitute(pat);
  FcResult result = FcResultNoMatch;
  FcPattern* match = FcFontMatch(nullptr, pat, &result);
  FcPatternDestroy(pat);
  if (match == nullptr) return false;
  FcChar8* file = nullptr;
  int index = 0;
  bool ok = FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch && file != nullptr;
  if (ok) {
    if (FcPatternGetInteger(match, FC_INDEX, 0, &index) != FcResultMatch) index = 0;
    out->path = reinterpret_cast<const char*>(file);
    out->index = index;
  }
  FcPatternDestroy(match);
  return ok;
}

// The face of a font collection whose family is the simplified-Chinese one (" SC"), else
// the first face with CJK glyphs; -1 when none has them.
int PickCjkFace(const std::string& path) {
  FT_Library lib = nullptr;
  if (FT_Init_FreeType(&lib) != 0) return -1;
  FT_Face probe = nullptr;
  long faces = 0;
  if (FT_New_Face(lib, path.c_str(), -1, &probe) == 0) {
    faces = probe->num_faces;
    FT_Done_Face(probe);
  }
  int first = -1;
  int sc = -1;
  for (long i = 0; i < faces && i < 64 && sc < 0; ++i) {
    FT_Face face = nullptr;
    if (FT_New_Face(lib, path.c_str(), i, &face) != 0) continue;
    FT_Select_Charmap(face, FT_ENCODING_UNICODE);
    if (FT_Get_Char_Index(face, kGuo) != 0 && FT_Get_Char_Index(face, kYin) != 0) {
      if (first < 0) first = static_cast<int>(i);
      const std::string family = face->family_name != nullptr ? face->family_name : "";
      if (family.size() >= 3 && family.compare(family.size() - 3, 3, " SC") == 0) {
        sc = static_cast<int>(i);
      }
    }
    FT_Done_Face(face);
  }
  FT_Done_FreeType(lib);
  return sc >= 0 ? sc : first;
}

}  // namespace

struct Font::Impl {
  FT_Library lib = nullptr;
  FT_Face face = nullptr;
};

Result<std::unique_ptr<Font>> Font::Open(const std::string& path, int index) {
  std::unique_ptr<Font> font(new Font());
  font->impl_ = new Impl();
  font->path_ = path;
  if (FT_Init_FreeType(&font->impl_->lib) != 0) {
    return InternalError("cannot initialise FreeType");
  }
  if (FT_New_Face(font->impl_->lib, path.c_str(), index, &font->impl_->face) != 0) {
    font->impl_->face = nullptr;
    return NotFoundError("cannot open font " + path + " (face " + std::to_string(index) + ")");
  }
  if (FT_Select_Charmap(font->impl_->face, FT_ENCODING_UNICODE) != 0 ||
      !FT_IS_SCALABLE(font->impl_->face) || font->impl_->face->units_per_EM == 0) {
    return NotFoundError("font " + path + " is not a scalable Unicode font");
  }
  return font;
}

Font::~Font() {
  if (impl_ != nullptr) {
    if (impl_->face != nullptr) FT_Done_Face(impl_->face);
    if (impl_->lib != nullptr) FT_Done_FreeType(impl_->lib);
    delete impl_;
  }
}

bool Font::Has(char32_t c) const { return FT_Get_Char_Index(impl_->face, c) != 0; }

Result<Glyph> Font::Load(char32_t c) const {
  FT_Face face = impl_->face;
  const FT_UInt index = FT_Get_Char_Index(face, c);
  if (index == 0) return NotFoundError("no glyph");
  if (FT_Load_Glyph(face, index, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP) != 0 ||
      face->glyph->format != FT_GLYPH_FORMAT_OUTLINE) {
    return InternalError("cannot load the outline of U+" + std::to_string(c) + " from " + path_);
  }
  const double scale = 1.0 / face->units_per_EM;
  Glyph g;
  g.advance = static_cast<double>(face->glyph->advance.x) * scale;
  FT_Outline* outline = &face->glyph->outline;
  if (outline->n_contours > 0) {
    OutlineSink sink{&g.path, scale, {}, false};
    FT_Outline_Funcs funcs{};
    funcs.move_to = MoveTo;
    funcs.line_to = LineTo;
    funcs.conic_to = ConicTo;
    funcs.cubic_to = CubicTo;
    if (FT_Outline_Decompose(outline, &funcs, &sink) != 0) {
      return InternalError("cannot read the outline of a glyph from " + path_);
    }
    if (sink.open) g.path.push_back({PathOp::kClose, {}});
    FT_BBox box;
    FT_Outline_Get_BBox(outline, &box);
    g.empty = false;
    g.x0 = static_cast<double>(box.xMin) * scale;
    g.x1 = static_cast<double>(box.xMax) * scale;
    g.y0 = -static_cast<double>(box.yMax) * scale;
    g.y1 = -static_cast<double>(box.yMin) * scale;
  }
  return g;
}

Result<FontLocation> FindCjkFont(const Style& style) {
  const std::u32string need = {kGuo, kYin};
  if (!style.font_file.empty()) {
    if (!FaceHas(style.font_file, style.font_index, need)) {
      return FailedPreconditionError("the seal font " + style.font_file + " (face " +
                                     std::to_string(style.font_index) +
                                     ") cannot be opened or has no Chinese (CJK) glyphs");
    }
    return FontLocation{style.font_file, style.font_index};
  }
  std::lock_guard<std::mutex> lock(CacheMutex());
  const std::string key = "cjk|" + style.font_family;
  if (auto it = Cache().find(key); it != Cache().end()) return it->second;
  FontLocation loc;
  bool found = !style.font_family.empty() && MatchFontconfig(style.font_family, true, &loc) &&
               FaceHas(loc.path, loc.index, need);
  for (size_t i = 0; !found && i < std::size(kCjkFallbacks); ++i) {
    const int face = PickCjkFace(kCjkFallbacks[i]);
    if (face >= 0) {
      loc = FontLocation{kCjkFallbacks[i], face};
      found = true;
    }
  }
  if (!found) {
    return FailedPreconditionError(
        "no Chinese (CJK) font is installed for seal images; install fonts-noto-cjk or set "
        "the style's font_file");
  }
  Cache()[key] = loc;
  return loc;
}

Result<FontLocation> FindLatinFont(const Style& style) {
  if (style.latin_font_family.empty()) return NotFoundError("no Latin font configured");
  std::lock_guard<std::mutex> lock(CacheMutex());
  const std::string key = "latin|" + style.latin_font_family;
  if (auto it = Cache().find(key); it != Cache().end()) {
    if (it->second.path.empty()) return NotFoundError("no Latin font found");
    return it->second;
  }
  FontLocation loc;
  const std::u32string need = U"0123456789ABCDEFGHJKLMNPQRTUWXY()-";
  if (!MatchFontconfig(style.latin_font_family, false, &loc) ||
      !FaceHas(loc.path, loc.index, need)) {
    loc = FontLocation{};
  }
  Cache()[key] = loc;
  if (loc.path.empty()) return NotFoundError("no Latin font found");
  return loc;
}

}  // namespace eseal::sealimg::internal
