// Sealing an OFD document (OFD 签章, GB/T 33190 §18 / GM/T 0099 / GB/T 38540): adds one
// signature — Type="Seal" with an SES_Signature, or Type="Sign" with a GB/T 35275
// SignedData — whose References cover every file of the package at signing time, written
// so that ofdrw's and other vendors' verifiers accept it (ses-formats.md §7). Earlier
// signatures' protected bytes are never rewritten.
// Thread-safety: reentrant.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "eseal/base/bytes.h"
#include "eseal/base/time.h"
#include "eseal/crypto/sm2.h"
#include "eseal/ofd/limits.h"
#include "eseal/ses/seal.h"
#include "eseal/sign/timestamper.h"

namespace eseal::sign {

enum class Edge { kLeft, kRight, kTop, kBottom };

// One appearance at a fixed place. `page` is 1-based; (x_mm, y_mm) is the top-left corner
// of the stamp box in page millimetres (OFD's coordinate system: origin top-left, y down).
struct PagePosition {
  int page = 1;
  double x_mm = 0;
  double y_mm = 0;
};

// Seal centred on a keyword: every hit (occurrence 0) or the n-th (1-based), on pages
// first_page..last_page (last_page 0: the last page).
struct KeywordPlacement {
  std::string keyword;
  int occurrence = 0;
  int first_page = 1;
  int last_page = 0;
};

// Riding seal (骑缝章): the seal image cut into slices, one per page, along one edge, each
// slice drawn with a Clip so that the pages laid side by side show the whole seal.
struct RidingPlacement {
  Edge edge = Edge::kRight;
  int first_page = 1;
  int last_page = 0;
  double offset_mm = -1;  // distance of the seal's centre from the top (left/right edges)
                          // or left (top/bottom edges); negative: the middle of the edge
};

// Exactly one of positions / keyword / riding is used; positions may hold several
// appearances for one signature.
struct Placement {
  std::vector<PagePosition> positions;
  std::optional<KeywordPlacement> keyword;
  std::optional<RidingPlacement> riding;
  double width_mm = 0;   // 0: the seal picture's width
  double height_mm = 0;  // 0: the seal picture's height
};

enum class ProtectMode {
  kContinue,  // Signatures.xml is not protected: later signatures may be added
  kWhole,     // Signatures.xml is protected: the document is closed to further signatures
};

enum class SignatureType {
  kSeal,  // Type="Seal": SES_Signature of the seal's version; Seal.esl written beside it
  kSign,  // Type="Sign": GB/T 35275 SignedData (PKCS#9 signed attributes form)
};

struct OfdSignRequest {
  ByteView document;                          // the OFD package as received
  const ses::Seal* seal = nullptr;            // required for kSeal (its picture is the appearance)
  ByteView signer_cert_der;                   // must be in the seal's certList for kSeal
  const crypto::Sm2Signer* signer = nullptr;
  Time time{};                                // signing time
  Placement placement;
  ProtectMode mode = ProtectMode::kContinue;
  SignatureType type = SignatureType::kSeal;
  std::string provider_name = "eseal";
  std::string provider_version = "0.1.0";
  std::string company = "eseal";
  // Extensions (not in the first draft of this header):
  size_t doc_index = 0;  // which DocBody of OFD.xml to sign (0: the first, as ofdrw does)
  ofd::Limits limits;    // bounds for reading the package (hostile input)
  // When set, the signature value is timestamped (timestamper.h): Type="Seal" gets the
  // SES_Signature timeStamp (v4 only: a v1 seal is refused), Type="Sign" the SignerInfo's
  // id-aa-signatureTimeStampToken. Its error fails the signing; nothing is written.
  // Unset (the default): the output is exactly as before, byte for byte.
  Timestamper timestamper;
};

struct OfdSignResult {
  Bytes document;               // the signed OFD
  std::string signature_id;     // Signatures.xml <Signature ID>
  std::string signature_path;   // e.g. /Doc_0/Signs/Sign_1/Signature.xml
  int appearances = 0;          // StampAnnots written
  Bytes signed_value;           // the bytes written to SignedValue.dat (SES_Signature DER
                                // or SignedData), so callers can record their hash
};

// What is written (docs/ofd-signing.md): Sign_N/Signature.xml in ofdrw's exact form
// (SignatureMethod 1.2.156.10197.1.501, References@CheckMethod = the SM3 OID
// 1.2.156.10197.1.401, CheckValue = base64(SM3(file)) over every file of the package at
// signing time — this signature's Seal.esl included, its own Signature.xml and
// SignedValue.dat excluded, Signatures.xml only in kWhole mode —, StampAnnot@PageRef = the
// page object ID, SignatureDateTime "yyyy-MM-dd HH:mm:ss" in China Standard Time), Seal.esl
// (kSeal), SignedValue.dat (SES_Signature with propertyInfo = the Signature.xml path and
// dataHash = SM3(Signature.xml), or GB/T 35275 SignedData with messageDigest =
// SM3(Signature.xml)); Signatures.xml and OFD.xml are edited minimally; nothing else changes.
//
// Errors: as verify::VerifyOfd for bytes that are not a readable OFD package (DataLoss for a
// corrupt zip, InvalidArgument for a zip without OFD.xml), InvalidArgument (bad placement,
// keyword not found, page out of range), FailedPrecondition (the document is closed to further signatures because an
// earlier signature protects Signatures.xml; the signer is not in the seal; a timestamper with a
// v1 seal), the timestamper's own error (bilingual context), ResourceExhausted
// (limits).
Result<OfdSignResult> SignOfd(const OfdSignRequest& request);

}  // namespace eseal::sign
