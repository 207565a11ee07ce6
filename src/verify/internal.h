// Internal pieces of OFD verification (src/verify), shared by its files and tests.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "eseal/base/report.h"
#include "eseal/ofd/package.h"
#include "eseal/ofd/signature.h"
#include "eseal/ofd/signatures.h"
#include "eseal/verify/ofd_verifier.h"

namespace eseal::verify::internal {

// The "checks" array of the report JSON shape (report_json.cc).
nlohmann::ordered_json ChecksJson(const Report& report);

// SM3 digests of package files, computed once per verification.
class DigestCache {
 public:
  explicit DigestCache(const ofd::Package& package) : package_(package) {}
  // NotFound when the file is missing; limits errors pass through.
  Result<Bytes> Sm3(const std::string& path);

 private:
  const ofd::Package& package_;
  std::map<std::string, Result<Bytes>> cache_;
};

// One signature of a Signatures.xml, with its parsed Signature.xml when readable.
struct ListedSignature {
  ofd::SignatureEntry entry;
  std::optional<ofd::Signature> signature;
  Bytes signature_xml;
  std::string error;  // why `signature` is missing
};

// Everything the coverage analysis needs about one signature list.
struct CoverageInput {
  const ofd::Package* package = nullptr;
  std::string signatures_path;                // the DocBody's Signatures.xml
  const std::vector<ListedSignature>* list = nullptr;
  size_t index = 0;                           // the signature being judged
  std::set<std::string> verified;             // files it references whose digest matched
  std::set<std::string> referenced;           // every file it references
  const ofd::Limits* limits = nullptr;
};

// The protected-set analysis (docs/ofd-signing.md "What a signature must cover"): adds
// ofd.signature.mode, ofd.reference.coverage, and per file ofd.reference.unprotected
// (WARNING) or ofd.reference.smuggled (FAIL).
void CheckCoverage(const CoverageInput& in, Report& report);

// Type="Sign": GB/T 35275 SignedData or a bare SM2 value over Signature.xml. Returns the
// signing time used, when one was found.
std::optional<Time> VerifySignValue(const ofd::Signature& sig, ByteView signature_xml,
                                    ByteView value, const OfdVerifyOptions& options, Report& r);

// SignatureDateTime as vendors write it: "yyyy-MM-dd HH:mm:ss" (China Standard Time, as
// ofdrw and Suwell write it), "yyyyMMddHHmmss" (CST), "yyyyMMddHHmmss[.fff]Z", RFC 3339.
Result<Time> ParseSignatureDateTime(std::string_view text);

}  // namespace eseal::verify::internal
