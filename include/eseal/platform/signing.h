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
    // A signing session (签章会话) of the caller's for this seal, instead of the password:
    // the key it unlocked signs, and the session's count goes down by one.
    std::string session;
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
  // ---- signing sessions (签章会话; signing_session.cc) ----
  // A seal unlocked once with its protection password (or, for a vendor, its authorisation's
  // key copy), for one caller — the account or client and the credential (API token or
  // browser session) that opened it — for a while and a number of signatures. The key lives
  // only in this process's memory (locked, wiped on close); a restart ends every session.
  struct OpenSessionInput {
    std::string seal;      // id or esID
    SecretBytes password;  // empty: a vendor client's authorisation key copy
    int ttl_seconds = 0;   // 0: PlatformOptions::signing_session_seconds
    int max_signatures = 0;  // 0: PlatformOptions::signing_session_signatures
  };
  struct SessionInfo {
    std::string id;   // the handle the caller signs with; only in the answer to Open
    std::string ref;  // a public reference (audit entries name the session by it)
    std::string seal_id;
    Time opened_at{};
    Time expires_at{};
    int max_signatures = 0;
    int remaining = 0;
    bool memory_locked = false;  // whether the key's page is locked in RAM (mlock)
  };
  // The same refusals as SignDocument before the key is unwrapped (who, holder, seal
  // state, password counted); also a seal that requires approval (each document needs its
  // own approved request, so a session cannot serve it). Audited seal.session_opened.
  virtual Result<SessionInfo> OpenSigningSession(const Caller& c, OpenSessionInput in) = 0;
  // The session's state, for the caller that opened it (NotFound for anyone else).
  // `session` is its id or its public reference (ref), here and in CloseSigningSession.
  virtual Result<SessionInfo> GetSigningSession(const Caller& c, std::string_view seal,
                                                std::string_view session) = 0;
  // Ends the session and wipes its key (audited seal.session_closed); NotFound for another
  // caller's or an unknown session.
  virtual Status CloseSigningSession(const Caller& c, std::string_view seal, std::string_view session) = 0;
  // Ends the sessions past their time (audited seal.session_closed, reason expired); the
  // server calls it every few seconds. Returns how many ended.
  virtual Result<int> ExpireSigningSessions() = 0;

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
