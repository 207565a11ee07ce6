// SM2 digital signatures (GB/T 32918.2-2016 / GM/T 0003.2-2012, 数字签名算法) with SM3 and
// the signer's distinguishing ID (用户身份标识): the key classes and the choice of backend.
// Our own arithmetic is in sm2_native.h / sm2_point.h, OpenSSL's path in sm2_openssl.cc.
#include "eseal/crypto/sm2.h"

#include <atomic>
#include <cstdlib>
#include <cstring>

#include "eseal/crypto/sm3.h"
#include "internal.h"

namespace eseal::crypto {
namespace {

// ENTL_A is a 16-bit count of the ID's bits; OpenSSL accepts IDs shorter than 8191 bytes.
constexpr size_t kMaxIdBytes = 0xFFFF / 8 - 1;

Status CheckId(std::string_view id) {
  if (id.size() > kMaxIdBytes) {
    return InvalidArgumentError("SM2 distinguishing ID is longer than 8190 bytes");
  }
  return Status::Ok();
}

Sm2Backend BackendFromEnvironment() {
  const char* env = std::getenv("ESEAL_CRYPTO");
  if (env == nullptr) return Sm2Backend::kEseal;
  auto parsed = ParseSm2Backend(env);
  return parsed.ok() ? *parsed : Sm2Backend::kEseal;
}

std::atomic<Sm2Backend>& BackendSlot() {
  static std::atomic<Sm2Backend> slot{BackendFromEnvironment()};
  return slot;
}

bool UseOpenSsl() { return BackendSlot().load(std::memory_order_relaxed) == Sm2Backend::kOpenSsl; }

Bytes ComputeZFor(ByteView point65, std::string_view id) {
  const size_t bits = id.size() * 8;
  const uint8_t entl[2] = {static_cast<uint8_t>(bits >> 8), static_cast<uint8_t>(bits)};
  Sm3 h;
  h.Update(entl);
  h.Update(AsBytes(id));
  h.Update(internal::Sm2CurveParamsForZ());
  h.Update(point65.subspan(1));  // x || y
  Sm3Digest z = h.Final();
  return Bytes(z.begin(), z.end());
}

// e = SM3(Z_A || M)
Sm3Digest MessageDigest(const Sm2PublicKey& key, ByteView message, std::string_view id) {
  Sm3 h;
  if (id == kDefaultSm2Id) {
    h.Update(key.impl().z_default);
  } else {
    h.Update(key.ComputeZ(id));
  }
  h.Update(message);
  return h.Final();
}

// 1 <= d <= n-2 (d = n-1 makes 1+d non-invertible), in constant time.
bool ScalarInRange(ByteView d32) {
  sm2::Limbs n_minus_1 = sm2::kN.m;
  n_minus_1.v[0] -= 1;
  const sm2::Limbs d = sm2::LimbsFromBytes(d32.data());
  return (sm2::LessThanMask(d, n_minus_1) & ~sm2::Fn::IsZero(d)) != 0;
}

Result<Sm2PublicKey> PublicFromPoint(Bytes point) {
  auto impl = std::make_shared<Sm2PublicKey::Impl>();
  if (!sm2::DecodeAffine(point.data() + 1, &impl->native)) {
    return InvalidArgumentError("SM2 public key is not a point on the curve sm2p256v1");
  }
  impl->z_default = ComputeZFor(point, kDefaultSm2Id);
  impl->point = std::move(point);
  return Sm2PublicKey(std::move(impl));
}

Result<Sm2PrivateKey> MakePrivateKey(ByteView d32) {
  ASSIGN_OR_RETURN(Bytes point, internal::Sm2PointFromScalar(d32));
  ASSIGN_OR_RETURN(Sm2PublicKey pub, PublicFromPoint(point));
  auto priv_impl = std::make_shared<Sm2PrivateKey::Impl>();
  priv_impl->d = SecretBytes(d32);
  sm2::MakeSigningScalars(d32.data(), &priv_impl->scalars);
  priv_impl->point = std::move(point);
  return Sm2PrivateKey(std::move(priv_impl), std::move(pub));
}

thread_local uint64_t sm2_verify_count = 0;

std::atomic<int>& HotTablesInUse() {
  static std::atomic<int> n{0};
  return n;
}

}  // namespace

const sm2::FixedBaseTable* Sm2PublicKey::Impl::HotTable() const {
  if (const auto* ready = table_ready_.load(std::memory_order_acquire)) return ready;
  if (verifications_.fetch_add(1, std::memory_order_relaxed) + 1 < kHotAfter) return nullptr;
  std::call_once(table_once_, [this] {
    if (HotTablesInUse().fetch_add(1) >= kMaxHotTables) {
      HotTablesInUse().fetch_sub(1);  // over the bound: this key goes on without a table
      return;
    }
    table_ = sm2::BuildFixedBaseTable(native);
    table_ready_.store(table_.get(), std::memory_order_release);
  });
  return table_ready_.load(std::memory_order_acquire);
}

Sm2PublicKey::Impl::~Impl() {
  if (table_) HotTablesInUse().fetch_sub(1);
}

// ---- Backend ---------------------------------------------------------------------------

void SetSm2Backend(Sm2Backend backend) { BackendSlot().store(backend); }
Sm2Backend CurrentSm2Backend() { return BackendSlot().load(); }

std::string_view Sm2BackendName(Sm2Backend backend) {
  return backend == Sm2Backend::kOpenSsl ? "openssl" : "eseal";
}

Result<Sm2Backend> ParseSm2Backend(std::string_view name) {
  if (name == "eseal") return Sm2Backend::kEseal;
  if (name == "openssl") return Sm2Backend::kOpenSsl;
  return InvalidArgumentError(
      "密码实现只能是 eseal 或 openssl / the crypto backend must be \"eseal\" or \"openssl\"");
}

namespace internal {

Result<Bytes> Sm2PointFromScalar(ByteView d32) {
  if (UseOpenSsl()) return Sm2PointFromScalarOpenSsl(d32);
  if (d32.size() != kSm2FieldBytes || !ScalarInRange(d32)) {
    return InvalidArgumentError("SM2 private key scalar is out of range [1, n-2]");
  }
  const sm2::Limbs d = sm2::LimbsFromBytes(d32.data());
  const sm2::AffinePoint p = sm2::ScalarBaseMult(d);
  Bytes out(kSm2PointBytes);
  out[0] = 0x04;
  sm2::EncodeAffine(p, out.data() + 1);
  return out;
}

}  // namespace internal

// ---- Sm2PublicKey ---------------------------------------------------------------------

Result<Sm2PublicKey> Sm2PublicKey::FromPoint(ByteView point) {
  if (point.size() != internal::kSm2PointBytes || point[0] != 0x04) {
    return InvalidArgumentError(
        "SM2 public key must be an uncompressed point 04||x||y of 65 bytes");
  }
  // DecodeAffine checks that the coordinates are field elements and that the point is on the
  // curve; the point at infinity has no 65-byte encoding. The cofactor is 1, so a point on
  // the curve is in the group.
  return PublicFromPoint(Bytes(point.begin(), point.end()));
}

Bytes Sm2PublicKey::Point() const { return impl_->point; }

Bytes Sm2PublicKey::ComputeZ(std::string_view id) const {
  if (id.size() > kMaxIdBytes) return {};
  if (id == kDefaultSm2Id) return impl_->z_default;
  return ComputeZFor(impl_->point, id);
}

uint64_t Sm2VerifyCount() { return sm2_verify_count; }

bool Sm2PublicKey::Verify(ByteView message, ByteView signature, std::string_view id) const {
  ++sm2_verify_count;
  if (signature.empty() || signature.size() > 128 || id.size() > kMaxIdBytes) return false;
  if (UseOpenSsl()) return internal::OpenSslSm2Verify(impl_->Pkey(), message, signature, id);
  uint8_t rs[64];
  if (!sm2::DecodeSignatureDer(signature, rs)) return false;
  const Sm3Digest e = MessageDigest(*this, message, id);
  return sm2::VerifyDigestVartime(impl_->native, e.data(), rs, impl_->HotTable());
}

Bytes Sm2PublicKey::Fingerprint() const { return Sm3Bytes(ToSpkiDer()); }

// ---- Sm2PrivateKey --------------------------------------------------------------------

Result<Sm2PrivateKey> Sm2PrivateKey::Generate() {
  // d uniform in [1, n-2]: draw k in [1, n-1] and refuse n-1 (the nonce sampler is uniform).
  sm2::Limbs d;
  SecretBytes d32(internal::kSm2FieldBytes);
  for (;;) {
    RETURN_IF_ERROR(sm2::RandomNonce(&d));
    sm2::LimbsToBytes(d, d32.data());
    if (ScalarInRange(d32.view())) break;
  }
  SecureZero(&d, sizeof d);
  return MakePrivateKey(d32.view());
}

Result<Sm2PrivateKey> Sm2PrivateKey::FromScalar(ByteView d) {
  if (d.size() != internal::kSm2FieldBytes) {
    return InvalidArgumentError("SM2 private key scalar must be 32 bytes");
  }
  if (!ScalarInRange(d)) {
    return InvalidArgumentError("SM2 private key scalar is out of range [1, n-2]");
  }
  return MakePrivateKey(d);
}

SecretBytes Sm2PrivateKey::Scalar() const { return impl_->d.Clone(); }

Result<Bytes> Sm2PrivateKey::Sign(ByteView message, std::string_view id) const {
  RETURN_IF_ERROR(CheckId(id));
  if (UseOpenSsl()) return internal::OpenSslSm2Sign(impl_->Pkey(), message, id);
  const Sm3Digest e = MessageDigest(public_key_, message, id);
  uint8_t rs[64];
  sm2::Limbs k;
  for (int attempt = 0; attempt < 16; ++attempt) {
    RETURN_IF_ERROR(sm2::RandomNonce(&k));
    const bool ok = sm2::SignDigest(impl_->scalars, e.data(), k, rs);
    SecureZero(&k, sizeof k);
    if (ok) return sm2::EncodeSignatureDer(rs);
  }
  return InternalError("SM2 signing drew 16 unusable nonces: the random number generator is broken");
}

// ---- Known-answer signing --------------------------------------------------------------

Result<Bytes> Sm2SignWithFixedKForTest(const Sm2PrivateKey& key, ByteView message,
                                       std::string_view id, ByteView k) {
  RETURN_IF_ERROR(CheckId(id));
  if (k.size() != internal::kSm2FieldBytes) return InvalidArgumentError("k must be 32 bytes");
  const sm2::Limbs kk = sm2::LimbsFromBytes(k.data());
  if (sm2::Fn::IsZero(kk) || !sm2::LessThan(kk, sm2::kN.m)) {
    return InvalidArgumentError("k must be in [1, n-1]");
  }
  const Sm3Digest e = MessageDigest(key.PublicKey(), message, id);
  if (UseOpenSsl()) {
    SecretBytes d = key.Scalar();
    return internal::OpenSslSm2SignWithFixedK(d.view(), e, k);
  }
  uint8_t rs[64];
  if (!sm2::SignDigest(key.impl().scalars, e.data(), kk, rs)) {
    return InvalidArgumentError("this k gives r = 0, r + k = n or s = 0; choose another");
  }
  return sm2::EncodeSignatureDer(rs);
}

}  // namespace eseal::crypto
