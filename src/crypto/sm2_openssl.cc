// SM2 on OpenSSL 3: the `--crypto openssl` backend, the test oracle for our own SM2, and the
// EVP keys SM2 encryption needs. OpenSSL computes Z_A itself when the key is SM2-typed and
// the ID is set on the EVP_PKEY_CTX; without the ID it would hash an empty one and no other
// implementation would accept the signature.
#include <openssl/core_names.h>
#include <openssl/params.h>

#include <algorithm>
#include <bit>

#include "internal.h"

namespace eseal::crypto {

using internal::UniqueBn;
using internal::UniqueBnCtx;
using internal::UniqueMdCtx;
using internal::UniquePkey;
using internal::UniquePkeyCtx;
using internal::UniquePoint;

namespace {

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

const uint8_t* NonNull(ByteView v) {
  return v.empty() ? reinterpret_cast<const uint8_t*>("") : v.data();
}

}  // namespace

EVP_PKEY* Sm2PublicKey::Impl::Pkey() const {
  std::call_once(pkey_once_, [this] {
    auto made = internal::MakeSm2PublicPkey(point);
    if (made.ok()) pkey_ = std::move(*made);
  });
  return pkey_.get();
}

EVP_PKEY* Sm2PrivateKey::Impl::Pkey() const {
  std::call_once(pkey_once_, [this] {
    auto made = internal::MakeSm2PrivatePkey(d.view(), point);
    if (made.ok()) pkey_ = std::move(*made);
  });
  return pkey_.get();
}

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

Result<Bytes> Sm2PointFromScalarOpenSsl(ByteView d32) {
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

Result<Bytes> OpenSslSm2Sign(EVP_PKEY* key, ByteView message, std::string_view id) {
  if (key == nullptr) return OpenSslFailure("SM2 private key import");
  UniquePkeyCtx pctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
  UniqueMdCtx mctx(EVP_MD_CTX_new());
  Bytes sig(static_cast<size_t>(std::max(EVP_PKEY_get_size(key), 80)));
  size_t len = sig.size();
  if (!pctx || !mctx || !InitDigestCtx(mctx.get(), pctx.get(), key, id, true) ||
      EVP_DigestSign(mctx.get(), sig.data(), &len, NonNull(message), message.size()) != 1) {
    return OpenSslFailure("SM2 signing");
  }
  sig.resize(len);
  return sig;
}

bool OpenSslSm2Verify(EVP_PKEY* key, ByteView message, ByteView signature, std::string_view id) {
  if (key == nullptr) return false;
  UniquePkeyCtx pctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
  UniqueMdCtx mctx(EVP_MD_CTX_new());
  const bool ok = pctx && mctx && InitDigestCtx(mctx.get(), pctx.get(), key, id, false) &&
                  EVP_DigestVerify(mctx.get(), signature.data(), signature.size(),
                                   NonNull(message), message.size()) == 1;
  ClearOpenSslErrors();
  return ok;
}

// GB/T 32918.2 §6.1 with BIGNUMs: the oracle the known-answer test holds both backends to.
Result<Bytes> OpenSslSm2SignWithFixedK(ByteView d32, ByteView e32, ByteView k) {
  const EC_GROUP* group = Sm2Group();
  const BIGNUM* n = Sm2Order();
  UniqueBnCtx ctx(BN_CTX_secure_new());
  UniqueBn d = SecretBn(d32);
  UniqueBn kk = SecretBn(k);
  UniqueBn e(BN_bin2bn(e32.data(), static_cast<int>(e32.size()), nullptr));
  UniqueBn x1(BN_new()), r(BN_new()), s(BN_new()), t(BN_new()), u(BN_new());
  UniquePoint kg(EC_POINT_new(group));
  if (!ctx || !d || !kk || !e || !x1 || !r || !s || !t || !u || !kg) {
    return OpenSslFailure("BN allocation");
  }
  // (x1, y1) = [k]G;  r = (e + x1) mod n
  if (EC_POINT_mul(group, kg.get(), kk.get(), nullptr, nullptr, ctx.get()) != 1 ||
      EC_POINT_get_affine_coordinates(group, kg.get(), x1.get(), nullptr, ctx.get()) != 1 ||
      BN_mod_add(r.get(), e.get(), x1.get(), n, ctx.get()) != 1) {
    return OpenSslFailure("SM2 signing (r)");
  }
  // r = 0 or r + k = n: choose another k.
  if (BN_add(t.get(), r.get(), kk.get()) != 1) return OpenSslFailure("BN_add");
  if (BN_is_zero(r.get()) || BN_cmp(t.get(), n) == 0) {
    return InvalidArgumentError("this k gives r = 0 or r + k = n; choose another");
  }
  // s = (1 + d)^-1 * (k - r*d) mod n
  if (BN_copy(t.get(), d.get()) == nullptr || BN_add_word(t.get(), 1) != 1 ||
      BN_mod_inverse(t.get(), t.get(), n, ctx.get()) == nullptr ||
      BN_mod_mul(u.get(), r.get(), d.get(), n, ctx.get()) != 1 ||
      BN_mod_sub(u.get(), kk.get(), u.get(), n, ctx.get()) != 1 ||
      BN_mod_mul(s.get(), t.get(), u.get(), n, ctx.get()) != 1) {
    return OpenSslFailure("SM2 signing (s)");
  }
  if (BN_is_zero(s.get())) return InvalidArgumentError("this k gives s = 0; choose another");
  Bytes raw(64);
  if (BN_bn2binpad(r.get(), raw.data(), 32) != 32 ||
      BN_bn2binpad(s.get(), raw.data() + 32, 32) != 32) {
    return OpenSslFailure("BN_bn2binpad");
  }
  return Sm2RawToDer(raw);
}

}  // namespace internal
}  // namespace eseal::crypto
