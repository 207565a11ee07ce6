#include "eseal/asn1/der.h"

#include <algorithm>
#include <cstdio>

namespace eseal::asn1 {
namespace {

Status Malformed(std::string_view what) {
  return InvalidArgumentError("malformed DER: " + std::string(what));
}

bool ValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if (c >= 0xc2 && c <= 0xdf) {
      len = 2;
      cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
      len = 3;
      cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff)) {
      return false;
    }
    i += len;
  }
  return true;
}

bool IsPrintableChar(unsigned char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  // X.680 PrintableString, plus '*', '&', '@' and '_', which real certificate subjects use
  // and every widespread X.509 library accepts.
  switch (c) {
    case ' ': case '\'': case '(': case ')': case '+': case ',': case '-': case '.': case '/':
    case ':': case '=': case '?': case '*': case '&': case '@': case '_':
      return true;
    default:
      return false;
  }
}

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

bool Digits(ByteView s, size_t pos, size_t n, int* out) {
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    uint8_t c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

void AppendLength(Bytes& out, size_t len) {
  if (len < 0x80) {
    out.push_back(static_cast<uint8_t>(len));
    return;
  }
  uint8_t tmp[8];
  int n = 0;
  while (len > 0) {
    tmp[n++] = static_cast<uint8_t>(len & 0xff);
    len >>= 8;
  }
  out.push_back(static_cast<uint8_t>(0x80 | n));
  while (n > 0) out.push_back(tmp[--n]);
}

void AppendIdentifier(Bytes& out, Tag tag) {
  uint8_t lead = static_cast<uint8_t>((tag >> 24) & 0xe0);
  uint32_t number = tag & kNumberMask;
  if (number < 31) {
    out.push_back(static_cast<uint8_t>(lead | number));
    return;
  }
  out.push_back(static_cast<uint8_t>(lead | 0x1f));
  uint8_t tmp[5];
  int n = 0;
  do {
    tmp[n++] = static_cast<uint8_t>(number & 0x7f);
    number >>= 7;
  } while (number > 0);
  while (n > 1) out.push_back(tmp[--n] | 0x80);
  out.push_back(tmp[0]);
}

}  // namespace

std::string TagName(Tag tag) {
  Tag cls = tag & kClassMask;
  uint32_t n = tag & kNumberMask;
  if (cls == kContextClass) return "[" + std::to_string(n) + "]";
  if (cls == kApplicationClass) return "[APPLICATION " + std::to_string(n) + "]";
  if (cls == kPrivateClass) return "[PRIVATE " + std::to_string(n) + "]";
  switch (tag) {
    case kBoolean: return "BOOLEAN";
    case kInteger: return "INTEGER";
    case kBitString: return "BIT STRING";
    case kOctetString: return "OCTET STRING";
    case kNull: return "NULL";
    case kObjectIdentifier: return "OBJECT IDENTIFIER";
    case kEnumerated: return "ENUMERATED";
    case kUtf8String: return "UTF8String";
    case kPrintableString: return "PrintableString";
    case kT61String: return "T61String";
    case kIa5String: return "IA5String";
    case kUtcTime: return "UTCTime";
    case kGeneralizedTime: return "GeneralizedTime";
    case kVisibleString: return "VisibleString";
    case kBmpString: return "BMPString";
    case kSequence: return "SEQUENCE";
    case kSet: return "SET";
    default: break;
  }
  return "tag " + std::to_string(n) + ((tag & kConstructed) ? " (constructed)" : "");
}

Result<Element> Reader::ReadElement() {
  ByteView d = data_;
  if (d.size() < 2) return Malformed("truncated element header");
  size_t pos = 0;
  uint8_t b0 = d[pos++];
  Tag tag = static_cast<Tag>(b0 & 0xe0) << 24;
  uint32_t number = b0 & 0x1f;
  if (number == 0x1f) {
    number = 0;
    for (int k = 0;; ++k) {
      if (pos >= d.size()) return Malformed("truncated tag");
      uint8_t b = d[pos++];
      if (k == 0 && b == 0x80) return Malformed("non-minimal tag");
      if (k >= 4) return Malformed("tag number too large");
      number = (number << 7) | (b & 0x7f);
      if ((b & 0x80) == 0) break;
    }
    if (number < 31) return Malformed("non-minimal tag");
  } else if (number == 0 && (b0 & 0xc0) == 0) {
    return Malformed("end-of-contents octets are not DER");
  }
  tag |= number;
  if (pos >= d.size()) return Malformed("truncated length");
  uint8_t lb = d[pos++];
  size_t len = 0;
  if (lb < 0x80) {
    len = lb;
  } else if (lb == 0x80) {
    return Malformed("indefinite length");
  } else {
    size_t n = lb & 0x7f;
    if (n > 4) return Malformed("length too large");
    if (pos + n > d.size()) return Malformed("truncated length");
    if (d[pos] == 0) return Malformed("non-minimal length");
    for (size_t k = 0; k < n; ++k) len = (len << 8) | d[pos + k];
    pos += n;
    if (len < 0x80) return Malformed("non-minimal length");
  }
  if (len > d.size() - pos) return Malformed("length exceeds the data");
  Element e;
  e.tag = tag;
  e.content = d.subspan(pos, len);
  e.encoding = d.subspan(0, pos + len);
  data_ = d.subspan(pos + len);
  return e;
}

