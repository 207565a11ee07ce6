// SM3 (GM/T 0004-2012, 杂凑算法), HMAC-SM3 (RFC 2104) and PBKDF2-HMAC-SM3 (RFC 8018),
// on OpenSSL's SM3.
#include "eseal/crypto/sm3.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <climits>

#include "internal.h"

namespace eseal::crypto {

using internal::FatalOpenSsl;
using internal::Sm3Md;

struct Sm3::Impl {
  internal::UniqueMdCtx ctx;
};

namespace {

// OpenSSL wants a non-null pointer even for zero-length inputs in some paths.
const uint8_t* NonNull(ByteView v) {
  static const uint8_t kEmpty = 0;
  return v.data() != nullptr ? v.data() : &kEmpty;
}

thread_local uint64_t sm3_byte_count = 0;

}  // namespace

uint64_t Sm3ByteCount() { return sm3_byte_count; }

Sm3::Sm3() : impl_(std::make_unique<Impl>()) {
  impl_->ctx.reset(EVP_MD_CTX_new());
  if (!impl_->ctx || EVP_DigestInit_ex(impl_->ctx.get(), Sm3Md(), nullptr) != 1) {
    FatalOpenSsl("SM3 init");
  }
}

Sm3::~Sm3() = default;
Sm3::Sm3(Sm3&&) noexcept = default;
Sm3& Sm3::operator=(Sm3&&) noexcept = default;

void Sm3::Update(ByteView data) {
  if (data.empty()) return;
  sm3_byte_count += data.size();
  if (EVP_DigestUpdate(impl_->ctx.get(), data.data(), data.size()) != 1) {
    FatalOpenSsl("SM3 update");
  }
}

Sm3Digest Sm3::Final() {
  Sm3Digest d{};
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(impl_->ctx.get(), d.data(), &len) != 1 || len != d.size() ||
      EVP_DigestInit_ex(impl_->ctx.get(), Sm3Md(), nullptr) != 1) {
    FatalOpenSsl("SM3 final");
  }
  return d;
}

Sm3Digest Sm3::Hash(ByteView data) {
  Sm3Digest d{};
  unsigned int len = 0;
  sm3_byte_count += data.size();
  if (EVP_Digest(NonNull(data), data.size(), d.data(), &len, Sm3Md(), nullptr) != 1 ||
      len != d.size()) {
    FatalOpenSsl("SM3");
  }
  return d;
}

Sm3Digest HmacSm3(ByteView key, ByteView data) {
  Sm3Digest d{};
  unsigned int len = 0;
  if (key.size() > INT_MAX ||
      HMAC(Sm3Md(), NonNull(key), static_cast<int>(key.size()), NonNull(data), data.size(),
           d.data(), &len) == nullptr ||
      len != d.size()) {
    FatalOpenSsl("HMAC-SM3");
  }
  return d;
}

Result<SecretBytes> Pbkdf2HmacSm3(ByteView password, ByteView salt, uint32_t iterations,
                                  size_t length) {
  if (iterations < 1 || iterations > INT_MAX) {
    return InvalidArgumentError("PBKDF2 iteration count must be between 1 and 2^31-1");
  }
  if (length < 1 || length > (size_t{1} << 20)) {
    return InvalidArgumentError("PBKDF2 output length must be between 1 byte and 1 MiB");
  }
  if (password.size() > INT_MAX || salt.size() > INT_MAX) {
    return InvalidArgumentError("PBKDF2 password or salt is too long");
  }
  SecretBytes out(length);
  if (PKCS5_PBKDF2_HMAC(reinterpret_cast<const char*>(NonNull(password)),
                        static_cast<int>(password.size()), NonNull(salt),
                        static_cast<int>(salt.size()), static_cast<int>(iterations), Sm3Md(),
                        static_cast<int>(length), out.data()) != 1) {
    return internal::OpenSslFailure("PBKDF2-HMAC-SM3");
  }
  return out;
}

}  // namespace eseal::crypto
