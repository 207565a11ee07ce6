// Seal appearances (签章外观) of an OFD document: where each signature's StampAnnots stand
// and the seal picture to draw there, taken from the signature value (the picture inside
// the SES_Signature's seal; Seal.esl is not needed). Used by `eseal ofd render` and report
// previews. Nothing is verified here: a broken signature still shows where it claims to be.
// Thread-safety: reentrant.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "eseal/base/bytes.h"
#include "eseal/ofd/geometry.h"
#include "eseal/ofd/reader.h"

namespace eseal::verify {

struct SealAppearance {
  std::string signature_id;
  std::string type;          // "Seal" or "Sign"
  std::string annot_id;      // StampAnnot@ID
  size_t page_index = 0;     // 0-based
  ofd::Box boundary;         // page millimetres
  std::optional<ofd::Box> clip;  // relative to the boundary (riding seals)
  std::string picture_type;  // the seal picture's type ("PNG", "GIF", "ofd", ...); empty
                             // when there is no picture (Type="Sign", unreadable value)
  Bytes picture;
};

// Every appearance of every signature of the reader's document; those on pages that do not
// exist, or without a usable Boundary, are left out. Errors only for unreadable
// Signatures.xml (a document without signatures gives an empty list).
Result<std::vector<SealAppearance>> CollectAppearances(const ofd::Reader& reader);

}  // namespace eseal::verify
