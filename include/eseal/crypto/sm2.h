// SM2 digital signatures (GB/T 32918 / GM/T 0003-2012, 椭圆曲线公钥密码算法) on the
// recommended curve sm2p256v1, with SM3 and the signer's distinguishing ID (用户身份标识):
//   e = SM3(Z_A || M),  Z_A = SM3(ENTL || ID || a || b || xG || yG || xA || yA).
// Interoperable SM2 (BouncyCastle, ofdrw, vendor files) uses ID "1234567812345678".
// Two implementations sit behind this interface (Sm2Backend): our own and OpenSSL 3's.
// Thread-safety: keys are immutable after creation and may be shared.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "eseal/base/bytes.h"

namespace eseal::crypto {

inline constexpr std::string_view kDefaultSm2Id = "1234567812345678";

// Which SM2 implementation signs, verifies and derives public keys, process-wide:
//   kEseal   — our own constant-time code (src/crypto/sm2_native.h), the default;
//   kOpenSsl — OpenSSL 3's generic prime-curve SM2 (`--crypto openssl`), kept as a fallback
//              an operator can select and as the oracle our tests compare against.
// The environment variable ESEAL_CRYPTO ("eseal" or "openssl") sets the starting value, so a
// whole test run can be repeated on the other backend. Keys work under either backend.
enum class Sm2Backend { kEseal, kOpenSsl };
void SetSm2Backend(Sm2Backend backend);
Sm2Backend CurrentSm2Backend();
std::string_view Sm2BackendName(Sm2Backend backend);  // "eseal" | "openssl"
Result<Sm2Backend> ParseSm2Backend(std::string_view name);

// How many times Sm2PublicKey::Verify has run on the calling thread since it started
// (valid or not). Work accounting, counted not timed: verify::internal::WorkMeter reads
// the difference across one verification; tests assert bounds on it.
uint64_t Sm2VerifyCount();

class Sm2PublicKey {
 public:
  // X.509 SubjectPublicKeyInfo (id-ecPublicKey or SM2 OID, curve sm2p256v1), DER or PEM.
  static Result<Sm2PublicKey> FromSpkiDer(ByteView der);
  static Result<Sm2PublicKey> FromPem(std::string_view pem);
  // Uncompressed point 04||x||y (65 bytes); the point must lie on the curve.
  static Result<Sm2PublicKey> FromPoint(ByteView point);

  Bytes ToSpkiDer() const;
  std::string ToPem() const;
  Bytes Point() const;  // 04||x||y

  // Z_A for this key and ID (32 bytes); empty if the ID is longer than 8190 bytes (the
  // most ENTL_A and OpenSSL allow). Sign refuses such IDs; Verify returns false.
  Bytes ComputeZ(std::string_view id = kDefaultSm2Id) const;

  // True only if `signature` (DER SEQUENCE{r, s}) is a valid signature of `message`.
  // Malformed signatures are simply not valid.
  bool Verify(ByteView message, ByteView signature, std::string_view id = kDefaultSm2Id) const;

  // SM3 of the DER SubjectPublicKeyInfo: a stable key fingerprint.
  Bytes Fingerprint() const;

  friend bool operator==(const Sm2PublicKey& a, const Sm2PublicKey& b) {
    return a.Point() == b.Point();
  }

  struct Impl;
  explicit Sm2PublicKey(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  const Impl& impl() const { return *impl_; }

 private:
  std::shared_ptr<const Impl> impl_;
};

// Something that can make SM2 signatures with one key: an in-memory key, or (later) a key
// that never leaves an HSM.
class Sm2Signer {
 public:
  virtual ~Sm2Signer() = default;
  virtual const Sm2PublicKey& PublicKey() const = 0;
  // DER SEQUENCE{r, s} over SM3(Z_A || message), with a fresh random k.
  virtual Result<Bytes> Sign(ByteView message, std::string_view id = kDefaultSm2Id) const = 0;
};

class Sm2PrivateKey final : public Sm2Signer {
 public:
  static Result<Sm2PrivateKey> Generate();
  // Unencrypted PKCS#8 (DER or PEM "PRIVATE KEY") or SEC1 (PEM "EC PRIVATE KEY", or
  // "SM2 PRIVATE KEY" as `openssl ec` 3.x labels it). Keys are taken as SM2 whether they
  // say id-ecPublicKey + sm2p256v1 or the SM2 algorithm OID; a stored public key that does
  // not match the scalar is refused. Encrypted PEM is refused (never prompts).
  static Result<Sm2PrivateKey> FromPkcs8Der(ByteView der);
  static Result<Sm2PrivateKey> FromPem(std::string_view pem);
  // The 32-byte scalar d, 1 <= d <= n-2.
  static Result<Sm2PrivateKey> FromScalar(ByteView d);

  SecretBytes ToPkcs8Der() const;
  // Unencrypted PKCS#8 PEM. For tests and development tooling only; the platform stores
  // keys protected (key_protection.h).
  SecretBytes ToPem() const;
  SecretBytes Scalar() const;

  const Sm2PublicKey& PublicKey() const override { return public_key_; }
  Result<Bytes> Sign(ByteView message, std::string_view id = kDefaultSm2Id) const override;

  struct Impl;
  Sm2PrivateKey(std::shared_ptr<const Impl> impl, Sm2PublicKey pub)
      : impl_(std::move(impl)), public_key_(std::move(pub)) {}
  const Impl& impl() const { return *impl_; }

 private:
  std::shared_ptr<const Impl> impl_;
  Sm2PublicKey public_key_;
};

// Signature value encodings. Vendors differ: most write DER SEQUENCE{INTEGER r, INTEGER s}
// (70-72 bytes), some write raw 64-byte r||s.
Result<Bytes> Sm2RawToDer(ByteView raw64);
Result<Bytes> Sm2DerToRaw(ByteView der);
// Verifies `value` over `message` (default SM2 ID) in DER, or — a tolerance the caller
// reports — as raw 64-byte r||s, setting *raw then. One verifier for the SES, Type="Sign"
// and timestamp-token paths.
bool VerifySm2DerOrRaw(const Sm2PublicKey& key, ByteView message, ByteView value, bool* raw);

// Known-answer support: sign with a caller-chosen k, as in the worked example of
// GB/T 32918.2-2016 Annex A. Never use outside tests: k must be fresh and secret.
Result<Bytes> Sm2SignWithFixedKForTest(const Sm2PrivateKey& key, ByteView message,
                                       std::string_view id, ByteView k);

}  // namespace eseal::crypto
