// Verifying every signature of an OFD document (OFD 验章): each with its own report that
// follows GB/T 38540 §7.3 (ses/verify.h) plus the OFD checks — every Reference digest, no
// file added to or removed from the protected set, Seal.esl equal to the seal inside the
// signature value, dataHash = SM3(Signature.xml), stamp annotations on real pages — and
// real-world variations accepted as named tolerances (ses-formats.md §7–§9).
//
// Document checks: ofd.package, ofd.root (OFD.xml readable; when it is not, signature lists
// are found by name), ofd.signatures.list (each Signatures.xml), ofd.signatures.present,
// ofd.signatures.duplicate_id (WARNING), ofd.signatures.duplicate_base_loc (WARNING: entries
// naming a Signature.xml already listed — it is verified once, under its first entry, and
// the repeats get no report of their own; params count, verified_id, ids),
// ofd.signatures.shared_list (WARNING: a DocBody naming a Signatures.xml another DocBody
// names; read and verified once, with the first), verify.budget (INDETERMINATE: the work
// budget, ValidationPolicy::budget, ran out and verification stopped; params budget,
// limit, used, the counts, signatures_verified, signatures_listed).
// Refused (ResourceExhausted, HTTP 422) rather than reported: more than Budget::
// max_doc_bodies DocBodies, more than Budget::max_signatures distinct signatures.
// Signature checks (params "file" name the package file where one is concerned):
//   ofd.signature.entry (INFO), ofd.signature.xml, ofd.signature.provider (INFO),
//   ofd.signature.method, ofd.signature.mode (INFO: continue / whole),
//   ofd.reference.check_method        SM3 OID or "SM3"; other SM3 spellings as WARNING
//   ofd.reference.digest              one per Reference: base64(SM3(file)) = CheckValue
//   ofd.reference.missing / .path     a protected file is gone / a FileRef is unusable
//   ofd.coverage.uncovered            INDETERMINATE: the reader shows a file this signature
//                                     does not cover (docs/verification.md "Coverage")
//   ofd.coverage.doc_root             FAIL: OFD.xml unprotected and a DocRoot names a file
//                                     the signature did not protect (another document)
//   ofd.coverage.unreachable          WARNING: a file no reader reaches and no signature owns
//   ofd.coverage.graph                INDETERMINATE: what the reader shows cannot be followed
//   ofd.reference.smuggled            FAIL: a reachable file only unsigned files name
//   ofd.reference.unprotected         WARNING: OFD.xml (tolerated while DocRoot is
//                                     protected) or the signature's own seal file
//   ofd.reference.coverage            INFO: counts
//   ofd.signed_value.file / .format   the value file exists / is an SES_Signature
//   ses.* signer.* maker.*            ses::VerifySignature (GB/T 38540 §7.3), dataHash
//                                     against SM3(Signature.xml)
//   ofd.seal.file, ofd.seal.matches_signed_value, ofd.seal.picture
//   ofd.signature.property_info       propertyInfo names this Signature.xml (WARNING if not)
//   sign.format, sign.algorithm, sign.data_hash, sign.signer_cert, sign.value, sign.time,
//   sign.signer_cert.valid_at_signing_time   Type="Sign" (GB/T 35275 or bare SM2)
//   ofd.stamp_annot.page / .boundary  appearances on real pages
//   ofd.tolerance.<name>              WARNING: relative_base_loc, signed_value_name,
//                                     picture_type_ofd, provider_child_elements,
//                                     content_base64; and as params "tolerance" on
//                                     ses.*.raw_rs, sign.value.raw_rs,
//                                     ofd.reference.check_method, ofd.reference.unprotected
//                                     (ofd_xml_unprotected) and
//                                     ses.seal.maker_cert.valid_at_creation
//                                     (maker_cert_after_seal_creation)
//   platform.*                        whatever OfdVerifyOptions::on_record adds
//   time.*, tsp.*, maker.role*, signer.role*   see ses_verify.h
// Thread-safety: reentrant.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "eseal/base/report.h"
#include "eseal/ofd/limits.h"
#include "eseal/ses/signature.h"
#include "eseal/verify/policy.h"
#include "eseal/verify/ses_verify.h"
#include "eseal/x509/certificate.h"

namespace eseal::verify {

// What the platform knows of an SES signature's seal (E22), asked once per Type="Seal"
// signature before its trust and time are judged.
struct RecordFacts {
  std::vector<Check> checks;                 // ids "platform.*", appended to the report
  std::optional<RegisteredTime> registered;  // the usage register's signing time
};

struct OfdVerifyOptions {
  // Anchors with roles, CRLs, the time rule, tolerances and budgets (policy.h).
  ValidationPolicy policy;
  // The platform's records for a seal (seal on record, usage register, status at the
  // signing time); empty for callers that have none (the CLI).
  std::function<RecordFacts(const ses::Signature& signature)> on_record;
  ofd::Limits limits;
};

struct SignatureVerification {
  std::string id;              // Signatures.xml <Signature ID>
  std::string type;            // "Seal" or "Sign"
  std::string signature_path;  // canonical path of its Signature.xml
  Report report;
  std::optional<ses::Signature> ses;  // the parsed SES_Signature for Type="Seal"
  size_t doc_index = 0;               // extension: the DocBody (0 = the first) it belongs to
};

struct OfdVerification {
  Report document;  // package-level checks (ofd.package, ofd.signatures.present, ...)
  std::vector<SignatureVerification> signatures;
  // FAILED if the document or any signature failed; else INDETERMINATE if any is; else PASSED.
  Verdict verdict() const;
};

// Errors only when the bytes are not a readable OFD package (InvalidArgument, DataLoss,
// ResourceExhausted — also when Document.xml or a Signatures.xml exceeds the limits);
// everything about signatures is in the result.
Result<OfdVerification> VerifyOfd(ByteView document, const OfdVerifyOptions& options);

// {"verdict", "checks" (document level), "signatures": [{"id", "type", "path", "verdict",
// "checks"}]} — the same check shape as ReportToJson.
std::string OfdVerificationToJson(const OfdVerification& v, int indent = 2);
std::string OfdVerificationToText(const OfdVerification& v, bool verbose = false);

}  // namespace eseal::verify
