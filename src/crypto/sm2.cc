// SM2 digital signatures (GB/T 32918.2-2016 / GM/T 0003.2-2012, 数字签名算法) with SM3 and
// the signer's distinguishing ID (用户身份标识), on OpenSSL 3's SM2. OpenSSL computes Z_A
// itself when the key is SM2-typed and the ID is set on the EVP_PKEY_CTX; without the ID
// it would hash an empty one and no other implementation would accept the signature.
#include "eseal/crypto/sm2.h"

#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <algorithm>
#include <bit>

#include "eseal/crypto/sm3.h"
#include "internal.h"

namespace eseal::crypto {

using internal::UniqueBn;
using internal::UniqueBnCtx;
using internal::UniqueMdCtx;
using internal::UniquePkey;
using internal::UniquePkeyCtx;
using internal::UniquePoint;

namespace {

// ENTL_A is a 16-bit count of the ID's bits; OpenSSL accepts IDs shorter than 8191 bytes.
constexpr size_t kMaxIdBytes = 0xFFFF / 8 - 1;

Status CheckId(std::string_view id) {
  if (id.size() > kMaxIdBytes) {
    return InvalidArgumentError("SM2 distinguishing ID is longer than 8190 bytes");
  }
  return Status::Ok();
}

// `pctx` owns nothing of `mctx`; both are freed by their holders (mctx first).
bool InitDigestCtx(EVP_MD_CTX* mctx, EVP_PKEY_CTX* pctx, EVP_PKEY* pkey, std::string_view id,
                   bool sign) {
  if (EVP_PKEY_CTX_set1_id(pctx, id.data(), static_cast<int>(id.size())) <= 0) return false;
  EVP_MD_CTX_set_pkey_ctx(mctx, pctx);
  if (sign) {
    return EVP_DigestSignInit_ex(mctx, nullptr, "SM3", nullptr, nullptr, pkey, nullptr) == 1;
  }
  return EVP_DigestVerifyInit_ex(mctx, nullptr, "SM3", nullptr, nullptr, pkey, nullptr) == 1;
}

// BN from a big-endian scalar, flagged for constant-time arithmetic.
UniqueBn SecretBn(ByteView be) {
  UniqueBn bn(BN_secure_new());
  if (!bn || BN_bin2bn(be.data(), static_cast<int>(be.size()), bn.get()) == nullptr) return {};
  BN_set_flags(bn.get(), BN_FLG_CONSTTIME);
  return bn;
}

// 1 <= d <= n-2 (d = n-1 makes 1+d non-invertible).
bool ScalarInRange(const BIGNUM* d) {
  UniqueBn limit(BN_dup(internal::Sm2Order()));
  if (!limit || BN_sub_word(limit.get(), 2) != 1) return false;
  return !BN_is_zero(d) && !BN_is_negative(d) && BN_cmp(d, limit.get()) <= 0;
}

Result<Sm2PrivateKey> MakePrivateKey(ByteView d32) {
  ASSIGN_OR_RETURN(Bytes point, internal::Sm2PointFromScalar(d32));
  ASSIGN_OR_RETURN(UniquePkey priv, internal::MakeSm2PrivatePkey(d32, point));
  ASSIGN_OR_RETURN(UniquePkey pub, internal::MakeSm2PublicPkey(point));
  auto pub_impl = std::make_shared<Sm2PublicKey::Impl>();
  pub_impl->pkey = std::move(pub);
  pub_impl->point = std::move(point);
  auto priv_impl = std::make_shared<Sm2PrivateKey::Impl>();
  priv_impl->pkey = std::move(priv);
  priv_impl->d = SecretBytes(d32);
  return Sm2PrivateKey(std::move(priv_impl), Sm2PublicKey(std::move(pub_impl)));
}

}  // namespace

namespace internal {

Result<UniquePkey> MakeSm2PublicPkey(ByteView point65) {
  UniquePkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, "SM2", nullptr));
  char group[] = "SM2";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY,
                                        const_cast<uint8_t*>(point65.data()), point65.size()),
      OSSL_PARAM_construct_end()};
  EVP_PKEY* pkey = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1) {
    return OpenSslFailure("SM2 public key import");
  }
  return UniquePkey(pkey);
}

Result<UniquePkey> MakeSm2PrivatePkey(ByteView d32, ByteView point65) {
  UniquePkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, "SM2", nullptr));
  // OSSL_PARAM carries BIGNUMs as unsigned integers in native byte order.
  SecretBytes native(d32);
  if constexpr (std::endian::native == std::endian::little) {
    std::reverse(native.data(), native.data() + native.size());
  }
  char group[] = "SM2";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY,
                                        const_cast<uint8_t*>(point65.data()), point65.size()),
      OSSL_PARAM_construct_BN(OSSL_PKEY_PARAM_PRIV_KEY, native.data(), native.size()),
      OSSL_PARAM_construct_end()};
  EVP_PKEY* pkey = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &pkey, EVP_PKEY_KEYPAIR, params) != 1) {
    return OpenSslFailure("SM2 private key import");
  }
  return UniquePkey(pkey);
}

