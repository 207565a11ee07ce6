// Repositories of use and record keeping: the usage register (signatures), usage
// requests, trust anchors, filings, archives and settings.
#include "repo_util.h"

namespace eseal::store::internal {

using namespace platform;  // NOLINT(google-build-using-namespace): the model's records

namespace {

// ---- signatures ------------------------------------------------------------------------

constexpr std::string_view kSignatureColumns =
    "id, seal_id, holder_id, actor_id, client_id, document_hash, signed_hash, document_name, "
    "format, request_id, signed_at, tsa_serial, tsa_gen_time";

Result<SignatureRecord> ReadSignature(RowReader& r) {
  SignatureRecord s;
  s.id = r.Text();
  s.seal_id = r.Text();
  s.holder_id = r.Text();
  s.actor_id = r.Text();
  s.client_id = r.Text();
  s.document_hash = r.Text();
  s.signed_hash = r.Text();
  s.document_name = r.Text();
  s.format = r.Text();
  s.request_id = r.Text();
  s.signed_at = r.At();
  s.tsa_serial = r.Text();
  s.tsa_gen_time = r.OptAt();
  return s;
}

// ---- usage requests --------------------------------------------------------------------

constexpr std::string_view kUsageRequestColumns =
    "id, seal_id, requester_id, document_hash, purpose, status, approver_id, decision_reason, "
    "window_start, window_end, signature_id, created_at";

Params UsageRequestParams(const UsageRequest& r) {
  return {Text(r.id),         Text(r.seal_id),      Text(r.requester_id), Text(r.document_hash),
          Text(r.purpose),    Text(Name(r.status)), Text(r.approver_id),  Text(r.decision_reason),
          At(r.window_start), At(r.window_end),     Text(r.signature_id), At(r.created_at)};
}

Result<UsageRequest> ReadUsageRequest(RowReader& r) {
  UsageRequest u;
  u.id = r.Text();
  u.seal_id = r.Text();
  u.requester_id = r.Text();
  u.document_hash = r.Text();
  u.purpose = r.Text();
  ASSIGN_OR_RETURN(u.status, r.Enum(ParseUsageRequestStatus, "usage_requests.status"));
  u.approver_id = r.Text();
  u.decision_reason = r.Text();
  u.window_start = r.At();
  u.window_end = r.At();
  u.signature_id = r.Text();
  u.created_at = r.At();
  return u;
}

// ---- trust anchors ---------------------------------------------------------------------

constexpr std::string_view kAnchorColumns =
    "id, system_name, kind, cert_der, crl_url, status_url, active, created_at, roles, maker_policies";

// maker_policies: dotted OIDs, comma-separated.
std::string JoinPolicies(const std::vector<std::string>& oids) {
  std::string out;
  for (const std::string& o : oids) out += (out.empty() ? "" : ",") + o;
  return out;
}
std::vector<std::string> SplitPolicies(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// Params hold views: `text` keeps the roles and policies text alive while they are used.
struct AnchorText {
  std::string roles, policies;
};
Params AnchorParams(const TrustAnchorRecord& a, AnchorText& text) {
  text.roles = AnchorRolesName(a.roles);
  text.policies = JoinPolicies(a.maker_policies);
  return {Text(a.id),      Text(a.system_name), Text(Name(a.kind)), Blob(a.cert_der),
          Text(a.crl_url), Text(a.status_url),  Bool(a.active),     At(a.created_at),
          Text(text.roles), Text(text.policies)};
}

Result<TrustAnchorRecord> ReadAnchor(RowReader& r) {
  TrustAnchorRecord a;
  a.id = r.Text();
  a.system_name = r.Text();
  ASSIGN_OR_RETURN(a.kind, r.Enum(ParseAnchorKind, "trust_anchors.kind"));
  a.cert_der = r.Blob();
  a.crl_url = r.Text();
  a.status_url = r.Text();
  a.active = r.Bool();
  a.created_at = r.At();
  ASSIGN_OR_RETURN(a.roles, r.Enum(ParseAnchorRoles, "trust_anchors.roles"));
  a.maker_policies = SplitPolicies(r.Text());
  return a;
}

// ---- filings ---------------------------------------------------------------------------

constexpr std::string_view kFilingRecordColumns =
    "id, seal_id, event, payload_json, batch_id, status, created_at";
constexpr std::string_view kFilingBatchColumns =
    "id, signed_export, status, created_at, acknowledged_at";

Params FilingRecordParams(const FilingRecord& r) {
  return {Text(r.id),           Text(r.seal_id),        Text(Name(r.event)),
          Text(r.payload_json), TextOrNull(r.batch_id), Text(Name(r.status)),
          At(r.created_at)};
}

Result<FilingRecord> ReadFilingRecord(RowReader& r) {
  FilingRecord f;
  f.id = r.Text();
  f.seal_id = r.Text();
  ASSIGN_OR_RETURN(f.event, r.Enum(ParseFilingEvent, "filing_records.event"));
  f.payload_json = r.Text();
  f.batch_id = r.Text();
  ASSIGN_OR_RETURN(f.status, r.Enum(ParseFilingStatus, "filing_records.status"));
  f.created_at = r.At();
  return f;
}

Params FilingBatchParams(const FilingBatch& b) {
  return {Text(b.id), Blob(b.signed_export), Text(Name(b.status)), At(b.created_at),
          OptAt(b.acknowledged_at)};
}

Result<FilingBatch> ReadFilingBatch(RowReader& r) {
  FilingBatch b;
  b.id = r.Text();
  b.signed_export = r.Blob();
  ASSIGN_OR_RETURN(b.status, r.Enum(ParseFilingStatus, "filing_batches.status"));
  b.created_at = r.At();
  b.acknowledged_at = r.OptAt();
  return b;
}

// ---- archives --------------------------------------------------------------------------

constexpr std::string_view kArchiveColumns =
    "id, holder_id, document_hash, document, report_json, evidence, entry_hash, "
    "platform_signature, created_at";

Result<ArchiveEntry> ReadArchive(RowReader& r) {
  ArchiveEntry e;
  e.id = r.Text();
  e.holder_id = r.Text();
  e.document_hash = r.Text();
  e.document = r.Blob();
  e.report_json = r.Text();
  e.evidence = r.Blob();
  e.entry_hash = r.Text();
  e.platform_signature = r.Blob();
  e.created_at = r.At();
  return e;
}

// ---- settings --------------------------------------------------------------------------

constexpr std::string_view kGetSetting = "SELECT value FROM settings WHERE name = $1";
constexpr std::string_view kPutSetting =
    "INSERT INTO settings (name, value) VALUES ($1, $2)"
    " ON CONFLICT (name) DO UPDATE SET value = excluded.value";
// DO NOTHING, not DO UPDATE: a concurrent creator's committed value must survive.
constexpr std::string_view kCreateSetting =
    "INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING";

}  // namespace

// ---- SignatureRepository ---------------------------------------------------------------

Status SqlSignatureRepository::Insert(const SignatureRecord& s) {
  static const std::string sql = InsertSql("signatures", kSignatureColumns);
  ASSIGN_OR_RETURN(
      int64_t n,
      tx_.Execute("insert signature record", sql,
                  {Text(s.id), Text(s.seal_id), Text(s.holder_id), Text(s.actor_id),
                   Text(s.client_id), Text(s.document_hash), Text(s.signed_hash),
                   Text(s.document_name), Text(s.format), Text(s.request_id), At(s.signed_at),
                   Text(s.tsa_serial), OptAt(s.tsa_gen_time)}));
  if (n == 0) return AlreadyExists(tx_, "signature record", {{"signatures", "id", s.id}});
  return Status::Ok();
}

Result<SignatureRecord> SqlSignatureRepository::Get(std::string_view id) {
  static const std::string sql = SelectSql("signatures", kSignatureColumns) + " WHERE id = $1";
  return QueryOne(tx_, "get signature record", sql, {Text(id)}, ReadSignature,
                  "signature record " + Quote(id) + " not found");
}

namespace {
// The WHEREs of the lists and their counts, one function each so the two cannot drift.
Where SignatureWhere(const SignatureRepository::Filter& f) {
  Where w;
  if (!f.seal_id.empty()) w.Add("seal_id = " + w.Bind(Text(f.seal_id)));
  if (!f.holder_id.empty()) w.Add("holder_id = " + w.Bind(Text(f.holder_id)));
  if (!f.signed_hash.empty()) w.Add("signed_hash = " + w.Bind(Text(f.signed_hash)));
  return w;
}
Where UsageRequestWhere(const UsageRequestRepository::Filter& f) {
  Where w;
  if (!f.seal_id.empty()) w.Add("seal_id = " + w.Bind(Text(f.seal_id)));
  // A holder has few seals: the seals_holder_id index finds them, usage_requests_seal_id
  // (seal_id, created_at, id) their requests.
  if (!f.holder_id.empty()) {
    w.Add("seal_id IN (SELECT id FROM seals WHERE holder_id = " + w.Bind(Text(f.holder_id)) + ")");
  }
  if (f.status) w.Add("status = " + w.Bind(Text(Name(*f.status))));
  return w;
}
Where AnchorWhere(bool active_only) {
  Where w;
  if (active_only) w.Add("active");
  return w;
}
Where FilingWhere(std::optional<FilingStatus> status, std::string_view batch_id) {
  Where w;
  if (status) w.Add("status = " + w.Bind(Text(Name(*status))));
  if (!batch_id.empty()) w.Add("batch_id = " + w.Bind(Text(batch_id)));
  return w;
}
Where ArchiveWhere(std::string_view holder_id) {
  Where w;
  if (!holder_id.empty()) w.Add("holder_id = " + w.Bind(Text(holder_id)));
  return w;
}
}  // namespace

Result<int64_t> SqlSignatureRepository::Count(const Filter& f) {
  return CountWhere(tx_, "count signature records", "signatures", SignatureWhere(f));
}

Result<std::vector<SignatureRecord>> SqlSignatureRepository::List(const Filter& f, Page page) {
  ASSIGN_OR_RETURN(Bounds b, PageBounds(page.limit, page.offset));
  Where w = SignatureWhere(f);
  std::string sql =
      SelectSql("signatures", kSignatureColumns) + w.Clause() + " ORDER BY signed_at DESC, n DESC";
  sql += w.Page(b);
  return QueryAll(tx_, "list signature records", sql, w.params(), ReadSignature);
}

// ---- UsageRequestRepository ------------------------------------------------------------

Status SqlUsageRequestRepository::Insert(const UsageRequest& r) {
  static const std::string sql = InsertSql("usage_requests", kUsageRequestColumns);
  ASSIGN_OR_RETURN(int64_t n, tx_.Execute("insert usage request", sql, UsageRequestParams(r)));
  if (n == 0) return AlreadyExists(tx_, "usage request", {{"usage_requests", "id", r.id}});
  return Status::Ok();
}

Status SqlUsageRequestRepository::Update(const UsageRequest& r) {
  static const std::string sql = UpdateSql("usage_requests", kUsageRequestColumns, 1);
  ASSIGN_OR_RETURN(int64_t n, tx_.Execute("update usage request", sql, UsageRequestParams(r)));
  return RequireChanged(n, "usage request", r.id);
}

Result<UsageRequest> SqlUsageRequestRepository::GetImpl(std::string_view id, bool lock) {
  if (lock) RETURN_IF_ERROR(tx_.RequireWrite("lock usage request"));
  std::string sql = SelectSql("usage_requests", kUsageRequestColumns) + " WHERE id = $1";
  if (lock) sql += ForUpdate(tx_.dialect());
  return QueryOne(tx_, lock ? "lock usage request" : "get usage request", sql, {Text(id)},
                  ReadUsageRequest, "usage request " + Quote(id) + " not found");
}

Result<UsageRequest> SqlUsageRequestRepository::Get(std::string_view id) {
  return GetImpl(id, false);
}

Result<UsageRequest> SqlUsageRequestRepository::GetForUpdate(std::string_view id) {
  return GetImpl(id, true);
}

Result<int64_t> SqlUsageRequestRepository::Count(const Filter& f) {
  return CountWhere(tx_, "count usage requests", "usage_requests", UsageRequestWhere(f));
}

Result<std::vector<UsageRequest>> SqlUsageRequestRepository::List(const Filter& f, Page page) {
  ASSIGN_OR_RETURN(Bounds b, PageBounds(page.limit, page.offset));
  Where w = UsageRequestWhere(f);
  std::string sql =
      SelectSql("usage_requests", kUsageRequestColumns) + w.Clause() + " ORDER BY created_at, id";
  sql += w.Page(b);
  return QueryAll(tx_, "list usage requests", sql, w.params(), ReadUsageRequest);
}

// ---- TrustAnchorRepository -------------------------------------------------------------

Status SqlTrustAnchorRepository::Insert(const TrustAnchorRecord& a) {
  static const std::string sql = InsertSql("trust_anchors", kAnchorColumns);
  AnchorText text;
  ASSIGN_OR_RETURN(int64_t n, tx_.Execute("insert trust anchor", sql, AnchorParams(a, text)));
  if (n == 0) return AlreadyExists(tx_, "trust anchor", {{"trust_anchors", "id", a.id}});
  return Status::Ok();
}

Status SqlTrustAnchorRepository::Update(const TrustAnchorRecord& a) {
  static const std::string sql = UpdateSql("trust_anchors", kAnchorColumns, 1);
  AnchorText text;
  ASSIGN_OR_RETURN(int64_t n, tx_.Execute("update trust anchor", sql, AnchorParams(a, text)));
  return RequireChanged(n, "trust anchor", a.id);
}

Result<TrustAnchorRecord> SqlTrustAnchorRepository::Get(std::string_view id) {
  static const std::string sql = SelectSql("trust_anchors", kAnchorColumns) + " WHERE id = $1";
  return QueryOne(tx_, "get trust anchor", sql, {Text(id)}, ReadAnchor,
                  "trust anchor " + Quote(id) + " not found");
}

Result<TrustAnchorRecord> SqlTrustAnchorRepository::GetForUpdate(std::string_view id) {
  RETURN_IF_ERROR(tx_.RequireWrite("lock trust anchor"));
  std::string sql = SelectSql("trust_anchors", kAnchorColumns) + " WHERE id = $1" +
                    std::string(ForUpdate(tx_.dialect()));
  return QueryOne(tx_, "lock trust anchor", sql, {Text(id)}, ReadAnchor,
                  "trust anchor " + Quote(id) + " not found");
}

Result<std::vector<TrustAnchorRecord>> SqlTrustAnchorRepository::List(bool active_only) {
  static const std::string all =
      SelectSql("trust_anchors", kAnchorColumns) + " ORDER BY created_at, id";
  static const std::string active =
      SelectSql("trust_anchors", kAnchorColumns) + " WHERE active ORDER BY created_at, id";
  return QueryAll(tx_, "list trust anchors", active_only ? active : all, {}, ReadAnchor);
}

Result<std::vector<TrustAnchorRecord>> SqlTrustAnchorRepository::List(bool active_only, Page page) {
  ASSIGN_OR_RETURN(Bounds b, PageBounds(page.limit, page.offset));
  Where w = AnchorWhere(active_only);
  std::string sql =
      SelectSql("trust_anchors", kAnchorColumns) + w.Clause() + " ORDER BY created_at, id";
  sql += w.Page(b);
  return QueryAll(tx_, "list trust anchors", sql, w.params(), ReadAnchor);
}

Result<int64_t> SqlTrustAnchorRepository::Count(bool active_only) {
  return CountWhere(tx_, "count trust anchors", "trust_anchors", AnchorWhere(active_only));
}

// ---- FilingRepository ------------------------------------------------------------------

Status SqlFilingRepository::InsertRecord(const FilingRecord& r) {
  static const std::string sql = InsertSql("filing_records", kFilingRecordColumns);
  ASSIGN_OR_RETURN(int64_t n, tx_.Execute("insert filing record", sql, FilingRecordParams(r)));
  if (n == 0) return AlreadyExists(tx_, "filing record", {{"filing_records", "id", r.id}});
  return Status::Ok();
}

Status SqlFilingRepository::UpdateRecord(const FilingRecord& r) {
  static const std::string sql = UpdateSql("filing_records", kFilingRecordColumns, 1);
  ASSIGN_OR_RETURN(int64_t n, tx_.Execute("update filing record", sql, FilingRecordParams(r)));
  return RequireChanged(n, "filing record", r.id);
}

Result<std::vector<FilingRecord>> SqlFilingRepository::ListRecords(
    std::optional<FilingStatus> status, std::string_view batch_id, Page page) {
  ASSIGN_OR_RETURN(Bounds b, PageBounds(page.limit, page.offset));
  Where w = FilingWhere(status, batch_id);
  std::string sql =
      SelectSql("filing_records", kFilingRecordColumns) + w.Clause() + " ORDER BY created_at, id";
  sql += w.Page(b);
  return QueryAll(tx_, "list filing records", sql, w.params(), ReadFilingRecord);
}

Result<int64_t> SqlFilingRepository::CountRecords(std::optional<FilingStatus> status,
                                                  std::string_view batch_id) {
  return CountWhere(tx_, "count filing records", "filing_records", FilingWhere(status, batch_id));
}

Status SqlFilingRepository::InsertBatch(const FilingBatch& b) {
  static const std::string sql = InsertSql("filing_batches", kFilingBatchColumns);
  ASSIGN_OR_RETURN(int64_t n, tx_.Execute("insert filing batch", sql, FilingBatchParams(b)));
  if (n == 0) return AlreadyExists(tx_, "filing batch", {{"filing_batches", "id", b.id}});
  return Status::Ok();
}

Status SqlFilingRepository::UpdateBatch(const FilingBatch& b) {
  static const std::string sql = UpdateSql("filing_batches", kFilingBatchColumns, 1);
  ASSIGN_OR_RETURN(int64_t n, tx_.Execute("update filing batch", sql, FilingBatchParams(b)));
  return RequireChanged(n, "filing batch", b.id);
}

Result<FilingBatch> SqlFilingRepository::GetBatch(std::string_view id) {
  static const std::string sql =
      SelectSql("filing_batches", kFilingBatchColumns) + " WHERE id = $1";
  return QueryOne(tx_, "get filing batch", sql, {Text(id)}, ReadFilingBatch,
                  "filing batch " + Quote(id) + " not found");
}

Result<std::vector<FilingBatch>> SqlFilingRepository::ListBatches(Page page) {
  ASSIGN_OR_RETURN(Bounds b, PageBounds(page.limit, page.offset));
  Where w;
  std::string sql =
      SelectSql("filing_batches", kFilingBatchColumns) + " ORDER BY created_at DESC, id DESC";
  sql += w.Page(b);
  return QueryAll(tx_, "list filing batches", sql, w.params(), ReadFilingBatch);
}

// ---- ArchiveRepository -----------------------------------------------------------------

Status SqlArchiveRepository::Insert(const ArchiveEntry& e) {
  static const std::string sql = InsertSql("archives", kArchiveColumns);
  ASSIGN_OR_RETURN(int64_t n,
                   tx_.Execute("insert archive entry", sql,
                               {Text(e.id), Text(e.holder_id), Text(e.document_hash),
                                Blob(e.document), Text(e.report_json), Blob(e.evidence),
                                Text(e.entry_hash), Blob(e.platform_signature), At(e.created_at)}));
  if (n == 0) return AlreadyExists(tx_, "archive entry", {{"archives", "id", e.id}});
  return Status::Ok();
}

Result<ArchiveEntry> SqlArchiveRepository::Get(std::string_view id) {
  static const std::string sql = SelectSql("archives", kArchiveColumns) + " WHERE id = $1";
  return QueryOne(tx_, "get archive entry", sql, {Text(id)}, ReadArchive,
                  "archive entry " + Quote(id) + " not found");
}

Result<std::vector<ArchiveEntry>> SqlArchiveRepository::List(std::string_view holder_id,
                                                             Page page) {
  ASSIGN_OR_RETURN(Bounds b, PageBounds(page.limit, page.offset));
  Where w = ArchiveWhere(holder_id);
  std::string sql =
      SelectSql("archives", kArchiveColumns) + w.Clause() + " ORDER BY created_at, id";
  sql += w.Page(b);
  return QueryAll(tx_, "list archive entries", sql, w.params(), ReadArchive);
}

Result<int64_t> SqlArchiveRepository::Count(std::string_view holder_id) {
  return CountWhere(tx_, "count archive entries", "archives", ArchiveWhere(holder_id));
}

// ---- SettingRepository -----------------------------------------------------------------

Result<std::optional<std::string>> SqlSettingRepository::Get(std::string_view key) {
  ASSIGN_OR_RETURN(QueryResult q, tx_.Query("get setting", kGetSetting, {Text(key)}));
  if (q.empty()) return std::optional<std::string>();
  return std::optional<std::string>(RowReader(q, 0).Text());
}

Status SqlSettingRepository::Put(std::string_view key, std::string_view value) {
  return tx_.Execute("put setting", kPutSetting, {Text(key), Text(value)}).status();
}

Result<std::string> SqlSettingRepository::GetForUpdate(std::string_view key, std::string_view initial) {
  RETURN_IF_ERROR(tx_.RequireWrite("lock setting"));
  RETURN_IF_ERROR(tx_.Execute("lock setting", kCreateSetting, {Text(key), Text(initial)}).status());
  // Not static: one process may hold stores of both dialects (the tests do).
  const std::string sql = std::string(kGetSetting) + std::string(ForUpdate(tx_.dialect()));
  ASSIGN_OR_RETURN(QueryResult q, tx_.Query("lock setting", sql, {Text(key)}));
  if (q.empty()) return tx_.Fail(InternalError("the setting " + Quote(key) + " vanished while being locked"));
  return RowReader(q, 0).Text();
}

// ---- TimestampTokenRepository ----------------------------------------------------------

namespace {

constexpr std::string_view kTokenColumns =
    "serial_hex, imprint_algorithm, imprint_hex, gen_time, purpose, requester, created_at";

Result<TimestampTokenRecord> ReadToken(RowReader& r) {
  TimestampTokenRecord t;
  t.serial_hex = r.Text();
  t.imprint_algorithm = r.Text();
  t.imprint_hex = r.Text();
  t.gen_time = r.At();
  t.purpose = r.Text();
  t.requester = r.Text();
  t.created_at = r.At();
  return t;
}

}  // namespace

Status SqlTimestampTokenRepository::Insert(const TimestampTokenRecord& t) {
  static const std::string sql = InsertSql("timestamp_tokens", kTokenColumns);
  ASSIGN_OR_RETURN(int64_t n, tx_.Execute("insert timestamp token", sql,
                                          {Text(t.serial_hex), Text(t.imprint_algorithm), Text(t.imprint_hex),
                                           At(t.gen_time), Text(t.purpose), Text(t.requester), At(t.created_at)}));
  if (n == 0) return AlreadyExists(tx_, "timestamp token", {{"timestamp_tokens", "serial_hex", t.serial_hex}});
  return Status::Ok();
}

Result<TimestampTokenRecord> SqlTimestampTokenRepository::Get(std::string_view serial_hex) {
  static const std::string sql = SelectSql("timestamp_tokens", kTokenColumns) + " WHERE serial_hex = $1";
  return QueryOne(tx_, "get timestamp token", sql, {Text(serial_hex)}, ReadToken,
                  "timestamp token " + Quote(serial_hex) + " not found");
}

Result<int64_t> SqlTimestampTokenRepository::Count() {
  ASSIGN_OR_RETURN(QueryResult q, tx_.Query("count timestamp tokens", "SELECT count(*) FROM timestamp_tokens"));
  return RowReader(q, 0).Int();
}

// ---- EvidenceRepository ------------------------------------------------------------------

namespace {

constexpr std::string_view kEvidenceColumns =
    "signature_hash, signature_id, der, created_at, renew_after, renewed_at";

Result<EvidenceRow> ReadEvidence(RowReader& r) {
  EvidenceRow e;
  e.signature_hash = r.Text();
  e.signature_id = r.Text();
  e.der = r.Blob();
  e.created_at = r.At();
  e.renew_after = r.At();
  e.renewed_at = r.OptAt();
  return e;
}

}  // namespace

Status SqlEvidenceRepository::Insert(const EvidenceRow& e) {
  static const std::string sql = InsertSql("evidence_records", kEvidenceColumns);
  ASSIGN_OR_RETURN(int64_t n, tx_.Execute("insert evidence record", sql,
                                          {Text(e.signature_hash), Text(e.signature_id), Blob(e.der),
                                           At(e.created_at), At(e.renew_after), OptAt(e.renewed_at)}));
  if (n == 0) return AlreadyExists(tx_, "evidence record", {{"evidence_records", "signature_hash", e.signature_hash}});
  return Status::Ok();
}

Result<EvidenceRow> SqlEvidenceRepository::Get(std::string_view signature_hash) {
  static const std::string sql = SelectSql("evidence_records", kEvidenceColumns) + " WHERE signature_hash = $1";
  return QueryOne(tx_, "get evidence record", sql, {Text(signature_hash)}, ReadEvidence,
                  "evidence record " + Quote(signature_hash) + " not found");
}

Status SqlEvidenceRepository::Update(const EvidenceRow& e) {
  static const std::string sql =
      "UPDATE evidence_records SET der = $2, renew_after = $3, renewed_at = $4 WHERE signature_hash = $1";
  ASSIGN_OR_RETURN(int64_t n, tx_.Execute("update evidence record", sql,
                                          {Text(e.signature_hash), Blob(e.der), At(e.renew_after),
                                           OptAt(e.renewed_at)}));
  return RequireChanged(n, "evidence record", e.signature_hash);
}

Result<std::vector<EvidenceRow>> SqlEvidenceRepository::ListDue(Time t, int limit) {
  static const std::string sql = SelectSql("evidence_records", kEvidenceColumns) +
                                 " WHERE renew_after <= $1 ORDER BY renew_after, signature_hash LIMIT $2";
  return QueryAll(tx_, "list evidence records to renew", sql, {At(t), Int(limit)}, ReadEvidence);
}

}  // namespace eseal::store::internal
