// Text with positions (text.h).
#include "eseal/pdf/text.h"

#include <qpdf/Buffer.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFPageObjectHelper.hh>

#include <array>
#include <map>

#include "internal.h"

namespace eseal::pdf {
namespace {

using Matrix = std::array<double, 6>;  // a b c d e f

Matrix Mul(const Matrix& m, const Matrix& n) {  // m × n
  return {m[0] * n[0] + m[1] * n[2], m[0] * n[1] + m[1] * n[3], m[2] * n[0] + m[3] * n[2],
          m[2] * n[1] + m[3] * n[3], m[4] * n[0] + m[5] * n[2] + n[4], m[4] * n[1] + m[5] * n[3] + n[5]};
}

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

// UTF-16BE hex (a ToUnicode destination) to UTF-8.
std::string Utf16HexToUtf8(std::string_view hex) {
  std::vector<uint32_t> units;
  for (size_t i = 0; i + 4 <= hex.size(); i += 4) units.push_back(std::stoul(std::string(hex.substr(i, 4)), nullptr, 16));
  std::string out;
  for (size_t i = 0; i < units.size(); ++i) {
    uint32_t u = units[i];
    if (u >= 0xd800 && u < 0xdc00 && i + 1 < units.size()) {
      u = 0x10000 + ((u - 0xd800) << 10) + (units[++i] - 0xdc00);
    }
    AppendUtf8(out, u);
  }
  return out;
}

struct Font {
  int code_bytes = 1;
  bool has_unicode = false;
  std::map<uint32_t, std::string> unicode;  // code -> UTF-8
  std::map<uint32_t, double> widths;        // code (or CID) -> width in 1/1000 em
  double default_width = 500;               // estimated when the font gives none
};

// The <hex> tokens of a ToUnicode CMap's bfchar and bfrange sections.
void ParseToUnicode(const std::string& cmap, Font& f) {
  auto hex_tokens = [](std::string_view s) {
    std::vector<std::string> out;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '<') {
        size_t j = s.find('>', i);
        if (j == std::string_view::npos) break;
        out.emplace_back(s.substr(i + 1, j - i - 1));
        i = j;
      } else if (s[i] == '[') {
        out.emplace_back("[");
      } else if (s[i] == ']') {
        out.emplace_back("]");
      }
    }
    return out;
  };
  for (size_t at = cmap.find("beginbfchar"); at != std::string::npos; at = cmap.find("beginbfchar", at + 1)) {
    size_t end = cmap.find("endbfchar", at);
    auto t = hex_tokens(std::string_view(cmap).substr(at, end - at));
    for (size_t i = 0; i + 1 < t.size(); i += 2) {
      if (t[i].empty() || t[i].size() > 8) continue;
      f.unicode[std::stoul(t[i], nullptr, 16)] = Utf16HexToUtf8(t[i + 1]);
      f.has_unicode = true;
    }
  }
  for (size_t at = cmap.find("beginbfrange"); at != std::string::npos; at = cmap.find("beginbfrange", at + 1)) {
    size_t end = cmap.find("endbfrange", at);
    auto t = hex_tokens(std::string_view(cmap).substr(at, end - at));
    for (size_t i = 0; i + 2 < t.size();) {
      if (t[i].empty() || t[i].size() > 8 || t[i + 1].size() > 8) break;
      uint32_t lo = std::stoul(t[i], nullptr, 16), hi = std::stoul(t[i + 1], nullptr, 16);
      if (hi < lo || hi - lo > 65535) break;
      if (t[i + 2] == "[") {
        size_t k = i + 3;
        for (uint32_t c = lo; c <= hi && k < t.size() && t[k] != "]"; ++c, ++k) f.unicode[c] = Utf16HexToUtf8(t[k]);
        while (k < t.size() && t[k] != "]") ++k;
        i = k + 1;
      } else {
        std::string base = t[i + 2];
        if (base.size() < 4) break;
        uint32_t start = std::stoul(base.substr(base.size() - 4), nullptr, 16);
        std::string prefix = Utf16HexToUtf8(base.substr(0, base.size() - 4));
        for (uint32_t c = lo; c <= hi; ++c) {
          std::string s = prefix;
          AppendUtf8(s, start + (c - lo));
          f.unicode[c] = s;
        }
        i += 3;
      }
      f.has_unicode = true;
    }
  }
}

