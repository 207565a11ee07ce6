// RFC 4226 / RFC 6238 one-time passwords and RFC 4648 base32.
#include "eseal/crypto/totp.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace eseal::crypto {

Result<std::string> HotpCode(ByteView secret, uint64_t counter, int digits) {
  if (digits < 6 || digits > 8) return InvalidArgumentError("a one-time password has 6 to 8 digits");
  if (secret.empty()) return InvalidArgumentError("a one-time password needs a secret");
  uint8_t msg[8];
  for (int i = 7; i >= 0; --i) {
    msg[i] = static_cast<uint8_t>(counter & 0xff);
    counter >>= 8;
  }
  uint8_t mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  if (HMAC(EVP_sha1(), secret.data(), static_cast<int>(secret.size()), msg, sizeof msg, mac, &mac_len) ==
          nullptr ||
      mac_len != 20) {
    return InternalError("HMAC-SHA1 failed");
  }
  // Dynamic truncation (RFC 4226 §5.3).
  int offset = mac[19] & 0x0f;
  uint32_t bin = (static_cast<uint32_t>(mac[offset] & 0x7f) << 24) |
                 (static_cast<uint32_t>(mac[offset + 1]) << 16) |
                 (static_cast<uint32_t>(mac[offset + 2]) << 8) | mac[offset + 3];
  uint32_t mod = 1;
  for (int i = 0; i < digits; ++i) mod *= 10;
  std::string code = std::to_string(bin % mod);
  return std::string(static_cast<size_t>(digits) - code.size(), '0') + code;
}

std::optional<int64_t> TotpMatch(ByteView secret, std::string_view code, int64_t step, int window,
                                 int digits) {
  std::optional<int64_t> found;
  if (code.size() != static_cast<size_t>(digits) || step < 0) return std::nullopt;
  for (int64_t s = step - window; s <= step + window; ++s) {
    if (s < 0) continue;
    auto want = HotpCode(secret, static_cast<uint64_t>(s), digits);
    if (!want.ok()) return std::nullopt;
    unsigned diff = 0;
    for (size_t i = 0; i < code.size(); ++i) diff |= static_cast<unsigned>((*want)[i] ^ code[i]);
    if (diff == 0 && !found) found = s;
  }
  return found;
}

std::string Base32Encode(ByteView data) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (uint8_t b : data) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += kAlphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += kAlphabet[(buffer << (5 - bits)) & 31];
  return out;
}

std::optional<Bytes> Base32Decode(std::string_view text) {
  Bytes out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    int v;
    if (c >= 'A' && c <= 'Z') {
      v = c - 'A';
    } else if (c >= 'a' && c <= 'z') {
      v = c - 'a';
    } else if (c >= '2' && c <= '7') {
      v = c - '2' + 26;
    } else if (c == '=' || c == ' ') {
      continue;
    } else {
      return std::nullopt;
    }
    buffer = (buffer << 5) | static_cast<uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      out.push_back(static_cast<uint8_t>((buffer >> (bits - 8)) & 0xff));
      bits -= 8;
    }
  }
  return out;
}

}  // namespace eseal::crypto
