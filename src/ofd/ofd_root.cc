// OFD.xml, the main entry file (主入口文件, GB/T 33190-2016 §7.4).
#include "eseal/ofd/ofd_root.h"

#include "eseal/ofd/path.h"
#include "xml.h"

namespace eseal::ofd {

using internal::Attr;
using internal::Child;
using internal::Children;
using internal::ChildText;
using internal::Text;

Result<OfdRoot> ParseOfdXml(ByteView xml, const Limits& limits) {
  pugi::xml_document doc;
  RETURN_IF_ERROR(internal::ParseXml(xml, limits, "OFD.xml", &doc));
  ASSIGN_OR_RETURN(pugi::xml_node root, internal::RootElement(doc, "OFD", "OFD.xml"));
  OfdRoot r;
  r.version = std::string(internal::Trim(Attr(root, "Version")));
  r.doc_type = std::string(internal::Trim(Attr(root, "DocType")));
  size_t n = 0;
  for (pugi::xml_node body : Children(root, "DocBody")) {
    DocBody b;
    const std::string where = "OFD.xml DocBody " + std::to_string(n++);
    if (pugi::xml_node info = Child(body, "DocInfo")) {
      b.doc_info.doc_id = ChildText(info, "DocID");
      b.doc_info.title = ChildText(info, "Title");
      b.doc_info.author = ChildText(info, "Author");
      b.doc_info.subject = ChildText(info, "Subject");
      b.doc_info.creator = ChildText(info, "Creator");
      b.doc_info.creator_version = ChildText(info, "CreatorVersion");
      b.doc_info.creation_date = ChildText(info, "CreationDate");
      b.doc_info.mod_date = ChildText(info, "ModDate");
      if (pugi::xml_node cds = Child(info, "CustomDatas")) {
        for (pugi::xml_node cd : Children(cds, "CustomData")) {
          b.doc_info.custom_datas.push_back({std::string(Attr(cd, "Name")), Text(cd)});
        }
      }
    }
    b.doc_root = ChildText(body, "DocRoot");
    if (b.doc_root.empty()) return InvalidArgumentError(where + " has no DocRoot");
    auto root_path = ResolveLoc(kOfdXmlPath, b.doc_root);
    if (!root_path.ok()) return root_path.status().WithContext(where + " DocRoot");
    b.doc_root_path = std::move(root_path).value();
    b.signatures = ChildText(body, "Signatures");
    if (!b.signatures.empty()) {
      auto sp = ResolveLoc(kOfdXmlPath, b.signatures);
      if (!sp.ok()) return sp.status().WithContext(where + " Signatures");
      b.signatures_path = std::move(sp).value();
    }
    r.doc_bodies.push_back(std::move(b));
  }
  if (r.doc_bodies.empty()) return InvalidArgumentError("OFD.xml has no DocBody");
  return r;
}

Result<Bytes> AddSignaturesToOfdXml(ByteView ofd_xml, size_t doc_body_index,
                                    std::string_view signatures_loc, const Limits& limits) {
  ASSIGN_OR_RETURN(OfdRoot before, ParseOfdXml(ofd_xml, limits));
  if (doc_body_index >= before.doc_bodies.size()) {
    return InvalidArgumentError("OFD.xml has no DocBody " + std::to_string(doc_body_index));
  }
  if (!before.doc_bodies[doc_body_index].signatures.empty()) {
    return FailedPreconditionError("OFD.xml DocBody " + std::to_string(doc_body_index) +
                                   " already names a Signatures file");
  }
  ASSIGN_OR_RETURN(std::string resolved, ResolveLoc(kOfdXmlPath, signatures_loc));

  std::string_view text = AsChars(ofd_xml);
  ASSIGN_OR_RETURN(internal::ElementSpan root, internal::ScanElements(text, limits.max_xml_depth));
  const internal::ElementSpan* body = nullptr;
  size_t seen = 0;
  for (const internal::ElementSpan& c : root.children) {
    if (c.local_name() == "DocBody" && seen++ == doc_body_index) {
      body = &c;
      break;
    }
  }
  if (body == nullptr) return InternalError("OFD.xml: DocBody not found by the scanner");
  for (const internal::ElementSpan& c : body->children) {
    // An empty or odd <Signatures> element still counts: never add a second one.
    if (c.local_name() == "Signatures") {
      return FailedPreconditionError("OFD.xml DocBody " + std::to_string(doc_body_index) +
                                     " already has a Signatures element");
    }
  }
  std::string_view prefix = internal::Prefix(body->qname);
  const std::string tag = prefix.empty() ? "Signatures" : std::string(prefix) + ":Signatures";
  std::string element = "<" + tag + ">";
  internal::AppendEscaped(&element, internal::Trim(signatures_loc), false);
  element += "</" + tag + ">";
  internal::Edit edit;
  if (body->self_closing) {
    edit = {body->end_tag_start, body->end, ">" + element + "</" + body->qname + ">"};
  } else {
    edit = {body->end_tag_start, body->end_tag_start, element};
  }
  ASSIGN_OR_RETURN(std::string out, internal::ApplyEdits(text, {edit}));
  Bytes result = ToBytes(out);

  // The edit must have done exactly what was asked.
  auto after = ParseOfdXml(result, limits);
  if (!after.ok() || after->doc_bodies.size() != before.doc_bodies.size() ||
      after->doc_bodies[doc_body_index].signatures_path != resolved ||
      after->doc_bodies[doc_body_index].doc_root_path !=
          before.doc_bodies[doc_body_index].doc_root_path) {
    return InternalError("OFD.xml: adding the Signatures element gave an unexpected result");
  }
  return result;
}

}  // namespace eseal::ofd