Result<Tag> Reader::PeekTag() const {
  Reader copy = *this;
  ASSIGN_OR_RETURN(Element e, copy.ReadElement());
  return e.tag;
}

bool Reader::PeekIs(Tag tag) const {
  auto t = PeekTag();
  return t.ok() && *t == tag;
}

Result<Element> Reader::ReadElement(Tag tag) {
  Reader copy = *this;
  ASSIGN_OR_RETURN(Element e, copy.ReadElement());
  if (e.tag != tag) {
    return Malformed("expected " + TagName(tag) + ", found " + TagName(e.tag));
  }
  *this = copy;
  return e;
}

Result<ByteView> Reader::ReadRaw() {
  ASSIGN_OR_RETURN(Element e, ReadElement());
  return e.encoding;
}

Result<ByteView> Reader::ReadRaw(Tag tag) {
  ASSIGN_OR_RETURN(Element e, ReadElement(tag));
  return e.encoding;
}

Result<Reader> Reader::ReadConstructed(Tag tag) {
  if ((tag & kConstructed) == 0) return InternalError("ReadConstructed with a primitive tag");
  if (depth_ + 1 > kMaxDepth) return Malformed("nesting deeper than " + std::to_string(kMaxDepth));
  ASSIGN_OR_RETURN(Element e, ReadElement(tag));
  return Reader(e.content, depth_ + 1);
}

Result<std::optional<Reader>> Reader::ReadOptionalConstructed(Tag tag) {
  if (!PeekIs(tag)) return std::optional<Reader>();
  ASSIGN_OR_RETURN(Reader r, ReadConstructed(tag));
  return std::optional<Reader>(r);
}

Result<bool> Reader::ReadBoolean() {
  ASSIGN_OR_RETURN(Element e, ReadElement(kBoolean));
  if (e.content.size() != 1) return Malformed("BOOLEAN must be one octet");
  if (e.content[0] == 0x00) return false;
  if (e.content[0] == 0xff) return true;
  return Malformed("BOOLEAN must be 0x00 or 0xFF");
}

Result<ByteView> Reader::ReadOctetString() {
  ASSIGN_OR_RETURN(Element e, ReadElement(kOctetString));
  return e.content;
}

Result<BitString> Reader::ReadBitString() {
  ASSIGN_OR_RETURN(Element e, ReadElement(kBitString));
  if (e.content.empty()) return Malformed("empty BIT STRING");
  int unused = e.content[0];
  if (unused > 7) return Malformed("BIT STRING unused-bits count above 7");
  ByteView bits = e.content.subspan(1);
  if (bits.empty() && unused != 0) return Malformed("empty BIT STRING with unused bits");
  if (unused != 0 && (bits.back() & ((1u << unused) - 1)) != 0) {
    return Malformed("BIT STRING unused bits are not zero");
  }
  return BitString{bits, unused};
}

Result<ByteView> Reader::ReadBitStringBytes() {
  ASSIGN_OR_RETURN(BitString b, ReadBitString());
  if (b.unused_bits != 0) return Malformed("BIT STRING is not a whole number of octets");
  return b.bytes;
}

Status Reader::ReadNull() {
  ASSIGN_OR_RETURN(Element e, ReadElement(kNull));
  if (!e.content.empty()) return Malformed("NULL with content");
  return Status::Ok();
}

Result<Oid> Reader::ReadOid() {
  ASSIGN_OR_RETURN(Element e, ReadElement(kObjectIdentifier));
  return Oid::FromDer(e.content);
}

Result<ByteView> Reader::ReadIntegerBytes() {
  ASSIGN_OR_RETURN(Element e, ReadElement(kInteger));
  ByteView c = e.content;
  if (c.empty()) return Malformed("empty INTEGER");
  if (c.size() > 1 && ((c[0] == 0x00 && (c[1] & 0x80) == 0) || (c[0] == 0xff && (c[1] & 0x80)))) {
    return Malformed("non-minimal INTEGER");
  }
  return c;
}

Result<ByteView> Reader::ReadUnsignedIntegerBytes() {
  ASSIGN_OR_RETURN(ByteView c, ReadIntegerBytes());
  if (c[0] & 0x80) return Malformed("negative INTEGER where a non-negative one is required");
  if (c.size() > 1 && c[0] == 0) c = c.subspan(1);
  return c;
}

