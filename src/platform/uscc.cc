// GB 32100-2015 unified social credit code (统一社会信用代码): 18 characters from a 31-symbol
// set (digits and capitals without I, O, S, V, Z); the last is a check character computed
// with weights 3^i mod 31 over the first 17.
#include <array>

#include "eseal/platform/platform.h"

namespace eseal::platform {
namespace {
constexpr std::string_view kCodeSet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr std::array<int, 17> kWeights = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
}  // namespace

Result<char> UsccCheckCharacter(std::string_view first17) {
  if (first17.size() != 17) {
    return InvalidArgumentError("the check character is computed over 17 characters, not " +
                                std::to_string(first17.size()));
  }
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    size_t v = kCodeSet.find(first17[i]);
    if (v == std::string_view::npos) {
      return InvalidArgumentError("unified social credit code has an invalid character at position " +
                                  std::to_string(i + 1));
    }
    sum += static_cast<int>(v) * kWeights[i];
  }
  return kCodeSet[static_cast<size_t>((31 - sum % 31) % 31)];
}

Status ValidateUscc(std::string_view uscc) {
  if (uscc.size() != 18) {
    return InvalidArgumentError("a unified social credit code has 18 characters, not " +
                                std::to_string(uscc.size()));
  }
  ASSIGN_OR_RETURN(char check, UsccCheckCharacter(uscc.substr(0, 17)));
  if (kCodeSet.find(uscc[17]) == std::string_view::npos) {
    return InvalidArgumentError("unified social credit code has an invalid character at position 18");
  }
  if (check != uscc[17]) {
    return InvalidArgumentError("unified social credit code check character is wrong (GB 32100)");
  }
  return Status::Ok();
}

}  // namespace eseal::platform
