// Signing (签章) with the platform's seals, the usage register, and use approval (用印审批):
// a seal that requires approval signs only a document an approver allowed.
// Thread-safety: implementations are safe to use from many threads at once.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eseal/base/result.h"
#include "eseal/base/bytes.h"
#include "eseal/platform/caller.h"
#include "eseal/platform/model.h"
#include "eseal/platform/repository.h"
#include "eseal/sign/ofd_signer.h"

namespace eseal::platform {

// The signing capability (signing.cc, usage.cc).
class Signing {
 public:
  virtual ~Signing() = default;

  // ---- signing (E22, X1) ----
  struct SignInput {
    std::string seal;         // id or esID
    SecretBytes password;
    Bytes document;           // OFD or PDF (told apart by the bytes: a PDF starts with %PDF-)
    std::string document_name;
    sign::Placement placement;
    // OFD: whether Signatures.xml is protected. PDF: kWhole makes a certification signature
    // that allows no later change (DocMDP P=1).
    sign::ProtectMode mode = sign::ProtectMode::kContinue;
    std::string usage_request_id;  // when the seal requires approval
  };
  struct SignOutcome {
    Bytes document;
    SignatureRecord record;
  };
  // Refused (with distinct codes) when: the caller may not use the seal (PermissionDenied),
  // the holder is not active or the seal not active now (FailedPrecondition), the seal is
  // locked (FailedPrecondition), the password is wrong (Unauthenticated; counted, the fifth
  // in a row locks). The usage record and audit entry commit before the document is returned.
  virtual Result<SignOutcome> SignDocument(const Caller& c, SignInput in) = 0;
  virtual Result<PageOf<SignatureRecord>> ListSignatures(const Caller& c,
                                                         const SignatureRepository::Filter& f,
                                                         Page page) = 0;
  // ---- use approval and register (E19, G16) ----
  virtual Result<Seal> SetRequiresApproval(const Caller& c, std::string_view seal_id, bool on) = 0;
  struct UseRequestInput {
    std::string seal_id;
    std::string document_hash;  // SM3 hex of the document to be signed
    std::string purpose;
  };
  virtual Result<UsageRequest> RequestUse(const Caller& c, const UseRequestInput& in) = 0;
  // An approver of the seal (holder admin or a user granted can_approve): approve with a
  // window, or reject. An approved request signs once, within its window, that document.
  virtual Result<UsageRequest> DecideUse(const Caller& c, std::string_view request_id, bool approve,
                                         std::string_view reason, Time window_end) = 0;
  virtual Result<PageOf<UsageRequest>> ListUsageRequests(const Caller& c,
                                                         std::string_view seal_id,
                                                         Page page) = 0;
};

}  // namespace eseal::platform
