// Sealing a PDF document (PDF 签章; GB/T 38540 in a PDF signature dictionary as the field
// does it, pdf-and-timestamps.md §2): one signature appended as an incremental update
// (pdf/signature_writer.h), holding in /Contents either a GB/T 38540 SES_Signature
// (dataHash = SM3 of the ByteRange bytes, propertyInfo naming the field and the range) or
// a GB/T 35275 SM2/SM3 SignedData (adbe.pkcs7.detached, messageDigest = SM3 of the same
// bytes), each optionally timestamped. Earlier revisions are never rewritten, so earlier
// signatures stay valid.
// Thread-safety: reentrant.
#pragma once

#include <optional>
#include <string>

#include "eseal/base/bytes.h"
#include "eseal/base/time.h"
#include "eseal/crypto/sm2.h"
#include "eseal/pdf/limits.h"
#include "eseal/ses/seal.h"
#include "eseal/sign/ofd_signer.h"
#include "eseal/sign/timestamper.h"

namespace eseal::sign {

enum class PdfSignatureFormat {
  kSes,  // GB/T 38540 SES_Signature of the seal's version (电子签章)
  kCms,  // GB/T 35275 SignedData, SM2 with SM3 (数字签名)
};

struct PdfSignRequest {
  ByteView document;
  const ses::Seal* seal = nullptr;   // required for kSes; its picture is the appearance
  ByteView signer_cert_der;          // must be in the seal's certList for kSes
  const crypto::Sm2Signer* signer = nullptr;
  Time time{};
  // Same meaning as for OFD: positions in mm from the page's top-left corner (the stamp
  // box's top-left), the seal centred on a keyword (pdf/text.h), or a riding seal along an
  // edge. Empty: an invisible signature.
  Placement placement;
  PdfSignatureFormat format = PdfSignatureFormat::kSes;
  std::optional<int> certify;        // a certification signature with DocMDP /P 1..3
  std::string field_name;            // empty: "eseal-N" (the first free N)
  std::string reason, location;
  Timestamper timestamper;           // optional, as for OFD
  pdf::Limits limits;
};

struct PdfSignResult {
  Bytes document;
  std::string field_name;
  int appearances = 0;
  Bytes signed_value;  // what /Contents holds (without the zero padding)
};

// Errors: as pdf::Document::Open for a PDF it cannot read (damaged, encrypted, limits);
// InvalidArgument (placement outside the page, keyword placement, no seal for kSes);
// FailedPrecondition (the signer is not in the seal, the document is certified with no
// changes allowed, a v1 seal with a timestamper); the timestamper's error.
Result<PdfSignResult> SignPdf(const PdfSignRequest& request);

}  // namespace eseal::sign
