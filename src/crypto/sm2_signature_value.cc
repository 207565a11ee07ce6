// SM2 signature values (GB/T 35276 §7.3 SM2Signature ::= SEQUENCE { r INTEGER, s INTEGER }):
// conversion between DER and the raw 64-byte r||s that some vendors write.
#include <openssl/ecdsa.h>

#include <algorithm>

#include "eseal/crypto/sm2.h"
#include "internal.h"

namespace eseal::crypto {
namespace {

struct SigFree {
  void operator()(ECDSA_SIG* p) const { ECDSA_SIG_free(p); }
};
using UniqueSig = std::unique_ptr<ECDSA_SIG, SigFree>;

}  // namespace

Result<Bytes> Sm2RawToDer(ByteView raw64) {
  if (raw64.size() != 64) return InvalidArgumentError("raw SM2 signature must be 64 bytes (r||s)");
  const bool r_zero =
      std::all_of(raw64.begin(), raw64.begin() + 32, [](uint8_t b) { return b == 0; });
  const bool s_zero =
      std::all_of(raw64.begin() + 32, raw64.end(), [](uint8_t b) { return b == 0; });
  if (r_zero || s_zero) return InvalidArgumentError("SM2 signature has a zero r or s");
  UniqueSig sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(raw64.data(), 32, nullptr);
  BIGNUM* s = BN_bin2bn(raw64.data() + 32, 32, nullptr);
  if (!sig || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return internal::OpenSslFailure("ECDSA_SIG");
  }
  unsigned char* der = nullptr;
  int len = i2d_ECDSA_SIG(sig.get(), &der);
  if (len <= 0) return internal::OpenSslFailure("i2d_ECDSA_SIG");
  Bytes out(der, der + len);
  OPENSSL_free(der);
  return out;
}

Result<Bytes> Sm2DerToRaw(ByteView der) {
  if (der.empty() || der.size() > 80) {
    return InvalidArgumentError("SM2 signature is not a DER SEQUENCE{r, s}");
  }
  const unsigned char* p = der.data();
  UniqueSig sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig || p != der.data() + der.size()) {
    internal::ClearOpenSslErrors();
    return InvalidArgumentError("SM2 signature is not a DER SEQUENCE{r, s}");
  }
  // Strict DER: the value must re-encode to exactly the input (no BER lengths, no padding
  // zeros, no negative numbers).
  unsigned char* again = nullptr;
  int len = i2d_ECDSA_SIG(sig.get(), &again);
  bool same = len == static_cast<int>(der.size()) && std::equal(der.begin(), der.end(), again);
  OPENSSL_free(again);
  const BIGNUM* r = ECDSA_SIG_get0_r(sig.get());
  const BIGNUM* s = ECDSA_SIG_get0_s(sig.get());
  if (!same || BN_is_negative(r) || BN_is_negative(s)) {
    internal::ClearOpenSslErrors();
    return InvalidArgumentError("SM2 signature is not strict DER");
  }
  if (BN_is_zero(r) || BN_is_zero(s) || BN_num_bytes(r) > 32 || BN_num_bytes(s) > 32) {
    return InvalidArgumentError("SM2 signature r or s is out of range");
  }
  Bytes out(64);
  if (BN_bn2binpad(r, out.data(), 32) != 32 || BN_bn2binpad(s, out.data() + 32, 32) != 32) {
    return internal::OpenSslFailure("BN_bn2binpad");
  }
  return out;
}

bool VerifySm2DerOrRaw(const Sm2PublicKey& key, ByteView message, ByteView value, bool* raw) {
  *raw = false;
  if (key.Verify(message, value)) return true;
  if (value.size() != 64) return false;
  auto der = Sm2RawToDer(value);
  if (!der.ok() || !key.Verify(message, *der)) return false;
  *raw = true;
  return true;
}

}  // namespace eseal::crypto
