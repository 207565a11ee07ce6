#include "xml.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "eseal/ofd/work_count.h"

namespace eseal::ofd {
namespace {
thread_local uint64_t xml_parse_count = 0;
}  // namespace

uint64_t XmlParseCount() { return xml_parse_count; }

Status ParseXmlTree(ByteView xml, const Limits& limits, std::string_view what, pugi::xml_document* doc) {
  return internal::ParseXml(xml, limits, what, doc);
}

}  // namespace eseal::ofd

namespace eseal::ofd::internal {
namespace {

bool StartsWithAt(std::string_view s, size_t pos, std::string_view prefix) {
  return s.size() >= pos && s.size() - pos >= prefix.size() &&
         s.compare(pos, prefix.size(), prefix) == 0;
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// True if the text has "<!" followed (after optional whitespace) by `word`, ignoring case.
bool HasDeclaration(std::string_view s, std::string_view word) {
  for (size_t i = s.find("<!"); i != std::string_view::npos; i = s.find("<!", i + 2)) {
    size_t j = i + 2;
    while (j < s.size() && IsXmlSpace(s[j])) ++j;
    if (s.size() - j < word.size()) continue;
    bool match = true;
    for (size_t k = 0; k < word.size(); ++k) {
      if (Lower(s[j + k]) != word[k]) {
        match = false;
        break;
      }
    }
    if (match) return true;
  }
  return false;
}

bool IsNameEnd(char c) { return IsXmlSpace(c) || c == '>' || c == '/'; }

}  // namespace

bool IsXmlSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsXmlSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsXmlSpace(s.back())) s.remove_suffix(1);
  return s;
}

Status ParseXml(ByteView xml, const Limits& limits, std::string_view what,
                pugi::xml_document* doc) {
  const std::string name(what);
  ++xml_parse_count;
  if (xml.size() > limits.max_xml_size) {
    return ResourceExhaustedError(name + ": XML file of " + std::to_string(xml.size()) +
                                  " bytes is larger than the limit of " +
                                  std::to_string(limits.max_xml_size));
  }
  std::string_view text = AsChars(xml);
  if (text.size() >= 2 &&
      ((static_cast<uint8_t>(text[0]) == 0xFE && static_cast<uint8_t>(text[1]) == 0xFF) ||
       (static_cast<uint8_t>(text[0]) == 0xFF && static_cast<uint8_t>(text[1]) == 0xFE))) {
    return InvalidArgumentError(name + ": UTF-16 or UTF-32 XML is not accepted (OFD uses UTF-8)");
  }
  if (text.size() >= 3 && static_cast<uint8_t>(text[0]) == 0xEF &&
      static_cast<uint8_t>(text[1]) == 0xBB && static_cast<uint8_t>(text[2]) == 0xBF) {
    text.remove_prefix(3);
  }
  if (text.find('\0') != std::string_view::npos) {
    return InvalidArgumentError(name + ": XML contains a NUL byte (not UTF-8 text)");
  }
  if (HasDeclaration(text, "doctype") || HasDeclaration(text, "entity")) {
    return InvalidArgumentError(name + ": XML with a DOCTYPE or ENTITY declaration is refused");
  }
  doc->reset();
  // Whitespace-only text is kept: a TextCode of spaces is text.
  const unsigned flags = pugi::parse_default | pugi::parse_doctype | pugi::parse_ws_pcdata;
  pugi::xml_parse_result r = doc->load_buffer(text.data(), text.size(), flags, pugi::encoding_utf8);
  if (!r) {
    if (r.status == pugi::status_out_of_memory) {
      return ResourceExhaustedError(name + ": out of memory while parsing XML");
    }
    return InvalidArgumentError(name + ": malformed XML (" + r.description() + " at offset " +
                                std::to_string(r.offset) + ")");
  }
  // Depth, and no DOCTYPE node anywhere (belt and braces: the scan above already refused it).
  int depth = 0;
  pugi::xml_node n = doc->first_child();
  if (n) depth = 1;
  while (n) {
    if (n.type() == pugi::node_doctype) {
      return InvalidArgumentError(name + ": XML with a DOCTYPE declaration is refused");
    }
    if (n.first_child()) {
      n = n.first_child();
      if (++depth > limits.max_xml_depth) {
        doc->reset();
        return ResourceExhaustedError(name + ": XML nesting is deeper than the limit of " +
                                      std::to_string(limits.max_xml_depth));
      }
      continue;
    }
    while (n && !n.next_sibling()) {
      n = n.parent();
      --depth;
    }
    if (n) n = n.next_sibling();
  }
  if (!doc->document_element()) {
    return InvalidArgumentError(name + ": XML has no document element");
  }
  return Status::Ok();
}

