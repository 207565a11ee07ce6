// Protection-password attempts (password_attempts.h) and changing the password (修改保护口令,
// E20). Lock order, as everywhere: application, then seal, then the audit entry last.
#include <chrono>
#include <thread>

#include "eseal/crypto/key_protection.h"
#include "password_attempts.h"

namespace eseal::platform {
namespace {

constexpr size_t kMinPasswordLength = 8;

Status Refuse(PlatformImpl& p, Tx& tx, const Caller& c, const Seal& s, std::string_view reason,
              std::string_view during) {
  return p.Audit(tx, &c, "seal.password_refused", "seal", s.id,
                 JsonObject({{"esid", s.esid}, {"reason", std::string(reason)},
                             {"attempts", std::to_string(s.failed_attempts)}, {"during", std::string(during)}}));
}

}  // namespace

Status WrongPasswordOrLocked(const PlatformOptions& o) {
  const std::string n = std::to_string(o.password_attempt_limit);
  return UnauthenticatedError("保护口令错误或印章已锁定（连续 " + n + " 次错误即锁定，须由平台运营方解锁） / "
                              "wrong protection password or the seal is locked (" + n +
                              " failures in a row lock it until the operator unlocks it)");
}

Result<Seal> ReserveAttempt(PlatformImpl& p, const Caller& c, std::string_view seal_id, std::string_view during) {
  // While the limit is taken up by attempts still deriving (not yet known right or wrong),
  // wait for them rather than refuse: six signings at once with the right password must all
  // sign, and wrong guesses still never get more than the limit evaluated (the waiting ones
  // find the seal locked once those are judged). About 10 s at most, then refused.
  constexpr int kWaits = 200;
  for (int wait = 0;; ++wait) {
    Seal s;
    bool refused = false, busy = false;
    RETURN_IF_ERROR(p.InTx([&](Tx& tx) -> Status {
      ASSIGN_OR_RETURN(s, tx.seals().GetForUpdate(seal_id));
      if (!s.locked && s.failed_attempts >= p.options().password_attempt_limit && wait < kWaits) {
        busy = true;
        return Status::Ok();
      }
      if (s.locked || s.failed_attempts >= p.options().password_attempt_limit) {
        // Refused before any derivation; the refusal itself is not counted.
        refused = true;
        return Refuse(p, tx, c, s, s.locked ? "locked" : "attempts_in_flight_at_limit", during);
      }
      s.failed_attempts += 1;
      s.updated_at = p.Now();
      return tx.seals().Update(s);
    }));
    if (refused) return WrongPasswordOrLocked(p.options());
    if (!busy) return s;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

Result<crypto::Sm2PrivateKey> UnlockReserved(PlatformImpl& p, const Caller& c, const Seal& reserved,
                                             const SecretBytes& password, std::string_view during) {
  auto key = crypto::UnprotectPrivateKey(reserved.protected_key, password.view(), p.options().kek);
  // Another failure (a KEK the HSM no longer has, say) is not a guess; the reserved
  // attempt stays counted, which errs on the safe side.
  if (!key.ok() && key.status().code() != StatusCode::kUnauthenticated) return key.status();
  const bool right = key.ok();
  bool refused = false;
  RETURN_IF_ERROR(p.InTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Seal s, tx.seals().GetForUpdate(reserved.id));
    if (right) {
      if (s.locked) {
        refused = true;  // other attempts in flight locked it while this one derived
        return Refuse(p, tx, c, s, "locked_while_deriving", during);
      }
      if (s.failed_attempts == 0) return Status::Ok();
      s.failed_attempts = 0;
      s.updated_at = p.Now();
      return tx.seals().Update(s);
    }
    bool locks = !s.locked && s.failed_attempts >= p.options().password_attempt_limit;
    if (locks) s.locked = true;
    s.updated_at = p.Now();
    RETURN_IF_ERROR(tx.seals().Update(s));
    RETURN_IF_ERROR(p.Audit(tx, &c, "seal.password_wrong", "seal", s.id,
                            JsonObject({{"esid", s.esid}, {"attempts", std::to_string(s.failed_attempts)},
                                        {"during", std::string(during)}})));
    if (locks) return p.Audit(tx, &c, "seal.locked", "seal", s.id, JsonObject({{"esid", s.esid}}));
    return Status::Ok();
  }));
  if (!right || refused) return WrongPasswordOrLocked(p.options());
  return key;
}

