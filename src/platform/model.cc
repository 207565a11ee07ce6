// Names of the model enums, as they appear in JSON and in the database.
#include "eseal/platform/model.h"

namespace eseal::platform {

namespace {
template <typename E, size_t N>
Result<E> Lookup(std::string_view s, const std::pair<E, std::string_view> (&table)[N],
                 std::string_view what) {
  for (const auto& [v, n] : table) {
    if (n == s) return v;
  }
  std::string allowed;
  for (const auto& [v, n] : table) {
    if (!allowed.empty()) allowed += ", ";
    allowed += n;
  }
  return InvalidArgumentError("unknown " + std::string(what) + " '" + std::string(s.substr(0, 40)) +
                              "' (one of: " + allowed + ")");
}
}  // namespace

static constexpr std::pair<HolderKind, std::string_view> kHolderKindNames[] = {
    {HolderKind::kEnterprise, "enterprise"},
    {HolderKind::kDepartment, "department"},
};
std::string_view Name(HolderKind v) {
  for (const auto& [k, n] : kHolderKindNames) {
    if (k == v) return n;
  }
  return "unknown";
}
Result<HolderKind> ParseHolderKind(std::string_view s) { return Lookup(s, kHolderKindNames, "holder kind"); }

static constexpr std::pair<HolderStatus, std::string_view> kHolderStatusNames[] = {
    {HolderStatus::kActive, "active"},
    {HolderStatus::kAbnormal, "abnormal"},
    {HolderStatus::kRevoked, "revoked"},
    {HolderStatus::kDeregistered, "deregistered"},
};
std::string_view Name(HolderStatus v) {
  for (const auto& [k, n] : kHolderStatusNames) {
    if (k == v) return n;
  }
  return "unknown";
}
Result<HolderStatus> ParseHolderStatus(std::string_view s) { return Lookup(s, kHolderStatusNames, "holder status"); }

static constexpr std::pair<Role, std::string_view> kRoleNames[] = {
    {Role::kOperator, "operator"},
    {Role::kHolderAdmin, "holder_admin"},
    {Role::kHolderUser, "holder_user"},
    {Role::kReviewer, "reviewer"},
    {Role::kClient, "client"},
};
std::string_view Name(Role v) {
  for (const auto& [k, n] : kRoleNames) {
    if (k == v) return n;
  }
  return "unknown";
}
Result<Role> ParseRole(std::string_view s) { return Lookup(s, kRoleNames, "role"); }

static constexpr std::pair<ClientType, std::string_view> kClientTypeNames[] = {
    {ClientType::kAgency, "agency"},
    {ClientType::kEnterprise, "enterprise"},
    {ClientType::kVendor, "vendor"},
    {ClientType::kRegulatorFeed, "regulator_feed"},
    {ClientType::kSecurityFeed, "security_feed"},
};
std::string_view Name(ClientType v) {
  for (const auto& [k, n] : kClientTypeNames) {
    if (k == v) return n;
  }
  return "unknown";
}
Result<ClientType> ParseClientType(std::string_view s) { return Lookup(s, kClientTypeNames, "client type"); }

static constexpr std::pair<ClientStatus, std::string_view> kClientStatusNames[] = {
    {ClientStatus::kPending, "pending"},
    {ClientStatus::kApproved, "approved"},
    {ClientStatus::kRejected, "rejected"},
    {ClientStatus::kSuspended, "suspended"},
};
std::string_view Name(ClientStatus v) {
  for (const auto& [k, n] : kClientStatusNames) {
    if (k == v) return n;
  }
  return "unknown";
}
Result<ClientStatus> ParseClientStatus(std::string_view s) { return Lookup(s, kClientStatusNames, "client status"); }

static constexpr std::pair<ApplicationType, std::string_view> kApplicationTypeNames[] = {
    {ApplicationType::kNewSeal, "new_seal"},
    {ApplicationType::kRenew, "renew"},
    {ApplicationType::kChange, "change"},
    {ApplicationType::kRevoke, "revoke"},
    {ApplicationType::kPasswordChange, "password_change"},
};
std::string_view Name(ApplicationType v) {
  for (const auto& [k, n] : kApplicationTypeNames) {
    if (k == v) return n;
  }
  return "unknown";
}
Result<ApplicationType> ParseApplicationType(std::string_view s) { return Lookup(s, kApplicationTypeNames, "application type"); }

static constexpr std::pair<ApplicationStatus, std::string_view> kApplicationStatusNames[] = {
    {ApplicationStatus::kPending, "pending"},
    {ApplicationStatus::kApproved, "approved"},
    {ApplicationStatus::kRejected, "rejected"},
    {ApplicationStatus::kCompleted, "completed"},
    {ApplicationStatus::kCancelled, "cancelled"},
};
std::string_view Name(ApplicationStatus v) {
  for (const auto& [k, n] : kApplicationStatusNames) {
    if (k == v) return n;
  }
  return "unknown";
}
Result<ApplicationStatus> ParseApplicationStatus(std::string_view s) { return Lookup(s, kApplicationStatusNames, "application status"); }

static constexpr std::pair<SealStatus, std::string_view> kSealStatusNames[] = {
    {SealStatus::kActive, "active"},
    {SealStatus::kSuspended, "suspended"},
    {SealStatus::kRevoked, "revoked"},
    {SealStatus::kSuperseded, "superseded"},
    {SealStatus::kExpired, "expired"},
};
std::string_view Name(SealStatus v) {
  for (const auto& [k, n] : kSealStatusNames) {
    if (k == v) return n;
  }
  return "unknown";
}
Result<SealStatus> ParseSealStatus(std::string_view s) { return Lookup(s, kSealStatusNames, "seal status"); }

static constexpr std::pair<SealOrigin, std::string_view> kSealOriginNames[] = {
    {SealOrigin::kPlatform, "platform"},
    {SealOrigin::kFiled, "filed"},
};
std::string_view Name(SealOrigin v) {
  for (const auto& [k, n] : kSealOriginNames) {
    if (k == v) return n;
  }
  return "unknown";
}
Result<SealOrigin> ParseSealOrigin(std::string_view s) { return Lookup(s, kSealOriginNames, "seal origin"); }

static constexpr std::pair<SealEventType, std::string_view> kSealEventTypeNames[] = {
    {SealEventType::kMade, "made"},
    {SealEventType::kSuspended, "suspended"},
    {SealEventType::kResumed, "resumed"},
    {SealEventType::kRevoked, "revoked"},
    {SealEventType::kSuperseded, "superseded"},
    {SealEventType::kFiled, "filed"},
};
std::string_view Name(SealEventType v) {
  for (const auto& [k, n] : kSealEventTypeNames) {
    if (k == v) return n;
  }
  return "unknown";
}
Result<SealEventType> ParseSealEventType(std::string_view s) { return Lookup(s, kSealEventTypeNames, "seal event type"); }

static constexpr std::pair<UsageRequestStatus, std::string_view> kUsageRequestStatusNames[] = {
    {UsageRequestStatus::kPending, "pending"},
    {UsageRequestStatus::kApproved, "approved"},
    {UsageRequestStatus::kRejected, "rejected"},
    {UsageRequestStatus::kUsed, "used"},
    {UsageRequestStatus::kExpired, "expired"},
};
std::string_view Name(UsageRequestStatus v) {
  for (const auto& [k, n] : kUsageRequestStatusNames) {
    if (k == v) return n;
  }
  return "unknown";
}
Result<UsageRequestStatus> ParseUsageRequestStatus(std::string_view s) { return Lookup(s, kUsageRequestStatusNames, "usage request status"); }

static constexpr std::pair<AnchorKind, std::string_view> kAnchorKindNames[] = {
    {AnchorKind::kMakerCertificate, "maker_certificate"},
    {AnchorKind::kCaRoot, "ca_root"},
};
std::string_view Name(AnchorKind v) {
  for (const auto& [k, n] : kAnchorKindNames) {
    if (k == v) return n;
  }
  return "unknown";
}
Result<AnchorKind> ParseAnchorKind(std::string_view s) { return Lookup(s, kAnchorKindNames, "anchor kind"); }

static constexpr std::pair<AnchorRoles, std::string_view> kAnchorRoleNames[] = {
    {kAnchorSealMaker, "seal_maker"},
    {kAnchorSigner, "signer"},
    {kAnchorTsa, "tsa"},
};
AnchorRoles DefaultAnchorRoles(AnchorKind kind) {
  return kind == AnchorKind::kCaRoot ? kAnchorSealMaker | kAnchorSigner : kAnchorSealMaker;
}
std::vector<std::string> DefaultMakerPolicies(AnchorKind kind) {
  if (kind == AnchorKind::kCaRoot) return {std::string(kEsealMakerPolicy)};
  return {};
}
std::string AnchorRolesName(AnchorRoles roles) {
  std::string out;
  for (const auto& [bit, n] : kAnchorRoleNames) {
    if ((roles & bit) == 0) continue;
    if (!out.empty()) out += ",";
    out += n;
  }
  return out;
}
Result<AnchorRoles> ParseAnchorRoles(std::string_view s) {
  AnchorRoles out = 0;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(',', start);
    if (end == std::string_view::npos) end = s.size();
    std::string_view word = s.substr(start, end - start);
    while (!word.empty() && word.front() == ' ') word.remove_prefix(1);
    while (!word.empty() && word.back() == ' ') word.remove_suffix(1);
    if (word == "maker") word = "seal_maker";
    if (!word.empty()) {
      AnchorRoles bit = 0;
      for (const auto& [b, n] : kAnchorRoleNames) {
        if (n == word) bit = b;
      }
      if (bit == 0) {
        return InvalidArgumentError("未知的信任锚角色“" + (word.size() <= 40 ? std::string(word) : std::string("…")) +
                                    "”，可选 seal_maker（制章人）、signer（签章人）、tsa（时间戳） "
                                    "(unknown anchor role; one of seal_maker, signer, tsa)");
      }
      out |= bit;
    } else if (end < s.size() || start > 0) {
      return InvalidArgumentError("信任锚角色列表中有空项 (an anchor role name is empty)");
    }
    start = end + 1;
  }
  return out;
}

