// Private helpers of the crypto module: OpenSSL handles, a minimal strict DER reader and
// writer for the few key structures we parse ourselves (SubjectPublicKeyInfo, PKCS#8,
// SEC1 ECPrivateKey), PEM armour, and the SM2 key internals.
// Thread-safety: all functions are reentrant; the SM2 curve constants are immutable.
#pragma once

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include <cstdint>
#include <initializer_list>
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "eseal/base/bytes.h"
#include "eseal/crypto/sm2.h"
#include "sm2_native.h"

namespace eseal::crypto::internal {

// ---- OpenSSL handles -----------------------------------------------------------------

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* p) const { EVP_CIPHER_CTX_free(p); }
};
struct BnFree {
  void operator()(BIGNUM* p) const { BN_clear_free(p); }
};
struct BnCtxFree {
  void operator()(BN_CTX* p) const { BN_CTX_free(p); }
};
struct PointFree {
  void operator()(EC_POINT* p) const { EC_POINT_clear_free(p); }
};
using UniquePkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using UniquePkeyCtx = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;
using UniqueMdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using UniqueCipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;
using UniqueBn = std::unique_ptr<BIGNUM, BnFree>;
using UniqueBnCtx = std::unique_ptr<BN_CTX, BnCtxFree>;
using UniquePoint = std::unique_ptr<EC_POINT, PointFree>;

// Algorithms fetched once from the default provider (fetching per call is slow).
const EVP_MD* Sm3Md();
const EVP_CIPHER* Sm4EcbCipher();
const EVP_CIPHER* Sm4CbcCipher();
const EVP_CIPHER* Sm4CtrCipher();

// Drops OpenSSL's thread-local error queue (so one failure does not leak into the next
// caller) and returns an Internal error naming `what`.
Status OpenSslFailure(std::string_view what);
void ClearOpenSslErrors();

// For failures that can only mean memory exhaustion inside an API with no error channel
// (the incremental SM3 object): there is no sensible value to return, so stop.
[[noreturn]] void FatalOpenSsl(const char* what);

// ---- SM4 ---------------------------------------------------------------------------------

// Encrypts whole 16-byte blocks independently (ECB) into `out` (in.size() bytes): the block
// primitive under our GCM.
Status Sm4EcbEncryptBlocks(ByteView key, ByteView in, uint8_t* out);

// ---- The SM2 curve (sm2p256v1, GB/T 32918.5) -------------------------------------------

inline constexpr size_t kSm2FieldBytes = 32;
inline constexpr size_t kSm2PointBytes = 65;  // 04 || x || y

const EC_GROUP* Sm2Group();
const BIGNUM* Sm2Order();
// a || b || xG || yG, 128 bytes, for Z_A.
ByteView Sm2CurveParamsForZ();

// ---- Minimal strict DER ----------------------------------------------------------------

inline constexpr uint8_t kTagInteger = 0x02;
inline constexpr uint8_t kTagBitString = 0x03;
inline constexpr uint8_t kTagOctetString = 0x04;
inline constexpr uint8_t kTagNull = 0x05;
inline constexpr uint8_t kTagOid = 0x06;
inline constexpr uint8_t kTagSequence = 0x30;
inline constexpr uint8_t kTagContext0 = 0xA0;  // [0] constructed
inline constexpr uint8_t kTagContext1 = 0xA1;  // [1] constructed

// Contents (without tag and length) of the OIDs we recognise.
ByteView OidEcPublicKey();  // 1.2.840.10045.2.1
ByteView OidSm2();          // 1.2.156.10197.1.301 (curve sm2p256v1, also used as algorithm)

// Reads single-byte-tag TLVs with definite, minimally encoded lengths.
class DerReader {
 public:
  explicit DerReader(ByteView in) : in_(in) {}
  bool empty() const { return in_.empty(); }
  bool PeekTag(uint8_t tag) const { return !in_.empty() && in_[0] == tag; }
  // Reads the next element if it has tag `tag`; false (and nothing consumed) otherwise or
  // if its encoding is malformed.
  bool Read(uint8_t tag, ByteView* contents);
  // Reads an optional element: true with `present` false when the next tag differs.
  bool ReadOptional(uint8_t tag, ByteView* contents, bool* present);
  // INTEGER holding a small non-negative value (< 2^31).
  bool ReadSmallUint(uint32_t* value);

 private:
  ByteView in_;
};

// Appends tag || DER length || contents.
void AppendTlv(Bytes& out, uint8_t tag, ByteView contents);
Bytes Tlv(uint8_t tag, ByteView contents);