Font LoadFont(QPDFObjectHandle font, const Limits& limits) {
  Font f;
  if (!font.isDictionary()) return f;
  const bool type0 = Get(font, "/Subtype").isName() && Get(font, "/Subtype").getName() == "/Type0";
  if (type0) {
    f.code_bytes = 2;  // Identity-H and the other two-byte CMaps fonts for Chinese use
    QPDFObjectHandle desc = Get(font, "/DescendantFonts");
    QPDFObjectHandle cid = desc.isArray() && desc.getArrayNItems() > 0 ? desc.getArrayItem(0) : QPDFObjectHandle::newNull();
    if (Get(cid, "/DW").isNumber()) f.default_width = Get(cid, "/DW").getNumericValue();
    else f.default_width = 1000;
    QPDFObjectHandle w = Get(cid, "/W");
    for (int i = 0; w.isArray() && i + 1 < w.getArrayNItems() && i < 20000;) {
      QPDFObjectHandle a = w.getArrayItem(i), b = w.getArrayItem(i + 1);
      if (!a.isInteger()) break;
      if (b.isArray()) {
        for (int k = 0; k < b.getArrayNItems(); ++k) {
          if (b.getArrayItem(k).isNumber()) f.widths[a.getIntValue() + k] = b.getArrayItem(k).getNumericValue();
        }
        i += 2;
      } else if (i + 2 < w.getArrayNItems() && b.isInteger() && w.getArrayItem(i + 2).isNumber()) {
        for (long long c = a.getIntValue(); c <= b.getIntValue() && c - a.getIntValue() < 65536; ++c) {
          f.widths[static_cast<uint32_t>(c)] = w.getArrayItem(i + 2).getNumericValue();
        }
        i += 3;
      } else {
        break;
      }
    }
  } else {
    QPDFObjectHandle first = Get(font, "/FirstChar"), ws = Get(font, "/Widths");
    if (first.isInteger() && ws.isArray()) {
      for (int k = 0; k < ws.getArrayNItems() && k < 256; ++k) {
        if (ws.getArrayItem(k).isNumber()) f.widths[first.getIntValue() + k] = ws.getArrayItem(k).getNumericValue();
      }
    }
  }
  QPDFObjectHandle tu = Get(font, "/ToUnicode");
  if (tu.isStream()) {
    std::shared_ptr<Buffer> b = tu.getStreamData(qpdf_dl_generalized);
    if (b->getSize() <= limits.max_stream_bytes) {
      ParseToUnicode(std::string(reinterpret_cast<const char*>(b->getBuffer()), b->getSize()), f);
    }
  }
  return f;
}

struct Glyph {
  std::string text;
  double x, y, advance, size;
};

class TextCollector : public QPDFObjectHandle::ParserCallbacks {
 public:
  TextCollector(QPDFObjectHandle resources, const Limits& limits) : resources_(resources), limits_(limits) {}

  void handleObject(QPDFObjectHandle obj) override {
    if (++work_ > 2000000) terminateParsing();
    if (!obj.isOperator()) {
      if (operands_.size() < 64) operands_.push_back(obj);
      return;
    }
    const std::string op = obj.getOperatorValue();
    Run(op);
    operands_.clear();
  }
  void handleEOF() override {}

  std::vector<Glyph> glyphs;
  bool unmapped = false;
  bool too_much = false;

 private:
  double Num(size_t i) { return i < operands_.size() && operands_[i].isNumber() ? operands_[i].getNumericValue() : 0; }

