// SealStatusResponse codec tests. The vectors are written by an independent DER writer —
// OpenSSL's ASN.1 generator (ASN1_generate_nconf, what `openssl asn1parse -genconf` runs)
// from a text description of each field — so the parser is not only tested against our
// own encoder; our encoder must then reproduce those bytes exactly. Negative vectors
// change one field of the description each.
#include "eseal/ses/seal_status_response.h"

#include <gtest/gtest.h>
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/conf.h>

#include "eseal/asn1/der.h"
#include "eseal/crypto/sm3.h"
#include "eseal/x509/builder.h"
#include "eseal/x509/certificate.h"

namespace eseal::ses {
namespace {

const char* kHash = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

// One answer as a genconf description; each member is one line's value ("" leaves the
// line out), so a negative vector changes exactly one field.
struct Vec {
  std::string version = "INTEGER:1";
  std::string responder = "SEQUENCE:name";
  std::string produced = "GENTIME:20261123093040Z";
  std::string esid = "IA5STRING:4501000000000001";
  std::string hash = std::string("FORMAT:HEX,OCTETSTRING:") + kHash;
  std::string status = "IMPLICIT:0,NULL";
  std::string this_update = "GENTIME:20261123093035Z";
  std::string next_update = "GENTIME:20261124093035Z";
  std::string nonce = "EXPLICIT:1,FORMAT:HEX,OCTETSTRING:0a0b0c0d";
  std::string extra_tbs;  // a line appended inside tbsResponseData
  std::string alg = "SEQUENCE:alg";
  std::string sig = "FORMAT:HEX,BITSTRING:3006020101020101";
  std::string certs = "EXPLICIT:0,SEQUENCE:certs";
  std::string extra;      // a line appended to the outer SEQUENCE
  std::string sections;   // more sections
};

std::string Conf(const Vec& v) {
  std::string c = "asn1 = SEQUENCE:resp\n[resp]\ntbs = SEQUENCE:tbs\n";
  auto line = [&](const char* k, const std::string& val) {
    if (!val.empty()) c += std::string(k) + " = " + val + "\n";
  };
  line("alg", v.alg);
  line("sig", v.sig);
  line("certs", v.certs);
  line("extra", v.extra);
  c += "[tbs]\n";
  line("version", v.version);
  line("responder", v.responder);
  line("produced", v.produced);
  line("esid", v.esid);
  line("hash", v.hash);
  line("status", v.status);
  line("this", v.this_update);
  line("next", v.next_update);
  line("nonce", v.nonce);
  line("extra", v.extra_tbs);
  c += "[alg]\na = OID:1.2.156.10197.1.501\n"
       "[certs]\nc1 = SEQUENCE:cert1\n[cert1]\ni = INTEGER:7\n"
       "[name]\nrdn1 = SET:rdn1\n[rdn1]\natv = SEQUENCE:atv1\n"
       "[atv1]\ntype = OID:commonName\nvalue = UTF8String:Test Seal Maker\n"
       "[info]\nsince = GENTIME:20261101000000Z\nreason = FORMAT:UTF8,UTF8String:印章遗失\n"
       "[info_no_reason]\nsince = GENTIME:20261101000000Z\n";
  return c + v.sections;
}

// DER from a genconf description, by OpenSSL.
Bytes Gen(const std::string& conf, const char* top = "asn1") {
  BIO* bio = BIO_new_mem_buf(conf.data(), static_cast<int>(conf.size()));
  CONF* cnf = NCONF_new(nullptr);
  long line = 0;
  Bytes out;
  if (NCONF_load_bio(cnf, bio, &line) > 0) {
    const char* start = NCONF_get_string(cnf, nullptr, top);
    ASN1_TYPE* t = start ? ASN1_generate_nconf(start, cnf) : nullptr;
    unsigned char* der = nullptr;
    int n = t ? i2d_ASN1_TYPE(t, &der) : -1;
    if (n > 0) out.assign(der, der + n);
    OPENSSL_free(der);
    ASN1_TYPE_free(t);
  }
  NCONF_free(cnf);
  BIO_free(bio);
  EXPECT_FALSE(out.empty()) << "genconf failed (line " << line << "):\n" << conf;
  return out;
}

Bytes Gen(const Vec& v) { return Gen(Conf(v)); }

Time At(const char* s) { return *ParseTime(s); }

TEST(SealStatusResponseTest, ParsesEveryFieldOfAnIndependentVector) {
  Bytes der = Gen(Vec{});
  auto r = ParseSealStatusResponse(der);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const SealStatusData& d = r->data;
  EXPECT_EQ(d.version, 1);
  auto name = x509::Name::FromDer(d.responder_id);
  ASSERT_TRUE(name.ok());
  EXPECT_EQ(name->CommonName(), "Test Seal Maker");
  EXPECT_EQ(d.produced_at, At("2026-11-23T09:30:40Z"));
  EXPECT_EQ(d.esid, "4501000000000001");
  EXPECT_EQ(HexEncode(d.seal_hash), kHash);
  EXPECT_EQ(d.status, SealStatus::kInForce);
  EXPECT_FALSE(d.since.has_value());
  EXPECT_FALSE(d.reason.has_value());
  EXPECT_EQ(d.this_update, At("2026-11-23T09:30:35Z"));
  EXPECT_EQ(d.next_update, At("2026-11-24T09:30:35Z"));
  ASSERT_TRUE(d.nonce.has_value());
  EXPECT_EQ(HexEncode(*d.nonce), "0a0b0c0d");
  EXPECT_EQ(r->signature_algorithm.ToString(), "1.2.156.10197.1.501");
  EXPECT_EQ(HexEncode(r->signature), "3006020101020101");
  ASSERT_EQ(r->certs.size(), 1u);
  EXPECT_EQ(HexEncode(r->certs[0]), "3003020107");
  EXPECT_EQ(r->der, der);
  // tbs_der is exactly the first element of the outer SEQUENCE.
  asn1::Reader top(der);
  auto outer = top.ReadSequence();
  ASSERT_TRUE(outer.ok());
  auto tbs = outer->ReadRaw();
  ASSERT_TRUE(tbs.ok());
  EXPECT_EQ(r->tbs_der, Bytes(tbs->begin(), tbs->end()));
  // Our writer produces the independent writer's bytes from the parsed fields.
  auto again = EncodeSealStatusResponse(*r);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, der);
}

struct StatusCase {
  const char* line;
  SealStatus status;
  bool since;
  bool reason;
};

TEST(SealStatusResponseTest, ParsesEveryStatusAlternative) {
  const StatusCase cases[] = {
      {"IMPLICIT:0,NULL", SealStatus::kInForce, false, false},
      {"IMPLICIT:1,SEQUENCE:info", SealStatus::kSuspended, true, true},
      {"IMPLICIT:2,SEQUENCE:info", SealStatus::kRevoked, true, true},
      {"IMPLICIT:3,SEQUENCE:info_no_reason", SealStatus::kExpired, true, false},
      {"IMPLICIT:4,NULL", SealStatus::kUnknown, false, false},
      {"IMPLICIT:5,SEQUENCE:info", SealStatus::kHolderInactive, true, true},
  };
  for (const StatusCase& c : cases) {
    Vec v;
    v.status = c.line;
    v.nonce.clear();
    v.certs.clear();
    Bytes der = Gen(v);
    auto r = ParseSealStatusResponse(der);
    ASSERT_TRUE(r.ok()) << c.line << ": " << r.status().ToString();
    EXPECT_EQ(r->data.status, c.status) << c.line;
    EXPECT_EQ(r->data.since.has_value(), c.since) << c.line;
    if (c.since) {
      EXPECT_EQ(*r->data.since, At("2026-11-01T00:00:00Z"));
    }
    EXPECT_EQ(r->data.reason.has_value(), c.reason) << c.line;
    if (c.reason) {
      EXPECT_EQ(*r->data.reason, "印章遗失");
    }
    EXPECT_FALSE(r->data.nonce.has_value());
    EXPECT_TRUE(r->certs.empty());
    EXPECT_EQ(EncodeSealStatusResponse(*r).value(), der) << c.line;
  }
}

// Times that contradict each other are the verifier's to judge, not a parse error: what
// parses re-encodes (the signer refuses to make such an answer).
TEST(SealStatusResponseTest, InconsistentTimesParseAndReencode) {
  Vec v;
  v.next_update = "GENTIME:20261122093035Z";  // before thisUpdate
  v.status = "IMPLICIT:2,SEQUENCE:late";
  v.sections = "[late]\nsince = GENTIME:20261201000000Z\n";  // after thisUpdate
  Bytes der = Gen(v);
  auto r = ParseSealStatusResponse(der);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_LT(r->data.next_update, r->data.this_update);
  EXPECT_EQ(EncodeSealStatusResponse(*r).value(), der);
}

// A negative vector: one field changed, and the words the error must contain.
struct Bad {
  const char* name;
  Vec vec;
  const char* error;
};

Vec With(std::string Vec::*field, std::string value, std::string sections = {}) {
  Vec v;
  v.*field = std::move(value);
  v.sections = std::move(sections);
  return v;
}

TEST(SealStatusResponseTest, RejectsMalformedFields) {
  const Bad bad[] = {
      {"version 2", With(&Vec::version, "INTEGER:2"), "version"},
      {"version 0", With(&Vec::version, "INTEGER:0"), "version"},
      {"version missing", With(&Vec::version, ""), "version"},
      {"responder not a Name", With(&Vec::responder, "UTF8String:maker"), "responderID"},
      {"producedAt as UTCTime", With(&Vec::produced, "UTCTIME:261123093040Z"), "producedAt"},
      {"producedAt with a fraction",
       With(&Vec::produced, "IMPLICIT:24U,IA5STRING:20261123093040.5Z"), "producedAt"},
      {"esID as UTF8String", With(&Vec::esid, "UTF8String:4501000000000001"), "esID"},
      {"esID empty", With(&Vec::esid, "IA5STRING:"), "esID"},
      {"sealHash of 31 bytes", With(&Vec::hash, std::string("FORMAT:HEX,OCTETSTRING:") +
                                                    std::string(kHash).substr(2)),
       "sealHash"},
      {"status tag [6]", With(&Vec::status, "IMPLICIT:6,NULL"), "certStatus"},
      {"inForce EXPLICIT", With(&Vec::status, "EXPLICIT:0,NULL"), "certStatus"},
      {"inForce NULL with content", With(&Vec::status, "IMPLICIT:0,INTEGER:0"), "certStatus"},
      {"revoked without a time", With(&Vec::status, "IMPLICIT:2,SEQUENCE:r", "[r]\nx = UTF8String:a\n"),
       "certStatus"},
      {"revoked as primitive", With(&Vec::status, "IMPLICIT:2,NULL"), "certStatus"},
      {"status missing", With(&Vec::status, ""), "certStatus"},
      {"nextUpdate missing", With(&Vec::next_update, ""), "nextUpdate"},
      {"nonce IMPLICIT", With(&Vec::nonce, "IMPLICIT:1,FORMAT:HEX,OCTETSTRING:0a0b"), "SealStatusData"},
      {"nonce empty", With(&Vec::nonce, "EXPLICIT:1,OCTETSTRING:"), "nonce"},
      {"trailing field in tbs", With(&Vec::extra_tbs, "INTEGER:5"), "SealStatusData"},
      {"algorithm with NULL parameters", With(&Vec::alg, "SEQUENCE:alg2", "[alg2]\na = OID:1.2.156.10197.1.501\np = NULL\n"),
       "signatureAlgorithm"},
      {"signature as OCTET STRING", With(&Vec::sig, "FORMAT:HEX,OCTETSTRING:3006020101020101"), "signature"},
      {"certs empty", With(&Vec::certs, "EXPLICIT:0,IMPLICIT:16U,SET:none", "[none]\n"), "certs"},
      {"certs [1]", With(&Vec::certs, "EXPLICIT:1,SEQUENCE:certs"), "SealStatusResponse"},
      {"trailing field outside", With(&Vec::extra, "INTEGER:5"), "SealStatusResponse"},
  };
  for (const Bad& b : bad) {
    Bytes der = Gen(b.vec);
    auto r = ParseSealStatusResponse(der);
    ASSERT_FALSE(r.ok()) << b.name;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << b.name;
    EXPECT_NE(r.status().message().find(b.error), std::string::npos)
        << b.name << ": " << r.status().message();
  }
}

TEST(SealStatusResponseTest, RejectsTruncationTrailingBytesWrongOuterTagAndSize) {
  Bytes der = Gen(Vec{});
  for (size_t n = 0; n < der.size(); ++n) {
    EXPECT_FALSE(ParseSealStatusResponse(ByteView(der).first(n)).ok()) << "prefix " << n;
  }
  Bytes trailing = der;
  trailing.push_back(0x00);
  EXPECT_FALSE(ParseSealStatusResponse(trailing).ok());
  Bytes set = der;
  set[0] = 0x31;  // SET instead of SEQUENCE
  EXPECT_FALSE(ParseSealStatusResponse(set).ok());
  Bytes huge(kMaxSealStatusResponseSize + 1, 0x30);
  EXPECT_EQ(ParseSealStatusResponse(huge).status().code(), StatusCode::kResourceExhausted);
}

struct Maker {
  crypto::Sm2PrivateKey key;
  x509::Certificate cert;
};

Maker MakeMaker(const char* cn) {
  auto key = crypto::Sm2PrivateKey::Generate().value();
  x509::CertificateParams p;
  p.subject = x509::Name::Parse(std::string("C=CN,O=eseal test,CN=") + cn).value();
  p.issuer = p.subject;
  p.not_before = At("2026-01-01T00:00:00Z");
  p.not_after = At("2036-01-01T00:00:00Z");
  p.spki_der = key.PublicKey().ToSpkiDer();
  auto cert = x509::Certificate::FromDer(x509::BuildCertificate(p, key).value()).value();
  return {key, cert};
}

// The independent writer's tbsResponseData, signed with a real key: the signature our
// parser hands back verifies over the tbs_der it hands back.
TEST(SealStatusResponseTest, SignatureOverIndependentTbsVerifies) {
  Maker m = MakeMaker("Test Seal Maker");
  std::string conf = "tbsonly = SEQUENCE:tbs\n" + Conf(Vec{});
  Bytes tbs_der = Gen(conf, "tbsonly");
  Bytes sig = m.key.Sign(tbs_der).value();
  Vec v;
  v.sig = "FORMAT:HEX,BITSTRING:" + HexEncode(sig);
  auto r = ParseSealStatusResponse(Gen(v));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->tbs_der, tbs_der);
  EXPECT_TRUE(m.key.PublicKey().Verify(r->tbs_der, r->signature));
}