Result<pugi::xml_node> RootElement(const pugi::xml_document& doc, std::string_view local_name,
                                   std::string_view what) {
  pugi::xml_node root = doc.document_element();
  if (!root || LocalName(root) != local_name) {
    return InvalidArgumentError(std::string(what) + ": the document element is <" +
                                std::string(root ? root.name() : "") + ">, expected <" +
                                std::string(local_name) + ">");
  }
  return root;
}

std::string_view LocalName(const char* qname) {
  std::string_view s(qname ? qname : "");
  size_t colon = s.rfind(':');
  return colon == std::string_view::npos ? s : s.substr(colon + 1);
}

std::string_view LocalName(pugi::xml_node node) { return LocalName(node.name()); }

std::string_view Prefix(std::string_view qname) {
  size_t colon = qname.find(':');
  return colon == std::string_view::npos ? std::string_view() : qname.substr(0, colon);
}

pugi::xml_node Child(pugi::xml_node node, std::string_view local_name) {
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && LocalName(c) == local_name) return c;
  }
  return pugi::xml_node();
}

std::vector<pugi::xml_node> Children(pugi::xml_node node, std::string_view local_name) {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && LocalName(c) == local_name) out.push_back(c);
  }
  return out;
}

std::string_view Attr(pugi::xml_node node, std::string_view local_name) {
  for (pugi::xml_attribute a = node.first_attribute(); a; a = a.next_attribute()) {
    std::string_view n(a.name());
    if (n == local_name) return a.value();
  }
  // Prefixed attributes (rare; never namespace declarations).
  for (pugi::xml_attribute a = node.first_attribute(); a; a = a.next_attribute()) {
    std::string_view n(a.name());
    if (n.starts_with("xmlns")) continue;
    if (LocalName(a.name()) == local_name) return a.value();
  }
  return std::string_view();
}

bool HasAttr(pugi::xml_node node, std::string_view local_name) {
  for (pugi::xml_attribute a = node.first_attribute(); a; a = a.next_attribute()) {
    std::string_view n(a.name());
    if (n.starts_with("xmlns")) continue;
    if (LocalName(a.name()) == local_name) return true;
  }
  return false;
}

std::string Text(pugi::xml_node node) {
  std::string out;
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) out += c.value();
  }
  return std::string(Trim(out));
}

std::string ChildText(pugi::xml_node node, std::string_view local_name) {
  pugi::xml_node c = Child(node, local_name);
  return c ? Text(c) : std::string();
}

