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
  virtual Result<std::vector<Client>> ListClients(const Caller& c,
                                                  std::optional<ClientStatus> status, Page page) = 0;
  // Holder admin: authorise a vendor client to sign with some of its seals until a time;
  // withdraw stops signing at once.
  virtual Result<VendorAuthorisation> Authorise(const Caller& c, std::string_view client_id,
                                                const std::vector<std::string>& seal_ids,
                                                Time valid_until) = 0;
  virtual Result<VendorAuthorisation> WithdrawAuthorisation(const Caller& c,
                                                            std::string_view authorisation_id) = 0;
  virtual Result<std::vector<VendorAuthorisation>> ListAuthorisations(const Caller& c) = 0;
};

}  // namespace eseal::platform
