// Bindings need consent (docs/security.md "Bindings and vendor authorisations"): an
// enterprise client is bound to a holder only when that holder's administrator confirms the
// request its application made; the operator records which seal makers a vendor files seals
// from; the copies of seal keys kept for vendor authorisations are destroyed when the
// authorisation expires. Every step is audited in its transaction.
#include "eseal/ses/make.h"
#include "eseal/sealimg/seal_image.h"
#include "vendor_keys.h"

namespace eseal::platform {

Result<std::vector<ClientBinding>> PlatformImpl::ListBindingRequests(const Caller& c,
                                                                     std::optional<BindingStatus> status, Page page) {
  std::string holder;
  if (IsOperator(c)) {
  } else if (c.role == Role::kHolderAdmin && !c.holder_id.empty()) {
    holder = c.holder_id;
  } else {
    return PermissionDeniedError("只有企业管理员可以查看绑定申请 / only a holder's administrator reads its binding requests");
  }
  std::vector<ClientBinding> out;
  RETURN_IF_ERROR(InReadTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(out, tx.bindings().ListBindings(holder, status, page));
    return Status::Ok();
  }));
  return out;
}

Result<ClientBinding> PlatformImpl::DecideBinding(const Caller& c, std::string_view client_id, bool confirm,
                                                  std::string_view reason) {
  if (c.role != Role::kHolderAdmin || c.holder_id.empty()) {
    return PermissionDeniedError("只有被申请绑定的企业的管理员可以确认或拒绝 / only the administrator of the holder "
                                 "asked for confirms or refuses a binding");
  }
  if (!confirm && reason.empty()) return InvalidArgumentError("拒绝须说明理由 / a refusal needs a reason");
  if (reason.size() > 2000) return InvalidArgumentError("reason is too long");
  ClientBinding b;
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(b, tx.bindings().GetBindingForUpdate(client_id));
    // Another holder's request is answered as absent: its existence is not this admin's to know.
    if (b.holder_id != c.holder_id) return NotFoundError("no binding request for client '" + std::string(client_id) + "'");
    if (b.status != BindingStatus::kRequested) {
      return FailedPreconditionError("该绑定申请已" + std::string(b.status == BindingStatus::kConfirmed ? "确认" : "拒绝") +
                                     " / the binding request was already " + std::string(Name(b.status)));
    }
    ASSIGN_OR_RETURN(Client cl, tx.clients().Get(client_id));
    Time now = Now();
    b.status = confirm ? BindingStatus::kConfirmed : BindingStatus::kRefused;
    b.reason = std::string(reason);
    b.decided_by = c.ActorId();
    b.decided_at = now;
    RETURN_IF_ERROR(tx.bindings().UpdateBinding(b));
    if (confirm) {
      cl.holder_id = b.holder_id;
      cl.updated_at = now;
      RETURN_IF_ERROR(tx.clients().Update(cl));
    }
    return Audit(tx, &c, confirm ? "client.binding_confirmed" : "client.binding_refused", "client", cl.id,
                 JsonObject({{"holder", b.holder_id}, {"reason", b.reason}}));
  }));
  return b;
}

Result<VendorMaker> PlatformImpl::RegisterVendorMaker(const Caller& c, std::string_view client_id,
                                                      std::string_view anchor_id) {
  RETURN_IF_ERROR(RequireOperator(c));
  VendorMaker m;
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Client cl, tx.clients().Get(client_id));
    if (cl.type != ClientType::kVendor) {
      return InvalidArgumentError("只有服务商系统可登记制章系统 / only a vendor client is registered for seal makers");
    }
    ASSIGN_OR_RETURN(TrustAnchorRecord a, tx.anchors().Get(anchor_id));
    if ((a.roles & kAnchorSealMaker) == 0) {
      return InvalidArgumentError("该信任锚不为制章人作证 / anchor '" + a.id + "' does not vouch for seal makers");
    }
    m = VendorMaker{cl.id, a.id, c.ActorId(), Now()};
    RETURN_IF_ERROR(tx.bindings().InsertVendorMaker(m));
    return Audit(tx, &c, "client.maker_registered", "client", cl.id,
                 JsonObject({{"anchor", a.id}, {"system", a.system_name}}));
  }));
  return m;
}

