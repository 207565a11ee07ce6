// Document.xml, the document root (文档根节点, GB/T 33190-2016 §7.5).
#include "eseal/ofd/document.h"

#include "eseal/ofd/path.h"
#include "internal.h"
#include "xml.h"

namespace eseal::ofd {

using internal::Attr;
using internal::Child;
using internal::Children;
using internal::ChildText;
using internal::Text;

namespace internal {

PageArea ParsePageArea(pugi::xml_node node) {
  PageArea a;
  if (!node) return a;
  auto box = [&](std::string_view name) -> std::optional<Box> {
    pugi::xml_node c = Child(node, name);
    if (!c) return std::nullopt;
    auto b = ParseBox(Text(c));
    if (!b.ok()) return std::nullopt;
    return *b;
  };
  a.physical_box = box("PhysicalBox");
  a.application_box = box("ApplicationBox");
  a.content_box = box("ContentBox");
  a.bleed_box = box("BleedBox");
  return a;
}

std::string ResolveOrEmpty(std::string_view base_file, std::string_view loc) {
  if (Trim(loc).empty()) return "";
  auto r = ResolveLoc(base_file, loc);
  return r.ok() ? std::move(r).value() : std::string();
}

}  // namespace internal

Result<Document> ParseDocumentXml(ByteView xml, std::string_view document_path,
                                  const Limits& limits) {
  const std::string what = std::string(document_path);
  pugi::xml_document doc;
  RETURN_IF_ERROR(internal::ParseXml(xml, limits, what, &doc));
  ASSIGN_OR_RETURN(pugi::xml_node root, internal::RootElement(doc, "Document", what));
  Document d;
  d.path = std::string(document_path);
  if (pugi::xml_node common = Child(root, "CommonData")) {
    d.max_unit_id = internal::ParseId(ChildText(common, "MaxUnitID")).value_or(0);
    d.page_area = internal::ParsePageArea(Child(common, "PageArea"));
    for (pugi::xml_node r : Children(common, "PublicRes")) {
      std::string p = internal::ResolveOrEmpty(document_path, Text(r));
      if (!p.empty()) d.public_res.push_back(std::move(p));
    }
    for (pugi::xml_node r : Children(common, "DocumentRes")) {
      std::string p = internal::ResolveOrEmpty(document_path, Text(r));
      if (!p.empty()) d.document_res.push_back(std::move(p));
    }
    for (pugi::xml_node t : Children(common, "TemplatePage")) {
      TemplatePageDef def;
      auto id = internal::ParseId(Attr(t, "ID"));
      if (!id) {
        return InvalidArgumentError(what + ": TemplatePage ID \"" + std::string(Attr(t, "ID")) +
                                    "\" is not a number");
      }
      def.id = *id;
      def.name = std::string(Attr(t, "Name"));
      def.z_order = std::string(internal::Trim(Attr(t, "ZOrder")));
      def.base_loc = std::string(Attr(t, "BaseLoc"));
      auto p = ResolveLoc(document_path, def.base_loc);
      if (!p.ok()) return p.status().WithContext(what + ": TemplatePage " + std::to_string(def.id));
      def.path = std::move(p).value();
      d.templates.push_back(std::move(def));
    }
  }
  if (pugi::xml_node pages = Child(root, "Pages")) {
    for (pugi::xml_node pg = pages.first_child(); pg; pg = pg.next_sibling()) {
      if (pg.type() != pugi::node_element || internal::LocalName(pg) != "Page") continue;
      if (d.pages.size() >= limits.max_pages) {
        return ResourceExhaustedError(what + ": the document has more than the limit of " +
                                      std::to_string(limits.max_pages) + " pages");
      }
      PageEntry e;
      auto id = internal::ParseId(Attr(pg, "ID"));
      if (!id) {
        return InvalidArgumentError(what + ": page ID \"" + std::string(Attr(pg, "ID")) +
                                    "\" is not a number");
      }
      e.id = *id;
      e.base_loc = std::string(Attr(pg, "BaseLoc"));
      auto p = ResolveLoc(document_path, e.base_loc);
      if (!p.ok()) return p.status().WithContext(what + ": page " + std::to_string(e.id));
      e.path = std::move(p).value();
      d.pages.push_back(std::move(e));
    }
  }
  d.annotations = internal::ResolveOrEmpty(document_path, ChildText(root, "Annotations"));
  d.attachments = internal::ResolveOrEmpty(document_path, ChildText(root, "Attachments"));
  d.custom_tags = internal::ResolveOrEmpty(document_path, ChildText(root, "CustomTags"));
  return d;
}

}  // namespace eseal::ofd
