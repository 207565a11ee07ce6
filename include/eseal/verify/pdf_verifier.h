// Verification of PDF signatures (PDF 签章验证) under the same validation policy as OFD:
// for every signature field, the ByteRange rules of the published PDF signature attacks
// (starts at 0, one gap that is exactly this dictionary's /Contents string, ends where a
// revision ends), the format decided by what /Contents holds — GB/T 35275 / PKCS#7
// SignedData under either outer OID, else a GB/T 38540 SES_Signature (v1/v4/v5), else
// reported as unknown, never skipped — and every later revision classified
// (pdf/changes.h): new signatures, document timestamps, DSS and metadata are fine,
// annotations and form filling are fine unless a certification signature forbids them,
// anything else is a change after signing, named by revision and objects.
//
// A document timestamp (文档时间戳: /Type /DocTimeStamp, or a /Contents that is an RFC 3161
// TimeStampToken, eContentType id-ct-TSTInfo) is verified as a timestamp over its ByteRange
// bytes (imprint SM3, or SHA-256), its signature and TSA chain under the policy. The DSS
// (文档安全存储: /DSS certificates and CRLs, PAdES B-LT) joins the policy's untrusted
// certificates and CRLs for every signature.
//
// Document checks: pdf.read (INFO), pdf.revisions (INFO), pdf.dss (INFO: how many
// certificates and CRLs of the DSS were used), pdf.dss.unreadable (WARNING),
// pdf.signatures.present (FAIL when no signature covers the document).
// Signature checks: pdf.field (INFO), pdf.byte_range, pdf.byte_range.contents,
// pdf.byte_range.revision, pdf.format, pdf.coverage (INFO: whole file or which revision),
// pdf.changes_after_signing, pdf.docmdp, then ses.* (SES, as VerifySesSignature) or sign.*
// (CMS, as OFD's Type="Sign"), with dataHash / messageDigest = SM3 of the ByteRange bytes;
// for a document timestamp pdf.doc_timestamp.tsp.* and pdf.doc_timestamp.tsa.cert.* (the
// token's checks, tsp/timestamp_token.h) and pdf.doc_timestamp.time (INFO: the proven time).
// docs/pdf.md explains each.
// Thread-safety: reentrant.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "eseal/base/report.h"
#include "eseal/pdf/limits.h"
#include "eseal/ses/signature.h"
#include "eseal/verify/ofd_verifier.h"
#include "eseal/verify/policy.h"

namespace eseal::verify {

struct PdfVerifyOptions {
  ValidationPolicy policy;
  std::function<RecordFacts(const ses::Signature& signature)> on_record;
  pdf::Limits limits;
};

struct PdfSignatureVerification {
  std::string field;   // fully qualified field name
  std::string format;  // "ses", "cms", "doc_timestamp" or "unknown"
  size_t revision = 0; // 1-based: the revision the signature's ByteRange ends with
  Report report;
  std::optional<ses::Signature> ses;
};

struct PdfVerification {
  Report document;
  std::vector<PdfSignatureVerification> signatures;
  Verdict verdict() const;  // as OfdVerification::verdict
};

// Errors only when the bytes are not a PDF it can read (InvalidArgument: damaged or needs
// repair; FailedPrecondition: encrypted; ResourceExhausted: limits); everything about
// signatures is in the result.
Result<PdfVerification> VerifyPdf(ByteView document, const PdfVerifyOptions& options);

std::string PdfVerificationToJson(const PdfVerification& v, int indent = 2);

}  // namespace eseal::verify