static constexpr std::pair<FilingEvent, std::string_view> kFilingEventNames[] = {
    {FilingEvent::kMade, "made"},
    {FilingEvent::kChanged, "changed"},
    {FilingEvent::kRevoked, "revoked"},
};
std::string_view Name(FilingEvent v) {
  for (const auto& [k, n] : kFilingEventNames) {
    if (k == v) return n;
  }
  return "unknown";
}
Result<FilingEvent> ParseFilingEvent(std::string_view s) { return Lookup(s, kFilingEventNames, "filing event"); }

static constexpr std::pair<FilingStatus, std::string_view> kFilingStatusNames[] = {
    {FilingStatus::kPending, "pending"},
    {FilingStatus::kExported, "exported"},
    {FilingStatus::kAcknowledged, "acknowledged"},
};
std::string_view Name(FilingStatus v) {
  for (const auto& [k, n] : kFilingStatusNames) {
    if (k == v) return n;
  }
  return "unknown";
}
Result<FilingStatus> ParseFilingStatus(std::string_view s) { return Lookup(s, kFilingStatusNames, "filing status"); }

static constexpr std::pair<AreaLevel, std::string_view> kAreaLevelNames[] = {
    {AreaLevel::kRegion, "region"},
    {AreaLevel::kCity, "city"},
    {AreaLevel::kCounty, "county"},
};
std::string_view Name(AreaLevel v) {
  for (const auto& [k, n] : kAreaLevelNames) {
    if (k == v) return n;
  }
  return "unknown";
}

}  // namespace eseal::platform
