// Pkcs11Kek: the platform key-encryption key (密钥加密密钥) held in a hardware security
// module (硬件密码模块) and used through PKCS#11. The key is a non-extractable, sensitive
// secret key object on the token; Derive runs HMAC-SHA-256 inside the HSM, so the KEK never
// appears in this process (DESIGN.md "Key custody", docs/key-custody.md).
//
// Thread-safety: Derive and Id may be called from many threads at once. Each Derive borrows
// a PKCS#11 session from a small per-object pool (at most `max_sessions`, opened on
// demand, returned after the call), so calls run in parallel in the HSM; a caller waits only
// when all sessions are busy. Several Pkcs11Kek objects may share one module and one token
// in a process: the module is loaded and initialised once (reference-counted) and finalised
// when the last object using it is destroyed. Destroying a Pkcs11Kek while a Derive on it is
// still running is a bug of the caller.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "eseal/base/bytes.h"
#include "eseal/crypto/kek.h"

namespace eseal::crypto {

struct Pkcs11KekOptions {
  // The PKCS#11 module (shared library), e.g. /usr/lib/softhsm/libsofthsm2.so.
  std::string module_path;
  // CKA_LABEL of the token (1..32 bytes; PKCS#11 pads labels with spaces).
  std::string token_label;
  // File whose first line is the user PIN (read with ReadSecretFile; keep it mode 0600).
  std::string pin_file;
  // CKA_LABEL of the secret key object on the token.
  std::string key_label = "eseal-kek";
  // Generate the key on the token when no key has `key_label` (provisioning). Meant for
  // one process at a time: two processes creating at the same moment may leave two keys,
  // which later Opens refuse (FailedPrecondition) rather than pick one.
  bool create_if_missing = false;
  // Most PKCS#11 sessions Derive keeps open for concurrent callers (1..64), besides the one
  // session that holds the login.
  size_t max_sessions = 4;
};

class Pkcs11Kek final : public Kek {
 public:
  // Loads the module, finds the token by label, logs in as the user (CKU_USER) and finds
  // (or, with create_if_missing, generates) the key. Errors:
  //   InvalidArgument     empty or over-long option values
  //   Unavailable         the module cannot be loaded or initialised, or the token fails
  //   NotFound            no token with that label; no key with that label (and not creating)
  //   Unauthenticated     "wrong PKCS#11 PIN for token X" (the PIN never appears in messages;
  //                       also when another Pkcs11Kek of this process is logged in to the
  //                       token with a different PIN, which PKCS#11 itself would not check)
  //   FailedPrecondition  PIN locked or not initialised; two tokens or two keys with the
  //                       label; a key that is extractable, not sensitive, not for signing,
  //                       of the wrong type or shorter than 32 bytes
  //   (errors reading the PIN file as ReadSecretFile reports them)
  // Every other PKCS#11 return value is reported with its CKR_ name.
  static Result<std::unique_ptr<Pkcs11Kek>> Open(const Pkcs11KekOptions& options);

  ~Pkcs11Kek() override;
  Pkcs11Kek(const Pkcs11Kek&) = delete;
  Pkcs11Kek& operator=(const Pkcs11Kek&) = delete;

  // "p11:" and 16 hex digits of HMAC-SHA-256(KEK, "eseal-kek-id"), computed once at Open:
  // stable for a key, reveals nothing of it, differs from every FileKek id.
  std::string Id() const override;
  // HMAC-SHA-256(KEK, "eseal-kek-v1" || context), computed in the HSM: 32 bytes.
  Result<SecretBytes> Derive(ByteView context) const override;

  const std::string& token_label() const;
  const std::string& key_label() const;

 private:
  struct State;  // PKCS#11 module, sessions and key handle; defined in pkcs11_kek.cc
  explicit Pkcs11Kek(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace eseal::crypto
