// Kek: the platform key-encryption key (密钥加密密钥), seen only through a PRF so that an
// HSM-held key never has to leave the token. Seal keys at rest are protected with a key
// that needs both the holder's protection password and this KEK (DESIGN.md "Key custody").
// Thread-safety: implementations are safe for concurrent Derive calls.
#pragma once

#include <memory>
#include <string>

#include "eseal/base/bytes.h"

namespace eseal::crypto {

class Kek {
 public:
  virtual ~Kek() = default;
  // A short, non-secret identifier of the key (stored beside protected keys so a wrong
  // KEK is reported as such): 1 to 64 printable ASCII characters.
  virtual std::string Id() const = 0;
  // PRF_KEK(context): 32 bytes that depend on the KEK and `context`.
  virtual Result<SecretBytes> Derive(ByteView context) const = 0;
};

// A KEK held in a key file (32 random bytes, hex, mode 0600). For development and
// single-machine deployments. PRF = HMAC-SM3(kek, context).
class FileKek final : public Kek {
 public:
  // Loads the key; with `create_if_missing`, makes a fresh one first. The file must hold
  // 64 hex digits (an optional line end) and must not be accessible by group or others
  // (FailedPrecondition otherwise). Creation never replaces a file that another process
  // made at the same moment.
  static Result<std::unique_ptr<FileKek>> Open(const std::string& path, bool create_if_missing);
  // nullptr unless `key32` is exactly 32 bytes.
  static std::unique_ptr<FileKek> FromBytes(ByteView key32);
  std::string Id() const override;
  Result<SecretBytes> Derive(ByteView context) const override;

 private:
  explicit FileKek(SecretBytes key) : key_(std::move(key)) {}
  SecretBytes key_;
};

}  // namespace eseal::crypto
