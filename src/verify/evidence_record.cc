// EvidenceRecord (验证证据记录): eseal's DER bundle of one signature's validation data,
// with archive timestamps (include/eseal/verify/evidence_record.h has the ASN.1).
#include "eseal/verify/evidence_record.h"

#include "eseal/asn1/der.h"
#include "eseal/crypto/sm3.h"

namespace eseal::verify {
namespace {

using asn1::Reader;
using asn1::Writer;

constexpr asn1::Tag Ctx(unsigned n) { return asn1::kContextClass | asn1::kConstructed | n; }

void AddDerList(Writer& w, const std::vector<Bytes>& items) {
  w.AddSequence([&](Writer& s) {
    for (const Bytes& b : items) s.AddRaw(b);
  });
}

void AddArchive(Writer& w, const ArchiveTimestamp& a) {
  w.AddSequence([&](Writer& s) {
    s.AddOctetString(a.token);
    AddDerList(s, a.crls);
    AddDerList(s, a.certificates);
  });
}

// The record without archiveTimeStamps: what the first archive timestamp covers.
Bytes EncodeContent(const EvidenceRecord& e, bool with_archive) {
  Writer w;
  w.AddSequence([&](Writer& s) {
    s.AddInt64(e.version);
    s.AddOctetString(e.signature_hash);
    s.AddGeneralizedTime(e.signed_at);
    AddDerList(s, e.certificates);
    AddDerList(s, e.crls);
    if (e.seal_status) s.AddConstructed(Ctx(0), [&](Writer& t) { t.AddOctetString(*e.seal_status); });
    if (e.signature_timestamp) {
      s.AddConstructed(Ctx(1), [&](Writer& t) { t.AddOctetString(*e.signature_timestamp); });
    }
    if (with_archive && !e.archive_timestamps.empty()) {
      s.AddConstructed(Ctx(2), [&](Writer& t) {
        t.AddSequence([&](Writer& l) {
          for (const ArchiveTimestamp& a : e.archive_timestamps) AddArchive(l, a);
        });
      });
    }
  });
  return std::move(w).Finish();
}

// A SEQUENCE OF any DER element (certificates, CRLs), at most kMaxEvidenceItems.
Result<std::vector<Bytes>> ReadDerList(Reader& r, std::string_view what) {
  ASSIGN_OR_RETURN(Reader list, r.ReadSequence());
  std::vector<Bytes> out;
  while (!list.empty()) {
    if (out.size() >= kMaxEvidenceItems) {
      return ResourceExhaustedError("evidence record: more than " + std::to_string(kMaxEvidenceItems) + " " +
                                    std::string(what));
    }
    ASSIGN_OR_RETURN(ByteView raw, list.ReadRaw(asn1::kSequence));
    out.emplace_back(raw.begin(), raw.end());
  }
  return out;
}

Result<Bytes> ReadOctets(Reader& r) {
  ASSIGN_OR_RETURN(ByteView v, r.ReadOctetString());
  return Bytes(v.begin(), v.end());
}

Result<EvidenceRecord> Parse(ByteView der) {
  Reader top(der);
  ASSIGN_OR_RETURN(Reader s, top.ReadSequence());
  RETURN_IF_ERROR(top.ExpectEnd("EvidenceRecord"));
  EvidenceRecord e;
  ASSIGN_OR_RETURN(e.version, s.ReadInt64());
  if (e.version != 1) return InvalidArgumentError("evidence record: version " + std::to_string(e.version) + ", not 1");
  ASSIGN_OR_RETURN(e.signature_hash, ReadOctets(s));
  if (e.signature_hash.size() != 32) return InvalidArgumentError("evidence record: signatureHash is not an SM3 value");
  ASSIGN_OR_RETURN(e.signed_at, s.ReadGeneralizedTime());
  ASSIGN_OR_RETURN(e.certificates, ReadDerList(s, "certificates"));
  ASSIGN_OR_RETURN(e.crls, ReadDerList(s, "CRLs"));
  ASSIGN_OR_RETURN(std::optional<Reader> status, s.ReadOptionalConstructed(Ctx(0)));
  if (status) {
    ASSIGN_OR_RETURN(e.seal_status, ReadOctets(*status));
    RETURN_IF_ERROR(status->ExpectEnd("sealStatus"));
  }
  ASSIGN_OR_RETURN(std::optional<Reader> token, s.ReadOptionalConstructed(Ctx(1)));
  if (token) {
    ASSIGN_OR_RETURN(e.signature_timestamp, ReadOctets(*token));
    RETURN_IF_ERROR(token->ExpectEnd("signatureTimeStamp"));
  }
  ASSIGN_OR_RETURN(std::optional<Reader> archive, s.ReadOptionalConstructed(Ctx(2)));
  if (archive) {
    ASSIGN_OR_RETURN(Reader list, archive->ReadSequence());
    RETURN_IF_ERROR(archive->ExpectEnd("archiveTimeStamps"));
    if (list.empty()) return InvalidArgumentError("evidence record: archiveTimeStamps is present but empty");
    while (!list.empty()) {
      if (e.archive_timestamps.size() >= kMaxEvidenceItems) {
        return ResourceExhaustedError("evidence record: too many archive timestamps");
      }
      ASSIGN_OR_RETURN(Reader a, list.ReadSequence());
      ArchiveTimestamp at;
      ASSIGN_OR_RETURN(at.token, ReadOctets(a));
      ASSIGN_OR_RETURN(at.crls, ReadDerList(a, "CRLs"));
      ASSIGN_OR_RETURN(at.certificates, ReadDerList(a, "certificates"));
      RETURN_IF_ERROR(a.ExpectEnd("ArchiveTimeStamp"));
      e.archive_timestamps.push_back(std::move(at));
    }
  }
  RETURN_IF_ERROR(s.ExpectEnd("EvidenceRecord"));
  // Strict DER: what we read must be what we would write.
  if (EncodeContent(e, true) != Bytes(der.begin(), der.end())) {
    return InvalidArgumentError("evidence record: not in DER");
  }
  return e;
}

}  // namespace

Bytes EncodeEvidenceRecord(const EvidenceRecord& e) { return EncodeContent(e, true); }

Result<EvidenceRecord> ParseEvidenceRecord(ByteView der) {
  if (der.size() > kMaxEvidenceBytes) {
    return ResourceExhaustedError("证据记录过大 / the evidence record is larger than " +
                                  std::to_string(kMaxEvidenceBytes) + " bytes");
  }
  auto e = Parse(der);
  if (!e.ok()) return e.status().WithContext("证据记录无法读取 / evidence record");
  return e;
}

Bytes ArchiveData(const EvidenceRecord& e, size_t i) {
  Bytes out = EncodeContent(e, false);
  for (size_t k = 0; k < i && k < e.archive_timestamps.size(); ++k) {
    Writer w;
    AddArchive(w, e.archive_timestamps[k]);
    const Bytes& b = w.bytes();
    out.insert(out.end(), b.begin(), b.end());
  }
  return out;
}

Status RenewEvidence(EvidenceRecord& e, const std::function<Result<Bytes>(ByteView)>& stamper,
                     std::vector<Bytes> crls_now, std::vector<Bytes> certificates_now) {
  if (e.archive_timestamps.size() >= kMaxEvidenceItems) {
    return ResourceExhaustedError("the evidence record has the most archive timestamps it may hold");
  }
  Bytes data = ArchiveData(e, e.archive_timestamps.size());
  ASSIGN_OR_RETURN(Bytes token, stamper(data));
  e.archive_timestamps.push_back(ArchiveTimestamp{std::move(token), std::move(crls_now), std::move(certificates_now)});
  return Status::Ok();
}

}  // namespace eseal::verify
