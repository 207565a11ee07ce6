// The province generator's tables (province_gen.cc drives them in one transaction). Each
// Load* streams one table with COPY; what later tables need from earlier ones (a holder's
// area and age, a seal's holder and validity) is kept compactly in World.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "province_copy.h"
#include "province_data.h"

namespace eseal::bench::province {

inline constexpr int64_t kDay = 86400;

enum SealState : uint8_t { kActive, kSuspended, kRevoked, kSuperseded, kExpired };

struct HolderLite {
  int64_t created = 0;
  uint16_t area = 0;  // index into Areas()
  bool department = false;
  uint8_t status = 0;  // 0 active, 1 abnormal, 2 revoked, 3 deregistered
  uint8_t seals = 0;
};

struct SealLite {
  uint32_t holder = 0;
  int64_t created = 0;
  int64_t valid_from = 0;
  int64_t valid_to = 0;
  uint8_t state = kActive;
  uint8_t kind = 0;
  bool requires_approval = false;
  int32_t replaces = -1;  // index of the seal this one replaced
};

struct World {
  uint64_t seed = 1;
  int64_t now = 0;
  int64_t start = 0;  // the platform's first day
  int64_t holders = 0;
  int64_t signatures = 0;
  int64_t audit_entries = 0;
  std::vector<HolderLite> h;
  std::vector<SealLite> s;
};

// Everything about holder `i`, the same every time it is asked for.
struct HolderRow {
  std::string id, uscc, name, legal_rep, area_code;
  const char* kind = "enterprise";
  const char* status = "active";
  int64_t created = 0;
};
HolderRow MakeHolder(const World& w, uint64_t i);
const char* SealKindName(uint8_t kind);
// Seals filed by another system (5 %) came from no application here.
inline bool IsFiled(const World& w, uint64_t seal) { return Mix(w.seed * 29 + seal) % 20 == 0; }

Status LoadAreas(Copy& c);
Status LoadHolders(Copy& c, World& w);    // also fills w.h
Status LoadAccounts(Copy& c, const World& w);
Status LoadClients(Copy& c, const World& w);
Status LoadSeals(Copy& c, World& w);      // also fills w.s
Status LoadSealEvents(Copy& c, const World& w);
Status LoadApplications(Copy& c, const World& w);
Status LoadReviews(Copy& c, const World& w);
Status LoadUsageRequests(Copy& c, const World& w);
Status LoadSignatures(Copy& c, const World& w);
struct Checkpoint {
  int64_t seq = 0;
  std::string hash;
  int64_t at = 0;
};
// Returns the last entry's hash (for audit_head); a checkpoint every 20,000 entries.
Result<std::string> LoadAudit(Copy& c, const World& w, std::vector<Checkpoint>* checkpoints);
Status LoadCheckpoints(Copy& c, const World& w, const std::vector<Checkpoint>& checkpoints);

}  // namespace eseal::bench::province
