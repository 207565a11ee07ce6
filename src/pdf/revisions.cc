// Revisions of a PDF file (revisions.h).
#include "eseal/pdf/revisions.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>
#include <string_view>

#include "internal.h"

namespace eseal::pdf {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0'; }

// The integer after position `p` (skipping white space), or nullopt.
std::optional<uint64_t> IntAt(std::string_view s, size_t p, size_t* after = nullptr) {
  while (p < s.size() && IsSpace(s[p])) ++p;
  size_t start = p;
  uint64_t v = 0;
  while (p < s.size() && std::isdigit(static_cast<unsigned char>(s[p])) && p - start < 19) v = v * 10 + (s[p++] - '0');
  if (p == start) return std::nullopt;
  if (after) *after = p;
  return v;
}

// The end of the "%%EOF" line that follows `from`: {just after %%EOF, after its EOL}.
std::optional<std::pair<uint64_t, uint64_t>> EofAfter(std::string_view s, size_t from) {
  size_t e = s.find("%%EOF", from);
  if (e == std::string_view::npos) return std::nullopt;
  uint64_t eof_end = e + 5;
  uint64_t end = eof_end;
  if (end < s.size() && s[end] == '\r') ++end;
  if (end < s.size() && s[end] == '\n') ++end;
  return std::make_pair(eof_end, end);
}

}  // namespace

std::optional<uint64_t> TopLevelInt(std::string_view dict, std::string_view key) {
  // `dict` starts at "<<". Walks the dictionary's tokens, tracking nesting and skipping
  // strings, so that a key inside a nested dictionary or a string is not taken.
  int depth = 0;
  size_t i = 0;
  while (i < dict.size()) {
    char c = dict[i];
    if (c == '(') {  // literal string, with nested parentheses and escapes
      int paren = 0;
      for (; i < dict.size(); ++i) {
        if (dict[i] == '\\') { ++i; continue; }
        if (dict[i] == '(') ++paren;
        if (dict[i] == ')' && --paren == 0) break;
      }
      ++i;
      continue;
    }
    if (c == '%') {  // comment to end of line
      while (i < dict.size() && dict[i] != '\n' && dict[i] != '\r') ++i;
      continue;
    }
    if (c == '<' && i + 1 < dict.size() && dict[i + 1] == '<') { ++depth; i += 2; continue; }
    if (c == '>' && i + 1 < dict.size() && dict[i + 1] == '>') {
      if (--depth == 0) return std::nullopt;
      i += 2;
      continue;
    }
    if (c == '<') {  // hex string
      size_t close = dict.find('>', i);
      if (close == std::string_view::npos) return std::nullopt;
      i = close + 1;
      continue;
    }
    if (c == '[') { ++depth; ++i; continue; }
    if (c == ']') { --depth; ++i; continue; }
    if (c == '/' && depth == 1) {
      size_t start = ++i;
      while (i < dict.size() && !IsSpace(dict[i]) && std::string_view("/<>[]()%").find(dict[i]) == std::string_view::npos) ++i;
      if (dict.substr(start, i - start) == key) return IntAt(dict, i);
      continue;
    }
    ++i;
  }
  return std::nullopt;
}

Result<std::vector<Revision>> FindRevisions(ByteView file, const Limits& limits) {
  std::string_view s(reinterpret_cast<const char*>(file.data()), file.size());
  const Status malformed = InvalidArgumentError(
      "PDF 文件的交叉引用结构已损坏（需要修复的文件不能增量签章或验证），请用原始文件重试 / the PDF's cross-reference "
      "structure is damaged (a file that needs repair cannot be signed incrementally or verified)");
  // The last startxref of the file (within the last 1 KiB, as readers look for it).
  size_t tail = s.size() > 1024 ? s.size() - 1024 : 0;
  size_t sx = s.rfind("startxref");
  if (sx == std::string_view::npos || sx < tail) return malformed;
  std::optional<uint64_t> x = IntAt(s, sx + 9);
  std::vector<Revision> out;
  std::set<uint64_t> seen;
  while (x) {
    if (*x >= s.size() || !seen.insert(*x).second) return malformed;  // outside, or a loop
    if (out.size() >= limits.max_revisions) {
      return ResourceExhaustedError("PDF 文件的增量更新超过 " + std::to_string(limits.max_revisions) +
                                    " 次，超出验证范围 / the PDF has more than " +
                                    std::to_string(limits.max_revisions) + " incremental updates");
    }
    Revision r;
    r.xref_offset = *x;
    std::string_view at = s.substr(*x);
    std::string_view dict;
    if (at.substr(0, 4) == "xref") {
      size_t t = at.find("trailer");
      if (t == std::string_view::npos) return malformed;
      size_t d = at.find("<<", t);
      if (d == std::string_view::npos) return malformed;
      dict = at.substr(d);
    } else {
      // "N G obj << ... >> stream": a cross-reference stream.
      size_t p = 0;
      if (!IntAt(at, 0, &p) || !IntAt(at, p, &p)) return malformed;
      while (p < at.size() && IsSpace(at[p])) ++p;
      if (at.substr(p, 3) != "obj") return malformed;
      size_t d = at.find("<<", p);
      if (d == std::string_view::npos || d > p + 16) return malformed;
      dict = at.substr(d);
      r.xref_stream = true;
    }
    size_t next_sx = s.find("startxref", *x);
    if (next_sx == std::string_view::npos) return malformed;
    auto eof = EofAfter(s, next_sx);
    if (!eof) return malformed;
    r.eof_end = eof->first;
    r.end = eof->second;
    out.push_back(r);
    x = TopLevelInt(dict, "Prev");
  }
  // Oldest first, by where each ends; sections sharing an end (a linearised file's two
  // sections) are one revision.
  std::sort(out.begin(), out.end(), [](const Revision& a, const Revision& b) { return a.end < b.end; });
  out.erase(std::unique(out.begin(), out.end(), [](const Revision& a, const Revision& b) { return a.end == b.end; }),
            out.end());
  return out;
}

}  // namespace eseal::pdf
