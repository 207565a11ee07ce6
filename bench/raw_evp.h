// Raw OpenSSL EVP calls for SM2-with-SM3 and SM3, with no eseal code in between: the
// floor that the benchmarks put beside eseal's own operations, in the same binary and run.
// Aborts on any OpenSSL failure (a benchmark with a broken baseline must not report).
// Thread-safety: reentrant functions; the EVP_PKEYs are shared read-only.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cstdlib>

#include "eseal/base/bytes.h"
#include "eseal/crypto/sm2.h"

namespace eseal::bench {

// An OpenSSL key from our PKCS#8 (private) or SubjectPublicKeyInfo (public) DER. Owned by
// the caller (benchmarks keep them for the life of the process).
inline EVP_PKEY* EvpPrivateKey(const crypto::Sm2PrivateKey& key) {
  SecretBytes der = key.ToPkcs8Der();
  const unsigned char* p = der.data();
  EVP_PKEY* k = d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(der.size()));
  if (k == nullptr) std::abort();
  return k;
}

inline EVP_PKEY* EvpPublicKey(ByteView spki_der) {
  const unsigned char* p = spki_der.data();
  EVP_PKEY* k = d2i_PUBKEY(nullptr, &p, static_cast<long>(spki_der.size()));
  if (k == nullptr) std::abort();
  return k;
}

// SM2 signature (DER) over `msg` with the default SM2 ID, as EVP_DigestSign does it:
// Z = SM3(ENTL||ID||curve||key), e = SM3(Z||msg), then the SM2 signature of e.
inline Bytes EvpSign(EVP_PKEY* pkey, ByteView msg) {
  EVP_PKEY_CTX* pctx = EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr);
  EVP_MD_CTX* mctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX_set1_id(pctx, crypto::kDefaultSm2Id.data(), crypto::kDefaultSm2Id.size());
  EVP_MD_CTX_set_pkey_ctx(mctx, pctx);
  Bytes sig(80);
  size_t len = sig.size();
  if (EVP_DigestSignInit(mctx, nullptr, EVP_sm3(), nullptr, pkey) != 1 ||
      EVP_DigestSign(mctx, sig.data(), &len, msg.data(), msg.size()) != 1) {
    std::abort();
  }
  sig.resize(len);
  EVP_MD_CTX_free(mctx);
  EVP_PKEY_CTX_free(pctx);
  return sig;
}

inline bool EvpVerify(EVP_PKEY* pkey, ByteView msg, ByteView sig) {
  EVP_PKEY_CTX* pctx = EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr);
  EVP_MD_CTX* mctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX_set1_id(pctx, crypto::kDefaultSm2Id.data(), crypto::kDefaultSm2Id.size());
  EVP_MD_CTX_set_pkey_ctx(mctx, pctx);
  bool ok = EVP_DigestVerifyInit(mctx, nullptr, EVP_sm3(), nullptr, pkey) == 1 &&
            EVP_DigestVerify(mctx, sig.data(), sig.size(), msg.data(), msg.size()) == 1;
  EVP_MD_CTX_free(mctx);
  EVP_PKEY_CTX_free(pctx);
  return ok;
}

inline void EvpSm3(ByteView data, unsigned char out[32]) {
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out, &len, EVP_sm3(), nullptr) != 1) std::abort();
}

}  // namespace eseal::bench