Result<Bytes> Sm2PointFromScalar(ByteView d32) {
  UniqueBn d = SecretBn(d32);
  UniquePoint p(EC_POINT_new(Sm2Group()));
  UniqueBnCtx bn_ctx(BN_CTX_secure_new());
  Bytes out(kSm2PointBytes);
  if (!d || !p || !bn_ctx ||
      EC_POINT_mul(Sm2Group(), p.get(), d.get(), nullptr, nullptr, bn_ctx.get()) != 1 ||
      EC_POINT_point2oct(Sm2Group(), p.get(), POINT_CONVERSION_UNCOMPRESSED, out.data(), out.size(),
                         bn_ctx.get()) != kSm2PointBytes) {
    return OpenSslFailure("SM2 public key computation");
  }
  return out;
}

}  // namespace internal

// ---- Sm2PublicKey ---------------------------------------------------------------------

Result<Sm2PublicKey> Sm2PublicKey::FromPoint(ByteView point) {
  if (point.size() != internal::kSm2PointBytes || point[0] != 0x04) {
    return InvalidArgumentError(
        "SM2 public key must be an uncompressed point 04||x||y of 65 bytes");
  }
  // oct2point checks that the coordinates are field elements and that the point is on the
  // curve; the point at infinity has no 65-byte encoding. The cofactor is 1, so a point on
  // the curve is in the group.
  UniquePoint p(EC_POINT_new(internal::Sm2Group()));
  if (!p ||
      EC_POINT_oct2point(internal::Sm2Group(), p.get(), point.data(), point.size(), nullptr) != 1) {
    internal::ClearOpenSslErrors();
    return InvalidArgumentError("SM2 public key is not a point on the curve sm2p256v1");
  }
  ASSIGN_OR_RETURN(UniquePkey pkey, internal::MakeSm2PublicPkey(point));
  auto impl = std::make_shared<Impl>();
  impl->pkey = std::move(pkey);
  impl->point = Bytes(point.begin(), point.end());
  return Sm2PublicKey(std::move(impl));
}

Bytes Sm2PublicKey::Point() const { return impl_->point; }

Bytes Sm2PublicKey::ComputeZ(std::string_view id) const {
  if (id.size() > kMaxIdBytes) return {};
  const size_t bits = id.size() * 8;
  const uint8_t entl[2] = {static_cast<uint8_t>(bits >> 8), static_cast<uint8_t>(bits)};
  Sm3 h;
  h.Update(entl);
  h.Update(AsBytes(id));
  h.Update(internal::Sm2CurveParamsForZ());
  h.Update(ByteView(impl_->point).subspan(1));  // x || y
  Sm3Digest z = h.Final();
  return Bytes(z.begin(), z.end());
}

namespace {
thread_local uint64_t sm2_verify_count = 0;
}  // namespace

uint64_t Sm2VerifyCount() { return sm2_verify_count; }

bool Sm2PublicKey::Verify(ByteView message, ByteView signature, std::string_view id) const {
  ++sm2_verify_count;
  if (signature.empty() || signature.size() > 128 || id.size() > kMaxIdBytes) return false;
  UniquePkeyCtx pctx(EVP_PKEY_CTX_new_from_pkey(nullptr, impl_->pkey.get(), nullptr));
  UniqueMdCtx mctx(EVP_MD_CTX_new());
  bool ok =
      pctx && mctx && InitDigestCtx(mctx.get(), pctx.get(), impl_->pkey.get(), id, false) &&
      EVP_DigestVerify(mctx.get(), signature.data(), signature.size(),
                       message.empty() ? reinterpret_cast<const uint8_t*>("") : message.data(),
                       message.size()) == 1;
  internal::ClearOpenSslErrors();
  return ok;
}

Bytes Sm2PublicKey::Fingerprint() const { return Sm3Bytes(ToSpkiDer()); }

// ---- Sm2PrivateKey --------------------------------------------------------------------

Result<Sm2PrivateKey> Sm2PrivateKey::Generate() {
  UniqueBn range(BN_dup(internal::Sm2Order()));
  UniqueBn d(BN_secure_new());
  if (!range || !d || BN_sub_word(range.get(), 2) != 1 ||
      BN_priv_rand_range(d.get(), range.get()) != 1 || BN_add_word(d.get(), 1) != 1) {
    return internal::OpenSslFailure("SM2 key generation");
  }
  // d is uniform in [1, n-2].
  SecretBytes d32(internal::kSm2FieldBytes);
  if (BN_bn2binpad(d.get(), d32.data(), static_cast<int>(d32.size())) != 32) {
    return internal::OpenSslFailure("SM2 key generation");
  }
  return MakePrivateKey(d32.view());
}

