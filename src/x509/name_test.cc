#include "eseal/x509/name.h"

#include <gtest/gtest.h>

#include "eseal/asn1/der.h"
#include "eseal/x509/certificate.h"

namespace eseal::x509 {
namespace {

using asn1::oids::CommonName;
using asn1::oids::Country;
using asn1::oids::Organization;

TEST(NameTest, CommaFormIsRfc4514OrderSlashFormIsDerOrder) {
  auto comma = Name::Parse("CN=Seal Maker,O=Example Co,C=CN");
  ASSERT_TRUE(comma.ok()) << comma.status().ToString();
  auto slash = Name::Parse("/C=CN/O=Example Co/CN=Seal Maker");
  ASSERT_TRUE(slash.ok()) << slash.status().ToString();
  EXPECT_EQ(*comma, *slash);
  ASSERT_EQ(comma->rdns().size(), 3u);
  EXPECT_EQ(comma->rdns()[0][0].type, Country());
  EXPECT_EQ(comma->rdns()[2][0].type, CommonName());
  EXPECT_EQ(comma->ToString(), "C=CN, O=Example Co, CN=Seal Maker");
  EXPECT_EQ(comma->ToRfc4514(), "CN=Seal Maker,O=Example Co,C=CN");
  EXPECT_EQ(comma->CommonName(), "Seal Maker");
  EXPECT_EQ(comma->Get(Organization()), "Example Co");
}

TEST(NameTest, CanonicalDerUsesPrintableForCountryAndUtf8Otherwise) {
  auto n = Name::Parse("CN=中文印章,serialNumber=91330000X,C=CN");
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  // Re-read with the strict reader and look at the string tags.
  asn1::Reader r(n->der());
  auto seq = r.ReadSequence();
  ASSERT_TRUE(seq.ok());
  std::vector<asn1::Tag> tags;
  while (!seq->empty()) {
    auto set = seq->ReadSet();
    ASSERT_TRUE(set.ok());
    auto atv = set->ReadSequence();
    ASSERT_TRUE(atv.ok());
    ASSERT_TRUE(atv->ReadOid().ok());
    tags.push_back(atv->PeekTag().value());
  }
  EXPECT_EQ(tags, (std::vector<asn1::Tag>{asn1::kPrintableString, asn1::kPrintableString,
                                          asn1::kUtf8String}));
  EXPECT_EQ(n->CommonName(), "中文印章");
  // The same bytes as a hand-made encoding of the first RDN.
  const uint8_t c_rdn[] = {0x31, 0x0b, 0x30, 0x09, 0x06, 0x03, 0x55,
                           0x04, 0x06, 0x13, 0x02, 'C',  'N'};
  ASSERT_GT(n->der().size(), 2 + sizeof c_rdn);
  EXPECT_TRUE(std::equal(std::begin(c_rdn), std::end(c_rdn), n->der().begin() + 2));
}

TEST(NameTest, EscapesAndMultiValuedRdns) {
  auto n = Name::Parse("CN=a\\,b\\+c,OU=x+OU=y,C=CN");
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(n->CommonName(), "a,b+c");
  ASSERT_EQ(n->rdns().size(), 3u);
  EXPECT_EQ(n->rdns()[1].size(), 2u);
  auto again = Name::Parse(n->ToRfc4514());
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, *n);

  auto hex = Name::Parse("CN=\\E4\\B8\\AD");
  ASSERT_TRUE(hex.ok());
  EXPECT_EQ(hex->CommonName(), "中");
  auto slash = Name::Parse("/O=A+B, Inc./CN=x\\/y");
  ASSERT_TRUE(slash.ok()) << slash.status().ToString();
  EXPECT_EQ(slash->Get(Organization()), "A+B, Inc.");
  EXPECT_EQ(slash->CommonName(), "x/y");
  EXPECT_EQ(*Name::Parse(slash->ToRfc4514()), *slash);
  auto spaces = Name::Parse("CN = Seal Maker , O=Example");
  ASSERT_TRUE(spaces.ok());
  EXPECT_EQ(spaces->CommonName(), "Seal Maker");
  auto lower = Name::Parse("cn=x,c=CN,serialnumber=1");
  ASSERT_TRUE(lower.ok());
  auto oid = Name::Parse("2.5.4.3=by oid");
  ASSERT_TRUE(oid.ok());
  EXPECT_EQ(oid->CommonName(), "by oid");
}

TEST(NameTest, RejectsBadText) {
  for (const char* bad : {"", "   ", "CN", "XX=1", "CN=", "C=CHN", "C=C1", "serialNumber=中",
                          "CN=a,", "CN=a\\", "/C=CN//CN=x", "CN=\\FF\\FE", "9.9=x"}) {
    EXPECT_FALSE(Name::Parse(bad).ok()) << bad;
  }
  EXPECT_FALSE(Name::Parse(std::string(5000, 'a')).ok());
}

TEST(NameTest, FromDerKeepsBytesAndRejectsMalformed) {
  auto n = Name::Parse("CN=x,O=y,C=CN");
  ASSERT_TRUE(n.ok());
  auto back = Name::FromDer(n->der());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->der(), n->der());
  EXPECT_EQ(back->ToString(), "C=CN, O=y, CN=x");

