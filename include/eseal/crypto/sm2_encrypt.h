// SM2 public-key encryption (GB/T 32918.4, 公钥加密算法) on sm2p256v1 with SM3: the
// ciphertext is the DER SEQUENCE {x, y, C3 hash, C2 ciphertext} of GM/T 0009 (what OpenSSL
// writes). For small secrets only (the platform encrypts 32-byte keys to a vendor's unlock
// key, docs/security.md "Bindings and vendor authorisations").
// Thread-safety: reentrant functions.
#pragma once

#include "eseal/base/bytes.h"
#include "eseal/crypto/sm2.h"

namespace eseal::crypto {

// InvalidArgument for an empty or over-long (> 1 KiB) plaintext.
Result<Bytes> Sm2Encrypt(const Sm2PublicKey& key, ByteView plaintext);
// Unauthenticated when the ciphertext was not made for this key or was altered (the C3
// hash fails); never a garbage plaintext.
Result<SecretBytes> Sm2Decrypt(const Sm2PrivateKey& key, ByteView ciphertext);

}  // namespace eseal::crypto
