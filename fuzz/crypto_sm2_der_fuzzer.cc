// Fuzzes the SM2 signature value decoders and our SM2's checks of outside bytes, each against
// OpenSSL, which shares no code with them:
//   - Sm2DerToRaw (OpenSSL's d2i) must accept only strict DER, which re-encodes to the input;
//     64-byte inputs also round-trip the other way;
//   - our own DER decoder (sm2::DecodeSignatureDer) must accept exactly what Sm2DerToRaw
//     accepts, with the same r||s, and our encoder must write OpenSSL's bytes;
//   - a 64-byte input taken as a public point x||y: our curve check (Sm2PublicKey::FromPoint)
//     must accept exactly the points OpenSSL's EC_POINT_oct2point accepts;
//   - the input taken as a signature of a fixed message under a fixed key: both backends give
//     the same verdict.
#include <openssl/ec.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "eseal/crypto/sm2.h"
#include "internal.h"
#include "sm2_native.h"

namespace {

using namespace eseal;
using namespace eseal::crypto;

const Sm2PrivateKey& Key() {
  static const Sm2PrivateKey* key = [] {
    Bytes d(32, 0x11);
    auto k = Sm2PrivateKey::FromScalar(d);
    if (!k.ok()) std::abort();
    return new Sm2PrivateKey(std::move(*k));
  }();
  return *key;
}

bool OpenSslAcceptsPoint(ByteView point65) {
  EC_POINT* p = EC_POINT_new(crypto::internal::Sm2Group());
  const bool ok = p != nullptr && EC_POINT_oct2point(crypto::internal::Sm2Group(), p, point65.data(),
                                                     point65.size(), nullptr) == 1;
  EC_POINT_free(p);
  crypto::internal::ClearOpenSslErrors();
  return ok;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ByteView in(data, size);
  auto raw = Sm2DerToRaw(in);
  if (raw.ok()) {
    if (raw->size() != 64) std::abort();
    auto der = Sm2RawToDer(*raw);
    if (!der.ok() || !std::equal(der->begin(), der->end(), in.begin(), in.end())) std::abort();
  }
  uint8_t rs[64];
  const bool ours = sm2::DecodeSignatureDer(in, rs);
  if (ours != raw.ok()) std::abort();
  if (ours && std::memcmp(rs, raw->data(), 64) != 0) std::abort();

  if (size == 64) {
    if (auto der = Sm2RawToDer(in); der.ok()) {
      auto back = Sm2DerToRaw(*der);
      if (!back.ok() || !std::equal(back->begin(), back->end(), in.begin(), in.end())) std::abort();
      if (sm2::EncodeSignatureDer(data) != *der) std::abort();
    }
    Bytes point(65, 0x04);
    std::memcpy(point.data() + 1, data, 64);
    if (Sm2PublicKey::FromPoint(point).ok() != OpenSslAcceptsPoint(point)) std::abort();
  }

  if (size <= 128) {
    static const Bytes message = {'f', 'u', 'z', 'z'};
    const Sm2Backend saved = CurrentSm2Backend();
    SetSm2Backend(Sm2Backend::kEseal);
    const bool ours_ok = Key().PublicKey().Verify(message, in);
    SetSm2Backend(Sm2Backend::kOpenSsl);
    const bool theirs_ok = Key().PublicKey().Verify(message, in);
    SetSm2Backend(saved);
    if (ours_ok != theirs_ok) std::abort();
  }
  return 0;
}
