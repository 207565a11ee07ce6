// Document: Document.xml, the document root (文档根节点, GB/T 33190-2016 §7.5): the common
// data (公共数据: page area, resources, template pages), the page tree (页树) and the
// annotation, attachment and custom tag indexes. Paths are resolved against Document.xml's
// folder and kept both as written and in canonical form.
// Thread-safety: values and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eseal/base/bytes.h"
#include "eseal/base/result.h"
#include "eseal/ofd/geometry.h"
#include "eseal/ofd/limits.h"

namespace eseal::ofd {

// CT_PageArea (页面区域): boxes in millimetres.
struct PageArea {
  std::optional<Box> physical_box;
  std::optional<Box> application_box;
  std::optional<Box> content_box;
  std::optional<Box> bleed_box;
};

// CT_TemplatePage (模板页).
struct TemplatePageDef {
  uint64_t id = 0;
  std::string name;
  std::string z_order;   // "Background" (default when empty) or "Foreground"
  std::string base_loc;  // as written
  std::string path;      // canonical path of its Content.xml
};

// One <Page ID BaseLoc> of the page tree.
struct PageEntry {
  uint64_t id = 0;       // the page object ID (页对象标识), what StampAnnot@PageRef names
  std::string base_loc;  // as written
  std::string path;      // canonical path of its Content.xml
};

struct Document {
  std::string path;  // canonical path of this Document.xml
  uint64_t max_unit_id = 0;
  PageArea page_area;                     // CommonData/PageArea
  std::vector<std::string> public_res;    // canonical paths of PublicRes files
  std::vector<std::string> document_res;  // canonical paths of DocumentRes files
  std::vector<TemplatePageDef> templates;
  std::vector<PageEntry> pages;  // in page order (page index 0, 1, ...)
  std::string annotations;       // canonical paths, or empty
  std::string attachments;
  std::string custom_tags;
};

// Parses Document.xml at canonical path `document_path`. InvalidArgument for a malformed
// file, a page without a resolvable BaseLoc or a non-numeric page ID; ResourceExhausted for
// more than limits.max_pages pages.
Result<Document> ParseDocumentXml(ByteView xml, std::string_view document_path,
                                  const Limits& limits = {});

}  // namespace eseal::ofd