Result<std::vector<VendorMaker>> PlatformImpl::ListVendorMakers(const Caller& c, std::string_view client_id) {
  if (!IsOperator(c) && !(c.role == Role::kClient && c.client_id == client_id)) {
    return PermissionDeniedError("only the operator or the vendor itself reads its seal makers");
  }
  std::vector<VendorMaker> out;
  RETURN_IF_ERROR(InReadTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(out, tx.bindings().ListVendorMakers(client_id));
    return Status::Ok();
  }));
  return out;
}

Result<int> PlatformImpl::DestroyExpiredAuthorisationKeys() {
  int total = 0;
  for (;;) {
    std::vector<std::string> owners;
    RETURN_IF_ERROR(InReadTx([&](Tx& tx) -> Status {
      ASSIGN_OR_RETURN(owners, tx.bindings().ExpiredKeyCopyOwners(Now(), 200));
      return Status::Ok();
    }));
    if (owners.empty()) return total;
    for (const std::string& id : owners) {
      RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
        ASSIGN_OR_RETURN(VendorAuthorisation a, tx.authorisations().Get(id));
        ASSIGN_OR_RETURN(int64_t n, tx.bindings().DeleteKeyCopies(id));
        if (n == 0) return Status::Ok();
        ++total;
        return Audit(tx, nullptr, "authorisation.key_destroyed", "client", a.client_id,
                     JsonObject({{"authorisation", a.id}, {"copies", std::to_string(n)}, {"why", "expired"}}));
      }));
    }
  }
}

Status CheckVendorMayFile(Tx& tx, const Caller& c, std::string_view anchor_id) {
  if (c.role != Role::kClient) return Status::Ok();  // the operator files from any registered maker
  ASSIGN_OR_RETURN(std::vector<VendorMaker> makers, tx.bindings().ListVendorMakers(c.client_id));
  for (const VendorMaker& m : makers) {
    if (m.anchor_id == anchor_id) return Status::Ok();
  }
  return PermissionDeniedError("该服务商未登记为此印章的制章系统的服务商，不能备案其印章 / this vendor is not registered "
                               "for the seal system that made this seal (anchor '" + std::string(anchor_id) +
                               "'); the operator records that first");
}

namespace {
int64_t SesTypeOf(sealimg::Kind k) {
  switch (k) {
    case sealimg::Kind::kLegalName: return ses::kTypeLegalName;
    case sealimg::Kind::kContract: return ses::kTypeContract;
    case sealimg::Kind::kFinance: return ses::kTypeFinance;
    case sealimg::Kind::kInvoice: return ses::kTypeInvoice;
    case sealimg::Kind::kBusiness: return ses::kTypeBusiness;
    case sealimg::Kind::kLegalRep: return ses::kTypeLegalRep;
    case sealimg::Kind::kGovService: return ses::kTypeGovService;
  }
  return ses::kTypeBusiness;
}
}  // namespace

Status CheckFiledKind(const ses::Seal& seal, std::string_view kind, const Holder& h) {
  ASSIGN_OR_RETURN(sealimg::Kind k, sealimg::ParseKind(kind));
  const ses::PropertyInfo& p = seal.info.property;
  if (p.type != SesTypeOf(k)) {
    return FailedPreconditionError("备案的印章类别与印章本身不符：印章类型为 " + std::to_string(p.type) + "，而申报的 " +
                                   std::string(kind) + " 应为 " + std::to_string(SesTypeOf(k)) +
                                   " / the filed kind does not match the seal: its esType is " + std::to_string(p.type) +
                                   ", and kind '" + std::string(kind) + "' is esType " + std::to_string(SesTypeOf(k)));
  }
  // A legal representative's seal bears the person's name; every other kind the holder's
  // legal name, as the registry has it (a kind's suffix such as 合同专用章 may follow).
  const std::string& want = k == sealimg::Kind::kLegalRep ? h.legal_rep : h.name;
  bool ok = k == sealimg::Kind::kLegalRep ? (!want.empty() && p.name.find(want) != std::string::npos)
                                          : p.name.rfind(want, 0) == 0;
  if (!ok) {
    return FailedPreconditionError("印章名称“" + p.name + "”与登记的" +
                                   (k == sealimg::Kind::kLegalRep ? "法定代表人“" : "名称“") + want +
                                   "”不符 / the seal's name '" + p.name + "' does not match the registry's '" + want + "'");
  }
  return Status::Ok();
}

}  // namespace eseal::platform
