// Signed seal-status answers (印章状态应答, docs/seal-status.md) and evidence records
// (验证证据记录, docs/trusted-time.md): what lets a relying party verify a signature offline,
// decades after the seal, its certificate and the CRLs of the time are gone.
//
// The answer is signed with the seal maker's key — the authority that signed the seal — so
// a verifier needs no trust beyond the seal's own maker. The evidence record of a signature
// is made in its signing transaction: the chains (root, issuing CA, maker, signer, TSA), the
// CRLs current then, the answer "in force", the signature's token, and a first archive
// timestamp over all of it; it is renewed before that timestamp's TSA certificate ends.
#include <algorithm>
#include <cctype>

#include "eseal/base/log.h"
#include "eseal/crypto/sm3.h"
#include "eseal/ses/seal.h"
#include "eseal/ses/seal_status_response.h"
#include "eseal/tsp/timestamp_token.h"
#include "eseal/verify/evidence_record.h"
#include "internal.h"

namespace eseal::platform {
namespace {

// How long an answer may be relied on before asking again.
constexpr std::chrono::hours kAnswerLifetime{24};
// Archive timestamps are renewed this long before their TSA certificate ends.
constexpr std::chrono::days kRenewalMargin{180};

// When the status the seal has now began: the latest event that set it.
std::optional<Time> Since(const std::vector<SealEvent>& events, SealEventType type) {
  std::optional<Time> at;
  for (const SealEvent& e : events) {
    if (e.type == type) at = e.at;
  }
  return at;
}

// The end of the TSA certificate behind a token (its signer, among the certificates it
// carries), or nullopt.
std::optional<Time> TsaCertificateEnd(ByteView token_der) {
  auto t = tsp::ParseTimestampToken(token_der);
  if (!t.ok()) return std::nullopt;
  std::optional<x509::Certificate> c = tsp::TokenSignerCertificate(*t);
  if (!c) return std::nullopt;
  return c->not_after();
}

}  // namespace

Result<Bytes> PlatformImpl::StatusAnswer(Tx& tx, const Seal& seal, std::optional<Bytes> nonce) {
  if (seal.origin != SealOrigin::kPlatform) {
    return FailedPreconditionError(
        "此印章由其他电子印章系统制作，其签名状态应答须由该系统出具；本平台可提供 JSON 状态查询。 / "
        "this seal was made by another system: only its maker can sign its status (the JSON status is available)");
  }
  const Time now = Now();
  ASSIGN_OR_RETURN(ses::Seal parsed, ses::ParseSeal(seal.seal_der));
  ASSIGN_OR_RETURN(SealStatusAt at, StatusAt(tx, seal, now));
  ASSIGN_OR_RETURN(std::vector<SealEvent> events, tx.seal_events().ListForSeal(seal.id));
  ASSIGN_OR_RETURN(Holder holder, tx.holders().Get(seal.holder_id));
  ses::SealStatusStatement st;
  st.seal = &parsed;
  st.produced_at = st.this_update = now;
  st.next_update = now + kAnswerLifetime;
  st.nonce = std::move(nonce);
  switch (at.status) {
    case SealStatus::kActive:
      st.status = ses::SealStatus::kInForce;
      if (!at.valid) st.status = ses::SealStatus::kUnknown;  // not yet in force
      break;
    case SealStatus::kSuspended:
      st.status = ses::SealStatus::kSuspended;
      st.since = Since(events, SealEventType::kSuspended);
      break;
    case SealStatus::kRevoked:
      st.status = ses::SealStatus::kRevoked;
      st.since = Since(events, SealEventType::kRevoked);
      break;
    case SealStatus::kSuperseded:
      // Replaced by a renewed or changed seal: never in force again, like a revocation.
      st.status = ses::SealStatus::kRevoked;
      st.since = Since(events, SealEventType::kSuperseded);
      st.reason = "superseded: replaced by a renewed or changed seal (被新印章替换)";
      break;
    case SealStatus::kExpired:
      st.status = ses::SealStatus::kExpired;
      st.since = seal.valid_to;
      break;
  }
  // A deregistered or abnormal holder's seal is never reported in force (E25).
  if (st.status == ses::SealStatus::kInForce && holder.status != HolderStatus::kActive) {
    st.status = ses::SealStatus::kHolderInactive;
    st.since = std::min(holder.updated_at, now);
    st.reason = "the holder is " + std::string(Name(holder.status)) + " in the registry (用章单位状态异常)";
  }
  if (ses::SealStatusHasSince(st.status)) {
    if (!st.since) st.since = now;
    if (!st.reason && !at.reason.empty()) st.reason = at.reason.substr(0, 1000);
  }
  ASSIGN_OR_RETURN(ses::SealStatusResponse r, ses::SignSealStatusResponse(st, id_.maker.cert.der(), id_.maker.key));
  return r.der;
}

Result<Bytes> PlatformImpl::SignedSealStatus(std::string_view esid, std::optional<Bytes> nonce) {
  Bytes out;
  Status st = InReadTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Seal s, tx.seals().GetByEsid(esid));
    ASSIGN_OR_RETURN(out, StatusAnswer(tx, s, std::move(nonce)));
    return Status::Ok();
  });
  if (st.code() == StatusCode::kNotFound) {
    return NotFoundError("本平台没有该印章编码的印章；请核对印章编码（esID），或向制作该印章的平台查询。 / no seal with this esID is "
                         "on record here");
  }
  RETURN_IF_ERROR(st);
  return out;
}

