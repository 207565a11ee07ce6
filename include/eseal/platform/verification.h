// Verification (验证) for anyone: documents, detached signatures, seal status (plain and
// signed), CRLs, the trust bundle, evidence records, and the public notices (公示).
// Thread-safety: implementations are safe to use from many threads at once.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include <cstdint>

#include "eseal/base/clock.h"
#include "eseal/base/report.h"
#include "eseal/base/result.h"
#include "eseal/platform/model.h"
#include "eseal/platform/repository.h"

namespace eseal::platform {

// The verification capability (verification.cc, evidence.cc, recognition.cc: notices).
class Verification {
 public:
  virtual ~Verification() = default;

  // ---- verification (public) ----
  struct VerifyOutcome {
    std::string json;   // the report (verify/ofd_verifier.h shape)
    Verdict verdict = Verdict::kIndeterminate;
  };
  // An OFD: every signature, with this platform's anchors and CRL, and for seals it knows,
  // their status at the signing time.
  virtual Result<VerifyOutcome> VerifyOfd(ByteView document) = 0;
  // A PDF: every signature (GB/T 38540 or GB/T 35275 in /Contents), the same way
  // (verify/pdf_verifier.h shape).
  virtual Result<VerifyOutcome> VerifyPdf(ByteView document) = 0;
  // A detached SES_Signature over data.
  virtual Result<VerifyOutcome> VerifyDetached(ByteView signature, ByteView data) = 0;
  struct SealStatusAt {
    std::string esid;
    Time at{};
    SealStatus status = SealStatus::kActive;  // status at `at`
    bool valid = false;                        // could sign at `at`
    std::string reason;
    Time valid_from{}, valid_to{};
  };
  // The public seal-status service: the status of a seal at a time (now by default).
  virtual Result<SealStatusAt> SealStatusAtTime(std::string_view esid, std::optional<Time> at) = 0;
  // The current CRL of the issuing CA (DER).
  virtual Result<Bytes> CurrentCrl() = 0;
  // The root's CRL (DER): it covers the issuing CA, so a verifier that starts from the trust
  // bundle needs it as well to decide revocation along the whole chain.
  virtual Result<Bytes> RootCrl() = 0;
  // Root and issuing CA and seal-maker certificates (PEM), for other verifiers.
  virtual Result<std::string> TrustBundlePem() = 0;
  // ---- public notice (公示) of government seal changes and revocations ----
  // Kept as rows when a department's seal is changed, suspended, resumed or revoked, and
  // read newest first.
  using Notice = SealNotice;
  virtual Result<PageOf<Notice>> PublicNotices(Page page) = 0;
};

}  // namespace eseal::platform
