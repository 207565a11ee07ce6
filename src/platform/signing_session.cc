// Signing sessions (签章会话, signing.h): a seal unlocked once with its protection password
// for one caller, a while and a number of signatures, so that signing many documents costs
// one PBKDF2 instead of one each. The key stays in this process (session_keys.h); each
// signature made in a session goes through SignDocument's every check and its usage
// record like any other (signing.cc). Opening, closing, expiry and every signature are
// audited; the audit entry is the last write of its transaction (DESIGN.md "Concurrency").
#include "eseal/base/log.h"
#include "internal.h"
#include "password_attempts.h"
#include "vendor_keys.h"

namespace eseal::platform {
namespace {

Platform::SessionInfo InfoOf(const SessionEntry& e, int used) {
  Platform::SessionInfo i;
  i.ref = e.ref;
  i.seal_id = e.seal_id;
  i.opened_at = e.opened_at;
  i.expires_at = e.expires_at;
  i.max_signatures = e.max_signatures;
  i.remaining = e.max_signatures - used;
  i.memory_locked = e.scalar && e.scalar->locked();
  return i;
}

}  // namespace

Result<Platform::SessionInfo> PlatformImpl::OpenSigningSession(const Caller& c, OpenSessionInput in) {
  const int ttl = in.ttl_seconds == 0 ? o_.signing_session_seconds : in.ttl_seconds;
  const int max = in.max_signatures == 0 ? o_.signing_session_signatures : in.max_signatures;
  if (ttl < 1 || ttl > o_.signing_session_max_seconds) {
    return InvalidArgumentError("会话时长应在 1 到 " + std::to_string(o_.signing_session_max_seconds) +
                                " 秒之间 / ttl_seconds must be between 1 and " +
                                std::to_string(o_.signing_session_max_seconds));
  }
  if (max < 1 || max > o_.signing_session_max_signatures) {
    return InvalidArgumentError("签章次数应在 1 到 " + std::to_string(o_.signing_session_max_signatures) +
                                " 之间 / max_signatures must be between 1 and " +
                                std::to_string(o_.signing_session_max_signatures));
  }
  if (session_keys_.size() >= static_cast<size_t>(o_.signing_session_limit)) {
    (void)ExpireSigningSessions();
  }
  const Time now = Now();
  const bool want_copy = in.password.empty() && c.role == Role::kClient;
  ASSIGN_OR_RETURN(SignChecks ck, CheckSigning(c, in.seal, now, nullptr, "", want_copy));
  if (ck.seal.requires_approval) {
    return FailedPreconditionError("此印章每次用印都需审批，不能打开签章会话；请逐份申请用印 / this seal requires an approved "
                                   "use request for each document, so it cannot open a signing session");
  }

  // The key, exactly as a single signature gets it: the password attempt counted under the
  // seal's lock, or the vendor's authorisation key copy.
  auto unlocked = [&]() -> Result<crypto::Sm2PrivateKey> {
    if (ck.copy) return OpenKeyCopy(*this, c, *ck.copy);
    if (in.password.empty()) return InvalidArgumentError("需要保护口令 / password is required");
    ASSIGN_OR_RETURN(Seal reserved, ReserveAttempt(*this, c, ck.seal.id, "signing session"));
    return UnlockReserved(*this, c, reserved, in.password, "signing session");
  }();
  if (!unlocked.ok()) return unlocked.status();

  auto e = std::make_shared<SessionEntry>();
  {
    SecretBytes scalar = unlocked->Scalar();
    ASSIGN_OR_RETURN(e->scalar, LockedSecret::Copy(scalar.view()));
  }
  ASSIGN_OR_RETURN(Bytes raw, RandomBytes(*rng_, 32));
  SessionInfo out;
  out.id = "sgs_" + Base64UrlEncode(raw);
  SecureZero(raw.data(), raw.size());
  e->hash = SessionKeys::HashOf(out.id);
  e->ref = e->hash.substr(0, 16);
  e->seal_id = ck.seal.id;
  e->esid = ck.seal.esid;
  e->actor_id = c.ActorId();
  e->credential_id = c.credential_id;
  e->copy_of = ck.copy ? ck.copy->authorisation_id : "";
  e->opened_at = now;
  // Never past the seal's own validity.
  e->expires_at = std::min(now + std::chrono::seconds(ttl), ck.seal.valid_to);
  e->max_signatures = max;
  RETURN_IF_ERROR(session_keys_.Add(e, static_cast<size_t>(o_.signing_session_limit)));
  Status st = InTx([&](Tx& tx) -> Status {
    // Under the seal's lock: a revocation or lock that committed since the checks wins.
    ASSIGN_OR_RETURN(Seal s, tx.seals().GetForUpdate(ck.seal.id));
    if (s.status != SealStatus::kActive) {
      return FailedPreconditionError("the seal became " + std::string(Name(s.status)) + "; no session was opened");
    }
    if (s.locked) return WrongPasswordOrLocked(o_);
    return Audit(tx, &c, "seal.session_opened", "seal", s.id,
                 JsonObject({{"esid", s.esid}, {"session", e->ref}, {"expires_at", FormatRfc3339(e->expires_at)},
                             {"max_signatures", std::to_string(max)}, {"authorisation_key", e->copy_of},
                             {"credential", c.credential_id},
                             {"memory_locked", e->scalar->locked() ? "yes" : "no"}}));
  });
  if (!st.ok()) {
    session_keys_.Remove(*e);
    return st;
  }
  SessionInfo info = InfoOf(*e, 0);
  info.id = std::move(out.id);
  return info;
}

Result<Platform::SessionInfo> PlatformImpl::GetSigningSession(const Caller& c, std::string_view seal,
                                                             std::string_view session) {
  ASSIGN_OR_RETURN(std::shared_ptr<SessionEntry> e, session_keys_.Find(session, c, seal));
  if (Now() >= e->expires_at) {
    (void)ExpireSigningSessions();
    return NotFoundError("签章会话已到期 / the signing session has expired");
  }
  return InfoOf(*e, session_keys_.Used(*e));
}

Status PlatformImpl::CloseSigningSession(const Caller& c, std::string_view seal, std::string_view session) {
  ASSIGN_OR_RETURN(std::shared_ptr<SessionEntry> e, session_keys_.Find(session, c, seal));
  if (!session_keys_.Remove(*e)) return NotFoundError("没有这个签章会话，或它已结束 / no such signing session, or it has ended");
  AuditSessionEnd(*e, &c, "closed");
  return Status::Ok();
}

Result<int> PlatformImpl::ExpireSigningSessions() {
  std::vector<std::shared_ptr<SessionEntry>> ended = session_keys_.TakeExpired(Now());
  for (const auto& e : ended) AuditSessionEnd(*e, nullptr, "expired");
  return static_cast<int>(ended.size());
}

void PlatformImpl::EndSessionAfterRefusal(const Caller& c, std::string_view seal, std::string_view session,
                                          const Status& why) {
  auto e = session_keys_.Find(session, c, seal);
  if (!e.ok() || !session_keys_.Remove(**e)) return;
  // The reason is the refusal's code; the signature's own audit trail says the rest.
  AuditSessionEnd(**e, &c, "refused: " + std::string(StatusCodeSlug(why.code())));
}

void PlatformImpl::AuditSessionEnd(const SessionEntry& e, const Caller* c, std::string_view reason) {
  Status st = InTx([&](Tx& tx) -> Status {
    return Audit(tx, c, "seal.session_closed", "seal", e.seal_id,
                 JsonObject({{"esid", e.esid}, {"session", e.ref}, {"reason", std::string(reason)},
                             {"signatures", std::to_string(session_keys_.Made(e))}}));
  });
  if (!st.ok()) {
    log::Error("signing_session.audit_failed", {{"session", e.ref}, {"error", st.ToString()}});
  }
}

}  // namespace eseal::platform
