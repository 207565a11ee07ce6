// TSTInfo (时间戳信息), RFC 3161 §2.4.2 / GB/T 20520.
#include "eseal/tsp/tst_info.h"

#include "eseal/x509/name.h"
#include "internal.h"

namespace eseal::tsp {
namespace {

using asn1::ContextTag;
using asn1::Reader;

// ASSIGN_OR_RETURN that names the TSTInfo field in the error.
#define TST_ASSIGN(lhs, expr, where) TST_ASSIGN_IMPL(ESEAL_CONCAT(tst_result_, __LINE__), lhs, expr, where)
#define TST_ASSIGN_IMPL(tmp, lhs, expr, where) \
  auto tmp = (expr);                           \
  if (!tmp.ok()) return tmp.status().WithContext("TSTInfo " where); \
  lhs = std::move(tmp).value()

Bytes B(ByteView v) { return Bytes(v.begin(), v.end()); }

// millis and micros are INTEGER (1..999).
Result<int64_t> ReadSubSecond(Reader& r, uint32_t n) {
  TST_ASSIGN(asn1::Element e, r.ReadElement(ContextTag(n, false)), "accuracy");
  // [n] IMPLICIT INTEGER: re-read the content as an INTEGER for the minimality checks.
  Bytes as_int = asn1::EncodeTlv(asn1::kInteger, e.content);
  Reader ir(as_int);
  TST_ASSIGN(int64_t v, ir.ReadInt64(), "accuracy");
  if (v < 1 || v > 999) return InvalidArgumentError("TSTInfo accuracy: millis/micros not in 1..999");
  return v;
}

Result<Accuracy> ReadAccuracy(Reader& r) {
  TST_ASSIGN(Reader a, r.ReadSequence(), "accuracy");
  Accuracy acc;
  if (a.PeekIs(asn1::kInteger)) {
    TST_ASSIGN(acc.seconds, a.ReadInt64(), "accuracy seconds");
    if (*acc.seconds < 0) return InvalidArgumentError("TSTInfo accuracy: negative seconds");
  }
  if (a.PeekIs(ContextTag(0, false))) {
    TST_ASSIGN(acc.millis, ReadSubSecond(a, 0), "accuracy millis");
  }
  if (a.PeekIs(ContextTag(1, false))) {
    TST_ASSIGN(acc.micros, ReadSubSecond(a, 1), "accuracy micros");
  }
  if (Status s = a.ExpectEnd("TSTInfo accuracy"); !s.ok()) return s;
  return acc;
}

// GeneralName (RFC 5280 §4.2.1.6) as text for reports; only the forms TSAs use are
// decoded, the rest shown as tag and hex.
Status ReadTsaName(Reader& outer, TstInfo& info) {
  TST_ASSIGN(Reader explicit0, outer.ReadConstructed(ContextTag(0, true)), "tsa");
  TST_ASSIGN(asn1::Element gn, explicit0.ReadElement(), "tsa");
  if (Status s = explicit0.ExpectEnd("TSTInfo tsa"); !s.ok()) return s;
  info.tsa_der = B(gn.encoding);
  if (gn.tag == ContextTag(4, true)) {  // directoryName [4] EXPLICIT Name
    Reader dn(gn.content);
    TST_ASSIGN(ByteView name_der, dn.ReadRaw(asn1::kSequence), "tsa directoryName");
    if (Status s = dn.ExpectEnd("TSTInfo tsa directoryName"); !s.ok()) return s;
    TST_ASSIGN(x509::Name name, x509::Name::FromDer(name_der), "tsa directoryName");
    info.tsa_name_text = name.ToString();
    info.tsa_directory_name = B(name_der);
  } else if (gn.tag == ContextTag(1, false) || gn.tag == ContextTag(2, false) ||
             gn.tag == ContextTag(6, false)) {  // rfc822Name, dNSName, URI: IA5String
    Bytes ia5 = asn1::EncodeTlv(asn1::kIa5String, gn.content);
    Reader sr(ia5);
    TST_ASSIGN(info.tsa_name_text, sr.ReadString(asn1::kIa5String), "tsa name");
  } else {
    info.tsa_name_text = asn1::TagName(gn.tag) + " " + HexEncode(gn.content);
  }
  return Status::Ok();
}

Status ReadExtensions(Reader& outer, TstInfo& info) {
  TST_ASSIGN(Reader exts, outer.ReadConstructed(ContextTag(1, true)), "extensions");
  if (exts.empty()) return InvalidArgumentError("TSTInfo extensions: empty");
  while (!exts.empty()) {
    if (info.extensions.size() >= 64) return InvalidArgumentError("TSTInfo: too many extensions");
    TST_ASSIGN(Reader e, exts.ReadSequence(), "extension");
    x509::Extension ext;
    TST_ASSIGN(ext.id, e.ReadOid(), "extension id");
    if (e.PeekIs(asn1::kBoolean)) {
      TST_ASSIGN(ext.critical, e.ReadBoolean(), "extension critical");
      if (!ext.critical) return InvalidArgumentError("TSTInfo extension: critical FALSE written (DEFAULT)");
    }
    TST_ASSIGN(ByteView v, e.ReadOctetString(), "extension value");
    ext.value = B(v);
    if (Status s = e.ExpectEnd("TSTInfo extension"); !s.ok()) return s;
    for (const x509::Extension& seen : info.extensions) {
      if (seen.id == ext.id) return InvalidArgumentError("TSTInfo: duplicate extension " + ext.id.ToString());
    }
    info.extensions.push_back(std::move(ext));
  }
  return Status::Ok();
}

}  // namespace

Result<TstInfo> ParseTstInfo(ByteView der) {
  TstInfo info;
  TST_ASSIGN(asn1::Element top, asn1::ParseSingle(der), "");
  if (top.tag != asn1::kSequence) return InvalidArgumentError("TSTInfo: not a SEQUENCE");
  Reader r(top.content);
  TST_ASSIGN(info.version, r.ReadInt64(), "version");
  if (info.version != 1) {
    return InvalidArgumentError("TSTInfo: version " + std::to_string(info.version) + ", not 1");
  }
  TST_ASSIGN(info.policy, r.ReadOid(), "policy");
  TST_ASSIGN(Reader imprint, r.ReadSequence(), "messageImprint");
  {
    auto alg = internal::ReadHashAlgorithm(imprint, "hashAlgorithm");
    if (!alg.ok()) return alg.status().WithContext("TSTInfo messageImprint hashAlgorithm");
    info.hash_algorithm = alg->oid;
    info.hash_parameters = alg->parameters;
  }
  TST_ASSIGN(ByteView hashed, imprint.ReadOctetString(), "hashedMessage");
  info.hashed_message = B(hashed);
  if (Status s = imprint.ExpectEnd("TSTInfo messageImprint"); !s.ok()) return s;
  TST_ASSIGN(ByteView serial, r.ReadIntegerBytes(), "serialNumber");
  // RFC 3161: up to 160 bits; a sign octet may precede them.
  if (serial.size() > 21) return InvalidArgumentError("TSTInfo serialNumber: longer than 160 bits");
  info.serial = B(serial);
  TST_ASSIGN(asn1::Element gen, r.ReadElement(asn1::kGeneralizedTime), "genTime");
  info.gen_time_text = std::string(AsChars(gen.content));
  {
    Reader gr(gen.encoding);
    TST_ASSIGN(info.gen_time, gr.ReadGeneralizedTime(), "genTime");
  }
  if (r.PeekIs(asn1::kSequence)) {
    TST_ASSIGN(info.accuracy, ReadAccuracy(r), "accuracy");
  }
  if (r.PeekIs(asn1::kBoolean)) {
    TST_ASSIGN(info.ordering, r.ReadBoolean(), "ordering");
    if (!info.ordering) info.tolerances.push_back("ordering_explicit_false");
  }
  if (r.PeekIs(asn1::kInteger)) {
    TST_ASSIGN(ByteView nonce, r.ReadIntegerBytes(), "nonce");
    if (nonce.size() > 64) return InvalidArgumentError("TSTInfo nonce: longer than 512 bits");
    info.nonce = B(nonce);
  }
  if (r.PeekIs(ContextTag(0, true))) {
    if (Status s = ReadTsaName(r, info); !s.ok()) return s;
  }
  if (r.PeekIs(ContextTag(1, true))) {
    if (Status s = ReadExtensions(r, info); !s.ok()) return s;
  }
  if (Status s = r.ExpectEnd("TSTInfo"); !s.ok()) return s;
  info.der = B(der);
  return info;
}

#undef TST_ASSIGN
#undef TST_ASSIGN_IMPL

}  // namespace eseal::tsp
