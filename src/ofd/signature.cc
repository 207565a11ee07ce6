// Signature.xml, the signature description (签名描述文件, GB/T 33190-2016 §18.2).
#include "eseal/ofd/signature.h"

#include "eseal/ofd/ofd_root.h"
#include "eseal/ofd/path.h"
#include "internal.h"
#include "xml.h"

namespace eseal::ofd {

using internal::Attr;
using internal::Child;
using internal::Children;
using internal::ChildText;
using internal::Text;

namespace {

std::string NoSpace(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (!internal::IsXmlSpace(c)) out += c;
  }
  return out;
}

// An attribute, or (as iOFD writes Provider) a child element of the same name.
std::string AttrOrChild(pugi::xml_node n, std::string_view name, bool* from_child) {
  if (internal::HasAttr(n, name)) return std::string(Attr(n, name));
  if (pugi::xml_node c = Child(n, name)) {
    *from_child = true;
    return Text(c);
  }
  return "";
}

class Writer {
 public:
  void Open(std::string_view name) {
    out_ += "<ofd:";
    out_ += name;
  }
  void Attr(std::string_view name, std::string_view value) {
    out_ += ' ';
    out_ += name;
    out_ += "=\"";
    internal::AppendEscaped(&out_, value, true);
    out_ += '"';
  }
  void EndOpen() { out_ += '>'; }
  void EndEmpty() { out_ += "/>"; }
  void Close(std::string_view name) {
    out_ += "</ofd:";
    out_ += name;
    out_ += '>';
  }
  void TextElement(std::string_view name, std::string_view text) {
    Open(name);
    EndOpen();
    internal::AppendEscaped(&out_, text, false);
    Close(name);
  }
  void Raw(std::string_view s) { out_ += s; }
  std::string& str() { return out_; }

 private:
  std::string out_;
};

}  // namespace

Result<Signature> ParseSignatureXml(ByteView xml, std::string_view signature_path,
                                    const Limits& limits) {
  const std::string what(signature_path);
  pugi::xml_document doc;
  RETURN_IF_ERROR(internal::ParseXml(xml, limits, what, &doc));
  ASSIGN_OR_RETURN(pugi::xml_node root, internal::RootElement(doc, "Signature", what));
  pugi::xml_node si = Child(root, "SignedInfo");
  if (!si) return InvalidArgumentError(what + ": Signature has no SignedInfo");
  Signature s;
  s.path = what;
  if (pugi::xml_node p = Child(si, "Provider")) {
    bool child = false;
    s.provider.provider_name = AttrOrChild(p, "ProviderName", &child);
    s.provider.company = AttrOrChild(p, "Company", &child);
    s.provider.version = AttrOrChild(p, "Version", &child);
    s.provider.protocol_ver = AttrOrChild(p, "ProtocolVer", &child);
    s.provider.as_child_elements = child;
  }
  s.signature_method = ChildText(si, "SignatureMethod");
  s.signature_date_time = ChildText(si, "SignatureDateTime");
  if (pugi::xml_node refs = Child(si, "References")) {
    s.check_method = std::string(internal::Trim(Attr(refs, "CheckMethod")));
    for (pugi::xml_node r : Children(refs, "Reference")) {
      if (s.references.size() >= limits.max_entries) {
        return ResourceExhaustedError(what + ": more references than the package can have entries");
      }
      Reference ref;
      ref.file_ref = std::string(Attr(r, "FileRef"));
      ref.path = internal::ResolveOrEmpty(signature_path, ref.file_ref);
      ref.check_value = NoSpace(ChildText(r, "CheckValue"));
      s.references.push_back(std::move(ref));
    }
  }
  for (pugi::xml_node a : Children(si, "StampAnnot")) {
    StampAnnot sa;
    sa.id = std::string(internal::Trim(Attr(a, "ID")));
    sa.page_ref = std::string(internal::Trim(Attr(a, "PageRef")));
    if (auto b = ParseBox(Attr(a, "Boundary")); b.ok()) sa.boundary = *b;
    if (internal::HasAttr(a, "Clip")) {
      if (auto c = ParseBox(Attr(a, "Clip")); c.ok()) sa.clip = *c;
    }
    s.stamp_annots.push_back(std::move(sa));
  }
  if (pugi::xml_node seal = Child(si, "Seal")) {
    s.seal_base_loc = ChildText(seal, "BaseLoc");
    if (s.seal_base_loc.empty())
      s.seal_base_loc = std::string(internal::Trim(Attr(seal, "BaseLoc")));
    s.seal_path = internal::ResolveOrEmpty(signature_path, s.seal_base_loc);
  }
  if (pugi::xml_node params = Child(si, "Parameters")) {
    for (pugi::xml_node p : Children(params, "Parameter")) {
      s.parameters.push_back({std::string(Attr(p, "Name")), std::string(Attr(p, "Type")), Text(p)});
    }
  }
  s.signed_value = ChildText(root, "SignedValue");
  s.signed_value_path = internal::ResolveOrEmpty(signature_path, s.signed_value);
  return s;
}

