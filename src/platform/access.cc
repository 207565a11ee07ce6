// Who may do what: the rules every use case starts with.
#include "internal.h"

#include "eseal/base/log.h"

namespace eseal::platform {

bool IsOperator(const Caller& c) { return c.role == Role::kOperator && !c.account_id.empty(); }

Status RequireOperator(const Caller& c) {
  if (IsOperator(c)) return Status::Ok();
  return PermissionDeniedError("only the platform operator may do this");
}

Status RequireHolderAccess(const Caller& c, std::string_view holder_id) {
  if (IsOperator(c)) return Status::Ok();
  if (!c.holder_id.empty() && c.holder_id == holder_id) return Status::Ok();
  return PermissionDeniedError("this belongs to another holder");
}

Status RequireHolderAdmin(const Caller& c, std::string_view holder_id) {
  if (IsOperator(c)) return Status::Ok();
  if (c.role == Role::kHolderAdmin && c.holder_id == holder_id) return Status::Ok();
  return PermissionDeniedError("only the holder's administrator (or the operator) may do this");
}

// May `c` use `seal`? The holder's administrator; its users with a grant; its own
// enterprise client; a vendor client with a live authorisation. Never the operator, never
// another holder.
Status CheckMayUseSeal(Tx& tx, const Caller& c, const Seal& seal, Time now) {
  if (c.role == Role::kHolderAdmin && c.holder_id == seal.holder_id) return Status::Ok();
  if (c.role == Role::kHolderUser && c.holder_id == seal.holder_id) {
    auto g = tx.grants().Get(seal.id, c.account_id);
    if (g.ok() && g->can_use) return Status::Ok();
    if (!g.ok() && g.status().code() != StatusCode::kNotFound) return g.status();
    return PermissionDeniedError("this account has not been granted use of this seal");
  }
  if (c.role == Role::kClient) {
    if (c.client_type == ClientType::kEnterprise && c.holder_id == seal.holder_id) return Status::Ok();
    if (c.client_type == ClientType::kVendor || c.client_type == ClientType::kAgency) {
      ASSIGN_OR_RETURN(std::vector<VendorAuthorisation> auths, tx.authorisations().List(c.client_id, seal.holder_id));
      for (const VendorAuthorisation& a : auths) {
        if (a.withdrawn_at || now > a.valid_until) continue;
        for (const std::string& id : a.seal_ids) {
          if (id == seal.id) return Status::Ok();
        }
      }
      return PermissionDeniedError("the holder has not authorised this client to use this seal (or withdrew it)");
    }
  }
  return PermissionDeniedError("this seal belongs to another holder");
}

AreaLevel AreaLevelOf(std::string_view code) {
  if (code.size() == 6 && code.substr(2) == "0000") return AreaLevel::kRegion;
  if (code.size() == 6 && code.substr(4) == "00") return AreaLevel::kCity;
  return AreaLevel::kCounty;
}

std::string AncestorAt(std::string_view code, AreaLevel level) {
  if (code.size() != 6) return std::string(code);
  switch (level) {
    case AreaLevel::kRegion: return std::string(code.substr(0, 2)) + "0000";
    case AreaLevel::kCity: return std::string(code.substr(0, 4)) + "00";
    case AreaLevel::kCounty: return std::string(code);
  }
  return std::string(code);
}

bool AreaContains(std::string_view outer, std::string_view inner) {
  AreaLevel level = AreaLevelOf(outer);
  if (static_cast<int>(AreaLevelOf(inner)) < static_cast<int>(level)) return false;
  return AncestorAt(inner, level) == outer;
}

std::string JsonObject(std::initializer_list<std::pair<std::string_view, std::string>> fields) {
  std::string out = "{";
  bool first = true;
  for (const auto& [k, v] : fields) {
    if (!first) out += ",";
    first = false;
    out += "\"" + JsonEscape(k) + "\":\"" + JsonEscape(v) + "\"";
  }
  return out + "}";
}

}  // namespace eseal::platform
