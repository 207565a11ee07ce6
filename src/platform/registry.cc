// The registry (登记信息): enterprises and departments synchronised from the market
// regulator (E8, E14, E25), the administrative areas of government departments, physical
// seal impressions from the public-security feed (E8, G12), accounts and seal grants.
#include "eseal/base/log.h"
#include "eseal/sealimg/png_info.h"
#include "eseal/sealimg/seal_image.h"
#include "internal.h"

namespace eseal::platform {
namespace {

bool IsClientOfType(const Caller& c, ClientType t) {
  return c.role == Role::kClient && c.client_type && *c.client_type == t;
}

Status CheckAreaCode(std::string_view code) {
  if (code.size() != 6) return InvalidArgumentError("an area code (GB/T 2260) has 6 digits");
  for (char ch : code) {
    if (ch < '0' || ch > '9') return InvalidArgumentError("an area code (GB/T 2260) has 6 digits");
  }
  return Status::Ok();
}

}  // namespace

Status CheckText(std::string_view value, std::string_view what, size_t max) {
  // `what` is the field's name in the API, which the integrator sees in both languages.
  const std::string field(what);
  if (value.empty()) return InvalidArgumentError("字段 " + field + " 不能为空，请填写后重试 / " + field + " is empty");
  if (value.size() > max) {
    return InvalidArgumentError("字段 " + field + " 超过 " + std::to_string(max) + " 字节，请缩短后重试 / " + field +
                                " is longer than " + std::to_string(max) + " bytes");
  }
  for (unsigned char ch : value) {
    if (ch < 0x20) {
      return InvalidArgumentError("字段 " + field + " 含有控制字符（如换行），请删去后重试 / " + field +
                                  " has a control character");
    }
  }
  return Status::Ok();
}

Result<Holder> PlatformImpl::UpsertHolder(const Caller& c, const HolderInput& in) {
  if (!IsOperator(c) && !IsClientOfType(c, ClientType::kRegulatorFeed)) {
    return PermissionDeniedError("only the operator or the market-regulator feed loads registry data");
  }
  RETURN_IF_ERROR(ValidateUscc(in.uscc));
  if (in.name) RETURN_IF_ERROR(CheckText(*in.name, "name", 300));
  if (in.legal_rep) RETURN_IF_ERROR(CheckText(*in.legal_rep, "legal representative", 100));
  if (in.area_code && !in.area_code->empty()) RETURN_IF_ERROR(CheckAreaCode(*in.area_code));
  Holder out;
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    auto existing = tx.holders().GetByUscc(in.uscc);
    if (!existing.ok() && existing.status().code() != StatusCode::kNotFound) return existing.status();
    const HolderKind kind = existing.ok() ? existing->kind : in.kind.value_or(HolderKind::kEnterprise);
    if (existing.ok() && in.kind && *in.kind != kind) {
      return FailedPreconditionError("a holder cannot change between enterprise and department");
    }
    if (kind == HolderKind::kDepartment && in.area_code) {
      if (in.area_code->empty()) return InvalidArgumentError("a department keeps its area code (GB/T 2260)");
      auto area = tx.areas().Get(*in.area_code);
      if (!area.ok()) {
        return area.status().code() == StatusCode::kNotFound
                   ? InvalidArgumentError("area " + *in.area_code + " is not registered; add it first")
                   : area.status();
      }
    }
    Time now = Now();
    if (existing.ok()) {
      // Only what was given changes; the audit entry says what each changed field was.
      out = *existing;
      std::vector<std::pair<std::string_view, std::pair<std::string, std::string>>> changed;
      auto set = [&](std::string_view field, std::string& value, const std::optional<std::string>& given) {
        if (!given || *given == value) return;
        changed.push_back({field, {value, *given}});
        value = *given;
      };
      set("name", out.name, in.name);
      set("legal_rep", out.legal_rep, in.legal_rep);
      set("area_code", out.area_code, in.area_code);
      if (in.status && *in.status != out.status) {
        changed.push_back({"status", {std::string(Name(out.status)), std::string(Name(*in.status))}});
        out.status = *in.status;
      }
      if (changed.empty()) return Status::Ok();  // the record already says this
      out.updated_at = now;
      RETURN_IF_ERROR(tx.holders().Update(out));
      std::string before = "{", after = "{";
      for (const auto& [field, values] : changed) {
        std::string key = "\"" + JsonEscape(field) + "\":";
        if (before.size() > 1) {
          before += ",";
          after += ",";
        }
        before += key + "\"" + JsonEscape(values.first) + "\"";
        after += key + "\"" + JsonEscape(values.second) + "\"";
      }
      return Audit(tx, &c, "holder.updated", "holder", out.id,
                   "{\"uscc\":\"" + JsonEscape(out.uscc) + "\",\"before\":" + before + "},\"after\":" + after + "}}");
    }
    if (!in.name || !in.legal_rep) {
      return InvalidArgumentError("a new holder (USCC " + in.uscc + ") needs name and legal_rep");
    }
    if (kind == HolderKind::kDepartment && (!in.area_code || in.area_code->empty())) {
      return InvalidArgumentError("a department needs its area code (GB/T 2260)");
    }
    out = Holder{NewId("hol"),
                 kind,
                 in.uscc,
                 *in.name,
                 *in.legal_rep,
                 in.status.value_or(HolderStatus::kActive),
                 in.area_code.value_or(""),
                 now,
                 now};
    RETURN_IF_ERROR(tx.holders().Insert(out));
    return Audit(tx, &c, "holder.created", "holder", out.id,
                 JsonObject({{"uscc", out.uscc}, {"name", out.name}, {"kind", std::string(Name(out.kind))},
                             {"legal_rep", out.legal_rep}, {"area_code", out.area_code},
                             {"status", std::string(Name(out.status))}}));
  }));
  return out;
}

