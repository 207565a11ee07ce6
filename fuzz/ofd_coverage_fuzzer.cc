// Fuzzes the coverage analysis on hostile packages: the render graph (every XML a reader
// follows from OFD.xml, with paths resolved every way a reader might) and the judgement
// of a signature against it, with the package's first Signature.xml standing in for a
// signature whose every Reference matched. Nothing may crash, hang, recurse without bound
// or parse a package file twice.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "../src/ofd/test_zip.h"
#include "../src/verify/internal.h"
#include "eseal/ofd/signature.h"
#include "eseal/ofd/signatures.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace eseal;
  ofd::Limits limits;
  limits.max_package_size = 8u << 20;
  limits.max_total_uncompressed = 16u << 20;
  limits.max_entry_size = 8u << 20;
  limits.max_xml_size = 4u << 20;
  limits.max_page_objects = 20000;
  // Two input forms: a zip (seeds from the vendor corpus), or the package's files as text —
  // "@@ <entry name>\n<content>" repeated — zipped here, so that mutations reach the XML
  // instead of dying on zip checksums.
  Bytes zip;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (text.starts_with("@@ ")) {
    std::vector<std::pair<std::string, std::string>> files;
    size_t at = 0;
    while (at < text.size() && files.size() < 64) {
      size_t name_end = text.find('\n', at);
      if (name_end == std::string_view::npos) break;
      size_t next = text.find("\n@@ ", name_end);
      size_t end = next == std::string_view::npos ? text.size() : next;
      files.emplace_back(std::string(text.substr(at + 3, name_end - at - 3)),
                         std::string(text.substr(name_end + 1, end - name_end - 1)));
      at = next == std::string_view::npos ? text.size() : next + 1;
    }
    zip = ofd::testing::BuildZipFiles(files);
  } else {
    zip.assign(data, data + size);
  }
  auto pkg = ofd::Package::Open(std::move(zip), limits);
  if (!pkg.ok()) return 0;
  verify::internal::RenderGraph g = verify::internal::BuildRenderGraph(*pkg);
  size_t xml_files = 0;
  for (const ofd::EntryInfo& e : pkg->entries()) xml_files += e.is_directory ? 0 : 1;
  // Each file at most once, OFD.xml twice (typed and as a tree).
  if (g.xml_parses > xml_files + 1) std::abort();

  // One signature list, judged as if every Reference matched.
  std::string list_path;
  for (const auto& b : g.doc_bodies) {
    if (!b.signatures_path.empty()) {
      list_path = b.signatures_path;
      break;
    }
  }
  if (list_path.empty()) return 0;
  auto list_xml = pkg->Read(list_path, limits.max_xml_size);
  if (!list_xml.ok()) return 0;
  auto list = ofd::ParseSignaturesXml(*list_xml, list_path, limits);
  if (!list.ok()) return 0;
  std::vector<verify::internal::ListedSignature> listed;
  for (const ofd::SignatureEntry& e : list->entries) {
    if (listed.size() >= 8) break;
    verify::internal::ListedSignature ls;
    ls.entry = e;
    if (auto raw = pkg->Read(e.path, limits.max_xml_size); raw.ok()) {
      if (auto s = ofd::ParseSignatureXml(*raw, e.path, limits); s.ok()) ls.signature = *s;
    }
    listed.push_back(std::move(ls));
  }
  std::vector<std::optional<verify::internal::CoverageInput>> inputs(listed.size());
  std::vector<Report> reports(listed.size());
  std::vector<Report*> report_ptrs;
  for (size_t i = 0; i < listed.size(); ++i) {
    report_ptrs.push_back(&reports[i]);
    if (!listed[i].signature) continue;
    verify::internal::CoverageInput in;
    in.package = &*pkg;
    in.signatures_path = list_path;
    in.list = &listed;
    in.index = i;
    in.limits = &limits;
    for (const ofd::Reference& r : listed[i].signature->references) {
      if (r.path.empty()) continue;
      in.referenced.insert(r.path);
      if (pkg->Contains(r.path)) in.verified.insert(r.path);
    }
    inputs[i] = std::move(in);
  }
  verify::internal::CheckListCoverage(g, inputs, report_ptrs);
  for (const Report& r : reports) (void)r.verdict();
  return 0;
}