Result<int64_t> Reader::ReadInt64() {
  ASSIGN_OR_RETURN(ByteView c, ReadIntegerBytes());
  if (c.size() > 8) return Malformed("INTEGER too large");
  uint64_t v = (c[0] & 0x80) ? ~uint64_t{0} : 0;
  for (uint8_t b : c) v = (v << 8) | b;
  return static_cast<int64_t>(v);
}

Result<std::string> Reader::ReadString(Tag tag) {
  ASSIGN_OR_RETURN(Element e, ReadElement(tag));
  std::string_view s = AsChars(e.content);
  switch (tag) {
    case kIa5String:
      for (unsigned char c : s) {
        if (c >= 0x80) return Malformed("IA5String with a non-ASCII octet");
      }
      return std::string(s);
    case kPrintableString:
      for (unsigned char c : s) {
        if (!IsPrintableChar(c)) return Malformed("PrintableString with a character outside its set");
      }
      return std::string(s);
    case kVisibleString:
      for (unsigned char c : s) {
        if (c < 0x20 || c > 0x7e) return Malformed("VisibleString with a control character");
      }
      return std::string(s);
    case kUtf8String:
      if (!ValidUtf8(s)) return Malformed("UTF8String is not valid UTF-8");
      return std::string(s);
    case kT61String: {
      // Treated as Latin-1, as most X.509 implementations do in practice.
      std::string out;
      for (unsigned char c : s) AppendUtf8(out, c);
      return out;
    }
    case kBmpString: {
      if (s.size() % 2 != 0) return Malformed("BMPString of odd length");
      std::string out;
      for (size_t i = 0; i < s.size(); i += 2) {
        uint32_t cp = (static_cast<unsigned char>(s[i]) << 8) | static_cast<unsigned char>(s[i + 1]);
        if (cp >= 0xd800 && cp <= 0xdfff) return Malformed("BMPString with a surrogate");
        AppendUtf8(out, cp);
      }
      return out;
    }
    default:
      return InternalError("ReadString with a non-string tag " + TagName(tag));
  }
}

Result<std::string> Reader::ReadAnyString(Tag* tag_out) {
  ASSIGN_OR_RETURN(Tag t, PeekTag());
  switch (t) {
    case kUtf8String: case kPrintableString: case kIa5String: case kT61String:
    case kBmpString: case kVisibleString:
      if (tag_out) *tag_out = t;
      return ReadString(t);
    default:
      return Malformed("expected a character string, found " + TagName(t));
  }
}

Result<Time> Reader::ReadUtcTime() {
  ASSIGN_OR_RETURN(Element e, ReadElement(kUtcTime));
  ByteView c = e.content;
  CivilTime t;
  if (c.size() != 13 || c[12] != 'Z' || !Digits(c, 0, 2, &t.year) || !Digits(c, 2, 2, &t.month) ||
      !Digits(c, 4, 2, &t.day) || !Digits(c, 6, 2, &t.hour) || !Digits(c, 8, 2, &t.minute) ||
      !Digits(c, 10, 2, &t.second)) {
    return Malformed("UTCTime must be YYMMDDHHMMSSZ");
  }
  t.year += t.year >= 50 ? 1900 : 2000;
  auto r = FromCivil(t);
  if (!r.ok()) return Malformed("UTCTime is not a valid date and time");
  return r;
}

Result<Time> Reader::ReadGeneralizedTime() {
  ASSIGN_OR_RETURN(Element e, ReadElement(kGeneralizedTime));
  ByteView c = e.content;
  CivilTime t;
  if (c.size() < 15 || c.back() != 'Z' || !Digits(c, 0, 4, &t.year) || !Digits(c, 4, 2, &t.month) ||
      !Digits(c, 6, 2, &t.day) || !Digits(c, 8, 2, &t.hour) || !Digits(c, 10, 2, &t.minute) ||
      !Digits(c, 12, 2, &t.second)) {
    return Malformed("GeneralizedTime must be YYYYMMDDHHMMSS[.fff]Z");
  }
  if (c.size() > 15) {
    // DER fraction: '.', at least one digit, no trailing zero.
    if (c[14] != '.' || c.size() < 17) return Malformed("GeneralizedTime fraction is malformed");
    for (size_t i = 15; i + 1 < c.size(); ++i) {
      if (c[i] < '0' || c[i] > '9') return Malformed("GeneralizedTime fraction is malformed");
    }
    if (c[c.size() - 2] == '0') return Malformed("GeneralizedTime fraction has a trailing zero");
  }
  auto r = FromCivil(t);
  if (!r.ok()) return Malformed("GeneralizedTime is not a valid date and time");
  return r;
}

