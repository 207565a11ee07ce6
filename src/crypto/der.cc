// A minimal strict DER reader and writer: just enough for the key containers the crypto
// module parses itself (DESIGN.md: "Strict DER out"). The full ASN.1 toolkit lives in the
// asn1 module, which sits above crypto and so cannot be used here.
#include "internal.h"

namespace eseal::crypto::internal {

ByteView OidEcPublicKey() {
  static constexpr uint8_t kOid[] = {0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01};
  return kOid;
}

ByteView OidSm2() {
  static constexpr uint8_t kOid[] = {0x2A, 0x81, 0x1C, 0xCF, 0x55, 0x01, 0x82, 0x2D};
  return kOid;
}

bool DerReader::Read(uint8_t tag, ByteView* contents) {
  if (in_.size() < 2 || in_[0] != tag) return false;
  size_t len = 0;
  size_t header = 2;
  uint8_t first = in_[1];
  if (first < 0x80) {
    len = first;
  } else {
    size_t n = first & 0x7F;
    // 0x80 is BER's indefinite length; more than 4 length bytes is never needed here.
    if (n == 0 || n > 4 || in_.size() < 2 + n) return false;
    if (in_[2] == 0) return false;  // leading zero: not minimal
    for (size_t i = 0; i < n; ++i) len = (len << 8) | in_[2 + i];
    if (len < 0x80) return false;  // should have used the short form
    header = 2 + n;
  }
  if (in_.size() - header < len) return false;
  *contents = in_.subspan(header, len);
  in_ = in_.subspan(header + len);
  return true;
}

bool DerReader::ReadOptional(uint8_t tag, ByteView* contents, bool* present) {
  *present = false;
  if (!PeekTag(tag)) return true;
  if (!Read(tag, contents)) return false;
  *present = true;
  return true;
}

bool DerReader::ReadSmallUint(uint32_t* value) {
  ByteView c;
  if (!Read(kTagInteger, &c) || c.empty()) return false;
  if (c[0] & 0x80) return false;                                  // negative
  if (c.size() > 1 && c[0] == 0 && !(c[1] & 0x80)) return false;  // not minimal
  if (c.size() > 5 || (c.size() == 5 && c[0] != 0)) return false;
  uint64_t v = 0;
  for (uint8_t b : c) v = (v << 8) | b;
  if (v > 0x7FFFFFFF) return false;
  *value = static_cast<uint32_t>(v);
  return true;
}

void AppendTlv(Bytes& out, uint8_t tag, ByteView contents) {
  out.push_back(tag);
  size_t len = contents.size();
  if (len < 0x80) {
    out.push_back(static_cast<uint8_t>(len));
  } else {
    uint8_t buf[sizeof(size_t)];
    size_t n = 0;
    for (size_t v = len; v != 0; v >>= 8) buf[n++] = static_cast<uint8_t>(v & 0xFF);
    out.push_back(static_cast<uint8_t>(0x80 | n));
    while (n > 0) out.push_back(buf[--n]);
  }
  out.insert(out.end(), contents.begin(), contents.end());
}

Bytes Tlv(uint8_t tag, ByteView contents) {
  Bytes out;
  out.reserve(contents.size() + 6);
  AppendTlv(out, tag, contents);
  return out;
}

}  // namespace eseal::crypto::internal
