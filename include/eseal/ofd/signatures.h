// Signatures: Signatures.xml, the signature list (签名列表, GB/T 33190-2016 §18.1): the
// largest signature ID issued (MaxSignId) and one <Signature ID Type BaseLoc Relative> per
// signature, each naming that signature's Signature.xml.
//
// Writing: SerializeSignatures makes a new file in the exact form ofdrw writes (the XML
// declaration, a newline, then one line with no whitespace between elements, prefix "ofd",
// namespace http://www.ofdspec.org/2016, MaxSignId after the entries).
// AddSignatureToSignaturesXml edits an existing file minimally: it inserts one element and
// changes MaxSignId's text, keeping every other byte, because vendors' files have their own
// layout and Signatures.xml may be protected by nobody or by a "WholeProtected" signature.
// Thread-safety: values and pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "eseal/base/bytes.h"
#include "eseal/base/result.h"
#include "eseal/ofd/limits.h"
#include "eseal/ofd/package.h"

namespace eseal::ofd {

struct SignatureEntry {
  std::string id;        // "1", "s001", ...
  std::string type;      // "Seal", "Sign", or empty (meaning Seal)
  std::string base_loc;  // as written
  std::string path;      // canonical path of the Signature.xml; empty if BaseLoc is unusable
  std::string relative;  // OFD 2.0: ID of the signature this one is relative to; or empty
  bool IsSeal() const { return type.empty() || type == "Seal"; }
  friend bool operator==(const SignatureEntry&, const SignatureEntry&) = default;
};

struct Signatures {
  std::string max_sign_id;  // as written; empty when absent
  std::vector<SignatureEntry> entries;
};

// Parses Signatures.xml at canonical path `signatures_path` (BaseLocs are resolved against
// its folder). ResourceExhausted for more than limits.max_signatures entries.
Result<Signatures> ParseSignaturesXml(ByteView xml, std::string_view signatures_path,
                                      const Limits& limits = {});

// A new Signatures.xml in ofdrw's form. InvalidArgument if an entry has no ID or BaseLoc.
Result<Bytes> SerializeSignatures(const Signatures& signatures);

// Adds `entry` after the last existing <Signature> (or at the end of the list) and sets
// every MaxSignId to `max_sign_id` (adding one when there is none; left alone when
// `max_sign_id` is empty). AlreadyExists if the ID is already used.
Result<Bytes> AddSignatureToSignaturesXml(ByteView signatures_xml, const SignatureEntry& entry,
                                          std::string_view max_sign_id, const Limits& limits = {});

// The largest number found at the end of MaxSignId and of every entry's ID ("s006" -> 6),
// or 0. Signers issue the next IDs from here.
uint64_t LargestSignId(const Signatures& signatures);

// The first folder "<signs_dir>Sign_<n>/" (n = 0, 1, ...) that holds no entry of the
// package. `signs_dir` is canonical and ends in '/', e.g. "/Doc_0/Signs/".
std::string NextSignFolder(const Package& package, std::string_view signs_dir);

}  // namespace eseal::ofd
