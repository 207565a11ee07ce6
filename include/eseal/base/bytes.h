// Byte buffers, hex and base64, constant-time comparison and secret buffers that wipe
// themselves. Thread-safety: free functions are reentrant; objects are values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "eseal/base/result.h"

namespace eseal {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;

inline ByteView AsBytes(std::string_view s) {
  return ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}
inline std::string_view AsChars(ByteView b) {
  return std::string_view(reinterpret_cast<const char*>(b.data()), b.size());
}
inline Bytes ToBytes(std::string_view s) { return Bytes(s.begin(), s.end()); }
inline std::string ToString(ByteView b) { return std::string(AsChars(b)); }
inline Bytes Concat(ByteView a, ByteView b) {
  Bytes out(a.begin(), a.end());
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

// Lower-case hex by default.
std::string HexEncode(ByteView data, bool upper = false);
// Accepts upper and lower case; rejects odd length and non-hex characters.
Result<Bytes> HexDecode(std::string_view hex);

// RFC 4648 base64 with padding.
std::string Base64Encode(ByteView data);
// Strict alphabet and padding; ASCII whitespace (as found in XML text) is skipped.
Result<Bytes> Base64Decode(std::string_view text);
// RFC 4648 §5 base64url without padding (tokens, ids).
std::string Base64UrlEncode(ByteView data);

// The length (1 to 4) of the well-formed UTF-8 sequence that starts at s[i], or 0 if none
// does (RFC 3629 / Unicode Table 3-7: no overlong forms, no surrogates, nothing above
// U+10FFFF). Text that reaches JSON, XML or a database must pass this, not just the
// lead-byte and continuation-bit shape.
size_t Utf8SequenceLength(std::string_view s, size_t i);
// True if all of `s` is well-formed UTF-8.
bool IsValidUtf8(std::string_view s);

// Compares in time that depends only on the lengths, never on where the bytes differ.
bool ConstantTimeEquals(ByteView a, ByteView b);

// Overwrites memory in a way the compiler may not optimise away.
void SecureZero(void* p, size_t n);

// A byte buffer for key material and passwords: wiped on destruction and on reassignment,
// never printed. Copying is explicit (Clone) so secrets are not duplicated by accident.
class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(size_t n) : b_(n) {}
  explicit SecretBytes(ByteView v) : b_(v.begin(), v.end()) {}
  explicit SecretBytes(std::string_view s) : b_(s.begin(), s.end()) {}
  ~SecretBytes() { Wipe(); }
  SecretBytes(SecretBytes&& o) noexcept : b_(std::move(o.b_)) { o.b_.clear(); }
  SecretBytes& operator=(SecretBytes&& o) noexcept {
    if (this != &o) {
      Wipe();
      b_ = std::move(o.b_);
      o.b_.clear();
    }
    return *this;
  }
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;

  SecretBytes Clone() const { return SecretBytes(view()); }

  uint8_t* data() { return b_.data(); }
  const uint8_t* data() const { return b_.data(); }
  size_t size() const { return b_.size(); }
  bool empty() const { return b_.empty(); }
  ByteView view() const { return ByteView(b_.data(), b_.size()); }
  std::span<uint8_t> mutable_view() { return std::span<uint8_t>(b_.data(), b_.size()); }
  void resize(size_t n);  // wipes what it drops

 private:
  void Wipe() {
    if (!b_.empty()) SecureZero(b_.data(), b_.size());
  }
  Bytes b_;
};

}  // namespace eseal
