// Strict DER (ITU-T X.690 distinguished encoding) reading and writing, in the style of
// BoringSSL's CBS/CBB. The reader rejects trailing data, wrong tags, non-minimal and
// indefinite lengths, and nests at most kMaxDepth levels; the writer emits only minimal
// DER, which is what interoperating readers (BouncyCastle in ofdrw) re-encode to.
// Thread-safety: Reader and Writer are values used by one thread at a time. A Reader
// points into a caller-owned buffer, which must outlive it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "eseal/asn1/oid.h"
#include "eseal/base/bytes.h"
#include "eseal/base/time.h"

namespace eseal::asn1 {

// A tag as its identifier octet(s) folded into one number: bits 29-31 hold class and
// constructed (CBS style), the low 29 bits the tag number.
using Tag = uint32_t;
inline constexpr Tag kConstructed = 0x20u << 24;
inline constexpr Tag kContextClass = 0x80u << 24;
inline constexpr Tag kApplicationClass = 0x40u << 24;
inline constexpr Tag kPrivateClass = 0xC0u << 24;
inline constexpr Tag kClassMask = 0xC0u << 24;
inline constexpr Tag kNumberMask = 0x1FFFFFFFu;

inline constexpr Tag kBoolean = 1;
inline constexpr Tag kInteger = 2;
inline constexpr Tag kBitString = 3;
inline constexpr Tag kOctetString = 4;
inline constexpr Tag kNull = 5;
inline constexpr Tag kObjectIdentifier = 6;
inline constexpr Tag kEnumerated = 10;
inline constexpr Tag kUtf8String = 12;
inline constexpr Tag kPrintableString = 19;
inline constexpr Tag kT61String = 20;
inline constexpr Tag kIa5String = 22;
inline constexpr Tag kUtcTime = 23;
inline constexpr Tag kGeneralizedTime = 24;
inline constexpr Tag kVisibleString = 26;
inline constexpr Tag kBmpString = 30;
inline constexpr Tag kSequence = 16 | kConstructed;
inline constexpr Tag kSet = 17 | kConstructed;

// [n] context-specific; constructed for EXPLICIT tagging and for IMPLICIT over a
// constructed type.
inline constexpr Tag ContextTag(uint32_t n, bool constructed) {
  return kContextClass | (constructed ? kConstructed : 0) | n;
}

std::string TagName(Tag tag);  // "SEQUENCE", "[0]", "OCTET STRING", ...

inline constexpr int kMaxDepth = 32;

// One TLV.
struct Element {
  Tag tag = 0;
  ByteView content;   // the value octets
  ByteView encoding;  // header and value, exactly as read
};

// BIT STRING value: DER requires unused bits to be zero; unused_bits is 0..7.
struct BitString {
  ByteView bytes;
  int unused_bits = 0;
};

class Reader {
 public:
  explicit Reader(ByteView data) : data_(data) {}

  bool empty() const { return data_.empty(); }
  size_t remaining() const { return data_.size(); }
  ByteView rest() const { return data_; }
  int depth() const { return depth_; }

  // The tag of the next element without consuming it; error at end of input.
  Result<Tag> PeekTag() const;
  // True if more input follows and its next tag is `tag`.
  bool PeekIs(Tag tag) const;

  // Any element; the basis of everything else.
  Result<Element> ReadElement();
  // The next element, which must have tag `tag`.
  Result<Element> ReadElement(Tag tag);
  // The whole encoding of the next element (for copying or hashing signed parts).
  Result<ByteView> ReadRaw();
  Result<ByteView> ReadRaw(Tag tag);

  // A constructed element's content as a nested reader (depth + 1, bounded).
  Result<Reader> ReadConstructed(Tag tag);
  Result<Reader> ReadSequence() { return ReadConstructed(kSequence); }
  Result<Reader> ReadSet() { return ReadConstructed(kSet); }
  // Reads [n] if present (constructed), else returns nullopt and consumes nothing.
  Result<std::optional<Reader>> ReadOptionalConstructed(Tag tag);

  Result<bool> ReadBoolean();  // DER: 0x00 or 0xFF only
  Result<ByteView> ReadOctetString();
  Result<BitString> ReadBitString();
  // A BIT STRING with zero unused bits, as bytes (hashes, signatures, keys).
  Result<ByteView> ReadBitStringBytes();
  Status ReadNull();
  Result<Oid> ReadOid();

  // INTEGER as int64 (rejects values that do not fit).
  Result<int64_t> ReadInt64();
  // INTEGER content octets, minimal two's complement (big numbers such as serials).
  Result<ByteView> ReadIntegerBytes();
  // INTEGER that must be non-negative, with the leading 0x00 sign byte stripped.
  Result<ByteView> ReadUnsignedIntegerBytes();

  // Character strings; the character set of the tag is checked (IA5 is 7-bit ASCII,
  // PrintableString its X.680 subset, UTF8String valid UTF-8).
  Result<std::string> ReadString(Tag tag);
  // One of UTF8String, PrintableString, IA5String, T61String, BMPString, VisibleString
  // (X.509 names); BMPString is converted to UTF-8.
  Result<std::string> ReadAnyString(Tag* tag_out = nullptr);

  // Strict DER times: UTCTime YYMMDDHHMMSSZ (years 50-99 → 19xx) and GeneralizedTime
  // YYYYMMDDHHMMSS[.f*]Z (no trailing zeros in the fraction; fraction dropped).
  Result<Time> ReadUtcTime();
  Result<Time> ReadGeneralizedTime();
  // Either, as X.509 Time allows.
  Result<Time> ReadTime();

  // Fails with InvalidArgument("... trailing data") unless all input was consumed.
  Status ExpectEnd(std::string_view what) const;

 private:
  Reader(ByteView data, int depth) : data_(data), depth_(depth) {}
  ByteView data_;
  int depth_ = 0;
};

// Parses one complete element and nothing else (trailing bytes are an error).
Result<Element> ParseSingle(ByteView der);

class Writer {
 public:
  using Body = std::function<void(Writer&)>;

  void AddElement(Tag tag, ByteView content);
  void AddConstructed(Tag tag, const Body& body);
  void AddSequence(const Body& body) { AddConstructed(kSequence, body); }
  void AddSet(const Body& body) { AddConstructed(kSet, body); }
  // SET OF: elements sorted by encoding, as DER requires.
  void AddSetOf(const std::vector<Bytes>& encoded_elements);

  void AddBoolean(bool v);
  void AddInt64(int64_t v);
  // Non-negative big integer from unsigned big-endian bytes (leading zeros trimmed,
  // a 0x00 added when the high bit is set).
  void AddUnsignedInteger(ByteView magnitude);
  void AddNull();
  void AddOid(const Oid& oid);
  void AddOctetString(ByteView v);
  void AddBitString(ByteView v, int unused_bits = 0);
  void AddString(Tag tag, std::string_view v);  // caller guarantees the character set
  void AddUtcTime(Time t);                       // YYMMDDHHMMSSZ; years 1950..2049
  void AddGeneralizedTime(Time t);               // canonical YYYYMMDDHHMMSSZ
  // X.509 rule: UTCTime through 2049, GeneralizedTime from 2050.
  void AddX509Time(Time t);
  // An already-encoded element, appended verbatim.
  void AddRaw(ByteView encoding);

  const Bytes& bytes() const { return out_; }
  Bytes Finish() && { return std::move(out_); }

 private:
  Bytes out_;
};

// Encodes a single TLV header + content.
Bytes EncodeTlv(Tag tag, ByteView content);

}  // namespace eseal::asn1
