// Fuzzes the OFD XML model parsers: the same bytes are parsed as OFD.xml, Document.xml,
// a page Content.xml (then text extraction and path data), a resource file, Signatures.xml
// and Signature.xml; whatever parses is serialised or edited and must parse again.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "eseal/ofd/document.h"
#include "eseal/ofd/ofd_root.h"
#include "eseal/ofd/page.h"
#include "eseal/ofd/path_data.h"
#include "eseal/ofd/resources.h"
#include "eseal/ofd/signature.h"
#include "eseal/ofd/signatures.h"
#include "eseal/ofd/text.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

void WalkPaths(const std::vector<eseal::ofd::PageObject>& objects) {
  for (const auto& o : objects) {
    if (!o.abbreviated_data.empty()) (void)eseal::ofd::ParseAbbreviatedData(o.abbreviated_data);
    WalkPaths(o.children);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace eseal::ofd;
  eseal::ByteView in(data, size);
  Limits limits;
  limits.max_xml_size = 1 << 20;
  limits.max_pages = 200;
  limits.max_page_objects = 20000;

  if (auto root = ParseOfdXml(in, limits); root.ok()) {
    for (size_t i = 0; i < root->doc_bodies.size() && i < 3; ++i) {
      auto edited = AddSignaturesToOfdXml(in, i, "/Doc_0/Signs/Signatures.xml", limits);
      if (root->doc_bodies[i].signatures.empty()) {
        Check(edited.ok() || edited.status().code() != eseal::StatusCode::kInternal);
      }
    }
  }
  (void)ParseDocumentXml(in, "/Doc_0/Document.xml", limits);
  if (auto page = ParsePageXml(in, "/Doc_0/Pages/Page_0/Content.xml", limits); page.ok()) {
    auto runs = ExtractText(*page);
    (void)FindText(runs, "名称");
    (void)FindText(runs, "a");
    for (const Layer& l : page->layers) WalkPaths(l.objects);
  }
  Resources res;
  (void)ParseResXml(in, "/Doc_0/PublicRes.xml", limits, &res);
  if (auto sigs = ParseSignaturesXml(in, "/Doc_0/Signs/Signatures.xml", limits); sigs.ok()) {
    SignatureEntry e{"fuzz1", "Seal", "/Doc_0/Signs/Sign_9/Signature.xml", "", ""};
    auto edited = AddSignatureToSignaturesXml(in, e, "9", limits);
    // An edit may be refused (duplicate ID) but must never produce a surprise.
    Check(edited.ok() || edited.status().code() != eseal::StatusCode::kInternal);
    auto again = SerializeSignatures(*sigs);
    if (again.ok()) Check(ParseSignaturesXml(*again, "/Doc_0/Signs/Signatures.xml", limits).ok());
  }
  if (auto sig = ParseSignatureXml(in, "/Doc_0/Signs/Sign_0/Signature.xml", limits); sig.ok()) {
    auto bytes = SerializeSignature(*sig);
    if (bytes.ok()) {
      auto back = ParseSignatureXml(*bytes, "/Doc_0/Signs/Sign_0/Signature.xml", limits);
      Check(back.ok());
      Check(back->references.size() == sig->references.size());
      Check(back->stamp_annots.size() == sig->stamp_annots.size());
    }
  }
  (void)ParseAbbreviatedData(eseal::AsChars(in), 10000);
  return 0;
}