std::optional<uint64_t> ParseId(std::string_view s) {
  s = Trim(s);
  if (s.empty() || s.size() > 19) return std::nullopt;
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<double> ParseDouble(std::string_view s) {
  s = Trim(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

bool ParseBool(std::string_view s, bool fallback) {
  s = Trim(s);
  if (s == "true" || s == "1") return true;
  if (s == "false" || s == "0") return false;
  return fallback;
}

void AppendEscaped(std::string* out, std::string_view text, bool attribute) {
  for (char c : text) {
    switch (c) {
      case '&':
        *out += "&amp;";
        break;
      case '<':
        *out += "&lt;";
        break;
      case '>':
        *out += "&gt;";
        break;
      case '"':
        if (attribute) {
          *out += "&quot;";
        } else {
          *out += c;
        }
        break;
      case '\n':
        if (attribute) {
          *out += "&#10;";
        } else {
          *out += c;
        }
        break;
      case '\t':
        if (attribute) {
          *out += "&#9;";
        } else {
          *out += c;
        }
        break;
      case '\r':
        *out += "&#13;";
        break;
      default:
        *out += c;
    }
  }
}

Result<ElementSpan> ScanElements(std::string_view s, int max_depth) {
  ElementSpan root;
  bool have_root = false;
  std::vector<ElementSpan*> stack;
  size_t pos = 0;
  auto bad = [](const char* why) { return InvalidArgumentError(std::string("XML scan: ") + why); };
  while (pos < s.size()) {
    size_t lt = s.find('<', pos);
    if (lt == std::string_view::npos) break;
    if (StartsWithAt(s, lt, "<!--")) {
      size_t e = s.find("-->", lt + 4);
      if (e == std::string_view::npos) return bad("unterminated comment");
      pos = e + 3;
      continue;
    }
    if (StartsWithAt(s, lt, "<![CDATA[")) {
      size_t e = s.find("]]>", lt + 9);
      if (e == std::string_view::npos) return bad("unterminated CDATA");
      pos = e + 3;
      continue;
    }
    if (StartsWithAt(s, lt, "<?")) {
      size_t e = s.find("?>", lt + 2);
      if (e == std::string_view::npos) return bad("unterminated processing instruction");
      pos = e + 2;
      continue;
    }
    if (StartsWithAt(s, lt, "<!")) return bad("unexpected declaration");
    if (StartsWithAt(s, lt, "</")) {
      size_t i = lt + 2;
      size_t name_begin = i;
      while (i < s.size() && !IsNameEnd(s[i])) ++i;
      std::string_view qname = s.substr(name_begin, i - name_begin);
      size_t gt = s.find('>', i);
      if (gt == std::string_view::npos) return bad("unterminated end tag");
      if (stack.empty() || stack.back()->qname != qname) return bad("mismatched end tag");
      stack.back()->end_tag_start = lt;
      stack.back()->end = gt + 1;
      stack.pop_back();
      pos = gt + 1;
      if (stack.empty() && have_root) break;
      continue;
    }
    // Start tag.
    size_t i = lt + 1;
    size_t name_begin = i;
    while (i < s.size() && !IsNameEnd(s[i])) ++i;
    if (i == name_begin) return bad("empty element name");
    ElementSpan e;
    e.qname = std::string(s.substr(name_begin, i - name_begin));
    e.start = lt;
    bool closed = false;
    while (i < s.size()) {
      char c = s[i];
      if (c == '"' || c == '\'') {
        size_t q = s.find(c, i + 1);
        if (q == std::string_view::npos) return bad("unterminated attribute value");
        i = q + 1;
        continue;
      }
      if (c == '/' && i + 1 < s.size() && s[i + 1] == '>') {
        e.self_closing = true;
        e.start_tag_end = i + 2;
        e.end_tag_start = i;
        e.end = i + 2;
        closed = true;
        break;
      }
      if (c == '>') {
        e.start_tag_end = i + 1;
        closed = true;
        break;
      }
      ++i;
    }
    if (!closed) return bad("unterminated start tag");
    pos = e.start_tag_end;
    ElementSpan* placed;
    if (stack.empty()) {
      if (have_root) return bad("more than one document element");
      root = std::move(e);
      have_root = true;
      placed = &root;
    } else {
      stack.back()->children.push_back(std::move(e));
      placed = &stack.back()->children.back();
    }
    if (!placed->self_closing) {
      stack.push_back(placed);
      if (static_cast<int>(stack.size()) > max_depth) return bad("nesting too deep");
    } else if (stack.empty()) {
      break;
    }
  }
  if (!have_root) return bad("no document element");
  if (!stack.empty()) return bad("unclosed element");
  return root;
}

Result<std::string> ApplyEdits(std::string_view text, std::vector<Edit> edits) {
  std::sort(edits.begin(), edits.end(),
            [](const Edit& a, const Edit& b) { return a.begin < b.begin; });
  std::string out;
  out.reserve(text.size() + 256);
  size_t pos = 0;
  for (const Edit& e : edits) {
    if (e.begin < pos || e.end < e.begin || e.end > text.size()) {
      return InternalError("overlapping XML edits");
    }
    out.append(text.substr(pos, e.begin - pos));
    out += e.text;
    pos = e.end;
  }
  out.append(text.substr(pos));
  return out;
}

}  // namespace eseal::ofd::internal
