// SM4-GCM: Galois/Counter Mode (NIST SP 800-38D) on the SM4 block cipher, as profiled in
// RFC 8998 (96-bit nonce, 128-bit tag). Debian's OpenSSL 3.0 has no SM4-GCM, so the mode is
// built here; the block cipher is OpenSSL's SM4-ECB. Speed does not matter (it protects
// small key blobs), so GHASH is a plain bitwise multiply in GF(2^128) whose running time
// and memory accesses do not depend on the key or the data.
#include <algorithm>
#include <cstring>

#include "eseal/crypto/sm4.h"
#include "internal.h"

namespace eseal::crypto {
namespace {

// SP 800-38D limits the plaintext to 2^39 - 256 bits; the 32-bit block counter gives the
// same bound: 2^32 - 2 blocks.
constexpr uint64_t kMaxGcmBytes = (uint64_t{1} << 36) - 32;

struct Block {
  uint64_t hi = 0;  // bytes 0..7, big-endian
  uint64_t lo = 0;  // bytes 8..15
};

uint64_t LoadBe64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return v;
}

void StoreBe64(uint64_t v, uint8_t* p) {
  for (int i = 7; i >= 0; --i) {
    p[i] = static_cast<uint8_t>(v & 0xFF);
    v >>= 8;
  }
}

Block LoadBlock(const uint8_t* p) { return Block{LoadBe64(p), LoadBe64(p + 8)}; }

void StoreBlock(const Block& b, uint8_t* p) {
  StoreBe64(b.hi, p);
  StoreBe64(b.lo, p + 8);
}

// X * Y in GF(2^128) with GCM's bit order (SP 800-38D Algorithm 1). Every iteration does
// the same work; secret bits only select through masks.
Block GfMul(const Block& x, const Block& y) {
  uint64_t zhi = 0, zlo = 0;
  uint64_t vhi = y.hi, vlo = y.lo;
  for (int i = 0; i < 128; ++i) {
    uint64_t word = i < 64 ? x.hi : x.lo;  // i is public
    uint64_t bit = (word >> (63 - (i & 63))) & 1;
    uint64_t mask = 0 - bit;
    zhi ^= vhi & mask;
    zlo ^= vlo & mask;
    uint64_t carry = 0 - (vlo & 1);
    vlo = (vlo >> 1) | (vhi << 63);
    vhi = (vhi >> 1) ^ (0xE100000000000000ULL & carry);
  }
  return Block{zhi, zlo};
}

class Ghash {
 public:
  explicit Ghash(const Block& h) : h_(h) {}
  ~Ghash() {
    SecureZero(&h_, sizeof h_);
    SecureZero(&y_, sizeof y_);
  }

  // Absorbs `data` followed by zero padding to a whole block.
  void UpdatePadded(ByteView data) {
    size_t off = 0;
    for (; off + 16 <= data.size(); off += 16) Absorb(data.data() + off);
    if (off < data.size()) {
      uint8_t last[16] = {0};
      std::memcpy(last, data.data() + off, data.size() - off);
      Absorb(last);
      SecureZero(last, sizeof last);
    }
  }

  void Final(uint64_t aad_bytes, uint64_t text_bytes, uint8_t out[16]) {
    uint8_t lengths[16];
    StoreBe64(aad_bytes * 8, lengths);
    StoreBe64(text_bytes * 8, lengths + 8);
    Absorb(lengths);
    StoreBlock(y_, out);
  }

 private:
  void Absorb(const uint8_t* p) {
    Block x = LoadBlock(p);
    y_.hi ^= x.hi;
    y_.lo ^= x.lo;
    y_ = GfMul(y_, h_);
  }

