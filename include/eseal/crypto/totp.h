// Time-based one-time passwords (动态口令, RFC 6238 over HOTP, RFC 4226) for the second
// factor of people who sign in, and the base32 text (RFC 4648) authenticator apps read.
// HMAC-SHA1 is what RFC 6238's default and every authenticator app use; it serves here
// only as a PRF over a per-person secret, where SHA-1's collision weakness does not apply.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "eseal/base/bytes.h"
#include "eseal/base/result.h"

namespace eseal::crypto {

// The code for one counter value: `digits` (6 to 8) decimal digits.
Result<std::string> HotpCode(ByteView secret, uint64_t counter, int digits = 6);
// The 30-second time step of a unix time (T = floor(t / 30)).
inline int64_t TotpStep(int64_t unix_seconds) { return unix_seconds < 0 ? -1 : unix_seconds / 30; }
// The step in [step - window, step + window] whose code equals `code` (compared in
// constant time over every step of the window), or nullopt.
std::optional<int64_t> TotpMatch(ByteView secret, std::string_view code, int64_t step, int window = 1,
                                 int digits = 6);

// RFC 4648 base32 without padding (A–Z, 2–7), and its decoding (padding, spaces and lower
// case accepted); nullopt for other characters.
std::string Base32Encode(ByteView data);
std::optional<Bytes> Base32Decode(std::string_view text);

}  // namespace eseal::crypto
