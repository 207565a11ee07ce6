// The seal lifecycle (印章生命周期): applications, level-by-level review, making, renewal,
// change, suspension, revocation, unlocking and password changes of seals.
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

namespace eseal::platform {

// The lifecycle capability (lifecycle.cc, password.cc).
class Lifecycle {
 public:
  virtual ~Lifecycle() = default;

  // ---- enterprise seal lifecycle (S1-S6, L1, L4-L6) ----
  struct ApplyInput {
    ApplicationType type = ApplicationType::kNewSeal;
    std::string holder_id;   // operator applying on behalf; else the caller's holder
    std::string seal_kind;   // new seals
    std::string seal_id;     // renew / change / revoke / password change
    std::string seal_name;   // optional text of a new seal (default: the holder's name)
    std::string reason;
    SecretBytes password;    // new seals: the protection password (保护口令)
  };
  // Holder admin (or operator). Checks the holder is registered and active, no duplicate
  // active seal of the kind (business seals get the next copy number), renewal window.
  virtual Result<Application> Apply(const Caller& c, ApplyInput in) = 0;
  // Operator: approve or reject with a reason. Approval of a new seal, renewal or change
  // makes the seal at once; approval of a revocation revokes. With auto-approve on, Apply
  // does this itself.
  virtual Result<Application> Review(const Caller& c, std::string_view application_id, bool approve,
                                     std::string_view reason) = 0;
  virtual Result<Application> GetApplication(const Caller& c, std::string_view id) = 0;
  virtual Result<PageOf<Application>> ListApplications(const Caller& c,
                                                       const ApplicationRepository::Filter& f,
                                                       Page page) = 0;
  virtual Status SetAutoApprove(const Caller& c, bool on) = 0;
  // Holder admin, on a new-seal application the operator made on its holder's behalf (the
  // operator never sets or learns a protection password): sets the password, which makes
  // the seal's key pair; until then the application cannot be approved. With auto-approve
  // on, the seal is made at once.
  virtual Result<Application> SetApplicationPassword(const Caller& c, std::string_view application_id,
                                                     SecretBytes password) = 0;

  virtual Result<Seal> GetSeal(const Caller& c, std::string_view id_or_esid) = 0;
  virtual Result<PageOf<Seal>> ListSeals(const Caller& c, const SealRepository::Filter& f,
                                         Page page) = 0;
  // Operator (or the holder admin, for its own seal): suspend / resume / revoke with a
  // reason. Revocation revokes the certificate and republishes the CRL.
  virtual Result<Seal> Suspend(const Caller& c, std::string_view seal_id, std::string_view reason) = 0;
  virtual Result<Seal> Resume(const Caller& c, std::string_view seal_id, std::string_view reason) = 0;
  virtual Result<Seal> Revoke(const Caller& c, std::string_view seal_id, std::string_view reason) = 0;
  // Operator: unlock a seal locked by wrong passwords.
  virtual Result<Seal> Unlock(const Caller& c, std::string_view seal_id) = 0;
  // Holder admin, after an approved password-change application: old and new password.
  virtual Status ChangePassword(const Caller& c, std::string_view application_id,
                                const SecretBytes& old_password, const SecretBytes& new_password) = 0;
  // Marks seals whose validity ended as expired (also done lazily on every read).
  virtual Result<int> ExpireSeals() = 0;
};

}  // namespace eseal::platform