SealStatusData Data(SealStatus s) {
  SealStatusData d;
  d.produced_at = At("2026-11-23T09:30:40Z");
  d.esid = "4501000000000001";
  d.seal_hash = HexDecode(kHash).value();
  d.status = s;
  if (SealStatusHasSince(s)) d.since = At("2026-11-01T00:00:00Z");
  d.this_update = At("2026-11-23T09:30:35Z");
  d.next_update = At("2026-11-24T09:30:35Z");
  return d;
}

TEST(SealStatusResponseTest, SignedAnswerRoundTrips) {
  Maker m = MakeMaker("Test Seal Maker");
  SealStatusData d = Data(SealStatus::kRevoked);
  d.reason = "印章遗失";
  d.nonce = Bytes{1, 2, 3};
  auto signed_answer = SignSealStatusData(d, m.cert.der(), m.key);
  ASSERT_TRUE(signed_answer.ok()) << signed_answer.status().ToString();
  auto r = ParseSealStatusResponse(signed_answer->der);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->data.responder_id, m.cert.subject().der());
  EXPECT_EQ(r->data.status, SealStatus::kRevoked);
  EXPECT_EQ(r->data.since, d.since);
  EXPECT_EQ(r->data.reason, d.reason);
  EXPECT_EQ(r->data.nonce, d.nonce);
  EXPECT_EQ(r->data.esid, d.esid);
  EXPECT_EQ(r->data.seal_hash, d.seal_hash);
  EXPECT_EQ(r->data.produced_at, d.produced_at);
  EXPECT_EQ(r->data.this_update, d.this_update);
  EXPECT_EQ(r->data.next_update, d.next_update);
  EXPECT_EQ(r->certs, std::vector<Bytes>{m.cert.der()});
  EXPECT_EQ(r->tbs_der, signed_answer->tbs_der);
  EXPECT_TRUE(m.key.PublicKey().Verify(r->tbs_der, r->signature));
  EXPECT_EQ(EncodeSealStatusResponse(*r).value(), signed_answer->der);
}

