// Reader: one document (文档) of an OFD package.
#include "eseal/ofd/reader.h"

#include "eseal/ofd/path.h"
#include "xml.h"

namespace eseal::ofd {

Result<Reader> Reader::OpenBytes(Bytes zip, const Limits& limits, size_t doc_index) {
  ASSIGN_OR_RETURN(Package p, Package::Open(std::move(zip), limits));
  return Open(std::move(p), doc_index);
}

Result<Reader> Reader::OpenFile(const std::string& path, const Limits& limits, size_t doc_index) {
  ASSIGN_OR_RETURN(Package p, Package::OpenFile(path, limits));
  return Open(std::move(p), doc_index);
}

Result<Reader> Reader::Open(Package package, size_t doc_index) {
  Reader r(std::move(package), doc_index);
  const EntryInfo* main = r.package_.FindIgnoringCase(kOfdXmlPath);
  if (main == nullptr) return InvalidArgumentError("not an OFD package: it has no OFD.xml");
  ASSIGN_OR_RETURN(Bytes ofd_xml, r.package_.ReadEntry(*main, r.limits().max_xml_size));
  ASSIGN_OR_RETURN(r.root_, ParseOfdXml(ofd_xml, r.limits()));
  if (doc_index >= r.root_.doc_bodies.size()) {
    return InvalidArgumentError("OFD.xml has " + std::to_string(r.root_.doc_bodies.size()) +
                                " documents; there is no document " + std::to_string(doc_index));
  }
  const std::string& doc_path = r.root_.doc_bodies[doc_index].doc_root_path;
  auto doc_xml = r.ReadXmlFile(doc_path);
  if (!doc_xml.ok()) {
    if (doc_xml.status().code() == StatusCode::kNotFound) {
      return InvalidArgumentError("OFD.xml names the document " + doc_path +
                                  ", which is not in the package");
    }
    return doc_xml.status();
  }
  ASSIGN_OR_RETURN(r.document_, ParseDocumentXml(*doc_xml, doc_path, r.limits()));
  return r;
}

Result<Bytes> Reader::ReadXmlFile(std::string_view path) const {
  const EntryInfo* e = package_.Find(path);
  if (e == nullptr) e = package_.FindIgnoringCase(path);
  if (e == nullptr) return NotFoundError("OFD package has no file " + std::string(path));
  return package_.ReadEntry(*e, limits().max_xml_size);
}

Result<size_t> Reader::PageIndexForId(uint64_t page_id) const {
  for (size_t i = 0; i < document_.pages.size(); ++i) {
    if (document_.pages[i].id == page_id) return i;
  }
  return NotFoundError("the document has no page with ID " + std::to_string(page_id));
}

Result<size_t> Reader::PageIndexForRef(std::string_view page_ref) const {
  auto id = internal::ParseId(page_ref);
  if (!id)
    return NotFoundError("page reference \"" + std::string(page_ref) + "\" is not a page ID");
  return PageIndexForId(*id);
}

Result<Page> Reader::LoadPage(size_t index) const {
  if (index >= document_.pages.size()) {
    return InvalidArgumentError("page index " + std::to_string(index) + " is out of range (" +
                                std::to_string(document_.pages.size()) + " pages)");
  }
  const PageEntry& e = document_.pages[index];
  ASSIGN_OR_RETURN(Bytes xml, ReadXmlFile(e.path));
  return ParsePageXml(xml, e.path, limits());
}

Result<Page> Reader::LoadTemplate(uint64_t template_id) const {
  for (const TemplatePageDef& t : document_.templates) {
    if (t.id != template_id) continue;
    ASSIGN_OR_RETURN(Bytes xml, ReadXmlFile(t.path));
    return ParsePageXml(xml, t.path, limits());
  }
  return NotFoundError("the document has no template page with ID " + std::to_string(template_id));
}

Result<PageInfo> Reader::GetPageInfo(size_t index) const {
  ASSIGN_OR_RETURN(Page page, LoadPage(index));
  PageInfo info;
  info.index = index;
  info.id = document_.pages[index].id;
  info.path = document_.pages[index].path;
  if (page.area && page.area->physical_box) {
    info.physical_box = *page.area->physical_box;
    return info;
  }
  if (document_.page_area.physical_box) {
    info.physical_box = *document_.page_area.physical_box;
    return info;
  }
  for (const TemplateUse& use : page.templates) {
    auto t = LoadTemplate(use.template_id);
    if (t.ok() && t->area && t->area->physical_box) {
      info.physical_box = *t->area->physical_box;
      return info;
    }
  }
  info.physical_box = Box{0, 0, 210, 297};
  info.size_is_default = true;
  return info;
}

Result<Resources> Reader::LoadResources() const {
  Resources r;
  for (const auto* list : {&document_.public_res, &document_.document_res}) {
    for (const std::string& path : *list) {
      auto xml = ReadXmlFile(path);
      if (!xml.ok()) {
        if (xml.status().code() == StatusCode::kNotFound) continue;
        return xml.status();
      }
      RETURN_IF_ERROR(ParseResXml(*xml, path, limits(), &r));
    }
  }
  return r;
}

Result<Resources> Reader::LoadResources(const Page& page) const {
  ASSIGN_OR_RETURN(Resources r, LoadResources());
  for (const std::string& path : page.page_res) {
    auto xml = ReadXmlFile(path);
    if (!xml.ok()) {
      if (xml.status().code() == StatusCode::kNotFound) continue;
      return xml.status();
    }
    RETURN_IF_ERROR(ParseResXml(*xml, path, limits(), &r));
  }
  return r;
}

Result<Signatures> Reader::LoadSignatures() const {
  if (!has_signatures()) return NotFoundError("the document has no Signatures.xml");
  const std::string& path = doc_body().signatures_path;
  ASSIGN_OR_RETURN(Bytes xml, ReadXmlFile(path));
  return ParseSignaturesXml(xml, path, limits());
}

Result<Signature> Reader::LoadSignature(const SignatureEntry& entry) const {
  if (entry.path.empty()) {
    return InvalidArgumentError("signature " + entry.id + " has an unusable BaseLoc \"" +
                                entry.base_loc + "\"");
  }
  ASSIGN_OR_RETURN(Bytes xml, ReadXmlFile(entry.path));
  return ParseSignatureXml(xml, entry.path, limits());
}

}  // namespace eseal::ofd