Status PlatformImpl::ChangePassword(const Caller& c, std::string_view application_id,
                                    const SecretBytes& old_password, const SecretBytes& new_password) {
  if (new_password.size() < kMinPasswordLength) {
    return InvalidArgumentError("新保护口令至少 8 位 / the new protection password must have at least 8 characters");
  }
  // Who and what first: an attempt that could never succeed is not counted against the seal.
  Application app;
  Seal seal;
  RETURN_IF_ERROR(InReadTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(app, tx.applications().Get(application_id));
    if (app.type != ApplicationType::kPasswordChange || app.status != ApplicationStatus::kApproved) {
      return FailedPreconditionError("修改保护口令需要一份已批准且未使用的申请 / "
                                     "changing the protection password needs an approved, unused application (E20)");
    }
    ASSIGN_OR_RETURN(seal, tx.seals().Get(app.seal_id));
    return Status::Ok();
  }));
  if (!(c.role == Role::kHolderAdmin && c.holder_id == seal.holder_id)) {
    return PermissionDeniedError("only the holder's administrator changes its protection password");
  }
  ASSIGN_OR_RETURN(Seal reserved, ReserveAttempt(*this, c, seal.id, "password change"));
  ASSIGN_OR_RETURN(crypto::Sm2PrivateKey key, UnlockReserved(*this, c, reserved, old_password, "password change"));
  crypto::KeyProtectionOptions kp;
  kp.iterations = o_.pbkdf2_iterations;
  ASSIGN_OR_RETURN(Bytes blob, crypto::ProtectPrivateKey(key, new_password.view(), kek_, *rng_, kp));

  // Everything read before is re-checked under the locks: the application may have been
  // used by a concurrent change, and the key re-wrapped by it.
  Status changed = InTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Application a, tx.applications().GetForUpdate(app.id));
    if (a.type != ApplicationType::kPasswordChange || a.status != ApplicationStatus::kApproved ||
        a.seal_id != seal.id) {
      return FailedPreconditionError("这份申请已被使用或不再有效 / the application was used or withdrawn meanwhile; "
                                     "nothing was changed");
    }
    ASSIGN_OR_RETURN(Seal s, tx.seals().GetForUpdate(seal.id));
    if (s.locked) return WrongPasswordOrLocked(o_);
    if (s.protected_key != reserved.protected_key) {
      return FailedPreconditionError("印章密钥在此期间已被重新保护，请重试 / the seal's key was re-protected meanwhile; "
                                     "nothing was changed, try again");
    }
    s.protected_key = std::move(blob);
    s.failed_attempts = 0;
    s.updated_at = Now();
    RETURN_IF_ERROR(tx.seals().Update(s));
    a.status = ApplicationStatus::kCompleted;
    a.updated_at = Now();
    RETURN_IF_ERROR(tx.applications().Update(a));
    return Audit(tx, &c, "seal.password_changed", "seal", s.id, JsonObject({{"esid", s.esid}, {"application", a.id}}));
  });
  if (!changed.ok()) return changed;
  // A password is changed when it may have leaked: the signing sessions this process holds
  // for the seal, opened with the old one, end too (signing_session.cc).
  for (const auto& e : session_keys_.TakeForSeal(seal.id)) AuditSessionEnd(*e, &c, "password_changed");
  return Status::Ok();
}

}  // namespace eseal::platform
