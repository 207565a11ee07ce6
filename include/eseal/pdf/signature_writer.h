// Appending a signature to a PDF as an incremental update (增量更新, ISO 32000-1 §7.5.6,
// §12.8): our own writer on top of libqpdf's reading, because qpdf cannot write
// incremental updates. Not one byte of the earlier revisions changes. Appended: the
// signature dictionary with a fixed-width /ByteRange and a zeroed /Contents placeholder,
// the signature field with its widgets (签章外观) in the pages' /Annots and in
// /AcroForm /Fields (/SigFlags 3), the appearance form XObjects drawing the seal picture
// (RGB image + /SMask), changed Catalog/AcroForm/page objects, and a cross-reference
// section of the same kind as the file's last one (table or stream) with /Prev.
// Thread-safety: reentrant.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "eseal/base/bytes.h"
#include "eseal/base/result.h"
#include "eseal/pdf/document.h"
#include "eseal/pdf/image.h"

namespace eseal::pdf {

// One widget: its rectangle on `page` (1-based) in PDF points, origin bottom-left, and
// where the picture is drawn relative to the widget's lower-left corner (a riding seal's
// slice draws the whole picture shifted, clipped to the widget).
struct Widget {
  int page = 1;
  double x = 0, y = 0, width = 0, height = 0;
  double image_x = 0, image_y = 0, image_width = 0, image_height = 0;  // 0 size: fill the widget
};

struct SignatureSpec {
  std::string field_name;                    // unique among the document's fields
  std::string type = "Sig";                  // "Sig", or "DocTimeStamp" (ETSI.RFC3161)
  std::string filter = "Adobe.PPKLite";
  std::string sub_filter = "adbe.pkcs7.detached";
  size_t contents_capacity = 32768;          // bytes reserved for /Contents
  std::string signing_time;                  // /M (PdfDate), omitted when empty
  std::string name, reason, location;        // UTF-8, omitted when empty
  const RgbImage* image = nullptr;           // what the widgets draw
  std::vector<Widget> widgets;               // empty: one invisible widget on page 1
  std::optional<int> docmdp;                 // certification signature: DocMDP /P 1..3
};

class PreparedSignature {
 public:
  const Bytes& file() const { return file_; }
  // [0, a, b, c]: everything but the /Contents hex string, '<' and '>' included in the gap.
  const std::vector<int64_t>& byte_range() const { return byte_range_; }
  // The bytes a signature covers (the two ranges, concatenated).
  Bytes SignedBytes() const;
  // Writes `value` (DER) into the placeholder, zero-padded. FailedPrecondition when it does
  // not fit (the caller prepares again with a larger capacity).
  Status SetContents(ByteView value);
  size_t capacity() const { return hex_len_ / 2; }

 private:
  friend Result<PreparedSignature> PrepareSignature(const Document&, const SignatureSpec&);
  Bytes file_;
  std::vector<int64_t> byte_range_;
  size_t hex_offset_ = 0;  // first hex digit
  size_t hex_len_ = 0;
};

// InvalidArgument: a field of that name exists, a widget's page is out of range, a widget
// without a picture, a DocMDP level outside 1..3; FailedPrecondition: an earlier
// certification signature allows no changes (DocMDP 1).
Result<PreparedSignature> PrepareSignature(const Document& doc, const SignatureSpec& spec);

}  // namespace eseal::pdf
