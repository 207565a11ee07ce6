// Protection of SM2 private keys at rest (私钥保护); see key_protection.h for the scheme.
//
// Blob, version 1 (all integers big-endian):
//   0   4   magic "ESKP"
//   4   1   version = 1  (PBKDF2-HMAC-SM3, optional KEK, SM4-GCM)
//   5   4   PBKDF2 iterations, 1..10,000,000
//   9   16  salt
//   25  12  GCM nonce
//   37  1   length L of the KEK id (0 = protected by the password alone), L <= 64
//   38  L   KEK id (printable ASCII)
//   38+L    SM4-GCM ciphertext of the PKCS#8 DER || 16-byte tag
// Everything before the ciphertext is the GCM associated data, so no header field can be
// changed without failing the tag.
#include "eseal/crypto/key_protection.h"

#include <algorithm>
#include <cstring>

#include "eseal/crypto/sm3.h"
#include "eseal/crypto/sm4.h"
#include "internal.h"

namespace eseal::crypto {
namespace {

constexpr uint8_t kMagic[4] = {'E', 'S', 'K', 'P'};
constexpr uint8_t kVersion = 1;
constexpr size_t kSaltBytes = 16;
constexpr size_t kFixedHeaderBytes = 4 + 1 + 4 + kSaltBytes + kSm4GcmNonceSize + 1;  // 38
constexpr size_t kMaxKekIdBytes = 64;
constexpr uint32_t kMaxIterations = 10'000'000;
constexpr size_t kMaxBlobBytes = 4096;  // an SM2 PKCS#8 is 138 bytes
constexpr std::string_view kPemLabel = "ESEAL PROTECTED PRIVATE KEY";
constexpr std::string_view kKekContext = "eseal/kp/v1";
constexpr std::string_view kWrongSecret = "wrong protection password or key-encryption key";

struct Header {
  uint32_t iterations = 0;
  ByteView salt;
  ByteView nonce;
  std::string kek_id;
  size_t size = 0;  // header bytes = GCM associated data
};

bool ValidKekId(std::string_view id) {
  return !id.empty() && id.size() <= kMaxKekIdBytes &&
         std::all_of(id.begin(), id.end(), [](char c) { return c > 0x20 && c < 0x7F; });
}

Result<Header> ParseHeader(ByteView blob) {
  if (blob.size() >= 4 && !std::equal(kMagic, kMagic + 4, blob.begin())) {
    return InvalidArgumentError("not an eseal protected private key");
  }
  if (blob.size() < kFixedHeaderBytes) return DataLossError("protected private key is truncated");
  if (blob.size() > kMaxBlobBytes)
    return InvalidArgumentError("protected private key is too large");
  if (blob[4] != kVersion) {
    return InvalidArgumentError("unsupported protected private key version " +
                                std::to_string(blob[4]));
  }
  Header h;
  h.iterations = static_cast<uint32_t>(blob[5]) << 24 | static_cast<uint32_t>(blob[6]) << 16 |
                 static_cast<uint32_t>(blob[7]) << 8 | blob[8];
  if (h.iterations < 1 || h.iterations > kMaxIterations) {
    return InvalidArgumentError("protected private key has an implausible iteration count");
  }
  h.salt = blob.subspan(9, kSaltBytes);
  h.nonce = blob.subspan(9 + kSaltBytes, kSm4GcmNonceSize);
  size_t id_len = blob[kFixedHeaderBytes - 1];
  if (id_len > kMaxKekIdBytes) return DataLossError("protected private key header is corrupt");
  if (blob.size() < kFixedHeaderBytes + id_len + kSm4GcmTagSize + 1) {
    return DataLossError("protected private key is truncated");
  }
  h.kek_id = std::string(AsChars(blob.subspan(kFixedHeaderBytes, id_len)));
  if (id_len > 0 && !ValidKekId(h.kek_id)) {
    return DataLossError("protected private key header is corrupt");
  }
  h.size = kFixedHeaderBytes + id_len;
  return h;
}

// k = PBKDF2(password) or HMAC-SM3(KEK.Derive("eseal/kp/v1" || salt), PBKDF2(password)).
Result<SecretBytes> DeriveKey(ByteView password, ByteView salt, uint32_t iterations,
                              const Kek* kek) {
  ASSIGN_OR_RETURN(SecretBytes k_pw, Pbkdf2HmacSm3(password, salt, iterations, 32));
  if (kek == nullptr) return k_pw;
  ASSIGN_OR_RETURN(SecretBytes k_kek, kek->Derive(Concat(AsBytes(kKekContext), salt)));
  Sm3Digest k = HmacSm3(k_kek.view(), k_pw.view());
  SecretBytes out{ByteView(k)};
  SecureZero(k.data(), k.size());
  return out;
}

}  // namespace

Result<Bytes> ProtectPrivateKey(const Sm2PrivateKey& key, ByteView password, const Kek* kek,
                                Rng& rng, const KeyProtectionOptions& options) {
  if (password.empty()) return InvalidArgumentError("the protection password is empty");
  if (options.iterations < 1 || options.iterations > kMaxIterations) {
    return InvalidArgumentError("PBKDF2 iteration count must be between 1 and 10,000,000");
  }
  std::string kek_id;
  if (kek != nullptr) {
    kek_id = kek->Id();
    if (!ValidKekId(kek_id)) {
      return InvalidArgumentError("key-encryption key id must be 1 to 64 printable characters");
    }
  }
  Bytes header(kMagic, kMagic + 4);
  header.push_back(kVersion);
  for (int shift = 24; shift >= 0; shift -= 8) {
    header.push_back(static_cast<uint8_t>(options.iterations >> shift));
  }
  ASSIGN_OR_RETURN(Bytes salt, RandomBytes(rng, kSaltBytes));
  ASSIGN_OR_RETURN(Bytes nonce, RandomBytes(rng, kSm4GcmNonceSize));
  header.insert(header.end(), salt.begin(), salt.end());
  header.insert(header.end(), nonce.begin(), nonce.end());
  header.push_back(static_cast<uint8_t>(kek_id.size()));
  header.insert(header.end(), kek_id.begin(), kek_id.end());

  ASSIGN_OR_RETURN(SecretBytes k, DeriveKey(password, salt, options.iterations, kek));
  SecretBytes pkcs8 = key.ToPkcs8Der();
  ASSIGN_OR_RETURN(Bytes sealed,
                   Sm4GcmSeal(k.view().first(kSm4KeySize), nonce, header, pkcs8.view()));
  header.insert(header.end(), sealed.begin(), sealed.end());
  return header;
}

Result<Sm2PrivateKey> UnprotectPrivateKey(ByteView blob, ByteView password, const Kek* kek) {
  ASSIGN_OR_RETURN(Header h, ParseHeader(blob));
  if (!h.kek_id.empty() && kek == nullptr) {
    return FailedPreconditionError(
        "this protected private key also needs the platform "
        "key-encryption key " +
        h.kek_id);
  }
  if (h.kek_id.empty() && kek != nullptr) {
    // A platform that holds a KEK expects every seal key to be bound to it.
    return FailedPreconditionError(
        "this private key is protected by a password alone, not "
        "bound to a key-encryption key");
  }
  if (kek != nullptr && kek->Id() != h.kek_id) {
    return UnauthenticatedError(std::string(kWrongSecret) +
                                " (the key was protected under "
                                "key-encryption key " +
                                h.kek_id + ", the one given is " + kek->Id() + ")");
  }
  ASSIGN_OR_RETURN(SecretBytes k, DeriveKey(password, h.salt, h.iterations, kek));
  auto plain =
      Sm4GcmOpen(k.view().first(kSm4KeySize), h.nonce, blob.first(h.size), blob.subspan(h.size));
  if (!plain.ok()) {
    if (plain.status().code() == StatusCode::kUnauthenticated) {
      return UnauthenticatedError(std::string(kWrongSecret));
    }
    return plain.status();
  }
  SecretBytes pkcs8{ByteView(*plain)};
  SecureZero(plain->data(), plain->size());
  auto key = Sm2PrivateKey::FromPkcs8Der(pkcs8.view());
  if (!key.ok()) return DataLossError("protected private key holds no valid SM2 private key");
  return key;
}

std::string ProtectedKeyToPem(ByteView blob) {
  SecretBytes pem = internal::EncodePem(kPemLabel, blob);
  return std::string(AsChars(pem.view()));
}

Result<Bytes> ProtectedKeyFromPem(std::string_view pem) {
  ASSIGN_OR_RETURN(internal::PemBlock block, internal::DecodePem(pem, {kPemLabel}));
  return Bytes(block.der.view().begin(), block.der.view().end());
}

Result<Sm2PrivateKey> LoadPrivateKeyPem(std::string_view pem, ByteView password, const Kek* kek) {
  if (internal::HasPemLabel(pem, kPemLabel)) {
    ASSIGN_OR_RETURN(Bytes blob, ProtectedKeyFromPem(pem));
    return UnprotectPrivateKey(blob, password, kek);
  }
  if (internal::HasPemLabel(pem, "ENCRYPTED PRIVATE KEY")) {
    return InvalidArgumentError(
        "password-encrypted PKCS#8 keys are not supported; convert the "
        "key to an eseal protected key");
  }
  return Sm2PrivateKey::FromPem(pem);
}

}  // namespace eseal::crypto
