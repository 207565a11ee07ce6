// The registry (登记): holders from the market regulator's data, their physical seal
// impressions, and the administrative areas that government departments belong to.
// Thread-safety: implementations are safe to use from many threads at once.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eseal/base/result.h"
#include "eseal/base/bytes.h"
#include "eseal/platform/caller.h"
#include "eseal/platform/model.h"
#include "eseal/platform/repository.h"

namespace eseal::platform {

// The registry capability (registry.cc).
class Registry {
 public:
  virtual ~Registry() = default;

  // ---- registry (market-regulator data, E14/E25) ----
  // A registry record by USCC; an absent (nullopt) field is "not given".
  struct HolderInput {
    std::optional<HolderKind> kind;  // new holders: enterprise when not given
    std::string uscc;
    std::optional<std::string> name, legal_rep;  // required for a new holder
    std::optional<std::string> area_code;        // "" given clears it (enterprises only)
    std::optional<HolderStatus> status;          // new holders: active when not given
  };
  // Operator or regulator-feed client: creates or updates by USCC (GB 32100 check digit).
  // A new USCC needs name and legal_rep. A USCC on record changes only the fields given,
  // never erases one that was not given, cannot change kind, and is audited as
  // "holder.updated" with {"before":{...},"after":{...}} of the changed fields; giving
  // the values on record changes nothing and writes nothing.
  virtual Result<Holder> UpsertHolder(const Caller& c, const HolderInput& in) = 0;
  virtual Result<Holder> GetHolder(const Caller& c, std::string_view id) = 0;
  // Lists page: a PageOf carries the page and how many match in all (repository.h).
  virtual Result<PageOf<Holder>> ListHolders(const Caller& c, const HolderRepository::Filter& f,
                                             Page page) = 0;
  // Operator or security-feed client: a physical seal impression (PNG) for a holder and kind.
  virtual Result<Impression> AttachImpression(const Caller& c, std::string_view holder_id,
                                              std::string_view seal_kind, ByteView png) = 0;
  // ---- government-service seals (G11-G19) ----
  // Operator: the administrative hierarchy (region → city → county, GB/T 2260 codes).
  virtual Result<Area> UpsertArea(const Caller& c, const Area& area) = 0;
  virtual Result<PageOf<Area>> ListAreas(const Caller& c, Page page) = 0;
  // Department seals use Apply/Review too: a department's application is reviewed by the
  // reviewer of its own level's office first, then each level up to the region, whose
  // approval makes the seal (G13). A reviewer sees and decides only applications in its
  // area at its level. The image comes from the supplied impression (G12).
};


// GB 32100-2015 check of a unified social credit code (统一社会信用代码): 18 characters
// from the code set, with the check digit.
Status ValidateUscc(std::string_view uscc);
// The check character (the 18th) of a code's first 17 characters; InvalidArgument for a
// wrong length or a character outside the code set.
Result<char> UsccCheckCharacter(std::string_view first17);

}  // namespace eseal::platform
