// Who is calling a platform use case: an account or an integration client, as established
// from a credential (credentials.h). Every use case takes one and decides again what it may do.
// Thread-safety: implementations are safe to use from many threads at once.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "eseal/platform/model.h"

namespace eseal::platform {

struct Caller {
  std::string account_id;  // empty for clients
  std::string client_id;   // empty for accounts
  Role role = Role::kHolderUser;
  std::string holder_id;   // holder roles, enterprise clients
  std::string area_code;   // reviewers
  std::optional<ClientType> client_type;  // clients
  int rate_limit_per_minute = 0;          // clients: Client::rate_limit_per_minute (HTTP limits)
  std::string name;
  // Clients: a secret derived from the bearer token of this request (vendor_keys.h); it
  // unlocks the key copies of the client's vendor authorisations and is never stored.
  std::shared_ptr<const SecretBytes> unlock;
  // The credential's public id: an API token's id (tokens made before ids existed: empty),
  // or "web:" and a reference to a browser session. Signing sessions are bound to it.
  std::string credential_id;
  std::string scopes;         // the token's scopes; empty: all (sessions, old tokens)
  bool via_session = false;   // a signed-in person's browser session
  // Whether the credential allows `scope` ("read", "sign" or "write").
  bool HasScope(std::string_view scope) const;
  std::string ActorId() const { return account_id.empty() ? client_id : account_id; }
};

}  // namespace eseal::platform
