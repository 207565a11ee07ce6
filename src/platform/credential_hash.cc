// Keyed credential hashes (credential_hash.h).
#include "credential_hash.h"

#include <cstdlib>
#include <optional>

#include "eseal/crypto/sm3.h"

namespace eseal::platform {
namespace {

constexpr std::string_view kPrefix = "pbkdf2-sm3-kek$";
constexpr std::string_view kLegacyPrefix = "pbkdf2-sm3$";

struct PasswordParts {
  uint32_t iterations = 0;
  Bytes salt, value;  // value: the tag (keyed) or PBKDF2's output (legacy)
};
// "<prefix><iterations>$<salt>$<value>", or nullopt.
std::optional<PasswordParts> Split(std::string_view stored, std::string_view prefix) {
  if (stored.substr(0, prefix.size()) != prefix) return std::nullopt;
  std::string_view rest = stored.substr(prefix.size());
  size_t a = rest.find('$'), b = rest.rfind('$');
  if (a == std::string_view::npos || b == a) return std::nullopt;
  unsigned long it = std::strtoul(std::string(rest.substr(0, a)).c_str(), nullptr, 10);
  auto salt = Base64Decode(rest.substr(a + 1, b - a - 1));
  auto value = Base64Decode(rest.substr(b + 1));
  if (it < 1000 || it > 10000000 || !salt.ok() || !value.ok() || value->size() != 32) return std::nullopt;
  return PasswordParts{static_cast<uint32_t>(it), *std::move(salt), *std::move(value)};
}

}  // namespace

Result<CredentialHasher> CredentialHasher::FromKek(const crypto::Kek& kek) {
  ASSIGN_OR_RETURN(SecretBytes key, kek.Derive(AsBytes(std::string_view("eseal/credential/v1"))));
  return CredentialHasher(std::move(key));
}

std::string CredentialHasher::Secret(std::string_view secret) const {
  crypto::Sm3Digest d = crypto::Sm3::Hash(AsBytes(secret));
  crypto::Sm3Digest mac = crypto::HmacSm3(key_.view(), d);
  return HexEncode(mac);
}

std::string CredentialHasher::FromSm3Hex(std::string_view sm3_hex) const {
  auto d = HexDecode(sm3_hex);
  if (!d.ok() || d->size() != crypto::kSm3DigestSize) return "";
  return HexEncode(crypto::HmacSm3(key_.view(), *d));
}

Bytes CredentialHasher::Tag(std::string_view account_id, ByteView dk) const {
  // The account id and the derived key, separated so that neither can shift into the other.
  Bytes msg = ToBytes("password");
  msg.push_back(0);
  msg.insert(msg.end(), account_id.begin(), account_id.end());
  msg.push_back(0);
  msg.insert(msg.end(), dk.begin(), dk.end());
  crypto::Sm3Digest mac = crypto::HmacSm3(key_.view(), msg);
  SecureZero(msg.data(), msg.size());
  return Bytes(mac.begin(), mac.end());
}

Result<std::string> CredentialHasher::HashPassword(const SecretBytes& password, std::string_view account_id,
                                                   uint32_t iterations, Rng& rng) const {
  ASSIGN_OR_RETURN(Bytes salt, RandomBytes(rng, 16));
  ASSIGN_OR_RETURN(SecretBytes dk, crypto::Pbkdf2HmacSm3(password.view(), salt, iterations, 32));
  return std::string(kPrefix) + std::to_string(iterations) + "$" + Base64Encode(salt) + "$" +
         Base64Encode(Tag(account_id, dk.view()));
}

bool CredentialHasher::PasswordMatches(const SecretBytes& password, std::string_view account_id,
                                       std::string_view stored, uint32_t default_iterations) const {
  std::optional<PasswordParts> p = Split(stored, kPrefix);
  PasswordParts none{default_iterations, Bytes(16, 0), {}};
  const PasswordParts& use = p ? *p : none;
  auto dk = crypto::Pbkdf2HmacSm3(password.view(), use.salt, use.iterations, 32);
  if (!dk.ok() || !p) return false;
  return ConstantTimeEquals(Tag(account_id, dk->view()), p->value);
}

std::string CredentialHasher::RekeyPassword(std::string_view stored, std::string_view account_id) const {
  std::optional<PasswordParts> p = Split(stored, kLegacyPrefix);
  if (!p) return "";
  return std::string(kPrefix) + std::to_string(p->iterations) + "$" + Base64Encode(p->salt) + "$" +
         Base64Encode(Tag(account_id, p->value));
}

}  // namespace eseal::platform