Result<Sm2PrivateKey> Sm2PrivateKey::FromScalar(ByteView d) {
  if (d.size() != internal::kSm2FieldBytes) {
    return InvalidArgumentError("SM2 private key scalar must be 32 bytes");
  }
  UniqueBn bn = SecretBn(d);
  if (!bn) return internal::OpenSslFailure("BN_bin2bn");
  if (!ScalarInRange(bn.get())) {
    return InvalidArgumentError("SM2 private key scalar is out of range [1, n-2]");
  }
  return MakePrivateKey(d);
}

SecretBytes Sm2PrivateKey::Scalar() const { return impl_->d.Clone(); }

Result<Bytes> Sm2PrivateKey::Sign(ByteView message, std::string_view id) const {
  RETURN_IF_ERROR(CheckId(id));
  UniquePkeyCtx pctx(EVP_PKEY_CTX_new_from_pkey(nullptr, impl_->pkey.get(), nullptr));
  UniqueMdCtx mctx(EVP_MD_CTX_new());
  Bytes sig(static_cast<size_t>(std::max(EVP_PKEY_get_size(impl_->pkey.get()), 80)));
  size_t len = sig.size();
  if (!pctx || !mctx || !InitDigestCtx(mctx.get(), pctx.get(), impl_->pkey.get(), id, true) ||
      EVP_DigestSign(mctx.get(), sig.data(), &len,
                     message.empty() ? reinterpret_cast<const uint8_t*>("") : message.data(),
                     message.size()) != 1) {
    return internal::OpenSslFailure("SM2 signing");
  }
  sig.resize(len);
  return sig;
}

// ---- Known-answer signing --------------------------------------------------------------

Result<Bytes> Sm2SignWithFixedKForTest(const Sm2PrivateKey& key, ByteView message,
                                       std::string_view id, ByteView k) {
  RETURN_IF_ERROR(CheckId(id));
  if (k.size() != internal::kSm2FieldBytes) return InvalidArgumentError("k must be 32 bytes");
  const EC_GROUP* group = internal::Sm2Group();
  const BIGNUM* n = internal::Sm2Order();

  // e = SM3(Z_A || M)
  Sm3 h;
  h.Update(key.PublicKey().ComputeZ(id));
  h.Update(message);
  Sm3Digest e_bytes = h.Final();

  UniqueBnCtx ctx(BN_CTX_secure_new());
  SecretBytes d_bytes = key.Scalar();
  UniqueBn d = SecretBn(d_bytes.view());
  UniqueBn kk = SecretBn(k);
  UniqueBn e(BN_bin2bn(e_bytes.data(), static_cast<int>(e_bytes.size()), nullptr));
  UniqueBn x1(BN_new()), r(BN_new()), s(BN_new()), t(BN_new()), u(BN_new());
  UniquePoint kg(EC_POINT_new(group));
  if (!ctx || !d || !kk || !e || !x1 || !r || !s || !t || !u || !kg) {
    return internal::OpenSslFailure("BN allocation");
  }
  if (BN_is_zero(kk.get()) || BN_cmp(kk.get(), n) >= 0) {
    return InvalidArgumentError("k must be in [1, n-1]");
  }
  // (x1, y1) = [k]G;  r = (e + x1) mod n
  if (EC_POINT_mul(group, kg.get(), kk.get(), nullptr, nullptr, ctx.get()) != 1 ||
      EC_POINT_get_affine_coordinates(group, kg.get(), x1.get(), nullptr, ctx.get()) != 1 ||
      BN_mod_add(r.get(), e.get(), x1.get(), n, ctx.get()) != 1) {
    return internal::OpenSslFailure("SM2 signing (r)");
  }
  // r = 0 or r + k = n: choose another k.
  if (BN_add(t.get(), r.get(), kk.get()) != 1) return internal::OpenSslFailure("BN_add");
  if (BN_is_zero(r.get()) || BN_cmp(t.get(), n) == 0) {
    return InvalidArgumentError("this k gives r = 0 or r + k = n; choose another");
  }
  // s = (1 + d)^-1 * (k - r*d) mod n
  if (BN_copy(t.get(), d.get()) == nullptr || BN_add_word(t.get(), 1) != 1 ||
      BN_mod_inverse(t.get(), t.get(), n, ctx.get()) == nullptr ||
      BN_mod_mul(u.get(), r.get(), d.get(), n, ctx.get()) != 1 ||
      BN_mod_sub(u.get(), kk.get(), u.get(), n, ctx.get()) != 1 ||
      BN_mod_mul(s.get(), t.get(), u.get(), n, ctx.get()) != 1) {
    return internal::OpenSslFailure("SM2 signing (s)");
  }
  if (BN_is_zero(s.get())) return InvalidArgumentError("this k gives s = 0; choose another");
  Bytes raw(64);
  if (BN_bn2binpad(r.get(), raw.data(), 32) != 32 ||
      BN_bn2binpad(s.get(), raw.data() + 32, 32) != 32) {
    return internal::OpenSslFailure("BN_bn2binpad");
  }
  return Sm2RawToDer(raw);
}

}  // namespace eseal::crypto