Result<Time> Reader::ReadTime() {
  if (PeekIs(kUtcTime)) return ReadUtcTime();
  return ReadGeneralizedTime();
}

Status Reader::ExpectEnd(std::string_view what) const {
  if (!data_.empty()) {
    return Malformed(std::to_string(data_.size()) + " bytes of trailing data after " + std::string(what));
  }
  return Status::Ok();
}

Result<Element> ParseSingle(ByteView der) {
  Reader r(der);
  ASSIGN_OR_RETURN(Element e, r.ReadElement());
  RETURN_IF_ERROR(r.ExpectEnd(TagName(e.tag)));
  return e;
}

Bytes EncodeTlv(Tag tag, ByteView content) {
  Bytes out;
  out.reserve(content.size() + 8);
  AppendIdentifier(out, tag);
  AppendLength(out, content.size());
  out.insert(out.end(), content.begin(), content.end());
  return out;
}

void Writer::AddElement(Tag tag, ByteView content) {
  AppendIdentifier(out_, tag);
  AppendLength(out_, content.size());
  out_.insert(out_.end(), content.begin(), content.end());
}

void Writer::AddConstructed(Tag tag, const Body& body) {
  Writer child;
  body(child);
  AddElement(tag | kConstructed, child.out_);
}

void Writer::AddSetOf(const std::vector<Bytes>& elements) {
  std::vector<const Bytes*> sorted;
  for (const Bytes& e : elements) sorted.push_back(&e);
  // X.690 11.6: ascending order, shorter encodings padded with zero octets at the end.
  std::sort(sorted.begin(), sorted.end(), [](const Bytes* a, const Bytes* b) {
    size_t n = std::max(a->size(), b->size());
    for (size_t i = 0; i < n; ++i) {
      uint8_t x = i < a->size() ? (*a)[i] : 0;
      uint8_t y = i < b->size() ? (*b)[i] : 0;
      if (x != y) return x < y;
    }
    return false;
  });
  Bytes content;
  for (const Bytes* e : sorted) content.insert(content.end(), e->begin(), e->end());
  AddElement(kSet, content);
}

void Writer::AddBoolean(bool v) {
  uint8_t b = v ? 0xff : 0x00;
  AddElement(kBoolean, ByteView(&b, 1));
}

void Writer::AddInt64(int64_t v) {
  uint8_t tmp[8];
  uint64_t u = static_cast<uint64_t>(v);
  for (int i = 7; i >= 0; --i) {
    tmp[i] = static_cast<uint8_t>(u & 0xff);
    u >>= 8;
  }
  size_t start = 0;
  while (start < 7 && ((tmp[start] == 0x00 && (tmp[start + 1] & 0x80) == 0) ||
                       (tmp[start] == 0xff && (tmp[start + 1] & 0x80)))) {
    ++start;
  }
  AddElement(kInteger, ByteView(tmp + start, 8 - start));
}

void Writer::AddUnsignedInteger(ByteView m) {
  size_t start = 0;
  while (start < m.size() && m[start] == 0) ++start;
  Bytes content;
  if (start == m.size()) {
    content.push_back(0);
  } else {
    if (m[start] & 0x80) content.push_back(0);
    content.insert(content.end(), m.begin() + static_cast<ptrdiff_t>(start), m.end());
  }
  AddElement(kInteger, content);
}

void Writer::AddNull() { AddElement(kNull, {}); }

void Writer::AddOid(const Oid& oid) { AddElement(kObjectIdentifier, oid.der()); }

void Writer::AddOctetString(ByteView v) { AddElement(kOctetString, v); }

void Writer::AddBitString(ByteView v, int unused_bits) {
  Bytes content;
  content.reserve(v.size() + 1);
  content.push_back(static_cast<uint8_t>(unused_bits));
  content.insert(content.end(), v.begin(), v.end());
  AddElement(kBitString, content);
}

void Writer::AddString(Tag tag, std::string_view v) { AddElement(tag, AsBytes(v)); }

void Writer::AddUtcTime(Time t) {
  CivilTime c = ToCivil(t);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d%02d%02d%02d%02d%02dZ", c.year % 100, c.month, c.day, c.hour,
                c.minute, c.second);
  AddElement(kUtcTime, AsBytes(buf));
}

void Writer::AddGeneralizedTime(Time t) {
  AddElement(kGeneralizedTime, AsBytes(FormatGeneralized(t)));
}

void Writer::AddX509Time(Time t) {
  int year = ToCivil(t).year;
  if (year >= 1950 && year < 2050) {
    AddUtcTime(t);
  } else {
    AddGeneralizedTime(t);
  }
}

void Writer::AddRaw(ByteView encoding) { out_.insert(out_.end(), encoding.begin(), encoding.end()); }

}  // namespace eseal::asn1