Result<EvidenceRow> PlatformImpl::MakeEvidence(Tx& tx, const Seal& seal, const SignatureRecord& record,
                                               const IssuedToken& token) {
  verify::EvidenceRecord e;
  ASSIGN_OR_RETURN(e.signature_hash, HexDecode(record.signed_hash));
  e.signed_at = record.signed_at;
  e.certificates = {id_.root.der(), id_.issuing.cert.der(), id_.maker.cert.der(), seal.signer_cert_der};
  std::shared_ptr<const TsaState> tsa = Tsa();
  if (token.own) e.certificates.push_back(tsa->keyed.cert.der());
  ASSIGN_OR_RETURN(e.crls, Crls(tx));
  ASSIGN_OR_RETURN(e.seal_status, StatusAnswer(tx, seal, std::nullopt));
  e.signature_timestamp = token.der;
  // The first archive timestamp: the CRLs and the answer existed at signing time.
  std::optional<IssuedToken> archive;
  sign::Timestamper stamper = SignatureTimestamper(&archive);
  RETURN_IF_ERROR(verify::RenewEvidence(e, stamper, {}, {}));
  if (archive) RETURN_IF_ERROR(LogToken(tx, *archive, "evidence", "system"));
  EvidenceRow row;
  row.signature_hash = record.signed_hash;
  row.signature_id = record.id;
  row.der = verify::EncodeEvidenceRecord(e);
  row.created_at = Now();
  std::optional<Time> end = TsaCertificateEnd(e.archive_timestamps.back().token);
  row.renew_after = (end ? *end : tsa->keyed.cert.not_after()) - kRenewalMargin;
  return row;
}

Result<Bytes> PlatformImpl::Evidence(std::string_view signature_sm3) {
  std::string key(signature_sm3);
  for (char& ch : key) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (key.size() != 64 || key.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return InvalidArgumentError("签名值的 SM3 杂凑应为 64 位十六进制数。 / the signature's SM3 must be 64 hex digits");
  }
  Bytes out;
  Status st = InReadTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(EvidenceRow row, tx.evidence().Get(key));
    out = std::move(row.der);
    return Status::Ok();
  });
  if (st.code() == StatusCode::kNotFound) {
    return NotFoundError("本平台没有签名值杂凑为该值的签章，因而没有它的证据记录；请核对杂凑值（签名值的 SM3），或向做出该签章的平台索取。 / "
                         "this platform made no signature whose value has that SM3, so it keeps no evidence record for it");
  }
  RETURN_IF_ERROR(st);
  return out;
}

Result<int> PlatformImpl::RenewEvidence() {
  const Time now = Now();
  // A TSA that outlives the one being replaced, first.
  RETURN_IF_ERROR(RotateTsaIfDue());
  std::shared_ptr<const TsaState> tsa = Tsa();
  ASSIGN_OR_RETURN(std::vector<Bytes> crls, [&]() -> Result<std::vector<Bytes>> {
    std::vector<Bytes> out;
    RETURN_IF_ERROR(InReadTx([&](Tx& tx) -> Status {
      ASSIGN_OR_RETURN(out, Crls(tx));
      return Status::Ok();
    }));
    return out;
  }());
  int renewed = 0;
  for (;;) {
    std::vector<EvidenceRow> due;
    RETURN_IF_ERROR(InReadTx([&](Tx& tx) -> Status {
      ASSIGN_OR_RETURN(due, tx.evidence().ListDue(now, 100));
      return Status::Ok();
    }));
    if (due.empty()) break;
    int done_this_round = 0;
    for (EvidenceRow& row : due) {
      ASSIGN_OR_RETURN(verify::EvidenceRecord e, verify::ParseEvidenceRecord(row.der));
      std::optional<IssuedToken> archive;
      RETURN_IF_ERROR(verify::RenewEvidence(e, SignatureTimestamper(&archive), crls, {tsa->keyed.cert.der()}));
      std::optional<Time> end = TsaCertificateEnd(e.archive_timestamps.back().token);
      Time next = (end ? *end : tsa->keyed.cert.not_after()) - kRenewalMargin;
      if (next <= now) {
        // The TSA at hand ends as soon as the one it would replace (an outside TSA near
        // its end): renewing with it gains nothing.
        log::Warn("evidence.renewal_blocked", {{"signature", row.signature_hash},
                                               {"tsa_not_after", FormatRfc3339(end.value_or(now))}});
        continue;
      }
      row.der = verify::EncodeEvidenceRecord(e);
      row.renew_after = next;
      row.renewed_at = now;
      RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
        RETURN_IF_ERROR(tx.evidence().Update(row));
        if (archive) RETURN_IF_ERROR(LogToken(tx, *archive, "evidence", "system"));
        return Audit(tx, nullptr, "evidence.renewed", "evidence", row.signature_hash,
                     JsonObject({{"archive_timestamps", std::to_string(e.archive_timestamps.size())},
                                 {"renew_after", FormatRfc3339(next)}}));
      }));
      ++renewed;
      ++done_this_round;
    }
    if (done_this_round == 0) break;  // every due record is blocked; try again another day
  }
  return renewed;
}

}  // namespace eseal::platform