Result<Holder> PlatformImpl::GetHolder(const Caller& c, std::string_view id) {
  Holder h;
  RETURN_IF_ERROR(InReadTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(h, tx.holders().Get(id));
    return Status::Ok();
  }));
  if (c.role == Role::kReviewer && h.kind == HolderKind::kDepartment &&
      AreaContains(c.area_code, h.area_code)) {
    return h;
  }
  RETURN_IF_ERROR(RequireHolderAccess(c, h.id));
  return h;
}

Result<PageOf<Holder>> PlatformImpl::ListHolders(const Caller& c, const HolderRepository::Filter& f,
                                                 Page page) {
  HolderRepository::Filter filter = f;
  if (c.role == Role::kReviewer) {
    // A reviewer sees the departments of its own area only (as GetHolder does): a filter
    // inside the area is kept, a wider one narrowed to it, one outside it matches nothing.
    if (c.area_code.size() != 6) return PageOf<Holder>{};
    std::string own = c.area_code;
    switch (AreaLevelOf(c.area_code)) {
      case AreaLevel::kRegion: own = c.area_code.substr(0, 2); break;
      case AreaLevel::kCity: own = c.area_code.substr(0, 4); break;
      case AreaLevel::kCounty: break;
    }
    filter.kind = HolderKind::kDepartment;
    if (own.starts_with(filter.area_prefix)) {
      filter.area_prefix = own;
    } else if (!filter.area_prefix.starts_with(own)) {
      return PageOf<Holder>{};
    }
  } else if (!IsOperator(c) && !IsClientOfType(c, ClientType::kRegulatorFeed) &&
             !IsClientOfType(c, ClientType::kSecurityFeed)) {
    // Holders see themselves only.
    if (c.holder_id.empty()) return PermissionDeniedError("not allowed to list holders");
    ASSIGN_OR_RETURN(Holder self, GetHolder(c, c.holder_id));
    PageOf<Holder> one{{}, 1};
    if (page.offset == 0) one.items.push_back(std::move(self));
    return one;
  }
  PageOf<Holder> out;
  RETURN_IF_ERROR(InReadTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(out.items, tx.holders().List(filter, page));
    ASSIGN_OR_RETURN(out.total, tx.holders().Count(filter));
    return Status::Ok();
  }));
  return out;
}

Result<Impression> PlatformImpl::AttachImpression(const Caller& c, std::string_view holder_id,
                                                  std::string_view seal_kind, ByteView png) {
  if (!IsOperator(c) && !IsClientOfType(c, ClientType::kSecurityFeed)) {
    return PermissionDeniedError("only the operator or the public-security feed supplies impressions");
  }
  auto kind = sealimg::ParseKind(seal_kind);
  if (!kind.ok()) return kind.status();
  auto info = sealimg::ProbePng(png);
  if (!info.ok()) return info.status().WithContext("impression image");
  Impression imp;
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Holder h, tx.holders().Get(holder_id));
    imp = Impression{NewId("imp"), h.id, std::string(seal_kind), Bytes(png.begin(), png.end()),
                     c.ActorId(), Now()};
    RETURN_IF_ERROR(tx.impressions().Insert(imp));
    return Audit(tx, &c, "impression.attached", "holder", h.id,
                 JsonObject({{"kind", imp.seal_kind}, {"impression", imp.id},
                             {"pixels", std::to_string(info->width_px) + "x" + std::to_string(info->height_px)}}));
  }));
  return imp;
}