TEST(SealStatusResponseTest, SignerRefusesInvalidAnswers) {
  Maker m = MakeMaker("Test Seal Maker");
  Maker other = MakeMaker("Another Maker");
  EXPECT_EQ(SignSealStatusData(Data(SealStatus::kInForce), m.cert.der(), other.key).status().code(),
            StatusCode::kFailedPrecondition);
  SealStatusData no_since = Data(SealStatus::kRevoked);
  no_since.since.reset();
  EXPECT_EQ(SignSealStatusData(no_since, m.cert.der(), m.key).status().code(),
            StatusCode::kInvalidArgument);
  SealStatusData since_in_force = Data(SealStatus::kInForce);
  since_in_force.since = At("2026-11-01T00:00:00Z");
  EXPECT_FALSE(SignSealStatusData(since_in_force, m.cert.der(), m.key).ok());
  SealStatusData backwards = Data(SealStatus::kInForce);
  backwards.next_update = backwards.this_update - kDay;
  EXPECT_FALSE(SignSealStatusData(backwards, m.cert.der(), m.key).ok());
  SealStatusData short_hash = Data(SealStatus::kInForce);
  short_hash.seal_hash.pop_back();
  EXPECT_FALSE(SignSealStatusData(short_hash, m.cert.der(), m.key).ok());
  SealStatusData bad_esid = Data(SealStatus::kInForce);
  bad_esid.esid = "印章";
  EXPECT_FALSE(SignSealStatusData(bad_esid, m.cert.der(), m.key).ok());
  SealStatusData empty_nonce = Data(SealStatus::kInForce);
  empty_nonce.nonce = Bytes{};
  EXPECT_FALSE(SignSealStatusData(empty_nonce, m.cert.der(), m.key).ok());
}

