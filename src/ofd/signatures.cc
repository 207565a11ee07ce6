// Signatures.xml, the signature list (签名列表, GB/T 33190-2016 §18.1).
#include "eseal/ofd/signatures.h"

#include <algorithm>

#include "eseal/ofd/ofd_root.h"
#include "eseal/ofd/path.h"
#include "internal.h"
#include "xml.h"

namespace eseal::ofd {

using internal::Attr;
using internal::Child;
using internal::Children;
using internal::Text;

namespace {

constexpr std::string_view kDeclaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

void AppendAttr(std::string* out, std::string_view name, std::string_view value) {
  *out += ' ';
  *out += name;
  *out += "=\"";
  internal::AppendEscaped(out, value, true);
  *out += '"';
}

Status CheckEntry(const SignatureEntry& e) {
  if (internal::Trim(e.id).empty()) return InvalidArgumentError("a signature entry needs an ID");
  if (internal::Trim(e.base_loc).empty()) {
    return InvalidArgumentError("signature entry " + e.id + " needs a BaseLoc");
  }
  return Status::Ok();
}

std::string EntryElement(std::string_view prefix, const SignatureEntry& e) {
  std::string out = "<";
  if (!prefix.empty()) {
    out += prefix;
    out += ':';
  }
  out += "Signature";
  AppendAttr(&out, "ID", e.id);
  if (!e.type.empty()) AppendAttr(&out, "Type", e.type);
  AppendAttr(&out, "BaseLoc", e.base_loc);
  if (!e.relative.empty()) AppendAttr(&out, "Relative", e.relative);
  out += "/>";
  return out;
}

std::string MaxSignIdElement(std::string_view prefix, std::string_view value) {
  std::string tag = prefix.empty() ? "MaxSignId" : std::string(prefix) + ":MaxSignId";
  std::string out = "<" + tag + ">";
  internal::AppendEscaped(&out, value, false);
  out += "</" + tag + ">";
  return out;
}

uint64_t TrailingNumber(std::string_view s) {
  s = internal::Trim(s);
  size_t i = s.size();
  while (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9') --i;
  std::string_view digits = s.substr(i);
  if (digits.size() > 18) digits = digits.substr(digits.size() - 18);
  return internal::ParseId(digits).value_or(0);
}

}  // namespace

Result<Signatures> ParseSignaturesXml(ByteView xml, std::string_view signatures_path,
                                      const Limits& limits) {
  const std::string what(signatures_path);
  pugi::xml_document doc;
  RETURN_IF_ERROR(internal::ParseXml(xml, limits, what, &doc));
  ASSIGN_OR_RETURN(pugi::xml_node root, internal::RootElement(doc, "Signatures", what));
  Signatures s;
  for (pugi::xml_node c = root.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    std::string_view name = internal::LocalName(c);
    if (name == "MaxSignId") {
      s.max_sign_id = Text(c);  // the last one wins, as in a DOM reader that overwrites
    } else if (name == "Signature") {
      if (s.entries.size() >= limits.max_signatures) {
        return ResourceExhaustedError(what + ": more than the limit of " +
                                      std::to_string(limits.max_signatures) + " signatures");
      }
      SignatureEntry e;
      e.id = std::string(internal::Trim(Attr(c, "ID")));
      e.type = std::string(internal::Trim(Attr(c, "Type")));
      e.base_loc = std::string(Attr(c, "BaseLoc"));
      e.relative = std::string(internal::Trim(Attr(c, "Relative")));
      e.path = internal::ResolveOrEmpty(signatures_path, e.base_loc);
      s.entries.push_back(std::move(e));
    }
  }
  return s;
}

Result<Bytes> SerializeSignatures(const Signatures& signatures) {
  std::string out(kDeclaration);
  out += "<ofd:Signatures xmlns:ofd=\"";
  out += kOfdNamespace;
  out += "\">";
  for (const SignatureEntry& e : signatures.entries) {
    RETURN_IF_ERROR(CheckEntry(e));
    out += EntryElement("ofd", e);
  }
  if (!signatures.max_sign_id.empty()) out += MaxSignIdElement("ofd", signatures.max_sign_id);
  out += "</ofd:Signatures>";
  return ToBytes(out);
}

Result<Bytes> AddSignatureToSignaturesXml(ByteView signatures_xml, const SignatureEntry& entry,
                                          std::string_view max_sign_id, const Limits& limits) {
  RETURN_IF_ERROR(CheckEntry(entry));
  // Parse for validation and to know what to expect afterwards. The path only matters for
  // resolving BaseLocs, which are compared relative to the same path below.
  constexpr std::string_view kPath = "/Doc_0/Signs/Signatures.xml";
  ASSIGN_OR_RETURN(Signatures before, ParseSignaturesXml(signatures_xml, kPath, limits));
  for (const SignatureEntry& e : before.entries) {
    if (e.id == internal::Trim(entry.id)) {
      return AlreadyExistsError("Signatures.xml already has a signature with ID " + e.id);
    }
  }
  if (before.entries.size() + 1 > limits.max_signatures) {
    return ResourceExhaustedError("Signatures.xml would exceed the limit of " +
                                  std::to_string(limits.max_signatures) + " signatures");
  }

  std::string_view text = AsChars(signatures_xml);
  ASSIGN_OR_RETURN(internal::ElementSpan root, internal::ScanElements(text, limits.max_xml_depth));
  const std::string prefix(internal::Prefix(root.qname));
  std::vector<internal::Edit> edits;
  std::string new_entry = EntryElement(prefix, entry);

  const internal::ElementSpan* last_sig = nullptr;
  std::vector<const internal::ElementSpan*> max_ids;
  for (const internal::ElementSpan& c : root.children) {
    if (c.local_name() == "Signature") last_sig = &c;
    if (c.local_name() == "MaxSignId") max_ids.push_back(&c);
  }
  std::string at_end;  // content to add before the root's end tag
  if (last_sig != nullptr) {
    edits.push_back({last_sig->end, last_sig->end, new_entry});
  } else {
    at_end += new_entry;
  }
  if (!max_sign_id.empty()) {
    for (const internal::ElementSpan* m : max_ids) {
      if (m->self_closing) {
        edits.push_back(
            {m->start, m->end, MaxSignIdElement(internal::Prefix(m->qname), max_sign_id)});
      } else {
        std::string value;
        internal::AppendEscaped(&value, max_sign_id, false);
        edits.push_back({m->start_tag_end, m->end_tag_start, value});
      }
    }
    if (max_ids.empty()) {
      // Schema order puts MaxSignId first.
      std::string element = MaxSignIdElement(prefix, max_sign_id);
      if (root.self_closing) {
        at_end = element + at_end;
      } else {
        edits.push_back({root.start_tag_end, root.start_tag_end, element});
      }
    }
  }
  if (!at_end.empty()) {
    if (root.self_closing) {
      edits.push_back({root.end_tag_start, root.end, ">" + at_end + "</" + root.qname + ">"});
    } else {
      edits.push_back({root.end_tag_start, root.end_tag_start, at_end});
    }
  }
  ASSIGN_OR_RETURN(std::string out, internal::ApplyEdits(text, std::move(edits)));
  Bytes result = ToBytes(out);

  // Check that the edit did exactly what was asked.
  auto after = ParseSignaturesXml(result, kPath, limits);
  SignatureEntry expected = entry;
  expected.id = std::string(internal::Trim(entry.id));
  expected.type = std::string(internal::Trim(entry.type));
  expected.relative = std::string(internal::Trim(entry.relative));
  expected.path = internal::ResolveOrEmpty(kPath, entry.base_loc);
  std::vector<SignatureEntry> want = before.entries;
  want.push_back(expected);
  std::string want_max =
      max_sign_id.empty() ? before.max_sign_id : std::string(internal::Trim(max_sign_id));
  if (!after.ok() || after->entries != want || after->max_sign_id != want_max) {
    return InternalError("Signatures.xml: adding the signature entry gave an unexpected result");
  }
  return result;
}

uint64_t LargestSignId(const Signatures& signatures) {
  uint64_t m = TrailingNumber(signatures.max_sign_id);
  for (const SignatureEntry& e : signatures.entries) m = std::max(m, TrailingNumber(e.id));
  return m;
}

std::string NextSignFolder(const Package& package, std::string_view signs_dir) {
  std::string dir(signs_dir);
  if (dir.empty() || dir.back() != '/') dir += '/';
  auto fold = [](std::string s) {
    for (char& c : s) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return s;
  };
  for (size_t n = 0;; ++n) {
    std::string folder = dir + "Sign_" + std::to_string(n);
    std::string key = fold(folder);
    bool used = false;
    for (const EntryInfo& e : package.entries()) {
      std::string p = fold(e.path);
      if (p == key || p.starts_with(key + "/")) {
        used = true;
        break;
      }
    }
    if (!used) return folder + "/";
  }
}

}  // namespace eseal::ofd
