// SqlBindingRepository (repos_bindings.h): tables client_bindings, vendor_makers,
// client_unlock_keys and authorisation_keys (migration 0008).
#include "repos_bindings.h"

#include "repo_util.h"

namespace eseal::store::internal {

using platform::AuthorisationKey;
using platform::BindingStatus;
using platform::ClientBinding;
using platform::ClientUnlockKey;
using platform::VendorMaker;

namespace {

constexpr std::string_view kBindingColumns =
    "client_id, holder_id, status, reason, requested_at, decided_by, decided_at";

Params BindingParams(const ClientBinding& b) {
  return {Text(b.client_id),   Text(b.holder_id),       Text(platform::Name(b.status)), Text(b.reason),
          At(b.requested_at), Text(b.decided_by), OptAt(b.decided_at)};
}

Result<ClientBinding> ReadBinding(RowReader& r) {
  ClientBinding b;
  b.client_id = r.Text();
  b.holder_id = r.Text();
  ASSIGN_OR_RETURN(b.status, r.Enum(platform::ParseBindingStatus, "client_bindings.status"));
  b.reason = r.Text();
  b.requested_at = r.At();
  b.decided_by = r.Text();
  b.decided_at = r.OptAt();
  return b;
}

constexpr std::string_view kVendorMakerColumns = "client_id, anchor_id, created_by, created_at";

Result<VendorMaker> ReadVendorMaker(RowReader& r) {
  VendorMaker m;
  m.client_id = r.Text();
  m.anchor_id = r.Text();
  m.created_by = r.Text();
  m.created_at = r.At();
  return m;
}

constexpr std::string_view kUnlockKeyColumns = "client_id, public_key, created_at";

Result<ClientUnlockKey> ReadUnlockKey(RowReader& r) {
  ClientUnlockKey k;
  k.client_id = r.Text();
  k.public_key = r.Blob();
  k.created_at = r.At();
  return k;
}

constexpr std::string_view kKeyCopyColumns =
    "authorisation_id, seal_id, client_id, encrypted_secret, wrapped_key, kek_id, valid_until, created_at";

Result<AuthorisationKey> ReadKeyCopy(RowReader& r) {
  AuthorisationKey k;
  k.authorisation_id = r.Text();
  k.seal_id = r.Text();
  k.client_id = r.Text();
  k.encrypted_secret = r.Blob();
  k.wrapped_key = r.Blob();
  k.kek_id = r.Text();
  k.valid_until = r.At();
  k.created_at = r.At();
  return k;
}

Result<std::string> ReadText(RowReader& r) { return r.Text(); }

}  // namespace

Status SqlBindingRepository::InsertBinding(const ClientBinding& b) {
  static const std::string sql = InsertSql("client_bindings", kBindingColumns);
  ASSIGN_OR_RETURN(int64_t n, tx_.Execute("insert client binding", sql, BindingParams(b)));
  if (n == 0) return AlreadyExists(tx_, "client binding", {{"client_bindings", "client_id", b.client_id}});
  return Status::Ok();
}

Status SqlBindingRepository::UpdateBinding(const ClientBinding& b) {
  static const std::string sql = UpdateSql("client_bindings", kBindingColumns, 1);
  ASSIGN_OR_RETURN(int64_t n, tx_.Execute("update client binding", sql, BindingParams(b)));
  return RequireChanged(n, "client binding", b.client_id);
}

Result<ClientBinding> SqlBindingRepository::GetBindingImpl(std::string_view client_id, bool lock) {
  if (lock) RETURN_IF_ERROR(tx_.RequireWrite("lock client binding"));
  std::string sql = SelectSql("client_bindings", kBindingColumns) + " WHERE client_id = $1";
  if (lock) sql += ForUpdate(tx_.dialect());
  return QueryOne(tx_, "get client binding", sql, {Text(client_id)}, ReadBinding,
                  "no binding request for client " + Quote(client_id));
}

Result<ClientBinding> SqlBindingRepository::GetBinding(std::string_view client_id) {
  return GetBindingImpl(client_id, false);
}

Result<ClientBinding> SqlBindingRepository::GetBindingForUpdate(std::string_view client_id) {
  return GetBindingImpl(client_id, true);
}

Result<std::vector<ClientBinding>> SqlBindingRepository::ListBindings(std::string_view holder_id,
                                                                      std::optional<BindingStatus> status,
                                                                      platform::Page page) {
  ASSIGN_OR_RETURN(Bounds b, PageBounds(page.limit, page.offset));
  Where w;
  if (!holder_id.empty()) w.Add("holder_id = " + w.Bind(Text(holder_id)));
  if (status) w.Add("status = " + w.Bind(Text(platform::Name(*status))));
  std::string sql =
      SelectSql("client_bindings", kBindingColumns) + w.Clause() + " ORDER BY requested_at, client_id";
  sql += w.Page(b);
  return QueryAll(tx_, "list client bindings", sql, w.params(), ReadBinding);
}

Status SqlBindingRepository::InsertVendorMaker(const VendorMaker& m) {
  static const std::string sql = InsertSql("vendor_makers", kVendorMakerColumns);
  ASSIGN_OR_RETURN(int64_t n, tx_.Execute("insert vendor maker", sql,
                                          {Text(m.client_id), Text(m.anchor_id), Text(m.created_by),
                                           At(m.created_at)}));
  if (n == 0) {
    return AlreadyExistsError("vendor " + Quote(m.client_id) + " is already registered for maker " +
                              Quote(m.anchor_id));
  }
  return Status::Ok();
}

Status SqlBindingRepository::DeleteVendorMaker(std::string_view client_id, std::string_view anchor_id) {
  static const std::string sql = "DELETE FROM vendor_makers WHERE client_id = $1 AND anchor_id = $2";
  ASSIGN_OR_RETURN(int64_t n, tx_.Execute("delete vendor maker", sql, {Text(client_id), Text(anchor_id)}));
  return RequireChanged(n, "vendor maker registration", std::string(client_id) + "/" + std::string(anchor_id));
}

Result<std::vector<VendorMaker>> SqlBindingRepository::ListVendorMakers(std::string_view client_id) {
  Where w;
  if (!client_id.empty()) w.Add("client_id = " + w.Bind(Text(client_id)));
  std::string sql = SelectSql("vendor_makers", kVendorMakerColumns) + w.Clause() + " ORDER BY client_id, anchor_id";
  return QueryAll(tx_, "list vendor makers", sql, w.params(), ReadVendorMaker);
}

Status SqlBindingRepository::PutUnlockKey(const ClientUnlockKey& k) {
  static const std::string sql =
      "INSERT INTO client_unlock_keys (client_id, public_key, created_at) VALUES ($1, $2, $3)"
      " ON CONFLICT (client_id) DO UPDATE SET public_key = excluded.public_key, created_at = excluded.created_at";
  return tx_.Execute("put client unlock key", sql, {Text(k.client_id), Blob(k.public_key), At(k.created_at)})
      .status();
}

Result<ClientUnlockKey> SqlBindingRepository::GetUnlockKey(std::string_view client_id) {
  static const std::string sql = SelectSql("client_unlock_keys", kUnlockKeyColumns) + " WHERE client_id = $1";
  return QueryOne(tx_, "get client unlock key", sql, {Text(client_id)}, ReadUnlockKey,
                  "client " + Quote(client_id) + " has no unlock key");
}

Status SqlBindingRepository::InsertKeyCopy(const AuthorisationKey& k) {
  static const std::string sql = InsertSql("authorisation_keys", kKeyCopyColumns);
  ASSIGN_OR_RETURN(int64_t n, tx_.Execute("insert authorisation key", sql,
                                          {Text(k.authorisation_id), Text(k.seal_id), Text(k.client_id),
                                           Blob(k.encrypted_secret), Blob(k.wrapped_key), Text(k.kek_id),
                                           At(k.valid_until), At(k.created_at)}));
  if (n == 0) {
    return AlreadyExistsError("authorisation " + Quote(k.authorisation_id) + " already has a key copy for seal " +
                              Quote(k.seal_id));
  }
  return Status::Ok();
}

Result<AuthorisationKey> SqlBindingRepository::GetKeyCopyImpl(std::string_view authorisation_id,
                                                              std::string_view seal_id, bool lock) {
  if (lock) RETURN_IF_ERROR(tx_.RequireWrite("lock authorisation key"));
  std::string sql =
      SelectSql("authorisation_keys", kKeyCopyColumns) + " WHERE authorisation_id = $1 AND seal_id = $2";
  if (lock) sql += ForUpdate(tx_.dialect());
  return QueryOne(tx_, "get authorisation key", sql, {Text(authorisation_id), Text(seal_id)}, ReadKeyCopy,
                  "authorisation " + Quote(authorisation_id) + " keeps no key for seal " + Quote(seal_id));
}

Result<AuthorisationKey> SqlBindingRepository::GetKeyCopy(std::string_view authorisation_id,
                                                          std::string_view seal_id) {
  return GetKeyCopyImpl(authorisation_id, seal_id, false);
}

Result<AuthorisationKey> SqlBindingRepository::GetKeyCopyForUpdate(std::string_view authorisation_id,
                                                                   std::string_view seal_id) {
  return GetKeyCopyImpl(authorisation_id, seal_id, true);
}

Result<int64_t> SqlBindingRepository::DeleteKeyCopies(std::string_view authorisation_id) {
  static const std::string sql = "DELETE FROM authorisation_keys WHERE authorisation_id = $1";
  return tx_.Execute("delete authorisation keys", sql, {Text(authorisation_id)});
}

Result<std::vector<std::string>> SqlBindingRepository::ExpiredKeyCopyOwners(Time t, int limit) {
  static const std::string sql =
      "SELECT authorisation_id FROM authorisation_keys WHERE valid_until < $1"
      " GROUP BY authorisation_id ORDER BY MIN(valid_until), authorisation_id LIMIT $2";
  return QueryAll(tx_, "list expired authorisation keys", sql, {At(t), Int(limit)}, ReadText);
}

}  // namespace eseal::store::internal
