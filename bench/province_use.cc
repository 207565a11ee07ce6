// Use side of the province: applications and their reviews, use requests, the usage
// register (signatures) and the audit log with its chain and checkpoints.
#include <cmath>
#include <cstdio>
#include <functional>

#include "province_tables.h"

namespace eseal::bench::province {
namespace {

struct AppRow {
  std::string id, holder_id, type, seal_kind, seal_id, seal_name, reason, status, submitted_by, result_seal_id;
  int next_level = 0;
  int64_t created = 0, updated = 0;
  // Department applications: the reviews so far (level, area code, approved).
  struct Review {
    int level;
    std::string area;
    bool approved;
    int64_t at;
  };
  std::vector<Review> reviews;
};

// The chain of offices that review a department of this area: its own level up to the region.
std::vector<std::pair<int, std::string>> ReviewChain(const AreaDef& a) {
  std::vector<std::pair<int, std::string>> out;
  out.emplace_back(a.level, a.code);
  if (a.level == 3) out.emplace_back(2, a.parent_code);
  if (a.level >= 2) out.emplace_back(1, "450000");
  return out;
}

void Reviewed(AppRow& a, const AreaDef& area, Rng& r, size_t done, bool last_approved) {
  auto chain = ReviewChain(area);
  int64_t t = a.created;
  for (size_t k = 0; k < done && k < chain.size(); ++k) {
    t += r.Between(3600, 3 * kDay);
    a.reviews.push_back({chain[k].first, chain[k].second, k + 1 < done || last_approved, t});
  }
  a.next_level = done < chain.size() ? chain[done].first : 0;
  a.updated = std::max(a.created, t);
}

// Every application once, in id order: one per seal made here, then the holders' other
// applications (departments apply more often, so that reviewers have queues).
Status ForEachApplication(const World& w, const std::function<Status(const AppRow&)>& fn) {
  for (size_t j = 0; j < w.s.size(); ++j) {
    if (IsFiled(w, j)) continue;
    const SealLite& s = w.s[j];
    const HolderLite& hl = w.h[s.holder];
    Rng r(Mix(w.seed * 31 + j));
    AppRow a;
    a.id = Id("app", j);
    a.holder_id = Id("hol", s.holder);
    a.type = s.replaces >= 0 ? "change" : "new_seal";
    a.seal_kind = SealKindName(s.kind);
    if (s.replaces >= 0) a.seal_id = Id("sea", static_cast<uint64_t>(s.replaces));
    a.reason = s.replaces >= 0 ? "单位名称变更，申请变更印章" : "新设立单位申请制作电子印章";
    a.status = "completed";
    a.submitted_by = Id("acc", s.holder);
    a.result_seal_id = Id("sea", j);
    a.created = s.created - r.Between(3600, 3 * kDay);
    if (hl.department) Reviewed(a, Areas()[hl.area], r, 3, true);
    a.updated = s.created;
    RETURN_IF_ERROR(fn(a));
  }
  uint64_t extra = w.s.size();
  static const char* kTypes[] = {"renew", "password_change", "new_seal", "revoke"};
  for (int64_t i = 0; i < w.holders; ++i) {
    const HolderLite& hl = w.h[static_cast<size_t>(i)];
    Rng r(Mix(w.seed * 37 + static_cast<uint64_t>(i)));
    if (!hl.department && !r.Chance(0.09)) continue;
    AppRow a;
    a.id = Id("app", extra++);
    a.holder_id = Id("hol", static_cast<uint64_t>(i));
    a.type = kTypes[r.Below(4)];
    a.seal_kind = hl.department ? "gov-service" : SealKindName(static_cast<uint8_t>(r.Below(5)));
    a.reason = "申请" + a.type;
    a.submitted_by = Id("acc", static_cast<uint64_t>(i));
    uint64_t x = r.Below(100);
    a.status = x < 40 ? "pending" : x < 70 ? "rejected" : x < 90 ? "cancelled" : "approved";
    a.created = a.status == "pending" ? w.now - r.Between(600, 20 * kDay) : r.Between(hl.created, w.now - kDay);
    a.updated = a.created;
    if (hl.department) {
      size_t chain = ReviewChain(Areas()[hl.area]).size();
      if (a.status == "pending") Reviewed(a, Areas()[hl.area], r, r.Below(chain), true);
      if (a.status == "rejected") Reviewed(a, Areas()[hl.area], r, 1 + r.Below(chain), false);
      if (a.status == "approved") Reviewed(a, Areas()[hl.area], r, chain, true);
    }
    RETURN_IF_ERROR(fn(a));
  }
  return Status::Ok();
}

}  // namespace

Status LoadApplications(Copy& c, const World& w) {
  RETURN_IF_ERROR(c.Begin("applications", "id, holder_id, type, seal_kind, seal_id, seal_name, reason, protected_key, "
                                          "public_key_spki, status, next_level, submitted_by, result_seal_id, "
                                          "created_at, updated_at"));
  Rng r(w.seed * 41);
  RETURN_IF_ERROR(ForEachApplication(w, [&](const AppRow& a) -> Status {
    bool keeps_key = a.status == "pending" || a.status == "approved";
    c.Text(a.id).Text(a.holder_id).Text(a.type).Text(a.seal_kind).TextOrNull(a.seal_id).Text(a.seal_name)
        .Text(a.reason).Bytea(keeps_key ? Blob(r, 96) : "").Bytea(Blob(r, 91)).Text(a.status).Int(a.next_level)
        .Text(a.submitted_by).TextOrNull(a.result_seal_id).Int(a.created).Int(a.updated);
    return c.EndRow();
  }));
  return c.End().status();
}

Status LoadReviews(Copy& c, const World& w) {
  RETURN_IF_ERROR(c.Begin("application_reviews",
                          "application_id, position, level, area_code, reviewer_id, approved, reason, decided_at"));
  RETURN_IF_ERROR(ForEachApplication(w, [&](const AppRow& a) -> Status {
    for (size_t k = 0; k < a.reviews.size(); ++k) {
      const AppRow::Review& v = a.reviews[k];
      size_t area = 0;
      for (size_t n = 0; n < Areas().size(); ++n) {
        if (Areas()[n].code == v.area) area = n;
      }
      c.Text(a.id).Int(static_cast<int64_t>(k)).Int(v.level).Text(v.area).Text(Id("rev", area)).Bool(v.approved)
          .Text(v.approved ? "材料齐全，同意" : "材料不全，请补充").Int(v.at);
      RETURN_IF_ERROR(c.EndRow());
    }
    return Status::Ok();
  }));
  return c.End().status();
}

Status LoadUsageRequests(Copy& c, const World& w) {
  RETURN_IF_ERROR(c.Begin("usage_requests", "id, seal_id, requester_id, document_hash, purpose, status, approver_id, "
                                            "decision_reason, window_start, window_end, signature_id, created_at"));
  static const char* kPurposes[] = {"签订采购合同", "出具收入证明", "投标文件盖章", "开具发票", "签署劳动合同"};
  uint64_t n = 0;
  for (size_t j = 0; j < w.s.size(); ++j) {
    const SealLite& s = w.s[j];
    if (!s.requires_approval) continue;
    Rng r(Mix(w.seed * 43 + j));
    int64_t end = s.state == kActive || s.state == kSuspended ? w.now : std::min(w.now, s.valid_to);
    for (uint64_t k = r.Below(5); k > 0; --k) {
      int64_t created = r.Between(s.created, end);
      uint64_t x = r.Below(100);
      std::string status = created > w.now - 2 * kDay ? (x < 60 ? "pending" : "approved")
                           : x < 85 ? "used" : x < 92 ? "rejected" : "expired";
      bool decided = status != "pending";
      c.Text(Id("use", n++)).Text(Id("sea", j)).Text(Id("acc", s.holder)).Text(HexDigits(r, 64))
          .Text(kPurposes[r.Below(5)]).Text(status).Text(decided ? Id("acc", s.holder) : "")
          .Text(status == "rejected" ? "用途与印章不符" : "").Int(decided ? created + 600 : 0)
          .Int(decided ? created + kDay : 0).Text(status == "used" ? Id("sig", r.Below(1u << 30)) : "").Int(created);
      RETURN_IF_ERROR(c.EndRow());
    }
  }
  return c.End().status();
}

Status LoadSignatures(Copy& c, const World& w) {
  RETURN_IF_ERROR(c.Begin("signatures", "id, seal_id, holder_id, actor_id, client_id, document_hash, signed_hash, "
                                        "document_name, format, request_id, signed_at, tsa_serial, tsa_gen_time"));
  Rng r(w.seed * 47);
  const double n = static_cast<double>(w.signatures);
  const int64_t tsa_from = w.now - 500 * kDay;  // tokens on signatures since the TSA came
  for (int64_t k = 0; k < w.signatures; ++k) {
    // In time order, as the register fills; more use every year.
    int64_t t = w.start + static_cast<int64_t>(std::sqrt((static_cast<double>(k) + 0.5) / n) *
                                               static_cast<double>(w.now - w.start));
    // A few seals sign much more than most (the pick is skewed), and only while usable.
    size_t j = 0;
    for (int tries = 0; tries < 40; ++tries) {
      double u = static_cast<double>(r.Next() >> 11) * 0x1.0p-53;
      j = static_cast<size_t>(u * u * static_cast<double>(w.s.size()));
      const SealLite& s = w.s[j];
      int64_t end = s.state == kActive ? w.now : s.valid_to;
      if (t >= s.created && t <= end) break;
    }
    const SealLite& s = w.s[j];
    bool via_client = r.Chance(0.3);
    c.Text(Id("sig", static_cast<uint64_t>(k))).Text(Id("sea", j)).Text(Id("hol", s.holder))
        .Text(via_client ? Id("cli", r.Below(200)) : Id("acc", s.holder)).Text(via_client ? Id("cli", r.Below(200)) : "")
        .Text(HexDigits(r, 64)).Text(HexDigits(r, 64)).Text(DocumentName(r)).Text(r.Chance(0.8) ? "ofd" : "ses")
        .Text(HexDigits(r, 32)).Int(t);
    if (t >= tsa_from) {
      c.Text(HexDigits(r, 32)).Int(t);
    } else {
      c.Text("").Null();
    }
    RETURN_IF_ERROR(c.EndRow());
  }
  return c.End().status();
}

Result<std::string> LoadAudit(Copy& c, const World& w, std::vector<Checkpoint>* checkpoints) {
  RETURN_IF_ERROR(c.Begin("audit_log", "seq, at, actor, action, object_type, object_id, details_json, prev_hash, hash"));
  struct Kind {
    int weight;
    const char* action;
    const char* type;
    const char* prefix;
  };
  static const Kind kKinds[] = {
      {45, "seal.signed", "signature", "sig"},          {4, "use.requested", "usage_request", "use"},
      {4, "use.approved", "usage_request", "use"},      {5, "application.submitted", "application", "app"},
      {5, "application.reviewed", "application", "app"}, {9, "seal.made", "seal", "sea"},
      {4, "seal.granted", "seal", "sea"},               {5, "holder.created", "holder", "hol"},
      {3, "holder.updated", "holder", "hol"},           {5, "account.created", "account", "acc"},
      {2, "seal.password_wrong", "seal", "sea"},        {2, "document.archived", "archive", "arc"},
      {3, "impression.attached", "holder", "hol"},      {2, "seal.expired", "seal", "sea"},
      {1, "seal.revoked", "seal", "sea"},               {1, "seal.suspended", "seal", "sea"}};
  Rng r(w.seed * 53);
  const double n = static_cast<double>(w.audit_entries);
  std::string prev;
  for (int64_t seq = 1; seq <= w.audit_entries; ++seq) {
    int64_t at = w.start + static_cast<int64_t>(std::sqrt((static_cast<double>(seq) - 0.5) / n) *
                                                static_cast<double>(w.now - w.start));
    int pick = static_cast<int>(r.Below(100));
    const Kind* k = &kKinds[0];
    for (const Kind& kind : kKinds) {
      if (pick < kind.weight) {
        k = &kind;
        break;
      }
      pick -= kind.weight;
    }
    uint64_t holder = r.Below(static_cast<uint64_t>(w.holders));
    uint64_t space = std::string_view(k->prefix) == "sig"   ? static_cast<uint64_t>(w.signatures)
                     : std::string_view(k->prefix) == "hol" || std::string_view(k->prefix) == "acc"
                         ? static_cast<uint64_t>(w.holders)
                         : w.s.size();
    std::string object = Id(k->prefix, r.Below(std::max<uint64_t>(space, 1)));
    std::string actor = r.Chance(0.1) ? "system" : r.Chance(0.1) ? Id("opr", r.Below(5)) : Id("acc", holder);
    std::string details = "{\"holder\":\"" + Id("hol", holder) + "\"";
    if (k->prefix == std::string_view("sig")) {
      details += ",\"seal\":\"" + Id("sea", r.Below(w.s.size())) + "\",\"document_hash\":\"" + HexDigits(r, 64) + "\"";
    } else if (k->prefix == std::string_view("app")) {
      details += ",\"type\":\"new_seal\",\"reason\":\"材料齐全，同意\"";
    }
    details += "}";
    std::string hash = AuditEntryHash(seq, at, actor, k->action, k->type, object, details, prev);
    c.Int(seq).Int(at).Text(actor).Text(k->action).Text(k->type).Text(object).Text(details).Text(prev).Text(hash);
    RETURN_IF_ERROR(c.EndRow());
    if (seq % 20000 == 0) checkpoints->push_back(Checkpoint{seq, hash, at});
    prev = std::move(hash);
  }
  RETURN_IF_ERROR(c.End().status());
  return prev;
}

Status LoadCheckpoints(Copy& c, const World& w, const std::vector<Checkpoint>& checkpoints) {
  RETURN_IF_ERROR(c.Begin("audit_checkpoints", "seq, hash, signature, at, format, prev_checkpoint, token"));
  Rng r(w.seed * 59);
  for (const Checkpoint& cp : checkpoints) {
    c.Int(cp.seq).Text(cp.hash).Bytea(Blob(r, 72)).Int(cp.at).Int(1).Text("").Null();
    RETURN_IF_ERROR(c.EndRow());
  }
  return c.End().status();
}

}  // namespace eseal::bench::province
