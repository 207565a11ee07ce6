// OpenSSL plumbing shared by the crypto module: algorithm handles fetched once, error
// queue hygiene, and the constants of the SM2 recommended curve (sm2p256v1).
#include <openssl/err.h>
#include <openssl/obj_mac.h>

#include <cstdio>
#include <cstdlib>

#include "internal.h"

namespace eseal::crypto::internal {
namespace {

template <typename T>
T* FetchOrDie(T* p, const char* name) {
  if (p == nullptr) FatalOpenSsl(name);
  return p;
}

}  // namespace

const EVP_MD* Sm3Md() {
  static const EVP_MD* md = FetchOrDie(EVP_MD_fetch(nullptr, "SM3", nullptr), "SM3");
  return md;
}
const EVP_CIPHER* Sm4EcbCipher() {
  static const EVP_CIPHER* c = FetchOrDie(EVP_CIPHER_fetch(nullptr, "SM4-ECB", nullptr), "SM4-ECB");
  return c;
}
const EVP_CIPHER* Sm4CbcCipher() {
  static const EVP_CIPHER* c = FetchOrDie(EVP_CIPHER_fetch(nullptr, "SM4-CBC", nullptr), "SM4-CBC");
  return c;
}
const EVP_CIPHER* Sm4CtrCipher() {
  static const EVP_CIPHER* c = FetchOrDie(EVP_CIPHER_fetch(nullptr, "SM4-CTR", nullptr), "SM4-CTR");
  return c;
}

void ClearOpenSslErrors() { ERR_clear_error(); }

Status OpenSslFailure(std::string_view what) {
  ERR_clear_error();
  return InternalError("OpenSSL failed: " + std::string(what));
}

void FatalOpenSsl(const char* what) {
  std::fprintf(stderr, "eseal: fatal OpenSSL failure (%s); out of memory?\n", what);
  std::abort();
}

const EC_GROUP* Sm2Group() {
  static const EC_GROUP* g = FetchOrDie(EC_GROUP_new_by_curve_name(NID_sm2), "sm2p256v1");
  return g;
}

const BIGNUM* Sm2Order() { return EC_GROUP_get0_order(Sm2Group()); }

ByteView Sm2CurveParamsForZ() {
  static const Bytes params = [] {
    Bytes out(4 * kSm2FieldBytes);
    UniqueBn p(BN_new()), a(BN_new()), b(BN_new()), x(BN_new()), y(BN_new());
    if (!p || !a || !b || !x || !y) FatalOpenSsl("BN_new");
    const EC_GROUP* g = Sm2Group();
    if (EC_GROUP_get_curve(g, p.get(), a.get(), b.get(), nullptr) != 1 ||
        EC_POINT_get_affine_coordinates(g, EC_GROUP_get0_generator(g), x.get(), y.get(), nullptr) !=
            1) {
      FatalOpenSsl("sm2p256v1 parameters");
    }
    const BIGNUM* parts[] = {a.get(), b.get(), x.get(), y.get()};
    for (int i = 0; i < 4; ++i) {
      if (BN_bn2binpad(parts[i], out.data() + i * kSm2FieldBytes, kSm2FieldBytes) !=
          static_cast<int>(kSm2FieldBytes)) {
        FatalOpenSsl("sm2p256v1 parameters");
      }
    }
    return out;
  }();
  return params;
}

}  // namespace eseal::crypto::internal
