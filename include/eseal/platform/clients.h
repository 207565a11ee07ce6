// Integration clients (接入系统): outside systems apply, the operator reviews them, and a
// holder admin authorises a vendor's system to sign with its seals.
// Thread-safety: implementations are safe to use from many threads at once.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eseal/base/clock.h"
#include "eseal/base/result.h"
#include "eseal/platform/binding_records.h"
#include "eseal/platform/caller.h"
#include "eseal/platform/model.h"
#include "eseal/platform/repository.h"

namespace eseal::platform {

// The clients and authorisations capability (clients.cc).
class Clients {
 public:
  virtual ~Clients() = default;

  // ---- integration clients (E10, E12, E13) ----
  struct ClientApplication {
    std::string name, scenario, contact, holder_id;
    ClientType type = ClientType::kVendor;
  };
  // Public: an outside system applies for access.
  virtual Result<Client> ApplyForAccess(const ClientApplication& in) = 0;
  struct ClientDecision {
    Client client;
    std::string token;  // on approval: the client's credential, shown once
  };
  // Operator: approve (issues a credential), reject, suspend (refused at once), resume.
  virtual Result<ClientDecision> ReviewClient(const Caller& c, std::string_view client_id,
                                              bool approve, std::string_view reason) = 0;
  virtual Result<Client> SuspendClient(const Caller& c, std::string_view client_id,
                                       std::string_view reason) = 0;
  virtual Result<Client> ResumeClient(const Caller& c, std::string_view client_id) = 0;
  virtual Result<Client> SetClientRateLimit(const Caller& c, std::string_view client_id,
                                            int per_minute) = 0;
  virtual Result<PageOf<Client>> ListClients(const Caller& c,
                                             std::optional<ClientStatus> status, Page page) = 0;
  // Holder admin: authorise a vendor client to sign with some of its seals until a time;
  // withdraw stops signing at once.
  // With the seals' protection password (one password for every seal named), the platform
  // keeps for this authorisation only a copy of each seal's key that the vendor's own
  // credential unlocks, and the vendor then signs without the password (docs/security.md
  // "Bindings and vendor authorisations"). Without it the vendor must give the password
  // when it signs. Withdrawal and expiry destroy the copies.
  virtual Result<VendorAuthorisation> Authorise(const Caller& c, std::string_view client_id,
                                                const std::vector<std::string>& seal_ids,
                                                Time valid_until, const SecretBytes& password) = 0;
  virtual Result<VendorAuthorisation> WithdrawAuthorisation(const Caller& c,
                                                            std::string_view authorisation_id) = 0;

  // ---- bindings (docs/security.md "Bindings and vendor authorisations") ----
  // An enterprise client only asks for a holder when it applies; that holder's
  // administrator confirms or refuses. Holder admin: its own holder's requests; operator: all.
  virtual Result<std::vector<ClientBinding>> ListBindingRequests(const Caller& c,
                                                                 std::optional<BindingStatus> status,
                                                                 Page page) = 0;
  virtual Result<ClientBinding> DecideBinding(const Caller& c, std::string_view client_id, bool confirm,
                                              std::string_view reason) = 0;
  // Operator: the seal makers (registered anchors) a vendor files seals from.
  virtual Result<VendorMaker> RegisterVendorMaker(const Caller& c, std::string_view client_id,
                                                  std::string_view anchor_id) = 0;
  virtual Result<std::vector<VendorMaker>> ListVendorMakers(const Caller& c, std::string_view client_id) = 0;
  // Housekeeping: destroys the key copies of authorisations past valid_until; how many
  // authorisations lost theirs.
  virtual Result<int> DestroyExpiredAuthorisationKeys() = 0;
  virtual Result<PageOf<VendorAuthorisation>> ListAuthorisations(const Caller& c, Page page) = 0;
};

}  // namespace eseal::platform
