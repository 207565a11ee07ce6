// SM4 (GB/T 32907-2016 / GM/T 0002-2012, 分组密码算法): CBC, CTR and GCM.
// Debian's OpenSSL 3.0 has SM4-ECB/CBC/CTR but no SM4-GCM, so GCM is built here on the
// SM4 block cipher (NIST SP 800-38D) and checked against the RFC 8998 vectors.
// Thread-safety: reentrant free functions.
#pragma once

#include "eseal/base/bytes.h"

namespace eseal::crypto {

inline constexpr size_t kSm4KeySize = 16;
inline constexpr size_t kSm4BlockSize = 16;
inline constexpr size_t kSm4GcmNonceSize = 12;
inline constexpr size_t kSm4GcmTagSize = 16;

// One raw block, for known-answer tests (GM/T 0002 Appendix A).
Result<Bytes> Sm4EncryptBlock(ByteView key, ByteView block);

// CBC with PKCS#7 padding. Decrypt fails with DataLoss on bad padding.
Result<Bytes> Sm4CbcEncrypt(ByteView key, ByteView iv, ByteView plaintext);
Result<Bytes> Sm4CbcDecrypt(ByteView key, ByteView iv, ByteView ciphertext);

// CTR: the 16-byte `iv` is the initial counter block, incremented as a 128-bit big-endian
// integer. Encryption and decryption are the same operation.
Result<Bytes> Sm4Ctr(ByteView key, ByteView iv, ByteView data);

// GCM: returns ciphertext || 16-byte tag. `nonce` is 12 bytes.
Result<Bytes> Sm4GcmSeal(ByteView key, ByteView nonce, ByteView aad, ByteView plaintext);
// Fails with Unauthenticated when the tag does not match (wrong key, altered data);
// no plaintext is released in that case.
Result<Bytes> Sm4GcmOpen(ByteView key, ByteView nonce, ByteView aad, ByteView sealed);

}  // namespace eseal::crypto