// ---- PEM -------------------------------------------------------------------------------

struct PemBlock {
  std::string label;
  SecretBytes der;  // decoded body (wiped on destruction: it may hold a private key)
};

// Finds the first block whose label is one of `labels` (other blocks, such as
// "EC PARAMETERS" before "EC PRIVATE KEY", are skipped) and decodes its base64 body.
// Encrypted legacy PEM (Proc-Type headers) is refused.
Result<PemBlock> DecodePem(std::string_view text, std::initializer_list<std::string_view> labels);
// "-----BEGIN <label>-----\n", base64 in lines of 64, "-----END <label>-----\n".
SecretBytes EncodePem(std::string_view label, ByteView der);
// True if `text` contains a PEM BEGIN line with this label.
bool HasPemLabel(std::string_view text, std::string_view label);

// ---- SM2 keys ----------------------------------------------------------------------------

// Builds SM2-typed EVP_PKEYs (never plain "EC"), so OpenSSL hashes Z_A when it signs.
Result<UniquePkey> MakeSm2PublicPkey(ByteView point65);
Result<UniquePkey> MakeSm2PrivatePkey(ByteView d32, ByteView point65);
// Computes d*G as 04||x||y (with the active backend).
Result<Bytes> Sm2PointFromScalar(ByteView d32);

// The OpenSSL backend (sm2_openssl.cc): sign and verify the message with Z_A computed by
// OpenSSL from `id`; the textbook equations with a caller-chosen k (known-answer tests).
Result<Bytes> Sm2PointFromScalarOpenSsl(ByteView d32);
Result<Bytes> OpenSslSm2Sign(EVP_PKEY* key, ByteView message, std::string_view id);
bool OpenSslSm2Verify(EVP_PKEY* key, ByteView message, ByteView signature, std::string_view id);
Result<Bytes> OpenSslSm2SignWithFixedK(ByteView d32, ByteView e32, ByteView k);

// Parsed key structures (no curve arithmetic yet).
struct ParsedPrivateKey {
  SecretBytes d;       // 32 bytes, big-endian, left-padded
  Bytes public_point;  // as found in the file (may be empty)
};
Result<ParsedPrivateKey> ParsePkcs8(ByteView der);
Result<ParsedPrivateKey> ParseSec1(ByteView der, bool curve_known);
Result<Bytes> ParseSpki(ByteView der);  // the encoded point, as found
SecretBytes EncodePkcs8(ByteView d32, ByteView point65);
Bytes EncodeSpki(ByteView point65);

}  // namespace eseal::crypto::internal

namespace eseal::crypto {

struct Sm2PublicKey::Impl {
  Bytes point;                // 04 || x || y
  sm2::AffinePoint native{};  // the same point for our own SM2 (Montgomery coordinates)
  Bytes z_default;            // Z_A for kDefaultSm2Id, computed once

  // OpenSSL's SM2-typed EVP_PKEY (public part), made on first use: only the openssl backend
  // and SM2 encryption need it, and importing it costs more than one of our verifications.
  // Null if OpenSSL refuses the point (it never should: the point was validated).
  EVP_PKEY* Pkey() const;

  // This key's own fixed-base table once it has verified kHotAfter signatures (a seal or CA
  // key seen again and again), so later verifications skip the 256 doublings of t·P. At most
  // kMaxHotTables keys hold one at a time (88 KiB each); others go on without. Null until then.
  static constexpr uint32_t kHotAfter = 16;
  static constexpr int kMaxHotTables = 256;
  const sm2::FixedBaseTable* HotTable() const;
  ~Impl();

 private:
  mutable std::once_flag pkey_once_;
  mutable internal::UniquePkey pkey_;
  mutable std::atomic<uint32_t> verifications_{0};
  mutable std::once_flag table_once_;
  mutable std::unique_ptr<sm2::FixedBaseTable> table_;
  mutable std::atomic<const sm2::FixedBaseTable*> table_ready_{nullptr};
};

struct Sm2PrivateKey::Impl {
  SecretBytes d;                  // 32 bytes
  sm2::SigningScalars scalars;    // d and (1 + d)^-1 mod n for our own SM2
  Bytes point;                    // 04 || x || y

  // The OpenSSL key pair, made on first use (openssl backend, SM2 decryption).
  EVP_PKEY* Pkey() const;

 private:
  mutable std::once_flag pkey_once_;
  mutable internal::UniquePkey pkey_;
};

}  // namespace eseal::crypto
