// Signature: a Signature.xml, the signature description (签名描述文件, GB/T 33190-2016 §18.2,
// GM/T 0099, GB/T 38540): what is signed (References with a digest of each protected file),
// who signed (Provider), with which algorithm, where the seal appears (StampAnnot), the seal
// file (Seal/BaseLoc) and the signature value file (SignedValue).
//
// Reading does not depend on element order (ofdrw writes SignedValue first, vendors last),
// accepts Provider fields as attributes or, as iOFD writes them, as child elements, and
// does not fail on values a verifier should report instead (an unresolvable FileRef gives
// an empty path; a malformed Boundary gives no box).
//
// Writing produces ofdrw's exact form (§7.3 of reference/ses-formats.md), except that the
// check method is whatever the caller puts in `check_method` (eseal passes the SM3 OID
// 1.2.156.10197.1.401). This module never computes digests: callers hash the bytes.
// Thread-safety: values and pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eseal/base/bytes.h"
#include "eseal/base/result.h"
#include "eseal/ofd/geometry.h"
#include "eseal/ofd/limits.h"

namespace eseal::ofd {

inline constexpr std::string_view kSm3Oid = "1.2.156.10197.1.401";
inline constexpr std::string_view kSm2WithSm3Oid = "1.2.156.10197.1.501";

struct Provider {
  std::string provider_name;
  std::string company;
  std::string version;
  std::string protocol_ver;  // OFD 2.0
  // Set by the parser when the fields were child elements (iOFD) instead of attributes.
  bool as_child_elements = false;
};

struct Reference {
  std::string file_ref;     // as written, normally an absolute package path
  std::string path;         // canonical; empty if FileRef cannot be resolved
  std::string check_value;  // base64 of the digest, whitespace removed
};

// StampAnnot (签章注释): where the seal picture appears.
struct StampAnnot {
  std::string id;
  std::string page_ref;         // the page object ID (Document.xml <Page ID>), not an index
  std::optional<Box> boundary;  // page millimetres; nullopt if missing or malformed
  std::optional<Box> clip;      // relative to the boundary's origin (riding seals)
};

struct Parameter {
  std::string name;
  std::string type;
  std::string value;
};

struct Signature {
  std::string path;  // canonical path of this Signature.xml (relative locs resolve here)
  Provider provider;
  std::string signature_method;     // e.g. 1.2.156.10197.1.501
  std::string signature_date_time;  // free text, as written
  std::string check_method;         // References@CheckMethod, e.g. 1.2.156.10197.1.401
  std::vector<Reference> references;
  std::vector<StampAnnot> stamp_annots;
  std::string seal_base_loc;  // Seal/BaseLoc as written; empty when there is no <Seal>
  std::string seal_path;      // canonical, or empty
  std::vector<Parameter> parameters;
  std::string signed_value;       // as written
  std::string signed_value_path;  // canonical, or empty
};

// Parses Signature.xml at canonical path `signature_path`. InvalidArgument if the root is
// not <Signature> or it has no <SignedInfo>.
Result<Signature> ParseSignatureXml(ByteView xml, std::string_view signature_path,
                                    const Limits& limits = {});

// Serialises in ofdrw's form: declaration, newline, then <ofd:Signature> on one line with
// SignedValue, SignedInfo{Provider, SignatureMethod, SignatureDateTime, Seal, StampAnnot*,
// References, Parameters}. Empty optional fields are left out. InvalidArgument if
// SignedValue, ProviderName or the references are missing, or a StampAnnot has no ID,
// PageRef or Boundary.
Result<Bytes> SerializeSignature(const Signature& signature);

}  // namespace eseal::ofd
