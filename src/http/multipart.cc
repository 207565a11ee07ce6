// Query strings and multipart/form-data bodies, parsed from bytes already read within the
// route's limit (so the parser never waits for more). Strict where leniency would let two
// readers see different forms (missing closing delimiter, unnamed parts), lenient where
// browsers and curl differ harmlessly (transport padding after a delimiter, header case).
#include "multipart.h"

#include <optional>

#include "api.h"

namespace eseal::http {
namespace {

constexpr size_t kMaxPartHeaderBytes = 8 * 1024;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Status Bad(std::string_view zh, std::string_view en) {
  return InvalidArgumentError(std::string(zh) + " / " + std::string(en));
}

// Reads the parameters after the first ';' of a header value ("form-data; name="a";
// filename="b""). Values may be tokens or quoted strings with backslash escapes.
// Returns false when a quoted string is not closed.
bool Params(std::string_view v, std::vector<std::pair<std::string, std::string>>* out) {
  size_t i = v.find(';');
  while (i != std::string_view::npos && i < v.size()) {
    ++i;  // past ';'
    while (i < v.size() && (v[i] == ' ' || v[i] == '\t')) ++i;
    size_t eq = v.find('=', i);
    size_t semi = v.find(';', i);
    if (eq == std::string_view::npos || (semi != std::string_view::npos && semi < eq)) {
      i = semi;  // a parameter without a value: skipped
      continue;
    }
    std::string name = AsciiLower(Trim(v.substr(i, eq - i)));
    size_t j = eq + 1;
    while (j < v.size() && (v[j] == ' ' || v[j] == '\t')) ++j;
    std::string value;
    if (j < v.size() && v[j] == '"') {
      ++j;
      bool closed = false;
      for (; j < v.size(); ++j) {
        if (v[j] == '\\' && j + 1 < v.size()) {
          value += v[++j];
        } else if (v[j] == '"') {
          closed = true;
          ++j;
          break;
        } else {
          value += v[j];
        }
      }
      if (!closed) return false;
      i = v.find(';', j);
    } else {
      size_t end = v.find(';', j);
      value = std::string(Trim(v.substr(j, end == std::string_view::npos ? v.size() - j : end - j)));
      i = end;
    }
    out->emplace_back(std::move(name), std::move(value));
  }
  return true;
}

std::optional<std::string> Param(const std::vector<std::pair<std::string, std::string>>& ps, std::string_view n) {
  for (const auto& [k, v] : ps) {
    if (k == n) return v;
  }
  return std::nullopt;
}

}  // namespace

Result<std::vector<Part>> ParseQuery(std::string_view query) {
  std::vector<Part> out;
  size_t i = 0;
  while (i <= query.size()) {
    size_t amp = query.find('&', i);
    std::string_view seg = query.substr(i, amp == std::string_view::npos ? query.size() - i : amp - i);
    i = amp == std::string_view::npos ? query.size() + 1 : amp + 1;
    if (seg.empty()) continue;
    size_t eq = seg.find('=');
    std::string name(seg.substr(0, eq));
    std::string value(eq == std::string_view::npos ? std::string_view() : seg.substr(eq + 1));
    for (char& c : name) c = c == '+' ? ' ' : c;
    for (char& c : value) c = c == '+' ? ' ' : c;
    std::optional<std::string> n = PercentDecode(name), v = PercentDecode(value);
    if (!n || !v) return Bad("查询参数含有错误的 % 转义", "the query has a malformed %-escape");
    out.push_back(Part{std::move(*n), "", "", std::move(*v)});
  }
  return out;
}

Result<std::string> MultipartBoundary(std::string_view content_type) {
  std::vector<std::pair<std::string, std::string>> ps;
  if (!Params(content_type, &ps)) return Bad("Content-Type 的参数格式错误", "the Content-Type parameters are malformed");
  std::optional<std::string> b = Param(ps, "boundary");
  // RFC 2046 §5.1.1: 1 to 70 characters.
  if (!b || b->empty() || b->size() > 70) {
    return Bad("multipart/form-data 缺少有效的 boundary 参数", "multipart/form-data needs a boundary of 1 to 70 characters");
  }
  return *b;
}

Result<std::vector<Part>> ParseMultipart(std::string_view body, std::string_view boundary, size_t max_parts) {
  if (boundary.empty() || boundary.size() > 70) return Bad("boundary 无效", "the boundary is invalid");
  const std::string dash = "--" + std::string(boundary);
  const std::string delim = "\r\n" + dash;
  auto malformed = [] { return Bad("表单（multipart/form-data）格式错误", "the multipart form is malformed"); };

  // The first delimiter may open the body or follow a preamble.
  size_t pos;
  if (body.substr(0, dash.size()) == dash) {
    pos = dash.size();
  } else {
    size_t d = body.find(delim);
    if (d == std::string_view::npos) return malformed();
    pos = d + delim.size();
  }
  std::vector<Part> parts;
  for (;;) {
    // After a delimiter: "--" closes the form; otherwise optional padding, then CRLF.
    if (body.substr(pos, 2) == "--") return parts;
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
    if (body.substr(pos, 2) != "\r\n") return malformed();
    pos += 2;
    if (parts.size() >= max_parts) {
      return Bad("表单的部分超过 " + std::to_string(max_parts) + " 个",
                 "the form has more than " + std::to_string(max_parts) + " parts");
    }
    size_t head_end = body.find("\r\n\r\n", pos);
    // A part without headers starts its data at once ("\r\n" right after the delimiter line).
    std::string_view head;
    size_t data_start;
    if (body.substr(pos, 2) == "\r\n") {
      data_start = pos + 2;
    } else {
      if (head_end == std::string_view::npos) return malformed();
      if (head_end - pos > kMaxPartHeaderBytes) {
        return Bad("表单某部分的头部过长", "a form part's headers are too long");
      }
      head = body.substr(pos, head_end - pos);
      if (head.find(delim) != std::string_view::npos) return malformed();  // headers run into the next part
      data_start = head_end + 4;
    }
    Part part;
    bool have_name = false;
    size_t h = 0;
    while (h < head.size()) {
      size_t eol = head.find("\r\n", h);
      std::string_view line = head.substr(h, eol == std::string_view::npos ? head.size() - h : eol - h);
      h = eol == std::string_view::npos ? head.size() : eol + 2;
      size_t colon = line.find(':');
      if (colon == std::string_view::npos) return malformed();
      std::string name = AsciiLower(Trim(line.substr(0, colon)));
      std::string_view value = Trim(line.substr(colon + 1));
      if (name == "content-disposition") {
        std::vector<std::pair<std::string, std::string>> ps;
        if (AsciiLower(Trim(value.substr(0, value.find(';')))) != "form-data" || !Params(value, &ps)) return malformed();
        if (auto n = Param(ps, "name")) {
          part.name = *n;
          have_name = true;
        }
        if (auto f = Param(ps, "filename")) part.filename = *f;
      } else if (name == "content-type") {
        part.content_type = std::string(value);
      }
    }
    if (!have_name) return Bad("表单的某部分没有名称", "a form part has no name");
    size_t end = body.find(delim, data_start);
    if (end == std::string_view::npos) return malformed();
    part.data = std::string(body.substr(data_start, end - data_start));
    parts.push_back(std::move(part));
    pos = end + delim.size();
  }
}

}  // namespace eseal::http
