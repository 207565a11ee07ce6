// SM4 (GB/T 32907-2016 / GM/T 0002-2012, 分组密码算法): single block, CBC with PKCS#7
// padding and CTR, on OpenSSL's SM4. GCM is in sm4_gcm.cc.
#include "eseal/crypto/sm4.h"

#include <algorithm>
#include <climits>

#include "internal.h"

namespace eseal::crypto {
namespace {

Status CheckKey(ByteView key) {
  if (key.size() != kSm4KeySize) return InvalidArgumentError("SM4 key must be 16 bytes");
  return Status::Ok();
}

Status CheckIv(ByteView iv) {
  if (iv.size() != kSm4BlockSize) return InvalidArgumentError("SM4 IV must be 16 bytes");
  return Status::Ok();
}

// One pass of an OpenSSL cipher without padding; `in` must suit the mode.
Result<Bytes> RunCipher(const EVP_CIPHER* cipher, bool encrypt, ByteView key, ByteView iv,
                        ByteView in) {
  if (in.size() > INT_MAX - kSm4BlockSize) return InvalidArgumentError("SM4 input is too large");
  internal::UniqueCipherCtx ctx(EVP_CIPHER_CTX_new());
  if (!ctx ||
      EVP_CipherInit_ex2(ctx.get(), cipher, key.data(), iv.empty() ? nullptr : iv.data(),
                         encrypt ? 1 : 0, nullptr) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1) {
    return internal::OpenSslFailure("SM4 init");
  }
  Bytes out(in.size() + kSm4BlockSize);
  int n1 = 0, n2 = 0;
  if ((!in.empty() &&
       EVP_CipherUpdate(ctx.get(), out.data(), &n1, in.data(), static_cast<int>(in.size())) != 1) ||
      EVP_CipherFinal_ex(ctx.get(), out.data() + n1, &n2) != 1) {
    SecureZero(out.data(), out.size());
    return internal::OpenSslFailure("SM4");
  }
  out.resize(static_cast<size_t>(n1 + n2));
  return out;
}

}  // namespace

namespace internal {

Status Sm4EcbEncryptBlocks(ByteView key, ByteView in, uint8_t* out) {
  RETURN_IF_ERROR(CheckKey(key));
  if (in.size() % kSm4BlockSize != 0) return InternalError("SM4-ECB input is not whole blocks");
  ASSIGN_OR_RETURN(Bytes ct, RunCipher(Sm4EcbCipher(), true, key, {}, in));
  std::copy(ct.begin(), ct.end(), out);
  SecureZero(ct.data(), ct.size());
  return Status::Ok();
}

}  // namespace internal

Result<Bytes> Sm4EncryptBlock(ByteView key, ByteView block) {
  RETURN_IF_ERROR(CheckKey(key));
  if (block.size() != kSm4BlockSize) return InvalidArgumentError("SM4 block must be 16 bytes");
  return RunCipher(internal::Sm4EcbCipher(), true, key, {}, block);
}

Result<Bytes> Sm4CbcEncrypt(ByteView key, ByteView iv, ByteView plaintext) {
  RETURN_IF_ERROR(CheckKey(key));
  RETURN_IF_ERROR(CheckIv(iv));
  // PKCS#7: always 1..16 bytes of padding, each holding the padding length.
  size_t pad = kSm4BlockSize - plaintext.size() % kSm4BlockSize;
  Bytes padded(plaintext.begin(), plaintext.end());
  padded.insert(padded.end(), pad, static_cast<uint8_t>(pad));
  auto out = RunCipher(internal::Sm4CbcCipher(), true, key, iv, padded);
  SecureZero(padded.data(), padded.size());
  return out;
}

Result<Bytes> Sm4CbcDecrypt(ByteView key, ByteView iv, ByteView ciphertext) {
  RETURN_IF_ERROR(CheckKey(key));
  RETURN_IF_ERROR(CheckIv(iv));
  if (ciphertext.empty() || ciphertext.size() % kSm4BlockSize != 0) {
    return DataLossError("SM4-CBC ciphertext is not a whole number of blocks");
  }
  ASSIGN_OR_RETURN(Bytes padded, RunCipher(internal::Sm4CbcCipher(), false, key, iv, ciphertext));
  // Check the padding in constant time over the last block, so that the time taken does
  // not tell an attacker how much of the padding was right (padding oracle).
  const size_t n = padded.size();
  const uint8_t pad = padded[n - 1];
  uint32_t bad = static_cast<uint32_t>(pad == 0) | static_cast<uint32_t>(pad > kSm4BlockSize);
  for (uint32_t i = 1; i <= kSm4BlockSize; ++i) {
    // in_pad is all ones when i <= pad (pad - i does not wrap), else zero.
    uint32_t in_pad = 0u - (((static_cast<uint32_t>(pad) - i) >> 31) ^ 1u);
    bad |= in_pad & static_cast<uint32_t>(padded[n - i] ^ pad);
  }
  if (bad != 0) {
    SecureZero(padded.data(), padded.size());
    return DataLossError("SM4-CBC padding is invalid (wrong key or corrupt data)");
  }
  padded.resize(n - pad);
  return padded;
}

Result<Bytes> Sm4Ctr(ByteView key, ByteView iv, ByteView data) {
  RETURN_IF_ERROR(CheckKey(key));
  RETURN_IF_ERROR(CheckIv(iv));
  return RunCipher(internal::Sm4CtrCipher(), true, key, iv, data);
}

}  // namespace eseal::crypto
