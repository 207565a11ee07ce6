// Reader: one document (文档) of an OFD package, opened for reading: OFD.xml, the chosen
// DocBody's Document.xml, and on request its pages, templates, resources and signatures.
// It is what the signing and verification layers use to go from a page index to the page
// object ID, the Content.xml path and the page size, and from Signatures.xml to each
// Signature.xml.
//
// Open parses only OFD.xml and Document.xml; everything else is parsed when asked for, so
// a verifier can still inspect the signatures of a document whose pages are broken.
// Thread-safety: const methods may be called from several threads at once.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "eseal/base/bytes.h"
#include "eseal/base/result.h"
#include "eseal/ofd/document.h"
#include "eseal/ofd/geometry.h"
#include "eseal/ofd/limits.h"
#include "eseal/ofd/ofd_root.h"
#include "eseal/ofd/package.h"
#include "eseal/ofd/page.h"
#include "eseal/ofd/resources.h"
#include "eseal/ofd/signature.h"
#include "eseal/ofd/signatures.h"

namespace eseal::ofd {

struct PageInfo {
  size_t index = 0;  // 0-based page index
  uint64_t id = 0;   // page object ID
  std::string path;  // canonical path of its Content.xml
  Box physical_box;  // page size in mm: the page's Area, else Document's PageArea, else the
                     // first template's Area, else A4
  bool size_is_default = false;  // true when none of those gave a PhysicalBox
};

class Reader {
 public:
  // Parses OFD.xml and the Document.xml of DocBody number `doc_index`.
  static Result<Reader> Open(Package package, size_t doc_index = 0);
  static Result<Reader> OpenBytes(Bytes zip, const Limits& limits = {}, size_t doc_index = 0);
  static Result<Reader> OpenFile(const std::string& path, const Limits& limits = {},
                                 size_t doc_index = 0);

  const Package& package() const { return package_; }
  const Limits& limits() const { return package_.limits(); }
  const OfdRoot& root() const { return root_; }
  size_t doc_index() const { return doc_index_; }
  const DocBody& doc_body() const { return root_.doc_bodies[doc_index_]; }
  const Document& document() const { return document_; }

  // Reads and parses a package XML file under the XML size limit.
  Result<Bytes> ReadXmlFile(std::string_view path) const;

  size_t page_count() const { return document_.pages.size(); }
  // NotFound if no page has this object ID.
  Result<size_t> PageIndexForId(uint64_t page_id) const;
  // Same, with the ID as written in StampAnnot@PageRef.
  Result<size_t> PageIndexForRef(std::string_view page_ref) const;
  // OutOfRange-style InvalidArgument for a bad index.
  Result<PageInfo> GetPageInfo(size_t index) const;
  Result<Page> LoadPage(size_t index) const;
  // The template page with this ID (Document.xml CommonData/TemplatePage).
  Result<Page> LoadTemplate(uint64_t template_id) const;

  // PublicRes and DocumentRes of the document. Missing resource files are skipped;
  // malformed ones are an error.
  Result<Resources> LoadResources() const;
  // The document's resources plus the page's own PageRes files.
  Result<Resources> LoadResources(const Page& page) const;

  // True if the DocBody names a Signatures.xml.
  bool has_signatures() const { return !doc_body().signatures_path.empty(); }
  // NotFound if there is none, or the file it names is missing.
  Result<Signatures> LoadSignatures() const;
  // The Signature.xml an entry points to.
  Result<Signature> LoadSignature(const SignatureEntry& entry) const;

 private:
  Reader(Package package, size_t doc_index) : package_(std::move(package)), doc_index_(doc_index) {}
  Package package_;
  size_t doc_index_;
  OfdRoot root_;
  Document document_;
};

}  // namespace eseal::ofd
