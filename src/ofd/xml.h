// Internal XML helpers of the ofd module: a guarded pugixml parse (no DOCTYPE, bounded size
// and depth), namespace-blind element lookup by local name, escaping, and a scanner that
// finds the byte spans of elements so that files can be edited without re-serialising.
// pugixml is used without exceptions and without XPath; it never leaves src/ofd.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pugixml.hpp>

#include "eseal/base/bytes.h"
#include "eseal/base/result.h"
#include "eseal/ofd/limits.h"

namespace eseal::ofd::internal {

// Parses `xml` into `doc`. `what` names the file in error messages. Refuses (InvalidArgument)
// a DOCTYPE or ENTITY declaration anywhere (XXE and entity expansion defence), UTF-16/32
// input, NUL bytes and malformed XML; ResourceExhausted above limits.max_xml_size or
// limits.max_xml_depth.
Status ParseXml(ByteView xml, const Limits& limits, std::string_view what, pugi::xml_document* doc);

// The document element; checks its local name.
Result<pugi::xml_node> RootElement(const pugi::xml_document& doc, std::string_view local_name,
                                   std::string_view what);

// "ofd:Page" -> "Page".
std::string_view LocalName(const char* qname);
std::string_view LocalName(pugi::xml_node node);
// "ofd:Page" -> "ofd"; "Page" -> "".
std::string_view Prefix(std::string_view qname);

// First child element with this local name, or an empty node.
pugi::xml_node Child(pugi::xml_node node, std::string_view local_name);
// All child elements with this local name.
std::vector<pugi::xml_node> Children(pugi::xml_node node, std::string_view local_name);
// Attribute value by local name ("" if absent).
std::string_view Attr(pugi::xml_node node, std::string_view local_name);
bool HasAttr(pugi::xml_node node, std::string_view local_name);
// Text content of an element (all PCDATA/CDATA children), trimmed.
std::string Text(pugi::xml_node node);
// Text of the first child element with this local name, trimmed ("" if absent).
std::string ChildText(pugi::xml_node node, std::string_view local_name);

std::string_view Trim(std::string_view s);
bool IsXmlSpace(char c);

// Unsigned decimal integer (ST_ID / ST_RefID); nullopt if not one.
std::optional<uint64_t> ParseId(std::string_view s);
std::optional<double> ParseDouble(std::string_view s);
// "true"/"false"/"1"/"0" (XML Schema boolean), else `fallback`.
bool ParseBool(std::string_view s, bool fallback);

// Appends `text` escaped for XML character data or (with `attribute`) a double-quoted
// attribute value.
void AppendEscaped(std::string* out, std::string_view text, bool attribute);

// The byte spans of one element in the source text.
struct ElementSpan {
  std::string qname;
  size_t start = 0;          // '<' of the start tag
  size_t start_tag_end = 0;  // just after the start tag's '>'
  size_t end_tag_start = 0;  // '<' of the end tag (== start_tag_end - 2 when self-closing)
  size_t end = 0;            // just after the element
  bool self_closing = false;
  std::vector<ElementSpan> children;
  std::string_view local_name() const { return LocalName(qname.c_str()); }
};

// Scans well-formed XML text (already accepted by ParseXml) and returns the document
// element's spans. Comments, CDATA, processing instructions and quoted attribute values
// are skipped correctly.
Result<ElementSpan> ScanElements(std::string_view text, int max_depth);

// A text edit: replace [begin, end) with `text`.
struct Edit {
  size_t begin = 0;
  size_t end = 0;
  std::string text;
};
// Applies non-overlapping edits.
Result<std::string> ApplyEdits(std::string_view text, std::vector<Edit> edits);

}  // namespace eseal::ofd::internal
