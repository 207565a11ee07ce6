// Registry side of the province: areas, holders, accounts, clients, seals, seal events.
#include <cmath>
#include <cstdio>
#include <ctime>

#include "province_tables.h"

namespace eseal::bench::province {
namespace {

constexpr const char* kHolderStatus[] = {"active", "abnormal", "revoked", "deregistered"};
constexpr const char* kSealState[] = {"active", "suspended", "revoked", "superseded", "expired"};
// Enterprise seals in the order a holder usually has them made; departments have the
// first and the government-service seal.
constexpr const char* kKinds[] = {"legal-name", "finance", "contract", "legal-rep", "invoice", "gov-service"};

// A time in [lo, hi] weighted towards hi: a province's registrations and use grow.
int64_t Growing(Rng& r, int64_t lo, int64_t hi) {
  double u = std::sqrt(static_cast<double>(r.Next() >> 11) * 0x1.0p-53);
  return lo + static_cast<int64_t>(u * static_cast<double>(hi - lo));
}

std::string Yymmdd(int64_t t) {
  time_t tt = static_cast<time_t>(t);
  struct tm tm;
  gmtime_r(&tt, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%02d%02d%02d", tm.tm_year % 100, (tm.tm_mon + 1) % 100, tm.tm_mday % 100);
  return buf;
}

}  // namespace

const char* SealKindName(uint8_t kind) { return kKinds[kind % 6]; }

HolderRow MakeHolder(const World& w, uint64_t i) {
  Rng r(Mix(w.seed * 1000003 + i));
  HolderRow h;
  bool dept = i % 100 == 7;
  int area;
  if (dept) {
    // Departments at every level: most are county offices.
    uint64_t x = r.Below(100);
    area = x < 3 ? 0 : x < 28 ? 1 + 9 * static_cast<int>(r.Below(14)) : PickCounty(r);
  } else {
    area = PickCounty(r);
  }
  const AreaDef& a = Areas()[static_cast<size_t>(area)];
  h.id = Id("hol", i);
  h.kind = dept ? "department" : "enterprise";
  h.uscc = Uscc(dept ? "11" : "91", a.code, i);
  h.name = dept ? DepartmentName(r, a) : EnterpriseName(r, a);
  h.legal_rep = PersonName(r);
  h.area_code = a.code;
  uint64_t s = r.Below(100);
  h.status = dept || s < 93 ? "active" : s < 97 ? "abnormal" : s < 99 ? "revoked" : "deregistered";
  h.created = Growing(r, w.start, w.now - 30 * kDay);
  return h;
}

Status LoadAreas(Copy& c) {
  RETURN_IF_ERROR(c.Begin("areas", "code, name, level, parent_code"));
  for (const AreaDef& a : Areas()) {
    c.Text(a.code).Text(a.name).Int(a.level).TextOrNull(a.parent_code);
    RETURN_IF_ERROR(c.EndRow());
  }
  return c.End().status();
}

Status LoadHolders(Copy& c, World& w) {
  RETURN_IF_ERROR(c.Begin("holders", "id, kind, uscc, name, legal_rep, status, area_code, created_at, updated_at"));
  w.h.assign(static_cast<size_t>(w.holders), HolderLite{});
  for (int64_t i = 0; i < w.holders; ++i) {
    HolderRow h = MakeHolder(w, static_cast<uint64_t>(i));
    Rng r(Mix(w.seed * 7 + static_cast<uint64_t>(i)));
    int64_t updated = r.Chance(0.3) ? r.Between(h.created, w.now) : h.created;
    c.Text(h.id).Text(h.kind).Text(h.uscc).Text(h.name).Text(h.legal_rep).Text(h.status).Text(h.area_code)
        .Int(h.created).Int(updated);
    RETURN_IF_ERROR(c.EndRow());
    HolderLite& l = w.h[static_cast<size_t>(i)];
    l.created = h.created;
    l.department = h.kind[0] == 'd';
    for (uint16_t k = 0; k < Areas().size(); ++k) {
      if (Areas()[k].code == h.area_code) l.area = k;
    }
    for (uint8_t k = 0; k < 4; ++k) {
      if (std::string_view(kHolderStatus[k]) == h.status) l.status = k;
    }
    // Seals per holder: 1-4 for enterprises (2 on average), 2 for departments.
    uint64_t x = r.Below(100);
    l.seals = l.department ? 2 : x < 35 ? 1 : x < 75 ? 2 : x < 90 ? 3 : 4;
  }
  return c.End().status();
}

Status LoadAccounts(Copy& c, const World& w) {
  RETURN_IF_ERROR(c.Begin("accounts", "id, name, role, holder_id, area_code, disabled, created_at"));
  // Each holder's administrator (who approves its use requests).
  for (int64_t i = 0; i < w.holders; ++i) {
    const HolderLite& l = w.h[static_cast<size_t>(i)];
    Rng r(Mix(w.seed * 11 + static_cast<uint64_t>(i)));
    c.Text(Id("acc", static_cast<uint64_t>(i))).Text(PersonName(r)).Text("holder_admin").Text(Id("hol", static_cast<uint64_t>(i)))
        .Text(Areas()[l.area].code).Bool(r.Chance(0.01)).Int(l.created);
    RETURN_IF_ERROR(c.EndRow());
  }
  // A reviewer for every area's office, and the operators.
  Rng r(w.seed * 13);
  for (size_t k = 0; k < Areas().size(); ++k) {
    c.Text(Id("rev", k)).Text(PersonName(r)).Text("reviewer").Null().Text(Areas()[k].code).Bool(false).Int(w.start);
    RETURN_IF_ERROR(c.EndRow());
  }
  for (uint64_t k = 0; k < 5; ++k) {
    c.Text(Id("opr", k)).Text(PersonName(r)).Text("operator").Null().Text("450000").Bool(false).Int(w.start);
    RETURN_IF_ERROR(c.EndRow());
  }
  return c.End().status();
}

Status LoadClients(Copy& c, const World& w) {
  RETURN_IF_ERROR(c.Begin("clients", "id, name, type, scenario, contact, holder_id, status, rate_limit_per_minute, "
                                     "decision_reason, created_at, updated_at"));
  static const char* kTypes[] = {"vendor", "agency", "enterprise"};
  static const char* kScenarios[] = {"电子合同签署", "政务服务一网通办", "电子发票", "不动产登记", "招标投标"};
  Rng r(w.seed * 17);
  for (uint64_t k = 0; k < 200; ++k) {
    const char* type = kTypes[k % 3];
    std::string name = EnterpriseName(r, Areas()[static_cast<size_t>(PickCounty(r))]);
    int64_t created = r.Between(w.start, w.now - 60 * kDay);
    c.Text(Id("cli", k)).Text(name).Text(type).Text(kScenarios[r.Below(5)]).Text(PersonName(r) + " 0771-" + std::to_string(r.Between(2000000, 5999999)))
        .TextOrNull(std::string_view(type) == "enterprise" ? Id("hol", r.Below(static_cast<uint64_t>(w.holders))) : "")
        .Text("approved").Int(600).Text("").Int(created).Int(created);
    RETURN_IF_ERROR(c.EndRow());
  }
  return c.End().status();
}

Status LoadSeals(Copy& c, World& w) {
  RETURN_IF_ERROR(c.Begin("seals", "id, esid, holder_id, kind, copy_no, name, origin, status, valid_from, valid_to, "
                                   "seal_der, image_png, signer_cert_der, cert_serial_hex, protected_key, kek_id, "
                                   "failed_attempts, locked, requires_approval, anchor_id, replaces_id, "
                                   "application_id, created_at, updated_at"));
  w.s.clear();
  w.s.reserve(static_cast<size_t>(w.holders) * 2 + 16);
  // esID: the USCC's area, the seal type, the date made and a serial per day, so that the
  // ids are unique without a lookup.
  std::vector<int> per_day(static_cast<size_t>((w.now - w.start) / kDay + 2), 0);
  for (int64_t i = 0; i < w.holders; ++i) {
    HolderLite& hl = w.h[static_cast<size_t>(i)];
    HolderRow h = MakeHolder(w, static_cast<uint64_t>(i));
    Rng r(Mix(w.seed * 19 + static_cast<uint64_t>(i)));
    size_t first = w.s.size();
    for (int k = 0; k < hl.seals; ++k) {
      SealLite s;
      s.holder = static_cast<uint32_t>(i);
      s.kind = static_cast<uint8_t>(hl.department ? (k == 0 ? 0 : 5) : k);
      s.created = std::min(w.now - kDay, hl.created + r.Between(kDay, 90 * kDay));
      // A changed seal: the holder's last seal replaced its first (same kind).
      if (k > 0 && k == hl.seals - 1 && !hl.department && r.Chance(0.15) &&
          w.s[first].created + 30 * kDay < w.now - kDay) {
        s.kind = w.s[first].kind;
        s.replaces = static_cast<int32_t>(first);
        s.created = r.Between(w.s[first].created + 30 * kDay, w.now - kDay);
        w.s[first].state = kSuperseded;
      }
      s.requires_approval = !hl.department && r.Chance(0.25);
      uint64_t x = r.Below(100);
      s.state = hl.status >= 2 ? kRevoked : x < 3 ? kSuspended : x < 7 ? kRevoked : x < 14 ? kExpired : kActive;
      w.s.push_back(s);
    }
    for (size_t j = first; j < w.s.size(); ++j) {
      SealLite& s = w.s[j];
      if (s.state == kActive || s.state == kSuspended) {
        // Renewed every year: the current certificate began within the last year.
        s.valid_from = std::max(s.created, w.now - r.Between(kDay, 330 * kDay));
        s.valid_to = s.valid_from + 365 * kDay;
      } else if (s.state == kExpired) {
        s.valid_to = std::max(s.created + kDay, w.now - r.Between(kDay, 400 * kDay));
        if (s.valid_to >= w.now) s.valid_to = w.now - 1;
        s.valid_from = std::max(s.created, s.valid_to - 365 * kDay);
      } else {
        s.valid_from = s.created;
        s.valid_to = s.created + 365 * kDay;
      }
      const char* kind = SealKindName(s.kind);
      std::string name = s.kind == 3 ? h.legal_rep : h.name;
      size_t day = static_cast<size_t>((s.created - w.start) / kDay);
      char serial[16];
      std::snprintf(serial, sizeof serial, "%06d", ++per_day[day] % 1000000);
      char type[16];
      std::snprintf(type, sizeof type, "%02d", s.kind + 1);
      std::string esid = h.uscc.substr(2, 6) + type + Yymmdd(s.created) + serial;
      bool filed = IsFiled(w, j);
      c.Text(Id("sea", j)).Text(esid).Text(h.id).Text(kind).Int(1).Text(name).Text(filed ? "filed" : "platform")
          .Text(kSealState[s.state]).Int(s.valid_from).Int(s.valid_to)
          .Bytea(Blob(r, 256)).Bytea(Blob(r, 128)).Bytea(Blob(r, 256)).Text(HexDigits(r, 32))
          .Bytea(filed ? "" : Blob(r, 96)).Text(filed ? "" : "file:kek-1").Int(0).Bool(false)
          .Bool(s.requires_approval).Null()
          .TextOrNull(s.replaces >= 0 ? Id("sea", static_cast<uint64_t>(s.replaces)) : "")
          .TextOrNull(filed ? "" : Id("app", j)).Int(s.created).Int(std::max(s.created, s.valid_from));
      RETURN_IF_ERROR(c.EndRow());
    }
  }
  return c.End().status();
}

Status LoadSealEvents(Copy& c, const World& w) {
  RETURN_IF_ERROR(c.Begin("seal_events", "seal_id, type, at, reason, actor"));
  static const char* kRevokeReasons[] = {"单位注销", "印章遗失", "密钥泄露", "单位申请注销"};
  for (size_t j = 0; j < w.s.size(); ++j) {
    const SealLite& s = w.s[j];
    Rng r(Mix(w.seed * 23 + j));
    std::string id = Id("sea", j);
    std::string admin = Id("acc", s.holder);
    c.Text(id).Text("made").Int(s.created).Text(s.replaces >= 0 ? "印章变更" : "").Text(Id("opr", r.Below(5)));
    RETURN_IF_ERROR(c.EndRow());
    int64_t end = std::min(w.now - 1, s.valid_to);
    if (s.state == kSuspended) {
      c.Text(id).Text("suspended").Int(r.Between(s.valid_from, end)).Text("暂停使用").Text(admin);
      RETURN_IF_ERROR(c.EndRow());
    } else if (s.state == kRevoked) {
      c.Text(id).Text("revoked").Int(r.Between(s.created, end)).Text(kRevokeReasons[r.Below(4)]).Text(admin);
      RETURN_IF_ERROR(c.EndRow());
    }
  }
  // The superseded seals' events, at the time their replacement was made.
  for (size_t j = 0; j < w.s.size(); ++j) {
    const SealLite& s = w.s[j];
    if (s.replaces < 0) continue;
    c.Text(Id("sea", static_cast<uint64_t>(s.replaces))).Text("superseded").Int(s.created).Text("印章变更")
        .Text(Id("acc", s.holder));
    RETURN_IF_ERROR(c.EndRow());
  }
  return c.End().status();
}

}  // namespace eseal::bench::province
