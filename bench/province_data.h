// The shape of a province's data (docs/benchmarks.md "Province scale"): deterministic
// pseudo-random values that look like the real thing — GB/T 2260 area codes of Guangxi,
// GB 32100 unified social credit codes with valid check characters, Chinese enterprise,
// department and person names, ids in the platform's NewId format. Shared by the
// generator (province_gen.cc) and its loader (province_load.cc); nothing here touches a
// database.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace eseal::bench::province {

// splitmix64: small, fast and good enough for test data; seeded per entity so that the
// same index always gives the same holder, seal or entry.
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t Next() {
    uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  uint64_t Below(uint64_t n) { return n == 0 ? 0 : Next() % n; }
  int64_t Between(int64_t lo, int64_t hi) {  // inclusive
    return hi <= lo ? lo : lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo + 1)));
  }
  bool Chance(double p) { return static_cast<double>(Next() >> 11) * 0x1.0p-53 < p; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) { return v[Below(v.size())]; }

 private:
  uint64_t s_;
};

uint64_t Mix(uint64_t x);

struct AreaDef {
  std::string code;         // 6 digits
  std::string name;
  int level = 1;            // 1 region, 2 city, 3 county
  std::string parent_code;  // empty for the region
  std::string short_name;   // 南宁 for 南宁市: the start of enterprise names
  int weight = 1;           // share of holders registered here
};
// Guangxi (广西壮族自治区, 450000): the region, its 14 cities and 8 counties under each.
const std::vector<AreaDef>& Areas();
// Indexes into Areas() of the counties, with cumulative weights for picking one.
const std::vector<int>& CountyIndexes();
int PickCounty(Rng& r);

// An id in the platform's format (prefix_ and 20 hex digits), unique per (prefix, index):
// 12 hex digits that look random, then the index in 8.
std::string Id(std::string_view prefix, uint64_t index);

// A GB 32100 code: registration authority and type ("91" enterprise, "11" state organ),
// the area code, a GB 11714 organisation code made unique by `index`, and the check
// character.
std::string Uscc(std::string_view authority_and_type, std::string_view area_code, uint64_t index);

std::string EnterpriseName(Rng& r, const AreaDef& area);
std::string DepartmentName(Rng& r, const AreaDef& area);
std::string PersonName(Rng& r);
std::string DocumentName(Rng& r);
std::string HexDigits(Rng& r, int n);
std::string Blob(Rng& r, int n);  // n pseudo-random bytes

// The audit chain as src/platform/audit.cc hashes it before MACs (format 1): SM3 over an
// unambiguous serialisation of the entry and the previous hash, hex.
std::string AuditEntryHash(int64_t seq, int64_t at, std::string_view actor, std::string_view action,
                           std::string_view object_type, std::string_view object_id,
                           std::string_view details_json, std::string_view prev_hash);

}  // namespace eseal::bench::province
