// The SQL implementation of BindingRepository (binding_records.h): client bindings, vendor
// makers, client unlock keys and vendor authorisation key copies (internal to the store
// module; repos_bindings.cc).
// Thread-safety: used by the one thread that owns the transaction.
#pragma once

#include "eseal/platform/binding_records.h"

namespace eseal::store::internal {

class SqlTx;

class SqlBindingRepository final : public platform::BindingRepository {
 public:
  explicit SqlBindingRepository(SqlTx& tx) : tx_(tx) {}
  Status InsertBinding(const platform::ClientBinding& b) override;
  Status UpdateBinding(const platform::ClientBinding& b) override;
  Result<platform::ClientBinding> GetBinding(std::string_view client_id) override;
  Result<platform::ClientBinding> GetBindingForUpdate(std::string_view client_id) override;
  Result<std::vector<platform::ClientBinding>> ListBindings(std::string_view holder_id,
                                                            std::optional<platform::BindingStatus> status,
                                                            platform::Page page) override;
  Status InsertVendorMaker(const platform::VendorMaker& m) override;
  Status DeleteVendorMaker(std::string_view client_id, std::string_view anchor_id) override;
  Result<std::vector<platform::VendorMaker>> ListVendorMakers(std::string_view client_id) override;
  Status PutUnlockKey(const platform::ClientUnlockKey& k) override;
  Result<platform::ClientUnlockKey> GetUnlockKey(std::string_view client_id) override;
  Status InsertKeyCopy(const platform::AuthorisationKey& k) override;
  Result<platform::AuthorisationKey> GetKeyCopy(std::string_view authorisation_id,
                                                std::string_view seal_id) override;
  Result<platform::AuthorisationKey> GetKeyCopyForUpdate(std::string_view authorisation_id,
                                                         std::string_view seal_id) override;
  Result<int64_t> DeleteKeyCopies(std::string_view authorisation_id) override;
  Result<std::vector<std::string>> ExpiredKeyCopyOwners(Time t, int limit) override;

 private:
  Result<platform::ClientBinding> GetBindingImpl(std::string_view client_id, bool lock);
  Result<platform::AuthorisationKey> GetKeyCopyImpl(std::string_view authorisation_id, std::string_view seal_id,
                                                    bool lock);
  SqlTx& tx_;
};

}  // namespace eseal::store::internal
