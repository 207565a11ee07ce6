// Records and repository of consent between clients, holders and seals (docs/security.md
// "Bindings and vendor authorisations"): an enterprise client's request to be bound to a
// holder and that holder's answer; the seal makers a vendor is registered for; a vendor's
// unlock key; the copy of a seal's key kept for one vendor authorisation.
// Kept apart from model.h/repository.h so that this capability's storage reads in one place.
// Thread-safety: plain values; a repository is used by the one thread owning its Tx.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "eseal/base/bytes.h"
#include "eseal/base/result.h"
#include "eseal/base/time.h"
#include "eseal/platform/repository.h"

namespace eseal::platform {

// An enterprise client's binding to a holder: asked for at application, decided by that
// holder's administrator. Only kConfirmed binds (Client::holder_id is then set).
enum class BindingStatus { kRequested, kConfirmed, kRefused };
inline std::string_view Name(BindingStatus v) {
  switch (v) {
    case BindingStatus::kRequested: return "requested";
    case BindingStatus::kConfirmed: return "confirmed";
    case BindingStatus::kRefused: return "refused";
  }
  return "requested";
}
inline Result<BindingStatus> ParseBindingStatus(std::string_view s) {
  for (BindingStatus v : {BindingStatus::kRequested, BindingStatus::kConfirmed, BindingStatus::kRefused}) {
    if (Name(v) == s) return v;
  }
  return InvalidArgumentError("unknown binding status '" + std::string(s) + "'");
}

struct ClientBinding {
  std::string client_id;
  std::string holder_id;  // the holder asked for
  BindingStatus status = BindingStatus::kRequested;
  std::string reason;      // the administrator's reason (refusals)
  Time requested_at{};
  std::string decided_by;  // account id
  std::optional<Time> decided_at;
};

// The operator's record that a vendor client works for a seal maker (a registered trust
// anchor): the vendor may file seals that maker made, and no others.
struct VendorMaker {
  std::string client_id;
  std::string anchor_id;
  std::string created_by;
  Time created_at{};
};

// The public half of a vendor's unlock key, an SM2 key derived from the credential issued
// to it (the private half is derived again from the token on each request, never stored).
struct ClientUnlockKey {
  std::string client_id;
  Bytes public_key;  // SubjectPublicKeyInfo DER
  Time created_at{};
};

// The copy of one seal's private key kept for one vendor authorisation (authorisation_keys).
struct AuthorisationKey {
  std::string authorisation_id;
  std::string seal_id;
  std::string client_id;
  Bytes encrypted_secret;  // SM2 ciphertext of a random secret, to the vendor's unlock key
  Bytes wrapped_key;       // SM4-GCM of the PKCS#8 key under KEK ⊕ that secret (vendor_keys.cc)
  std::string kek_id;
  Time valid_until{};
  Time created_at{};
};

class BindingRepository {
 public:
  virtual ~BindingRepository() = default;
  // One binding per client: Insert (AlreadyExists), Update (NotFound).
  virtual Status InsertBinding(const ClientBinding& b) = 0;
  virtual Status UpdateBinding(const ClientBinding& b) = 0;
  virtual Result<ClientBinding> GetBinding(std::string_view client_id) = 0;
  virtual Result<ClientBinding> GetBindingForUpdate(std::string_view client_id) = 0;
  // Ordered by requested_at then client id; empty holder_id matches all.
  virtual Result<std::vector<ClientBinding>> ListBindings(std::string_view holder_id,
                                                          std::optional<BindingStatus> status, Page page) = 0;

  virtual Status InsertVendorMaker(const VendorMaker& m) = 0;  // AlreadyExists
  virtual Status DeleteVendorMaker(std::string_view client_id, std::string_view anchor_id) = 0;  // NotFound
  // Ordered by anchor id; empty client_id matches all.
  virtual Result<std::vector<VendorMaker>> ListVendorMakers(std::string_view client_id) = 0;

  // Insert or replace the client's one unlock key.
  virtual Status PutUnlockKey(const ClientUnlockKey& k) = 0;
  virtual Result<ClientUnlockKey> GetUnlockKey(std::string_view client_id) = 0;

  virtual Status InsertKeyCopy(const AuthorisationKey& k) = 0;  // AlreadyExists
  virtual Result<AuthorisationKey> GetKeyCopy(std::string_view authorisation_id, std::string_view seal_id) = 0;
  // Locked until the transaction ends, so a withdrawal's delete waits for a signature in
  // flight, or the signature finds the copy gone (signing.cc).
  virtual Result<AuthorisationKey> GetKeyCopyForUpdate(std::string_view authorisation_id,
                                                       std::string_view seal_id) = 0;
  // Deletes every copy of an authorisation; how many there were.
  virtual Result<int64_t> DeleteKeyCopies(std::string_view authorisation_id) = 0;
  // Distinct authorisations that still have copies whose valid_until is before `t`, oldest
  // first, at most `limit`.
  virtual Result<std::vector<std::string>> ExpiredKeyCopyOwners(Time t, int limit) = 0;
};

}  // namespace eseal::platform
