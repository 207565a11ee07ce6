// Filing with the national platform (向国家平台备案, G11, G18) and public notice (公示) of
// government seal changes and revocations.
#include <nlohmann/json.hpp>

#include "eseal/crypto/sm3.h"
#include "internal.h"

namespace eseal::platform {

Result<PageOf<FilingRecord>> PlatformImpl::ListFilings(const Caller& c, std::optional<FilingStatus> status,
                                                       Page page) {
  RETURN_IF_ERROR(RequireOperator(c));
  PageOf<FilingRecord> out;
  RETURN_IF_ERROR(InReadTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(out.items, tx.filings().ListRecords(status, "", page));
    ASSIGN_OR_RETURN(out.total, tx.filings().CountRecords(status, ""));
    return Status::Ok();
  }));
  return out;
}

// The export: {"payload": "<batch JSON>", "signature": base64 SM2 over the payload bytes,
// "signer_certificate": base64 DER}. The payload lists every record with its event.
Result<FilingBatch> PlatformImpl::ExportFilings(const Caller& c) {
  RETURN_IF_ERROR(RequireOperator(c));
  FilingBatch batch;
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(std::vector<FilingRecord> pending, tx.filings().ListRecords(FilingStatus::kPending, "", Page{1000, 0}));
    if (pending.empty()) return FailedPreconditionError("there is nothing to export: no pending filing records");
    batch.id = NewId("bat");
    batch.created_at = Now();
    batch.status = FilingStatus::kExported;
    nlohmann::ordered_json payload;
    payload["batch_id"] = batch.id;
    payload["platform"] = o_.name;
    payload["created_at"] = FormatRfc3339(batch.created_at);
    nlohmann::ordered_json records = nlohmann::ordered_json::array();
    for (const FilingRecord& r : pending) {
      nlohmann::ordered_json rec = nlohmann::ordered_json::parse(r.payload_json, nullptr, false);
      if (rec.is_discarded()) return InternalError("filing record " + r.id + " is not valid JSON");
      rec["record_id"] = r.id;
      records.push_back(std::move(rec));
    }
    payload["records"] = std::move(records);
    std::string text = payload.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    ASSIGN_OR_RETURN(Bytes sig, id_.signer.key.Sign(AsBytes(text)));
    nlohmann::ordered_json env;
    env["payload"] = text;
    env["signature"] = Base64Encode(sig);
    env["signer_certificate"] = Base64Encode(id_.signer.cert.der());
    std::string env_text = env.dump(2);
    batch.signed_export = ToBytes(env_text);
    RETURN_IF_ERROR(tx.filings().InsertBatch(batch));
    for (FilingRecord r : pending) {
      r.status = FilingStatus::kExported;
      r.batch_id = batch.id;
      RETURN_IF_ERROR(tx.filings().UpdateRecord(r));
    }
    return Audit(tx, &c, "filing.exported", "filing_batch", batch.id,
                 JsonObject({{"records", std::to_string(pending.size())},
                             {"export_sm3", HexEncode(crypto::Sm3Bytes(batch.signed_export))}}));
  }));
  return batch;
}

Result<FilingBatch> PlatformImpl::GetFilingBatch(const Caller& c, std::string_view batch_id) {
  RETURN_IF_ERROR(RequireOperator(c));
  FilingBatch b;
  RETURN_IF_ERROR(InReadTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(b, tx.filings().GetBatch(batch_id));
    return Status::Ok();
  }));
  return b;
}

Result<FilingBatch> PlatformImpl::AcknowledgeFilingBatch(const Caller& c, std::string_view batch_id) {
  RETURN_IF_ERROR(RequireOperator(c));
  FilingBatch b;
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(b, tx.filings().GetBatch(batch_id));
    if (b.status != FilingStatus::kExported) return FailedPreconditionError("the batch is already acknowledged");
    b.status = FilingStatus::kAcknowledged;
    b.acknowledged_at = Now();
    RETURN_IF_ERROR(tx.filings().UpdateBatch(b));
    ASSIGN_OR_RETURN(std::vector<FilingRecord> recs, tx.filings().ListRecords(std::nullopt, b.id, Page{1000, 0}));
    for (FilingRecord r : recs) {
      r.status = FilingStatus::kAcknowledged;
      RETURN_IF_ERROR(tx.filings().UpdateRecord(r));
    }
    return Audit(tx, &c, "filing.acknowledged", "filing_batch", b.id);
  }));
  return b;
}

Status PlatformImpl::AppendSealEvent(Tx& tx, const Seal& seal, const SealEvent& e) {
  RETURN_IF_ERROR(tx.seal_events().Append(e));
  // The public is told when a department's seal is changed (the new seal is made to replace
  // it, and the old one superseded), suspended, resumed or revoked; a first making or an
  // enterprise's seal is no public notice. Written now, with the names of now, so reading
  // the notices is one indexed query (migration 0009 backfilled the events before it).
  bool noticed = e.type == SealEventType::kRevoked || e.type == SealEventType::kSuperseded ||
                 e.type == SealEventType::kSuspended || e.type == SealEventType::kResumed ||
                 (e.type == SealEventType::kMade && !seal.replaces_id.empty());
  if (!noticed) return Status::Ok();
  ASSIGN_OR_RETURN(Holder h, tx.holders().Get(seal.holder_id));
  if (h.kind != HolderKind::kDepartment) return Status::Ok();
  return tx.seal_events().AppendNotice(
      SealNotice{seal.esid, seal.name, h.name, seal.kind, e.type, e.reason, e.at, seal.id});
}

Result<PageOf<Platform::Notice>> PlatformImpl::PublicNotices(Page page) {
  page.limit = std::clamp(page.limit, 1, 500);
  page.offset = std::max(page.offset, 0);
  PageOf<Notice> out;
  RETURN_IF_ERROR(InReadTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(out.items, tx.seal_events().ListNotices(page));
    ASSIGN_OR_RETURN(out.total, tx.seal_events().CountNotices());
    return Status::Ok();
  }));
  return out;
}

}  // namespace eseal::platform
