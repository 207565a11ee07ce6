// What a signature must cover (保护范围): files in the package that its References leave
// out, judged from what real producers leave out (docs/ofd-signing.md):
//   - its own Signature.xml and signature value: never covered (they do not exist yet);
//   - Signatures.xml: left out in continue mode (继续签章), covered in whole mode;
//   - the files of other signatures (their Signature.xml, value, Seal.esl, and files in
//     their own Sign_N folder that they protect, e.g. oesplugin's signFilePaths.dat):
//     later ones did not exist yet; earlier ones are protected by their own signature;
//   - OFD.xml: KingGrid and GOMAIN's Type="Sign" leave it out (it changes when the first
//     signature adds <Signatures>) — WARNING ofd.reference.unprotected;
//   - a file that a file the signature does protect names (a template page, resource,
//     annotation list): it belonged to the document at signing time, the producer just did
//     not protect it (GOMAIN leaves template pages out) — WARNING ofd.reference.unprotected;
//   - anything else was added after signing: FAIL ofd.reference.smuggled.
#include <pugixml.hpp>

#include <algorithm>
#include <map>

#include "eseal/ofd/path.h"
#include "internal.h"

namespace eseal::verify::internal {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

std::string_view LocalName(const char* qname) {
  std::string_view n(qname);
  size_t colon = n.find(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

std::string Trim(std::string_view s) {
  size_t a = s.find_first_not_of(" \t\r\n");
  if (a == std::string_view::npos) return "";
  size_t b = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(a, b - a + 1));
}

// For each wanted file (lower-case path), the first protected XML file that names it.
std::map<std::string, std::string> NamedBy(const CoverageInput& in,
                                           const std::map<std::string, std::string>& wanted) {
  std::map<std::string, std::string> out;
  std::vector<std::string> files(in.referenced.begin(), in.referenced.end());
  for (const std::string& file : files) {
    if (!Lower(file).ends_with(".xml")) continue;
    const ofd::EntryInfo* e = in.package->Find(file);
    if (e == nullptr) continue;
    auto data = in.package->ReadEntry(*e, in.limits->max_xml_size);
    if (!data.ok()) continue;
    pugi::xml_document doc;
    if (!doc.load_buffer(data->data(), data->size(), pugi::parse_default, pugi::encoding_utf8)) {
      continue;
    }
    pugi::xml_node root = doc.document_element();
    std::string res_dir;
    if (root && LocalName(root.name()) == "Res") {
      if (pugi::xml_attribute b = root.attribute("BaseLoc")) {
        auto d = ofd::ResolveLoc(file, b.value());
        if (d.ok()) res_dir = *d == "/" ? "/" : *d + "/";
      }
    }
    auto consider = [&](std::string_view raw) {
      std::string v = Trim(raw);
      if (v.empty() || v.size() > 1024) return;
      std::vector<std::string> candidates;
      if (auto p = ofd::ResolveLoc(file, v); p.ok()) candidates.push_back(*p);
      if (!res_dir.empty()) {
        if (auto p = ofd::ResolveLocInDir(res_dir, v); p.ok()) candidates.push_back(*p);
      }
      for (const std::string& c : candidates) {
        std::string key = Lower(c);
        if (wanted.count(key) && !out.count(key)) out[key] = file;
      }
    };
    // Iterative walk: element attributes and text.
    std::vector<pugi::xml_node> stack = {root};
    size_t visited = 0;
    while (!stack.empty() && visited < in.limits->max_page_objects * 4) {
      pugi::xml_node n = stack.back();
      stack.pop_back();
      ++visited;
      if (n.type() == pugi::node_pcdata || n.type() == pugi::node_cdata) {
        consider(n.value());
        continue;
      }
      if (n.type() != pugi::node_element) continue;
      for (pugi::xml_attribute a = n.first_attribute(); a; a = a.next_attribute()) consider(a.value());
      for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) stack.push_back(c);
    }
    if (out.size() == wanted.size()) break;
  }
  return out;
}

}  // namespace

