// Verifying every signature of an OFD document (OFD 验章): each with its own report that
// follows GB/T 38540 §7.3 (ses/verify.h) plus the OFD checks — every Reference digest, no
// file added to or removed from the protected set, Seal.esl equal to the seal inside the
// signature value, dataHash = SM3(Signature.xml), stamp annotations on real pages — and
// real-world variations accepted as named tolerances (ses-formats.md §7–§9).
// Thread-safety: reentrant.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "eseal/base/report.h"
#include "eseal/ofd/limits.h"
#include "eseal/ses/signature.h"
#include "eseal/ses/verify.h"
#include "eseal/x509/certificate.h"

namespace eseal::verify {

struct OfdVerifyOptions {
  ses::TrustPolicy trust;
  // Certificates to try for Type="Sign" values that carry none (a bare SM2 signature).
  std::vector<x509::Certificate> sign_certs;
  // The platform's own knowledge of an SES signature's seal (E22): its status at the signing
  // time, whether the signature is in the usage register, which registered system made the
  // seal. Called once per Type="Seal" signature; the checks it returns (ids "platform.*")
  // are appended to that signature's report. Empty for seals the platform doesn't know.
  std::function<std::vector<Check>(const ses::Signature& signature)> platform_checks;
  ofd::Limits limits;
};

struct SignatureVerification {
  std::string id;              // Signatures.xml <Signature ID>
  std::string type;            // "Seal" or "Sign"
  std::string signature_path;  // canonical path of its Signature.xml
  Report report;
  std::optional<ses::Signature> ses;  // the parsed SES_Signature for Type="Seal"
};

struct OfdVerification {
  Report document;  // package-level checks (ofd.package, ofd.signatures.present, ...)
  std::vector<SignatureVerification> signatures;
  // FAILED if the document or any signature failed; else INDETERMINATE if any is; else PASSED.
  Verdict verdict() const;
};

// Errors only when the bytes are not a readable OFD package (InvalidArgument, DataLoss,
// ResourceExhausted); everything about signatures is in the result.
Result<OfdVerification> VerifyOfd(ByteView document, const OfdVerifyOptions& options);

// {"verdict", "checks" (document level), "signatures": [{"id", "type", "path", "verdict",
// "checks"}]} — the same check shape as ReportToJson.
std::string OfdVerificationToJson(const OfdVerification& v, int indent = 2);
std::string OfdVerificationToText(const OfdVerification& v, bool verbose = false);

}  // namespace eseal::verify
