// TimeStampReq / TimeStampResp (时间戳请求 / 时间戳响应), RFC 3161 §2.4: strict, bounded DER.
#include "eseal/tsp/timestamp_request.h"

#include "internal.h"

namespace eseal::tsp {
namespace {

using asn1::ContextTag;
using asn1::Reader;
using asn1::Writer;

Bytes B(ByteView v) { return Bytes(v.begin(), v.end()); }

Result<x509::Extension> ReadExtension(Reader& exts) {
  ASSIGN_OR_RETURN(Reader e, exts.ReadSequence());
  x509::Extension x;
  ASSIGN_OR_RETURN(x.id, e.ReadOid());
  if (e.PeekIs(asn1::kBoolean)) {
    ASSIGN_OR_RETURN(x.critical, e.ReadBoolean());
    // DER never writes a DEFAULT value: an explicit FALSE is not DER.
    if (!x.critical) return InvalidArgumentError("request extension: critical FALSE written out");
  }
  ASSIGN_OR_RETURN(ByteView value, e.ReadOctetString());
  x.value = B(value);
  RETURN_IF_ERROR(e.ExpectEnd("request extension"));
  return x;
}

Result<TimestampRequest> Read(ByteView der) {
  if (der.size() > kMaxRequestSize) {
    return InvalidArgumentError("TimeStampReq larger than " + std::to_string(kMaxRequestSize) + " bytes");
  }
  ASSIGN_OR_RETURN(asn1::Element top, asn1::ParseSingle(der));
  if (top.tag != asn1::kSequence) return InvalidArgumentError("TimeStampReq: not a SEQUENCE");
  Reader r(top.content);
  TimestampRequest q;
  ASSIGN_OR_RETURN(q.version, r.ReadInt64());
  ASSIGN_OR_RETURN(Reader mi, r.ReadSequence());
  // Moved out of the Result rather than copied through a local: GCC 12 reports a false
  // maybe-uninitialized on the optional's copy.
  auto alg = internal::ReadHashAlgorithm(mi, "messageImprint hashAlgorithm");
  if (!alg.ok()) return alg.status();
  q.hash_algorithm = std::move(alg->oid);
  q.hash_parameters = std::move(alg->parameters);
  ASSIGN_OR_RETURN(ByteView hashed, mi.ReadOctetString());
  q.hashed_message = B(hashed);
  RETURN_IF_ERROR(mi.ExpectEnd("messageImprint"));
  if (r.PeekIs(asn1::kObjectIdentifier)) {
    ASSIGN_OR_RETURN(q.policy, r.ReadOid());
  }
  if (r.PeekIs(asn1::kInteger)) {
    ASSIGN_OR_RETURN(ByteView nonce, r.ReadIntegerBytes());
    if (nonce.size() > kMaxNonceSize) return InvalidArgumentError("TimeStampReq: nonce longer than 32 octets");
    q.nonce = B(nonce);
  }
  if (r.PeekIs(asn1::kBoolean)) {
    ASSIGN_OR_RETURN(q.cert_req, r.ReadBoolean());
    if (!q.cert_req) return InvalidArgumentError("TimeStampReq: certReq FALSE written out (not DER)");
  }
  if (r.PeekIs(ContextTag(0, true))) {
    ASSIGN_OR_RETURN(Reader exts, r.ReadConstructed(ContextTag(0, true)));
    if (exts.empty()) return InvalidArgumentError("TimeStampReq: empty extensions");
    while (!exts.empty()) {
      if (q.extensions.size() >= kMaxRequestExtensions) {
        return InvalidArgumentError("TimeStampReq: too many extensions");
      }
      ASSIGN_OR_RETURN(x509::Extension x, ReadExtension(exts));
      q.extensions.push_back(std::move(x));
    }
  }
  RETURN_IF_ERROR(r.ExpectEnd("TimeStampReq"));
  return q;
}

// PKIFailureInfo as a DER named-bit BIT STRING: trailing zero bits are not written.
void AddFailInfo(Writer& w, uint32_t bits) {
  int highest = -1;
  for (int i = 0; i < 32; ++i) {
    if ((bits >> i) & 1u) highest = i;
  }
  if (highest < 0) return;
  Bytes v(static_cast<size_t>(highest / 8 + 1), 0);
  for (int i = 0; i <= highest; ++i) {
    if ((bits >> i) & 1u) v[static_cast<size_t>(i / 8)] |= static_cast<uint8_t>(0x80u >> (i % 8));
  }
  w.AddBitString(v, 7 - highest % 8);
}

}  // namespace

Result<Bytes> HashForImprint(const asn1::Oid& alg, ByteView data) {
  if (!(alg == asn1::oids::Sm3() || alg == Sha256())) {
    return InvalidArgumentError("imprint algorithm " + alg.ToString() + " is neither SM3 nor SHA-256");
  }
  std::optional<Bytes> h = internal::Digest(alg, data);
  if (!h) return InternalError("digest failed");
  return *h;
}

Result<TimestampRequest> ReadTimestampRequest(ByteView der) {
  auto q = Read(der);
  if (!q.ok()) return q.status().WithContext("TimeStampReq");
  return q;
}

Result<TimestampRequest> ParseTimestampRequest(ByteView der) {
  ASSIGN_OR_RETURN(TimestampRequest q, ReadTimestampRequest(der));
  if (q.version != 1) {
    return InvalidArgumentError("TimeStampReq: version " + std::to_string(q.version) + ", not 1");
  }
  return q;
}

Bytes EncodeTimestampRequest(const TimestampRequest& q) {
  Writer w;
  w.AddSequence([&](Writer& s) {
    s.AddInt64(q.version);
    s.AddSequence([&](Writer& mi) {
      mi.AddSequence([&](Writer& a) {
        a.AddOid(q.hash_algorithm);
        if (q.hash_parameters) a.AddRaw(*q.hash_parameters);
      });
      mi.AddOctetString(q.hashed_message);
    });
    if (q.policy) s.AddOid(*q.policy);
    if (q.nonce) s.AddElement(asn1::kInteger, *q.nonce);
    if (q.cert_req) s.AddBoolean(true);
    if (!q.extensions.empty()) {
      s.AddConstructed(ContextTag(0, true), [&](Writer& exts) {
        for (const x509::Extension& x : q.extensions) {
          exts.AddSequence([&](Writer& e) {
            e.AddOid(x.id);
            if (x.critical) e.AddBoolean(true);
            e.AddOctetString(x.value);
          });
        }
      });
    }
  });
  return std::move(w).Finish();
}

std::string FailInfoName(FailInfo f) {
  switch (f) {
    case FailInfo::kBadAlg: return "badAlg";
    case FailInfo::kBadRequest: return "badRequest";
    case FailInfo::kBadDataFormat: return "badDataFormat";
    case FailInfo::kTimeNotAvailable: return "timeNotAvailable";
    case FailInfo::kUnacceptedPolicy: return "unacceptedPolicy";
    case FailInfo::kUnacceptedExtension: return "unacceptedExtension";
    case FailInfo::kAddInfoNotAvailable: return "addInfoNotAvailable";
    case FailInfo::kSystemFailure: return "systemFailure";
  }
  return "bit " + std::to_string(static_cast<int>(f));
}

Bytes EncodeRejection(FailInfo fail, const std::string& text) {
  Writer w;
  w.AddSequence([&](Writer& resp) {
    resp.AddSequence([&](Writer& si) {
      si.AddInt64(static_cast<int64_t>(PkiStatus::kRejection));
      if (!text.empty()) {
        si.AddSequence([&](Writer& ft) { ft.AddString(asn1::kUtf8String, text); });
      }
      AddFailInfo(si, 1u << static_cast<int>(fail));
    });
  });
  return std::move(w).Finish();
}

Bytes EncodeGranted(ByteView token_der) {
  Writer w;
  w.AddSequence([&](Writer& resp) {
    resp.AddSequence([&](Writer& si) { si.AddInt64(static_cast<int64_t>(PkiStatus::kGranted)); });
    resp.AddRaw(token_der);
  });
  return std::move(w).Finish();
}

Result<TimestampResponse> ParseTimestampResponse(ByteView der) {
  TimestampResponse out;
  ASSIGN_OR_RETURN(asn1::Element top, asn1::ParseSingle(der));
  if (top.tag != asn1::kSequence) return InvalidArgumentError("TimeStampResp: not a SEQUENCE");
  Reader r(top.content);
  ASSIGN_OR_RETURN(Reader si, r.ReadSequence());
  ASSIGN_OR_RETURN(out.status, si.ReadInt64());
  if (si.PeekIs(asn1::kSequence)) {
    ASSIGN_OR_RETURN(Reader ft, si.ReadSequence());
    while (!ft.empty()) {
      if (out.status_text.size() >= 8) return InvalidArgumentError("TimeStampResp: too many status strings");
      ASSIGN_OR_RETURN(std::string s, ft.ReadString(asn1::kUtf8String));
      out.status_text.push_back(std::move(s));
    }
  }
  if (si.PeekIs(asn1::kBitString)) {
    ASSIGN_OR_RETURN(asn1::BitString bits, si.ReadBitString());
    for (size_t i = 0; i < bits.bytes.size() && i < 4; ++i) {
      for (int b = 0; b < 8; ++b) {
        if (bits.bytes[i] & (0x80u >> b)) out.fail_info |= 1u << (i * 8 + static_cast<size_t>(b));
      }
    }
  }
  RETURN_IF_ERROR(si.ExpectEnd("PKIStatusInfo"));
  if (!r.empty()) {
    ASSIGN_OR_RETURN(ByteView token, r.ReadRaw(asn1::kSequence));
    out.token = B(token);
  }
  RETURN_IF_ERROR(r.ExpectEnd("TimeStampResp"));
  if (out.granted() && !out.token) return InvalidArgumentError("TimeStampResp: granted without a token");
  if (!out.granted() && out.token) return InvalidArgumentError("TimeStampResp: a token with a non-granted status");
  return out;
}

}  // namespace eseal::tsp
