// A PDF file read for sealing and verification (ISO 32000-1): its revisions, pages and
// signature fields (签名域) with their ByteRange and /Contents. Parsed with libqpdf with
// xref recovery off — a file that needs repair cannot be signed incrementally, and its
// signatures cannot be judged, so it is refused with a message that says so. Encrypted
// files are refused too. Bounded by Limits.
// Thread-safety: a Document is not shared between threads while in use.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "eseal/base/bytes.h"
#include "eseal/base/result.h"
#include "eseal/pdf/limits.h"
#include "eseal/pdf/revisions.h"

namespace eseal::pdf {

// A page's MediaBox in PDF points (1/72 inch), origin bottom-left.
struct PageBox {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  int rotate = 0;
  double width() const { return x1 - x0; }
  double height() const { return y1 - y0; }
};

// A signature field with a value: a signature dictionary (/Type /Sig) or a document
// timestamp (/Type /DocTimeStamp).
struct SignatureField {
  std::string name;         // fully qualified field name (T of the field and its parents)
  std::string type;         // "Sig" or "DocTimeStamp" (what /Type says; "Sig" when absent)
  std::string filter;       // /Filter without the slash, e.g. "Adobe.PPKLite"
  std::string sub_filter;   // /SubFilter, e.g. "adbe.pkcs7.detached"; never trusted for the format
  std::vector<int64_t> byte_range;  // as written (a valid one has 4 numbers)
  Bytes contents;           // /Contents, decoded
  int dict_object = 0;      // the signature dictionary's object number (0: a direct object)
  int dict_generation = 0;
  std::string signing_time;  // /M as written ("D:..."), empty when absent
  std::vector<int> widget_pages;  // 1-based pages of the field's widgets
  std::optional<int> docmdp;      // certification: the DocMDP /P (1, 2 or 3)
};

// The Document Security Store (文档安全存储, DSS; ISO 32000-2 §12.8.4.3, PAdES B-LT in
// ETSI EN 319 142-1): validation data put in the Catalog's /DSS for later verifiers —
// certificates, CRLs and OCSP responses, each a stream holding DER. Untrusted material: it
// may help build a path or judge revocation, it never vouches for anything.
struct Dss {
  bool present = false;                   // the Catalog has a /DSS dictionary
  std::vector<Bytes> certs, crls, ocsps;  // each stream's decoded data, in array order
  size_t vri = 0;                         // entries of /VRI (per-signature data; read, not used)
  // Entries skipped, each named (not a stream, a filter other than FlateDecode, too
  // large, past limits.max_dss_entries); at most 20.
  std::vector<std::string> problems;
};

class Document {
 public:
  // Copies `file`. InvalidArgument (damaged, not a PDF, needs repair), FailedPrecondition
  // (encrypted), ResourceExhausted (limits); messages are Chinese first.
  static Result<Document> Open(ByteView file, const Limits& limits = {});
  Document(Document&&) noexcept;
  Document& operator=(Document&&) noexcept;
  ~Document();

  ByteView bytes() const;
  const std::vector<Revision>& revisions() const;
  // The offset the file's last startxref names (what a new section's /Prev must be).
  uint64_t last_startxref() const;
  size_t page_count() const;
  PageBox page(size_t index) const;  // 0-based, index < page_count()
  const std::vector<SignatureField>& signatures() const;
  const Dss& dss() const;
  const Limits& limits() const;
  // What the parser noticed without needing to repair anything (at most 20), for reports.
  const std::vector<std::string>& warnings() const;

  struct Impl;
  Impl& impl() const { return *impl_; }  // for the module's own code (internal.h)

 private:
  explicit Document(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The DER element at the start of a field's /Contents, without the zero padding the
// placeholder leaves after it; empty when /Contents does not start with one.
ByteView ContentsValue(const SignatureField& field);

// A PDF date string ("D:20261207093000+08'00'") for a time, in China Standard Time.
std::string PdfDate(int64_t unix_seconds);

}  // namespace eseal::pdf
