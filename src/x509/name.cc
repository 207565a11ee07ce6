// Name: X.501 distinguished name (可分辨名), RFC 5280 §4.1.2.4.
#include "eseal/x509/name.h"

#include <algorithm>
#include <cctype>

#include "eseal/asn1/der.h"
#include "internal.h"

namespace eseal::x509 {
namespace {

using asn1::Oid;

constexpr size_t kMaxNameText = 4096;
constexpr size_t kMaxValueBytes = 1024;

struct KeyInfo {
  const char* key;
  const char* oid;
};
// Display keys; the first seven are the ones Parse accepts by name.
constexpr KeyInfo kKeys[] = {
    {"CN", "2.5.4.3"},
    {"C", "2.5.4.6"},
    {"L", "2.5.4.7"},
    {"ST", "2.5.4.8"},
    {"O", "2.5.4.10"},
    {"OU", "2.5.4.11"},
    {"serialNumber", "2.5.4.5"},
    {"SN", "2.5.4.4"},
    {"street", "2.5.4.9"},
    {"title", "2.5.4.12"},
    {"postalCode", "2.5.4.17"},
    {"GN", "2.5.4.42"},
    {"initials", "2.5.4.43"},
    {"x500UniqueIdentifier", "2.5.4.45"},
    {"dnQualifier", "2.5.4.46"},
    {"pseudonym", "2.5.4.65"},
    {"emailAddress", "1.2.840.113549.1.9.1"},
    {"UID", "0.9.2342.19200300.100.1.1"},
    {"DC", "0.9.2342.19200300.100.1.25"},
};
constexpr size_t kParseableKeys = 7;

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Result<Oid> KeyToOid(std::string_view key) {
  for (size_t i = 0; i < kParseableKeys; ++i) {
    if (IEquals(key, kKeys[i].key)) return asn1::MustOid(kKeys[i].oid);
  }
  if (!key.empty() && std::isdigit(static_cast<unsigned char>(key[0]))) {
    auto oid = Oid::FromString(key);
    if (oid.ok()) return oid;
  }
  std::string shown(key.substr(0, 40));
  for (char& c : shown) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
  }
  return InvalidArgumentError("unknown name attribute '" + shown +
                              "' (use C, ST, L, O, OU, CN, serialNumber or a dotted OID)");
}

// Trims unescaped spaces: a trailing "\ " is part of the value.
std::string_view TrimValue(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    size_t slashes = 0;
    for (size_t i = s.size() - 1; i > 0 && s[i - 1] == '\\'; --i) ++slashes;
    if (slashes % 2 == 1) break;
    s.remove_suffix(1);
  }
  return s;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// One token of text split at unescaped separators, escapes still in place.
struct Piece {
  std::string_view text;
  char separator_after;  // 0 at the end
};

Result<std::vector<Piece>> SplitUnescaped(std::string_view s, std::string_view separators) {
  std::vector<Piece> out;
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\') {
      if (i + 1 >= s.size()) return InvalidArgumentError("name ends with a lone '\\'");
      ++i;
      continue;
    }
    if (separators.find(s[i]) != std::string_view::npos) {
      out.push_back(Piece{s.substr(start, i - start), s[i]});
      start = i + 1;
    }
  }
  out.push_back(Piece{s.substr(start), 0});
  return out;
}

Result<std::string> Unescape(std::string_view v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] != '\\') {
      out.push_back(v[i]);
      continue;
    }
    // SplitUnescaped guarantees a character follows.
    char n = v[i + 1];
    int h = HexValue(n);
    if (h >= 0 && i + 2 < v.size() && HexValue(v[i + 2]) >= 0) {
      out.push_back(static_cast<char>(h * 16 + HexValue(v[i + 2])));
      i += 2;
    } else {
      out.push_back(n);
      i += 1;
    }
  }
  return out;
}

