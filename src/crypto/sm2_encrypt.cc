// SM2 encryption through OpenSSL 3's SM2 asymmetric cipher (sm2_encrypt.h).
#include "eseal/crypto/sm2_encrypt.h"

#include <openssl/evp.h>

#include "internal.h"

namespace eseal::crypto {

Result<Bytes> Sm2Encrypt(const Sm2PublicKey& key, ByteView plaintext) {
  if (plaintext.empty() || plaintext.size() > 1024) {
    return InvalidArgumentError("SM2 encryption takes 1 to 1024 bytes");
  }
  internal::UniquePkeyCtx ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key.impl().Pkey(), nullptr));
  if (!ctx || EVP_PKEY_encrypt_init(ctx.get()) != 1) return internal::OpenSslFailure("SM2 encrypt init");
  size_t n = 0;
  if (EVP_PKEY_encrypt(ctx.get(), nullptr, &n, plaintext.data(), plaintext.size()) != 1) {
    return internal::OpenSslFailure("SM2 encrypt");
  }
  Bytes out(n);
  if (EVP_PKEY_encrypt(ctx.get(), out.data(), &n, plaintext.data(), plaintext.size()) != 1) {
    return internal::OpenSslFailure("SM2 encrypt");
  }
  out.resize(n);
  return out;
}

Result<SecretBytes> Sm2Decrypt(const Sm2PrivateKey& key, ByteView ciphertext) {
  if (ciphertext.empty() || ciphertext.size() > 4096) return UnauthenticatedError("not an SM2 ciphertext for this key");
  internal::UniquePkeyCtx ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key.impl().Pkey(), nullptr));
  if (!ctx || EVP_PKEY_decrypt_init(ctx.get()) != 1) return internal::OpenSslFailure("SM2 decrypt init");
  size_t n = 0;
  if (EVP_PKEY_decrypt(ctx.get(), nullptr, &n, ciphertext.data(), ciphertext.size()) != 1) {
    internal::ClearOpenSslErrors();
    return UnauthenticatedError("not an SM2 ciphertext for this key");
  }
  SecretBytes out(n);
  if (EVP_PKEY_decrypt(ctx.get(), out.data(), &n, ciphertext.data(), ciphertext.size()) != 1) {
    internal::ClearOpenSslErrors();
    return UnauthenticatedError("not an SM2 ciphertext for this key");
  }
  out.resize(n);
  return out;
}

}  // namespace eseal::crypto
