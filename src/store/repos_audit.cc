// The audit log (审计日志) repository. The chain stays linear under concurrency because
// every append goes through the one-row audit_head table: LockHead locks that row
// (PostgreSQL SELECT ... FOR UPDATE; SQLite writers are serialised anyway) and Insert
// moves it forward by exactly one, so a second appender waits for the first to commit and
// then sees its entry as the head.
#include "repo_util.h"

namespace eseal::store::internal {

using namespace platform;  // NOLINT(google-build-using-namespace): the model's records

namespace {

constexpr std::string_view kAuditColumns =
    "seq, at, actor, action, object_type, object_id, details_json, prev_hash, hash";
constexpr std::string_view kSelectHead = "SELECT seq, hash FROM audit_head WHERE id = 1";
constexpr std::string_view kAdvanceHead =
    "UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1 AND seq = $3";
constexpr std::string_view kSeqExists = "SELECT 1 FROM audit_log WHERE seq = $1";
constexpr std::string_view kCheckpointColumns = "seq, hash, signature, at, format, prev_checkpoint, token";

Result<AuditEntry> ReadAudit(RowReader& r) {
  AuditEntry e;
  e.seq = r.Int();
  e.at = r.At();
  e.actor = r.Text();
  e.action = r.Text();
  e.object_type = r.Text();
  e.object_id = r.Text();
  e.details_json = r.Text();
  e.prev_hash = r.Text();
  e.hash = r.Text();
  return e;
}

Result<AuditCheckpoint> ReadCheckpoint(RowReader& r) {
  AuditCheckpoint c;
  c.seq = r.Int();
  c.hash = r.Text();
  c.signature = r.Blob();
  c.at = r.At();
  c.format = static_cast<int>(r.Int());
  c.prev_checkpoint = r.Text();
  bool no_token = r.IsNull();
  Bytes token = r.Blob();
  if (!no_token) c.token = std::move(token);
  return c;
}

}  // namespace

Result<AuditEntry> SqlAuditRepository::LockHead() {
  RETURN_IF_ERROR(tx_.RequireWrite("lock audit head"));
  std::string sql = std::string(kSelectHead) + std::string(ForUpdate(tx_.dialect()));
  ASSIGN_OR_RETURN(QueryResult head, tx_.Query("lock audit head", sql));
  if (head.empty()) return DataLossError("the audit_head row is missing");
  int64_t seq = RowReader(head, 0).Int();
  if (seq == 0) return AuditEntry{};
  static const std::string entry_sql = SelectSql("audit_log", kAuditColumns) + " WHERE seq = $1";
  Result<AuditEntry> e = QueryOne(
      tx_, "read audit head", entry_sql, {Int(seq)}, ReadAudit,
      "the audit head names entry " + std::to_string(seq) + ", which is missing from the log");
  if (!e.ok() && e.status().code() == StatusCode::kNotFound) {
    return DataLossError(e.status().message());
  }
  return e;
}

Status SqlAuditRepository::Insert(const AuditEntry& e) {
  // Move the head first: this takes the head row's lock (if LockHead did not already) and
  // refuses an entry that does not follow it.
  ASSIGN_OR_RETURN(int64_t moved, tx_.Execute("append audit entry", kAdvanceHead,
                                              {Int(e.seq), Text(e.hash), Int(e.seq - 1)}));
  if (moved == 0) {
    ASSIGN_OR_RETURN(QueryResult exists, tx_.Query("append audit entry", kSeqExists, {Int(e.seq)}));
    if (!exists.empty()) {
      return AlreadyExistsError("audit entry " + std::to_string(e.seq) +
                                " already exists (unique key audit_log.seq)");
    }
    ASSIGN_OR_RETURN(QueryResult head, tx_.Query("append audit entry", kSelectHead));
    int64_t at = head.empty() ? 0 : RowReader(head, 0).Int();
    return FailedPreconditionError("audit entry " + std::to_string(e.seq) +
                                   " does not follow the head of the log (entry " +
                                   std::to_string(at) + ")");
  }
  static const std::string sql = InsertSql("audit_log", kAuditColumns);
  ASSIGN_OR_RETURN(int64_t n, tx_.Execute("append audit entry", sql,
                                          {Int(e.seq), At(e.at), Text(e.actor), Text(e.action),
                                           Text(e.object_type), Text(e.object_id),
                                           Text(e.details_json), Text(e.prev_hash), Text(e.hash)}));
  if (n == 0) {
    // The head was behind an entry already in the log: the table was edited by hand. The
    // head has moved in this transaction, so it must not commit.
    return tx_.Fail(DataLossError("audit entry " + std::to_string(e.seq) +
                                  " is already in the log although the head was behind it"));
  }
  return Status::Ok();
}

Result<std::vector<AuditEntry>> SqlAuditRepository::List(int64_t after_seq, int limit) {
  ASSIGN_OR_RETURN(Bounds b, PageBounds(limit, 0));
  static const std::string sql =
      SelectSql("audit_log", kAuditColumns) + " WHERE seq > $1 ORDER BY seq LIMIT $2";
  return QueryAll(tx_, "list audit entries", sql, {Int(after_seq), Int(b.limit)}, ReadAudit);
}

Result<int64_t> SqlAuditRepository::Count() {
  ASSIGN_OR_RETURN(QueryResult head, tx_.Query("count audit entries", kSelectHead));
  if (head.empty()) return DataLossError("the audit_head row is missing");
  return RowReader(head, 0).Int();
}

Result<std::vector<AuditEntry>> SqlAuditRepository::ListFor(std::string_view object_type,
                                                            std::string_view object_id, Page page) {
  ASSIGN_OR_RETURN(Bounds b, PageBounds(page.limit, page.offset));
  static const std::string sql = SelectSql("audit_log", kAuditColumns) +
                                 " WHERE object_type = $1 AND object_id = $2 ORDER BY seq"
                                 " LIMIT $3 OFFSET $4";
  return QueryAll(tx_, "list audit entries", sql,
                  {Text(object_type), Text(object_id), Int(b.limit), Int(b.offset)}, ReadAudit);
}

Status SqlAuditRepository::InsertCheckpoint(const AuditCheckpoint& c) {
  static const std::string sql = InsertSql("audit_checkpoints", kCheckpointColumns);
  ASSIGN_OR_RETURN(int64_t n, tx_.Execute("insert audit checkpoint", sql,
                                          {Int(c.seq), Text(c.hash), Blob(c.signature), At(c.at), Int(c.format),
                                           Text(c.prev_checkpoint), c.token ? Blob(*c.token) : Null()}));
  if (n == 0) {
    return AlreadyExistsError("audit checkpoint " + std::to_string(c.seq) +
                              " already exists (unique key audit_checkpoints.seq)");
  }
  return Status::Ok();
}

Result<std::vector<AuditCheckpoint>> SqlAuditRepository::ListCheckpoints() {
  static const std::string sql =
      SelectSql("audit_checkpoints", kCheckpointColumns) + " ORDER BY seq";
  return QueryAll(tx_, "list audit checkpoints", sql, {}, ReadCheckpoint);
}

}  // namespace eseal::store::internal
