// Protection of SM2 private keys at rest (私钥保护):
//   k_pw  = PBKDF2-HMAC-SM3(password, salt, iterations, 32)
//   k     = k_pw                                  without a KEK (CLI key files)
//         = HMAC-SM3(KEK.Derive("eseal/kp/v1" || salt), k_pw)   with a KEK (platform)
//   blob  = header || SM4-GCM(k[0..16], nonce, aad = header, PKCS#8 DER)
// so neither a stolen database, nor the KEK alone, nor the password alone recovers a key.
// A wrong password (or wrong KEK) fails the GCM tag: Unauthenticated, never a garbage key.
// Thread-safety: reentrant functions.
#pragma once

#include <string>
#include <string_view>

#include "eseal/base/bytes.h"
#include "eseal/base/rng.h"
#include "eseal/crypto/kek.h"
#include "eseal/crypto/sm2.h"

namespace eseal::crypto {

struct KeyProtectionOptions {
  uint32_t iterations = 200000;  // PBKDF2 iterations; tests may lower it
};

// Binary blob (versioned; records iterations, salt, nonce and the KEK id if any; layout in
// key_protection.cc). `password` must not be empty; iterations 1..10,000,000.
Result<Bytes> ProtectPrivateKey(const Sm2PrivateKey& key, ByteView password, const Kek* kek,
                                Rng& rng, const KeyProtectionOptions& options = {});
// Errors: InvalidArgument (not a protected key, unknown version, implausible iteration
// count), DataLoss (truncated or corrupt header), FailedPrecondition (the blob needs a KEK
// and none was given, or a KEK was given for a password-only blob), Unauthenticated
// ("wrong protection password or key-encryption key": the tag failed, or the blob names a
// different KEK id; the message then says which ids). Never a garbage key.
Result<Sm2PrivateKey> UnprotectPrivateKey(ByteView blob, ByteView password, const Kek* kek);

// PEM armour "ESEAL PROTECTED PRIVATE KEY" around the blob, for key files.
std::string ProtectedKeyToPem(ByteView blob);
Result<Bytes> ProtectedKeyFromPem(std::string_view pem);

// Reads a key file: a protected key (needs `password`) or, for test material and vendor
// files, an unencrypted PKCS#8/SEC1 PEM (password ignored).
Result<Sm2PrivateKey> LoadPrivateKeyPem(std::string_view pem, ByteView password, const Kek* kek);

}  // namespace eseal::crypto