Result<Area> PlatformImpl::UpsertArea(const Caller& c, const Area& area) {
  RETURN_IF_ERROR(RequireOperator(c));
  RETURN_IF_ERROR(CheckAreaCode(area.code));
  RETURN_IF_ERROR(CheckText(area.name, "area name", 100));
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    if (area.level == AreaLevel::kRegion) {
      if (!area.parent_code.empty()) return InvalidArgumentError("a region has no parent area");
    } else {
      auto parent = tx.areas().Get(area.parent_code);
      if (!parent.ok()) return InvalidArgumentError("parent area '" + area.parent_code + "' is not registered");
      if (static_cast<int>(parent->level) != static_cast<int>(area.level) - 1) {
        return InvalidArgumentError("the parent of a " + std::string(Name(area.level)) +
                                    " must be one level up");
      }
    }
    RETURN_IF_ERROR(tx.areas().Upsert(area));
    return Audit(tx, &c, "area.upserted", "area", area.code,
                 JsonObject({{"name", area.name}, {"level", std::string(Name(area.level))},
                             {"parent", area.parent_code}}));
  }));
  return area;
}

Result<PageOf<Area>> PlatformImpl::ListAreas(const Caller&, Page page) {
  PageOf<Area> out;
  RETURN_IF_ERROR(InReadTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(out.items, tx.areas().List(page));
    ASSIGN_OR_RETURN(out.total, tx.areas().Count());
    return Status::Ok();
  }));
  return out;
}

Result<Platform::NewCredential> PlatformImpl::CreateAccount(const Caller& c, const AccountInput& in) {
  RETURN_IF_ERROR(CheckText(in.name, "account name", 100));
  if (IsOperator(c)) {
    if ((in.role == Role::kHolderAdmin || in.role == Role::kHolderUser) && in.holder_id.empty()) {
      return InvalidArgumentError("a holder account needs holder_id");
    }
    if (in.role == Role::kReviewer) RETURN_IF_ERROR(CheckAreaCode(in.area_code));
    if (in.role == Role::kClient) return InvalidArgumentError("clients apply for access; they are not accounts");
  } else if (c.role == Role::kHolderAdmin) {
    if (in.role != Role::kHolderUser || (!in.holder_id.empty() && in.holder_id != c.holder_id)) {
      return PermissionDeniedError("a holder administrator creates user accounts of its own holder only");
    }
  } else {
    return PermissionDeniedError("not allowed to create accounts");
  }
  NewCredential out;
  ASSIGN_OR_RETURN(out.token, NewToken());
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    Account a{NewId("acc"), in.name, in.role, in.holder_id, in.area_code, false, Now()};
    if (c.role == Role::kHolderAdmin) a.holder_id = c.holder_id;
    if (!a.holder_id.empty()) RETURN_IF_ERROR(tx.holders().Get(a.holder_id));
    if (a.role == Role::kReviewer) {
      auto area = tx.areas().Get(a.area_code);
      if (!area.ok()) return InvalidArgumentError("area " + a.area_code + " is not registered");
    }
    RETURN_IF_ERROR(tx.accounts().Insert(a));
    Credential token = NewTokenRow(a.id, "", out.token, "initial", "read sign write", o_.token_validity_days);
    RETURN_IF_ERROR(tx.credentials().Insert(token));
    ASSIGN_OR_RETURN(Login login, NewLogin(a, in.login, &out.enrolment_code));
    RETURN_IF_ERROR(tx.logins().Insert(login));
    out.login = login.login;
    out.account = a;
    return Audit(tx, &c, "account.created", "account", a.id,
                 JsonObject({{"name", a.name}, {"role", std::string(Name(a.role))}, {"holder", a.holder_id},
                             {"area", a.area_code}}));
  }));
  return out;
}

Status PlatformImpl::GrantSeal(const Caller& c, const SealGrant& grant) {
  return InTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Seal seal, tx.seals().Get(grant.seal_id));
    if (!(c.role == Role::kHolderAdmin && c.holder_id == seal.holder_id)) {
      return PermissionDeniedError("only the seal holder's administrator grants use of its seals");
    }
    ASSIGN_OR_RETURN(Account a, tx.accounts().Get(grant.account_id));
    if (a.holder_id != seal.holder_id || a.role != Role::kHolderUser) {
      return InvalidArgumentError("seals can be granted only to user accounts of the same holder");
    }
    RETURN_IF_ERROR(tx.grants().Upsert(grant));
    return Audit(tx, &c, "seal.granted", "seal", seal.id,
                 JsonObject({{"account", a.id}, {"can_use", grant.can_use ? "true" : "false"},
                             {"can_approve", grant.can_approve ? "true" : "false"}}));
  });
}

}  // namespace eseal::platform