  void Run(const std::string& op) {
    if (op == "q") {
      if (stack_.size() < 64) stack_.push_back(ctm_);
    } else if (op == "Q") {
      if (!stack_.empty()) ctm_ = stack_.back(), stack_.pop_back();
    } else if (op == "cm" && operands_.size() == 6) {
      ctm_ = Mul({Num(0), Num(1), Num(2), Num(3), Num(4), Num(5)}, ctm_);
    } else if (op == "BT") {
      tm_ = tlm_ = {1, 0, 0, 1, 0, 0};
    } else if (op == "Tf" && operands_.size() == 2 && operands_[0].isName()) {
      size_ = Num(1);
      font_ = FontNamed(operands_[0].getName());
    } else if (op == "Tc") {
      tc_ = Num(0);
    } else if (op == "Tw") {
      tw_ = Num(0);
    } else if (op == "Tz") {
      th_ = Num(0) / 100;
    } else if (op == "TL") {
      tl_ = Num(0);
    } else if (op == "Ts") {
      ts_ = Num(0);
    } else if (op == "Td" && operands_.size() == 2) {
      tlm_ = Mul({1, 0, 0, 1, Num(0), Num(1)}, tlm_);
      tm_ = tlm_;
    } else if (op == "TD" && operands_.size() == 2) {
      tl_ = -Num(1);
      tlm_ = Mul({1, 0, 0, 1, Num(0), Num(1)}, tlm_);
      tm_ = tlm_;
    } else if (op == "Tm" && operands_.size() == 6) {
      tm_ = tlm_ = {Num(0), Num(1), Num(2), Num(3), Num(4), Num(5)};
    } else if (op == "T*") {
      NextLine();
    } else if (op == "Tj" && !operands_.empty()) {
      Show(operands_[0]);
    } else if (op == "'" && !operands_.empty()) {
      NextLine();
      Show(operands_[0]);
    } else if (op == "\"" && operands_.size() == 3) {
      tw_ = Num(0);
      tc_ = Num(1);
      NextLine();
      Show(operands_[2]);
    } else if (op == "TJ" && !operands_.empty() && operands_[0].isArray()) {
      QPDFObjectHandle a = operands_[0];
      for (int i = 0; i < a.getArrayNItems() && i < 10000; ++i) {
        QPDFObjectHandle e = a.getArrayItem(i);
        if (e.isString()) {
          Show(e);
        } else if (e.isNumber()) {
          tm_ = Mul({1, 0, 0, 1, -e.getNumericValue() / 1000 * size_ * th_, 0}, tm_);
        }
      }
    }
  }

  void NextLine() {
    tlm_ = Mul({1, 0, 0, 1, 0, -tl_}, tlm_);
    tm_ = tlm_;
  }

  const Font* FontNamed(const std::string& name) {
    auto it = fonts_.find(name);
    if (it != fonts_.end()) return &it->second;
    QPDFObjectHandle fonts = Get(resources_, "/Font");
    return &(fonts_[name] = LoadFont(Get(fonts, name.c_str()), limits_));
  }

  void Show(QPDFObjectHandle s) {
    if (!s.isString() || font_ == nullptr) return;
    const std::string bytes = s.getStringValue();
    const int n = font_->code_bytes;
    for (size_t i = 0; i + n <= bytes.size(); i += n) {
      uint32_t code = static_cast<unsigned char>(bytes[i]);
      if (n == 2) code = (code << 8) | static_cast<unsigned char>(bytes[i + 1]);
      std::string text;
      auto u = font_->unicode.find(code);
      if (u != font_->unicode.end()) {
        text = u->second;
      } else if (n == 1) {
        AppendUtf8(text, code);  // Latin-1 / ASCII for simple fonts without a map
      } else {
        unmapped = true;
      }
      auto w = font_->widths.find(code);
      double w0 = w != font_->widths.end() ? w->second : font_->default_width;
      double advance = (w0 / 1000 * size_ + tc_ + (n == 1 && code == 32 ? tw_ : 0)) * th_;
      Matrix trm = Mul(Mul({size_ * th_, 0, 0, size_, 0, ts_}, tm_), ctm_);
      Matrix end = Mul(Mul({1, 0, 0, 1, advance, 0}, tm_), ctm_);
      Matrix end_pos = Mul({size_ * th_, 0, 0, size_, 0, ts_}, end);
      if (glyphs.size() < 500000) {
        glyphs.push_back(Glyph{text, trm[4], trm[5], end_pos[4] - trm[4], std::abs(trm[3]) > 0 ? std::abs(trm[3]) : size_});
      } else {
        too_much = true;
      }
      tm_ = Mul({1, 0, 0, 1, advance, 0}, tm_);
    }
  }