  Block h_;
  Block y_;
};

Status CheckParams(ByteView key, ByteView nonce) {
  if (key.size() != kSm4KeySize) return InvalidArgumentError("SM4 key must be 16 bytes");
  if (nonce.size() != kSm4GcmNonceSize) {
    return InvalidArgumentError("SM4-GCM nonce must be 12 bytes");
  }
  return Status::Ok();
}

// Counter block J0 + i (inc32 applied i times) for a 96-bit nonce: nonce || (1 + i).
void CounterBlock(ByteView nonce, uint32_t i, uint8_t out[16]) {
  std::memcpy(out, nonce.data(), 12);
  uint32_t c = 1 + i;  // wraps modulo 2^32 as inc32 does
  out[12] = static_cast<uint8_t>(c >> 24);
  out[13] = static_cast<uint8_t>(c >> 16);
  out[14] = static_cast<uint8_t>(c >> 8);
  out[15] = static_cast<uint8_t>(c);
}

// H = E(K, 0^128) and E(K, J0).
Status HashKeyAndTagMask(ByteView key, ByteView nonce, uint8_t h[16], uint8_t ej0[16]) {
  uint8_t in[32] = {0};
  CounterBlock(nonce, 0, in + 16);
  uint8_t out[32];
  RETURN_IF_ERROR(internal::Sm4EcbEncryptBlocks(key, ByteView(in, 32), out));
  std::memcpy(h, out, 16);
  std::memcpy(ej0, out + 16, 16);
  SecureZero(out, sizeof out);
  return Status::Ok();
}

// out = in XOR GCTR keystream starting at inc32(J0).
Status Gctr(ByteView key, ByteView nonce, ByteView in, uint8_t* out) {
  if (in.empty()) return Status::Ok();
  size_t blocks = (in.size() + 15) / 16;
  Bytes counters(blocks * 16);
  for (size_t i = 0; i < blocks; ++i) {
    CounterBlock(nonce, static_cast<uint32_t>(i + 1), counters.data() + 16 * i);
  }
  Bytes stream(counters.size());
  Status st = internal::Sm4EcbEncryptBlocks(key, counters, stream.data());
  if (st.ok()) {
    for (size_t i = 0; i < in.size(); ++i) out[i] = in[i] ^ stream[i];
  }
  SecureZero(stream.data(), stream.size());
  return st;
}

void ComputeTag(const uint8_t h[16], const uint8_t ej0[16], ByteView aad, ByteView ciphertext,
                uint8_t tag[16]) {
  Ghash ghash(LoadBlock(h));
  ghash.UpdatePadded(aad);
  ghash.UpdatePadded(ciphertext);
  ghash.Final(aad.size(), ciphertext.size(), tag);
  for (int i = 0; i < 16; ++i) tag[i] ^= ej0[i];
}

}  // namespace

Result<Bytes> Sm4GcmSeal(ByteView key, ByteView nonce, ByteView aad, ByteView plaintext) {
  RETURN_IF_ERROR(CheckParams(key, nonce));
  if (plaintext.size() > kMaxGcmBytes || aad.size() > kMaxGcmBytes) {
    return InvalidArgumentError("SM4-GCM input is too large");
  }
  uint8_t h[16], ej0[16];
  RETURN_IF_ERROR(HashKeyAndTagMask(key, nonce, h, ej0));
  Bytes out(plaintext.size() + kSm4GcmTagSize);
  Status st = Gctr(key, nonce, plaintext, out.data());
  if (st.ok()) {
    ComputeTag(h, ej0, aad, ByteView(out.data(), plaintext.size()), out.data() + plaintext.size());
  }
  SecureZero(h, sizeof h);
  SecureZero(ej0, sizeof ej0);
  if (!st.ok()) return st;
  return out;
}

Result<Bytes> Sm4GcmOpen(ByteView key, ByteView nonce, ByteView aad, ByteView sealed) {
  RETURN_IF_ERROR(CheckParams(key, nonce));
  if (sealed.size() < kSm4GcmTagSize) {
    return InvalidArgumentError("SM4-GCM input is shorter than the 16-byte tag");
  }
  if (sealed.size() - kSm4GcmTagSize > kMaxGcmBytes || aad.size() > kMaxGcmBytes) {
    return InvalidArgumentError("SM4-GCM input is too large");
  }
  ByteView ciphertext = sealed.first(sealed.size() - kSm4GcmTagSize);
  ByteView tag = sealed.last(kSm4GcmTagSize);
  uint8_t h[16], ej0[16], expected[16];
  RETURN_IF_ERROR(HashKeyAndTagMask(key, nonce, h, ej0));
  ComputeTag(h, ej0, aad, ciphertext, expected);
  bool ok = ConstantTimeEquals(ByteView(expected, 16), tag);
  SecureZero(h, sizeof h);
  SecureZero(ej0, sizeof ej0);
  SecureZero(expected, sizeof expected);
  // Authenticate before decrypting: nothing derived from a forged ciphertext is released.
  if (!ok) return UnauthenticatedError("SM4-GCM authentication tag does not match");
  Bytes plaintext(ciphertext.size());
  RETURN_IF_ERROR(Gctr(key, nonce, ciphertext, plaintext.data()));
  return plaintext;
}

}  // namespace eseal::crypto
