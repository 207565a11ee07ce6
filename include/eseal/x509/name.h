// X.501 distinguished names (可分辨名) as they appear in SM2 certificates.
// Thread-safety: immutable values.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "eseal/asn1/oid.h"
#include "eseal/base/bytes.h"

namespace eseal::x509 {

struct NameAttribute {
  asn1::Oid type;
  // UTF-8. A value that is not a character string (e.g. x500UniqueIdentifier written as
  // a BIT STRING) is kept as "#" followed by the hex of its whole DER encoding (RFC 4514).
  std::string value;
  uint32_t string_tag;  // the ASN.1 tag it was (or will be) encoded with
};

class Name {
 public:
  // Parses the DER of a Name (SEQUENCE OF RelativeDistinguishedName). The bytes are kept
  // exactly as read, so an issuer name re-embedded in a certificate or CRL is unchanged.
  static Result<Name> FromDer(ByteView der);
  // "CN=Seal Maker,O=Example Co,C=CN" (also accepts '/' separated OpenSSL style
  // "/C=CN/O=Example/CN=x"); keys C, ST, L, O, OU, CN, serialNumber. UTF-8 values.
  //
  // Order: the comma form is RFC 4514, whose first RDN is the LAST one in DER; the slash
  // form lists RDNs in DER order (as `openssl req -subj` does). Both examples above give
  // the DER order C, O, CN. In the comma form '+' joins attributes of one RDN; in both
  // forms '\' escapes the next character ("\,") or gives one byte in hex ("\E4").
  // Keys are case-insensitive; a dotted OID ("2.5.4.3=x") is accepted as a key too.
  static Result<Name> Parse(std::string_view text);

  // Canonical DER: C and serialNumber as PrintableString, other values as UTF8String.
  // (For a parsed name: the DER as read.)
  const Bytes& der() const { return der_; }
  // RFC 4514-like display, most significant first as stored: "C=CN, O=..., CN=...".
  // This is the order people read (and what `openssl x509 -subject` prints); feed
  // ToRfc4514() — not this — back to Parse.
  std::string ToString() const;
  // RFC 4514 string (last RDN first, "," separated, specials escaped, keys Parse() does
  // not know by name written as dotted OIDs): Parse() reads a name it made back to the
  // same DER. (Non-string values, shown as "#hex", come back as text.)
  std::string ToRfc4514() const;
  // The first CN, or "".
  std::string CommonName() const;
  std::string Get(const asn1::Oid& type) const;
  const std::vector<std::vector<NameAttribute>>& rdns() const { return rdns_; }
  bool empty() const { return rdns_.empty(); }

  // Names match by exact DER (what every compliant issuer writes back).
  friend bool operator==(const Name& a, const Name& b) { return a.der_ == b.der_; }

 private:
  std::vector<std::vector<NameAttribute>> rdns_;
  Bytes der_;
};

// The short key used in text forms ("CN", "O", "emailAddress", ...), or the dotted OID.
std::string NameAttributeKey(const asn1::Oid& type);

}  // namespace eseal::x509