  QPDFObjectHandle resources_;
  const Limits& limits_;
  std::vector<QPDFObjectHandle> operands_;
  std::map<std::string, Font> fonts_;
  const Font* font_ = nullptr;
  Matrix ctm_{1, 0, 0, 1, 0, 0}, tm_{1, 0, 0, 1, 0, 0}, tlm_{1, 0, 0, 1, 0, 0};
  std::vector<Matrix> stack_;
  double size_ = 0, tc_ = 0, tw_ = 0, th_ = 1, tl_ = 0, ts_ = 0;
  uint64_t work_ = 0;
};

Result<TextCollector> Collect(const Document& doc, size_t index) {
  Document::Impl& d = doc.impl();
  if (index >= d.pages.size()) return InvalidArgumentError("page out of range");
  try {
    QPDFPageObjectHelper page(d.pages[index]);
    TextCollector c(page.getAttribute("/Resources", false), d.limits);
    page.parseContents(&c);
    if (c.too_much) return ResourceExhaustedError("第 " + std::to_string(index + 1) + " 页文字过多 / page has too much text");
    return c;
  } catch (const std::exception& e) {
    return InvalidArgumentError("第 " + std::to_string(index + 1) + " 页的内容无法读取 / the content of page " +
                                std::to_string(index + 1) + " cannot be read: " + e.what());
  }
}

}  // namespace

Result<PageText> ReadPageText(const Document& doc, size_t index) {
  ASSIGN_OR_RETURN(TextCollector c, Collect(doc, index));
  PageText out;
  for (const Glyph& g : c.glyphs) out.text += g.text;
  out.unmapped = c.unmapped;
  return out;
}

Result<std::vector<TextHit>> FindText(const Document& doc, std::string_view keyword, int first, int last,
                                      bool* some_page_unmapped) {
  std::vector<TextHit> hits;
  if (keyword.empty()) return hits;
  int n = static_cast<int>(doc.page_count());
  if (last == 0) last = n;
  for (int p = std::max(first, 1); p <= std::min(last, n); ++p) {
    ASSIGN_OR_RETURN(TextCollector c, Collect(doc, static_cast<size_t>(p - 1)));
    if (c.unmapped && some_page_unmapped) *some_page_unmapped = true;
    // The page's text, and for each byte the glyph it came from.
    std::string text;
    std::vector<size_t> owner;
    for (size_t g = 0; g < c.glyphs.size(); ++g) {
      text += c.glyphs[g].text;
      owner.resize(text.size(), g);
    }
    for (size_t at = text.find(keyword); at != std::string::npos; at = text.find(keyword, at + keyword.size())) {
      const Glyph& a = c.glyphs[owner[at]];
      const Glyph& b = c.glyphs[owner[at + keyword.size() - 1]];
      double x1 = b.x + b.advance;
      double size = std::max(a.size, b.size);
      hits.push_back(TextHit{p, std::min(a.x, x1), a.y - 0.2 * size, std::max(a.x, x1), a.y + 0.8 * size});
      if (hits.size() > 1000) return ResourceExhaustedError("关键字出现次数过多 / the keyword occurs too often");
    }
  }
  return hits;
}

}  // namespace eseal::pdf