void CheckCoverage(const CoverageInput& in, Report& r) {
  const std::vector<ListedSignature>& list = *in.list;
  const ofd::Signature& me = *list[in.index].signature;
  const bool whole = in.referenced.count(in.signatures_path) > 0;
  r.Info("ofd.signature.mode",
         whole ? "whole-protection mode (整体保护): Signatures.xml is protected, so no later "
                 "signature can be added without breaking this one"
               : "continue mode (继续签章): Signatures.xml is not protected, later signatures may be added")
      .params = {{"mode", whole ? "whole" : "continue"}};

  // Files that belong to other signatures.
  const std::string list_dir = ofd::ParentDir(in.signatures_path);
  std::map<std::string, size_t> owner;
  for (size_t j = 0; j < list.size(); ++j) {
    if (j == in.index) continue;
    const ListedSignature& o = list[j];
    if (!o.entry.path.empty()) owner.emplace(o.entry.path, j);
    if (!o.signature) continue;
    const ofd::Signature& s = *o.signature;
    if (!s.signed_value_path.empty()) owner.emplace(s.signed_value_path, j);
    if (!s.seal_path.empty()) owner.emplace(s.seal_path, j);
    const std::string folder = ofd::ParentDir(o.entry.path);
    if (folder != list_dir && folder != "/" && !list_dir.starts_with(folder)) {
      for (const ofd::Reference& ref : s.references) {
        if (ref.path.starts_with(folder)) owner.emplace(ref.path, j);
      }
    }
  }

  size_t later = 0, earlier = 0;
  std::vector<std::string> open;  // files still to judge
  for (const std::string& p : in.package->FilePaths()) {
    if (in.referenced.count(p)) continue;
    if (p == list[in.index].entry.path || p == me.signed_value_path) continue;
    if (p == in.signatures_path) continue;
    if (auto it = owner.find(p); it != owner.end()) {
      (it->second > in.index ? later : earlier)++;
      continue;
    }
    if (p == me.seal_path) {
      r.Warn("ofd.reference.unprotected",
             "this signature's seal file is not protected; it is compared with the seal inside "
             "the signature value instead")
          .params = {{"file", p}, {"reason", "own_seal_file"}};
      continue;
    }
    open.push_back(p);
  }

  size_t unprotected = 0, smuggled = 0;
  if (!open.empty()) {
    std::map<std::string, std::string> wanted;
    for (const std::string& p : open) wanted[Lower(p)] = p;
    std::map<std::string, std::string> named = NamedBy(in, wanted);
    for (const std::string& p : open) {
      if (Lower(p) == "/ofd.xml") {
        ++unprotected;
        r.Warn("ofd.reference.unprotected",
               "tolerated: OFD.xml is not protected (KingGrid and GOMAIN leave it out); every "
               "document it could name is checked here")
            .params = {{"file", p}, {"reason", "ofd_xml"}, {"tolerance", "ofd_xml_unprotected"}};
      } else if (auto it = named.find(Lower(p)); it != named.end()) {
        ++unprotected;
        r.Warn("ofd.reference.unprotected",
               p + " is used by the document (named in " + it->second +
                   ") but the signature does not protect it; its content could change unseen")
            .params = {{"file", p}, {"reason", "named_by"}, {"named_by", it->second}};
      } else {
        ++smuggled;
        r.Fail("ofd.reference.smuggled",
               p + " is not covered by this signature, belongs to no other signature and is "
                   "named by no protected file: it was added after signing")
            .params = {{"file", p}};
      }
    }
  }
  r.Info("ofd.reference.coverage",
         std::to_string(in.referenced.size()) + " file(s) protected; " + std::to_string(later) +
             " belong to later signatures, " + std::to_string(earlier) + " to earlier ones; " +
             std::to_string(unprotected) + " unprotected, " + std::to_string(smuggled) +
             " smuggled")
      .params = {{"protected", std::to_string(in.referenced.size())},
                 {"later_signature_files", std::to_string(later)},
                 {"earlier_signature_files", std::to_string(earlier)},
                 {"unprotected", std::to_string(unprotected)},
                 {"smuggled", std::to_string(smuggled)}};
}

}  // namespace eseal::verify::internal