Result<NameAttribute> ParseAttribute(std::string_view text) {
  size_t eq = std::string_view::npos;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
      continue;
    }
    if (text[i] == '=') {
      eq = i;
      break;
    }
  }
  if (eq == std::string_view::npos) {
    return InvalidArgumentError("name attribute without '=' (expected KEY=value)");
  }
  ASSIGN_OR_RETURN(Oid type, KeyToOid(Trim(text.substr(0, eq))));
  ASSIGN_OR_RETURN(std::string value, Unescape(TrimValue(text.substr(eq + 1))));
  if (value.empty())
    return InvalidArgumentError("empty value for name attribute " + NameAttributeKey(type));
  if (value.size() > kMaxValueBytes) return InvalidArgumentError("name attribute value too long");
  NameAttribute a{type, std::move(value), asn1::kUtf8String};
  bool printable = type == asn1::oids::Country() || type == asn1::oids::SerialNumberAttr();
  if (printable) a.string_tag = asn1::kPrintableString;
  // Check the character set by reading the encoding back with the strict reader.
  Bytes enc = asn1::EncodeTlv(a.string_tag, AsBytes(a.value));
  asn1::Reader check(enc);
  if (!check.ReadString(a.string_tag).ok()) {
    return InvalidArgumentError(printable ? "name attribute " + NameAttributeKey(type) +
                                                " must use PrintableString characters"
                                          : "name attribute value is not valid UTF-8");
  }
  if (type == asn1::oids::Country()) {
    if (a.value.size() != 2 || !std::isalpha(static_cast<unsigned char>(a.value[0])) ||
        !std::isalpha(static_cast<unsigned char>(a.value[1]))) {
      return InvalidArgumentError("country (C) must be a two-letter code such as CN");
    }
  }
  return a;
}

Bytes EncodeAttribute(const NameAttribute& a) {
  asn1::Writer w;
  w.AddSequence([&](asn1::Writer& s) {
    s.AddOid(a.type);
    s.AddString(a.string_tag, a.value);
  });
  return std::move(w).Finish();
}

bool IsStringTag(uint32_t tag) {
  switch (tag) {
    case asn1::kUtf8String:
    case asn1::kPrintableString:
    case asn1::kIa5String:
    case asn1::kT61String:
    case asn1::kBmpString:
    case asn1::kVisibleString:
      return true;
    default:
      return false;
  }
}

