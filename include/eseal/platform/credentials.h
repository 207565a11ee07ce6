// Credentials (凭据): who may call the platform. Bearer tokens of accounts and clients are
// checked here; accounts are made here, and a holder admin grants its users the use of seals.
// Thread-safety: implementations are safe to use from many threads at once.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eseal/base/result.h"
#include "eseal/platform/caller.h"
#include "eseal/platform/model.h"

namespace eseal::platform {

// The accounts and credentials capability (auth.cc, registry.cc: accounts and grants).
class Credentials {
 public:
  virtual ~Credentials() = default;

  // ---- authentication ----
  virtual Result<Caller> Authenticate(std::string_view bearer_token) = 0;
  // ---- accounts ----
  struct AccountInput {
    std::string name;
    Role role = Role::kHolderUser;
    std::string holder_id;
    std::string area_code;
  };
  struct NewCredential {
    Account account;
    std::string token;  // shown once
  };
  // Operator: any account; holder admin: holder users of its own holder.
  virtual Result<NewCredential> CreateAccount(const Caller& c, const AccountInput& in) = 0;
  // Holder admin: lets one of its users use (and/or approve use of) one of its seals.
  virtual Status GrantSeal(const Caller& c, const SealGrant& grant) = 0;
};

}  // namespace eseal::platform