Result<Bytes> SerializeSignature(const Signature& s) {
  if (s.signed_value.empty()) return InvalidArgumentError("Signature.xml needs a SignedValue");
  if (s.provider.provider_name.empty())
    return InvalidArgumentError("Signature.xml needs a ProviderName");
  if (s.references.empty())
    return InvalidArgumentError("Signature.xml needs at least one Reference");
  Writer w;
  w.Raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  w.Raw("<ofd:Signature xmlns:ofd=\"");
  w.Raw(kOfdNamespace);
  w.Raw("\">");
  w.TextElement("SignedValue", s.signed_value);
  w.Open("SignedInfo");
  w.EndOpen();
  w.Open("Provider");
  w.Attr("ProviderName", s.provider.provider_name);
  if (!s.provider.company.empty()) w.Attr("Company", s.provider.company);
  if (!s.provider.version.empty()) w.Attr("Version", s.provider.version);
  if (!s.provider.protocol_ver.empty()) w.Attr("ProtocolVer", s.provider.protocol_ver);
  w.EndEmpty();
  if (!s.signature_method.empty()) w.TextElement("SignatureMethod", s.signature_method);
  if (!s.signature_date_time.empty()) w.TextElement("SignatureDateTime", s.signature_date_time);
  if (!s.seal_base_loc.empty()) {
    w.Open("Seal");
    w.EndOpen();
    w.TextElement("BaseLoc", s.seal_base_loc);
    w.Close("Seal");
  }
  for (const StampAnnot& a : s.stamp_annots) {
    if (a.id.empty() || a.page_ref.empty() || !a.boundary) {
      return InvalidArgumentError("a StampAnnot needs an ID, a PageRef and a Boundary");
    }
    w.Open("StampAnnot");
    w.Attr("ID", a.id);
    w.Attr("Boundary", FormatBox(*a.boundary));
    w.Attr("PageRef", a.page_ref);
    if (a.clip) w.Attr("Clip", FormatBox(*a.clip));
    w.EndEmpty();
  }
  w.Open("References");
  if (!s.check_method.empty()) w.Attr("CheckMethod", s.check_method);
  w.EndOpen();
  for (const Reference& r : s.references) {
    if (r.file_ref.empty()) return InvalidArgumentError("a Reference needs a FileRef");
    w.Open("Reference");
    w.Attr("FileRef", r.file_ref);
    w.EndOpen();
    w.TextElement("CheckValue", r.check_value);
    w.Close("Reference");
  }
  w.Close("References");
  if (!s.parameters.empty()) {
    w.Open("Parameters");
    w.EndOpen();
    for (const Parameter& p : s.parameters) {
      w.Open("Parameter");
      w.Attr("Name", p.name);
      if (!p.type.empty()) w.Attr("Type", p.type);
      w.EndOpen();
      internal::AppendEscaped(&w.str(), p.value, false);
      w.Close("Parameter");
    }
    w.Close("Parameters");
  }
  w.Close("SignedInfo");
  w.Close("Signature");
  return ToBytes(w.str());
}

}  // namespace eseal::ofd
