// Keyed hashes of credential secrets (docs/security.md "Credentials"). Tokens, session ids,
// CSRF tokens and enrolment codes are stored as HMAC-SM3 under PRF_KEK("eseal/credential/v1")
// of SM3(secret), and a password's PBKDF2 result is tagged under the same key together with
// its account. So a database writer without the KEK can neither mint a credential (a row
// for a token, session or enrolment code it chose) nor move one account's password to
// another; a stolen database still holds nothing usable.
// Thread-safety: const methods are safe from many threads.
#pragma once

#include <string>
#include <string_view>

#include "eseal/base/bytes.h"
#include "eseal/base/result.h"
#include "eseal/base/rng.h"
#include "eseal/crypto/kek.h"

namespace eseal::platform {

class CredentialHasher {
 public:
  static Result<CredentialHasher> FromKek(const crypto::Kek& kek);

  // Hex of HMAC-SM3(key, SM3(secret)): what a table stores for a secret.
  std::string Secret(std::string_view secret) const;
  // The same for a secret whose SM3 (hex) is all that is known: rows from before keyed
  // hashes (RekeyCredentials). Empty for malformed hex.
  std::string FromSm3Hex(std::string_view sm3_hex) const;

  // "pbkdf2-sm3-kek$<iterations>$<salt b64>$<tag b64>", tag = HMAC-SM3(key, account_id, dk).
  Result<std::string> HashPassword(const SecretBytes& password, std::string_view account_id,
                                   uint32_t iterations, Rng& rng) const;
  // Whether `password` is the account's; a malformed, empty or unkeyed hash never matches,
  // but the PBKDF2 work is done all the same (the time taken does not tell them apart).
  bool PasswordMatches(const SecretBytes& password, std::string_view account_id, std::string_view stored,
                       uint32_t default_iterations) const;
  // A password hash from before keyed tags ("pbkdf2-sm3$it$salt$dk") in the keyed form;
  // empty when `stored` is not one.
  std::string RekeyPassword(std::string_view stored, std::string_view account_id) const;

 private:
  explicit CredentialHasher(SecretBytes key) : key_(std::move(key)) {}
  Bytes Tag(std::string_view account_id, ByteView dk) const;
  SecretBytes key_;
};

}  // namespace eseal::platform