std::string EscapeValue(const NameAttribute& a) {
  // A value that is not a character string is already in RFC 4514's "#hex" form.
  if (!IsStringTag(a.string_tag)) return a.value;
  std::string_view v = a.value;
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(v[i]);
    bool special = c == ',' || c == '+' || c == '"' || c == '\\' || c == '<' || c == '>' ||
                   c == ';' || c == '=' || c == '/' || (i == 0 && (c == '#' || c == ' ')) ||
                   (i + 1 == v.size() && c == ' ');
    if (c < 0x20 || c == 0x7f) {
      static const char* kHex = "0123456789ABCDEF";
      out.push_back('\\');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    } else {
      if (special) out.push_back('\\');
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

// `parseable_keys`: only keys Parse() accepts, others as dotted OIDs.
std::string RdnToString(const std::vector<NameAttribute>& rdn, bool parseable_keys) {
  std::string out;
  for (size_t i = 0; i < rdn.size(); ++i) {
    if (i) out += "+";
    std::string key = NameAttributeKey(rdn[i].type);
    if (parseable_keys) {
      bool ok = false;
      for (size_t k = 0; k < kParseableKeys; ++k) ok = ok || key == kKeys[k].key;
      if (!ok) key = rdn[i].type.ToString();
    }
    out += key + "=" + EscapeValue(rdn[i]);
  }
  return out;
}

}  // namespace

std::string NameAttributeKey(const asn1::Oid& type) {
  static const std::vector<Oid>* const oids = [] {
    auto* v = new std::vector<Oid>;
    for (const KeyInfo& k : kKeys) v->push_back(asn1::MustOid(k.oid));
    return v;
  }();
  for (size_t i = 0; i < oids->size(); ++i) {
    if ((*oids)[i] == type) return kKeys[i].key;
  }
  return type.ToString();
}

Result<Name> Name::FromDer(ByteView der) {
  asn1::Reader top(der);
  ASSIGN_OR_RETURN(asn1::Reader seq, top.ReadSequence());
  RETURN_IF_ERROR(top.ExpectEnd("Name"));
  Name name;
  size_t count = 0;
  while (!seq.empty()) {
    ASSIGN_OR_RETURN(asn1::Reader set, seq.ReadSet());
    if (set.empty()) return InvalidArgumentError("malformed Name: empty RelativeDistinguishedName");
    std::vector<NameAttribute> rdn;
    while (!set.empty()) {
      if (++count > internal::kMaxNameAttributes) {
        return InvalidArgumentError("malformed Name: too many attributes");
      }
      ASSIGN_OR_RETURN(asn1::Reader atv, set.ReadSequence());
      ASSIGN_OR_RETURN(Oid type, atv.ReadOid());
      NameAttribute a{type, {}, 0};
      ASSIGN_OR_RETURN(asn1::Tag tag, atv.PeekTag());
      switch (tag) {
        case asn1::kIa5String: {
          // Named tolerance "ia5string_utf8": YNCA (Yunnan CA) writes emailAddress as an
          // IA5String holding UTF-8 ("电子邮箱"), found in the zsbk.ofd sample. Accepted
          // when the octets are valid UTF-8; the bytes are kept, so nothing re-encodes.
          ASSIGN_OR_RETURN(asn1::Element e, atv.ReadElement(asn1::kIa5String));
          const Bytes as_utf8_tlv = asn1::EncodeTlv(asn1::kUtf8String, e.content);
          asn1::Reader utf8_check(as_utf8_tlv);
          auto as_utf8 = utf8_check.ReadString(asn1::kUtf8String);
          if (!as_utf8.ok()) return InvalidArgumentError("malformed Name: IA5String is neither ASCII nor UTF-8");
          a.value = *as_utf8;
          a.string_tag = asn1::kIa5String;
          break;
        }
        case asn1::kUtf8String:
        case asn1::kPrintableString:
        case asn1::kT61String:
        case asn1::kBmpString:
        case asn1::kVisibleString: {
          ASSIGN_OR_RETURN(a.value, atv.ReadAnyString(&a.string_tag));
          break;
        }
        default: {
          ASSIGN_OR_RETURN(asn1::Element e, atv.ReadElement());
          a.string_tag = e.tag;
          a.value = "#" + HexEncode(e.encoding, /*upper=*/true);
          break;
        }
      }
      RETURN_IF_ERROR(atv.ExpectEnd("AttributeTypeAndValue"));
      rdn.push_back(std::move(a));
    }
    name.rdns_.push_back(std::move(rdn));
  }
  name.der_.assign(der.begin(), der.end());
  return name;
}

Result<Name> Name::Parse(std::string_view text) {
  if (text.size() > kMaxNameText) return InvalidArgumentError("name text too long");
  std::string_view t = TrimValue(text);
  if (t.empty()) return InvalidArgumentError("empty name");
  std::vector<std::vector<NameAttribute>> rdns;
  size_t count = 0;
  if (t[0] == '/') {
    ASSIGN_OR_RETURN(std::vector<Piece> pieces, SplitUnescaped(t.substr(1), "/"));
    for (const Piece& p : pieces) {
      if (Trim(p.text).empty()) {
        if (&p == &pieces.back()) continue;  // a trailing '/'
        return InvalidArgumentError("empty component in '/' separated name");
      }
      ASSIGN_OR_RETURN(NameAttribute a, ParseAttribute(p.text));
      rdns.push_back({std::move(a)});
      ++count;
    }
  } else {
    ASSIGN_OR_RETURN(std::vector<Piece> pieces, SplitUnescaped(t, ",+"));
    std::vector<NameAttribute> current;
    for (const Piece& p : pieces) {
      ASSIGN_OR_RETURN(NameAttribute a, ParseAttribute(p.text));
      current.push_back(std::move(a));
      ++count;
      if (p.separator_after != '+') {
        rdns.push_back(std::move(current));
        current.clear();
      }
    }
    std::reverse(rdns.begin(), rdns.end());  // RFC 4514 lists the last RDN first
  }
  if (count > internal::kMaxNameAttributes)
    return InvalidArgumentError("name has too many attributes");
  if (rdns.empty()) return InvalidArgumentError("empty name");
  asn1::Writer w;
  w.AddSequence([&](asn1::Writer& seq) {
    for (const auto& rdn : rdns) {
      std::vector<Bytes> encoded;
      for (const NameAttribute& a : rdn) encoded.push_back(EncodeAttribute(a));
      seq.AddSetOf(encoded);
    }
  });
  // Re-read the canonical DER so rdns() follows the DER order inside each SET too.
  return FromDer(w.bytes());
}

std::string Name::ToString() const {
  std::string out;
  for (size_t i = 0; i < rdns_.size(); ++i) {
    if (i) out += ", ";
    out += RdnToString(rdns_[i], false);
  }
  return out;
}

std::string Name::ToRfc4514() const {
  std::string out;
  for (size_t i = rdns_.size(); i-- > 0;) {
    out += RdnToString(rdns_[i], true);
    if (i) out += ",";
  }
  return out;
}

std::string Name::CommonName() const { return Get(asn1::oids::CommonName()); }

std::string Name::Get(const asn1::Oid& type) const {
  for (const auto& rdn : rdns_) {
    for (const NameAttribute& a : rdn) {
      if (a.type == type) return a.value;
    }
  }
  return "";
}

}  // namespace eseal::x509