  Bytes trailing = n->der();
  trailing.push_back(0);
  EXPECT_FALSE(Name::FromDer(trailing).ok());
  const uint8_t empty_rdn[] = {0x30, 0x02, 0x31, 0x00};
  EXPECT_FALSE(Name::FromDer(empty_rdn).ok());
  const uint8_t set_not_seq[] = {0x30, 0x02, 0x30, 0x00};
  EXPECT_FALSE(Name::FromDer(set_not_seq).ok());
  const uint8_t empty_name[] = {0x30, 0x00};
  auto empty = Name::FromDer(empty_name);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  // A non-string value (x500UniqueIdentifier as a BIT STRING) is kept as #hex.
  const uint8_t bits[] = {0x30, 0x0c, 0x31, 0x0a, 0x30, 0x08, 0x06,
                          0x03, 0x55, 0x04, 0x2d, 0x03, 0x01, 0x00};
  auto b = Name::FromDer(bits);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->ToString(), "x500UniqueIdentifier=#030100");
  // BMPString is read as UTF-8.
  const uint8_t bmp[] = {0x30, 0x0d, 0x31, 0x0b, 0x30, 0x09, 0x06, 0x03,
                         0x55, 0x04, 0x03, 0x1e, 0x02, 0x4e, 0x2d};
  auto m = Name::FromDer(bmp);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->CommonName(), "中");
}

TEST(NameTest, Rfc4514UsesOidsForKeysParseDoesNotKnow) {
  // Fuzzer finding: "title" is displayed but not parsed by name, so ToRfc4514 writes the OID.
  auto n = Name::Parse("CN=CN=\\E4\\B8\\AD,2.5.4.12=2=");
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(n->ToString(), "title=2\\=, CN=CN\\=中");
  EXPECT_EQ(n->ToRfc4514(), "CN=CN\\=中,2.5.4.12=2\\=");
  auto again = Name::Parse(n->ToRfc4514());
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, *n);
}

TEST(NameTest, DisplayEscapesSpecialsAndControlCharacters) {
  auto n = Name::Parse("CN=\\#lead\\, trail\\ ,O=a\\=b");
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(n->CommonName(), "#lead, trail ");
  EXPECT_EQ(n->ToString(), "O=a\\=b, CN=\\#lead\\, trail\\ ");
  EXPECT_EQ(*Name::Parse(n->ToRfc4514()), *n);
  // Fuzzer finding: a value that is one escaped space, last in the text.
  auto space = Name::Parse("CN=x,O=\\ ");
  ASSERT_TRUE(space.ok()) << space.status().ToString();
  EXPECT_EQ(space->Get(Organization()), " ");
  EXPECT_EQ(*Name::Parse(space->ToRfc4514()), *space);
  auto ctl = Name::Parse("CN=a\\09b");
  ASSERT_TRUE(ctl.ok());
  EXPECT_EQ(ctl->ToString(), "CN=a\\09b");
}

}  // namespace
}  // namespace eseal::x509

namespace eseal::x509 {
namespace {

// Named tolerance "ia5string_utf8": YNCA writes emailAddress as an IA5String holding UTF-8
// (zsbk.ofd). Valid UTF-8 is accepted and kept byte for byte; other octets are not.
TEST(NameTolerance, Ia5StringHoldingUtf8) {
  auto name_with = [](ByteView ia5_content) {
    asn1::Writer w;
    w.AddSequence([&](asn1::Writer& seq) {
      seq.AddSet([&](asn1::Writer& set) {
        set.AddSequence([&](asn1::Writer& atv) {
          atv.AddOid(x509::oids::EmailAddress());
          atv.AddElement(asn1::kIa5String, ia5_content);
        });
      });
    });
    return std::move(w).Finish();
  };
  Bytes der = name_with(AsBytes("电子邮箱"));
  auto n = Name::FromDer(der);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(n->rdns()[0][0].value, "电子邮箱");
  EXPECT_EQ(n->rdns()[0][0].string_tag, asn1::kIa5String);
  EXPECT_EQ(n->der(), der);
  EXPECT_FALSE(Name::FromDer(name_with(Bytes{0xff, 0xfe})).ok());
}

}  // namespace
}  // namespace eseal::x509