TEST(SealStatusResponseTest, OnlyTheSealsOwnMakerAnswersForIt) {
  Maker m = MakeMaker("Test Seal Maker");
  Maker other = MakeMaker("Another Maker");
  Seal seal;
  seal.info.esid = "4501000000000001";
  seal.maker_cert = m.cert.der();
  seal.der = {0x30, 0x00};
  SealStatusStatement st;
  st.seal = &seal;
  st.status = SealStatus::kInForce;
  st.produced_at = At("2026-11-23T09:30:40Z");
  st.this_update = st.produced_at;
  st.next_update = st.produced_at + kDay;
  auto ok = SignSealStatusResponse(st, m.cert.der(), m.key);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->data.esid, seal.info.esid);
  EXPECT_EQ(ok->data.seal_hash, crypto::Sm3Bytes(seal.der));
  EXPECT_EQ(ok->data.seal_hash, SealHash(seal));
  EXPECT_EQ(SignSealStatusResponse(st, other.cert.der(), other.key).status().code(),
            StatusCode::kFailedPrecondition);
  st.include_certificate = false;
  auto bare = SignSealStatusResponse(st, m.cert.der(), m.key);
  ASSERT_TRUE(bare.ok());
  EXPECT_TRUE(ParseSealStatusResponse(bare->der).value().certs.empty());
}

}  // namespace
}  // namespace eseal::ses
