// Repositories of seals and how they come to be: applications with their reviews, seals,
// seal life events, issued certificates and the platform's own keys.
#include <unordered_map>

#include "repo_util.h"

namespace eseal::store::internal {

using namespace platform;  // NOLINT(google-build-using-namespace): the model's records

namespace {

// ---- applications ----------------------------------------------------------------------

constexpr std::string_view kApplicationColumns =
    "id, holder_id, type, seal_kind, seal_id, seal_name, reason, protected_key, "
    "public_key_spki, status, next_level, submitted_by, result_seal_id, created_at, updated_at";
constexpr std::string_view kInsertReview =
    "INSERT INTO application_reviews (application_id, position, level, area_code, reviewer_id,"
    " approved, reason, decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
constexpr std::string_view kDeleteReviews =
    "DELETE FROM application_reviews WHERE application_id = $1";
constexpr std::string_view kSelectReviews =
    "SELECT application_id, level, area_code, reviewer_id, approved, reason, decided_at"
    " FROM application_reviews WHERE application_id";
constexpr std::string_view kReviewsOrder = " ORDER BY application_id, position";

Params ApplicationParams(const Application& a) {
  return {Text(a.id),
          Text(a.holder_id),
          Text(Name(a.type)),
          Text(a.seal_kind),
          TextOrNull(a.seal_id),
          Text(a.seal_name),
          Text(a.reason),
          Blob(a.protected_key),
          Blob(a.public_key_spki),
          Text(Name(a.status)),
          Int(a.next_level),
          Text(a.submitted_by),
          TextOrNull(a.result_seal_id),
          At(a.created_at),
          At(a.updated_at)};
}

Result<Application> ReadApplication(RowReader& r) {
  Application a;
  a.id = r.Text();
  a.holder_id = r.Text();
  ASSIGN_OR_RETURN(a.type, r.Enum(ParseApplicationType, "applications.type"));
  a.seal_kind = r.Text();
  a.seal_id = r.Text();
  a.seal_name = r.Text();
  a.reason = r.Text();
  a.protected_key = r.Blob();
  a.public_key_spki = r.Blob();
  ASSIGN_OR_RETURN(a.status, r.Enum(ParseApplicationStatus, "applications.status"));
  a.next_level = r.IntSmall();
  a.submitted_by = r.Text();
  a.result_seal_id = r.Text();
  a.created_at = r.At();
  a.updated_at = r.At();
  return a;
}

// ---- seals -----------------------------------------------------------------------------

constexpr std::string_view kSealColumns =
    "id, esid, holder_id, kind, copy_no, name, origin, status, valid_from, valid_to, seal_der, "
    "image_png, signer_cert_der, cert_serial_hex, protected_key, kek_id, failed_attempts, "
    "locked, requires_approval, anchor_id, replaces_id, application_id, created_at, updated_at";

Params SealParams(const Seal& s) {
  return {Text(s.id),
          TextOrNull(s.esid),
          Text(s.holder_id),
          Text(s.kind),
          Int(s.copy_no),
          Text(s.name),
          Text(Name(s.origin)),
          Text(Name(s.status)),
          At(s.valid_from),
          At(s.valid_to),
          Blob(s.seal_der),
          Blob(s.image_png),
          Blob(s.signer_cert_der),
          Text(s.cert_serial_hex),
          Blob(s.protected_key),
          Text(s.kek_id),
          Int(s.failed_attempts),
          Bool(s.locked),
          Bool(s.requires_approval),
          TextOrNull(s.anchor_id),
          TextOrNull(s.replaces_id),
          TextOrNull(s.application_id),
          At(s.created_at),
          At(s.updated_at)};
}

Result<Seal> ReadSeal(RowReader& r) {
  Seal s;
  s.id = r.Text();
  s.esid = r.Text();
  s.holder_id = r.Text();
  s.kind = r.Text();
  s.copy_no = r.IntSmall();
  s.name = r.Text();
  ASSIGN_OR_RETURN(s.origin, r.Enum(ParseSealOrigin, "seals.origin"));
  ASSIGN_OR_RETURN(s.status, r.Enum(ParseSealStatus, "seals.status"));
  s.valid_from = r.At();
  s.valid_to = r.At();
  s.seal_der = r.Blob();
  s.image_png = r.Blob();
  s.signer_cert_der = r.Blob();
  s.cert_serial_hex = r.Text();
  s.protected_key = r.Blob();
  s.kek_id = r.Text();
  s.failed_attempts = r.IntSmall();
  s.locked = r.Bool();
  s.requires_approval = r.Bool();
  s.anchor_id = r.Text();
  s.replaces_id = r.Text();
  s.application_id = r.Text();
  s.created_at = r.At();
  s.updated_at = r.At();
  return s;
}

// ---- seal events -----------------------------------------------------------------------

constexpr std::string_view kSealEventColumns = "seal_id, type, at, reason, actor";

Result<SealEvent> ReadSealEvent(RowReader& r) {
  SealEvent e;
  e.seal_id = r.Text();
  ASSIGN_OR_RETURN(e.type, r.Enum(ParseSealEventType, "seal_events.type"));
  e.at = r.At();
  e.reason = r.Text();
  e.actor = r.Text();
  return e;
}

// ---- certificates ----------------------------------------------------------------------

constexpr std::string_view kCertificateColumns =
    "serial_hex, role, subject, der, not_after, revoked_at, revocation_reason";

Params CertificateParams(const IssuedCertificate& c) {
  return {Text(c.serial_hex), Text(c.role),        Text(c.subject),         Blob(c.der),
          At(c.not_after),    OptAt(c.revoked_at), Int(c.revocation_reason)};
}

Result<IssuedCertificate> ReadCertificate(RowReader& r) {
  IssuedCertificate c;
  c.serial_hex = r.Text();
  c.role = r.Text();
  c.subject = r.Text();
  c.der = r.Blob();
  c.not_after = r.At();
  c.revoked_at = r.OptAt();
  c.revocation_reason = r.IntSmall();
  return c;
}

// ---- platform keys ---------------------------------------------------------------------

constexpr std::string_view kPlatformKeyColumns =
    "name, cert_der, protected_key, kek_id, created_at";

Result<PlatformKey> ReadPlatformKey(RowReader& r) {
  PlatformKey k;
  k.name = r.Text();
  k.cert_der = r.Blob();
  k.protected_key = r.Blob();
  k.kek_id = r.Text();
  k.created_at = r.At();
  return k;
}

}  // namespace

// ---- ApplicationRepository -------------------------------------------------------------

Status SqlApplicationRepository::WriteReviews(const Application& a) {
  for (size_t i = 0; i < a.reviews.size(); ++i) {
    const ReviewStep& s = a.reviews[i];
    RETURN_IF_ERROR(
        tx_.Execute("insert review", kInsertReview,
                    {Text(a.id), Int(static_cast<int64_t>(i)), Int(s.level), Text(s.area_code),
                     Text(s.reviewer_id), Bool(s.approved), Text(s.reason), At(s.decided_at)}));
  }
  return Status::Ok();
}

Status SqlApplicationRepository::LoadReviews(std::vector<Application>& list) {
  std::vector<std::string> ids;
  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < list.size(); ++i) {
    ids.push_back(list[i].id);
    index[list[i].id] = i;
  }
  return ForEachIn(tx_, "load reviews", kSelectReviews, kReviewsOrder, ids,
                   [&](RowReader& r) -> Status {
                     std::string id = r.Text();
                     ReviewStep s;
                     s.level = r.IntSmall();
                     s.area_code = r.Text();
                     s.reviewer_id = r.Text();
                     s.approved = r.Bool();
                     s.reason = r.Text();
                     s.decided_at = r.At();
                     auto it = index.find(id);
                     if (it != index.end()) list[it->second].reviews.push_back(std::move(s));
                     return Status::Ok();
                   });
}

Status SqlApplicationRepository::Insert(const Application& a) {
  static const std::string sql = InsertSql("applications", kApplicationColumns);
  ASSIGN_OR_RETURN(int64_t n, tx_.Execute("insert application", sql, ApplicationParams(a)));
  if (n == 0) return AlreadyExists(tx_, "application", {{"applications", "id", a.id}});
  return WriteReviews(a);
}

Status SqlApplicationRepository::Update(const Application& a) {
  static const std::string sql = UpdateSql("applications", kApplicationColumns, 1);
  ASSIGN_OR_RETURN(int64_t n, tx_.Execute("update application", sql, ApplicationParams(a)));
  RETURN_IF_ERROR(RequireChanged(n, "application", a.id));
  RETURN_IF_ERROR(tx_.Execute("update application", kDeleteReviews, {Text(a.id)}));
  return WriteReviews(a);
}

Result<Application> SqlApplicationRepository::GetImpl(std::string_view id, bool lock) {
  if (lock) RETURN_IF_ERROR(tx_.RequireWrite("lock application"));
  std::string sql = SelectSql("applications", kApplicationColumns) + " WHERE id = $1";
  if (lock) sql += ForUpdate(tx_.dialect());
  ASSIGN_OR_RETURN(Application a, QueryOne(tx_, "get application", sql, {Text(id)}, ReadApplication,
                                           "application " + Quote(id) + " not found"));
  std::vector<Application> one;
  one.push_back(std::move(a));
  RETURN_IF_ERROR(LoadReviews(one));
  return std::move(one.front());
}

Result<Application> SqlApplicationRepository::Get(std::string_view id) {
  return GetImpl(id, false);
}

Result<Application> SqlApplicationRepository::GetForUpdate(std::string_view id) {
  return GetImpl(id, true);
}

namespace {
// The WHERE of List and Count. `area_end` keeps a bound text alive for the query.
Where ApplicationWhere(const ApplicationRepository::Filter& f, std::string& area_end) {
  Where w;
  if (!f.holder_id.empty()) w.Add("holder_id = " + w.Bind(Text(f.holder_id)));
  if (f.status) w.Add("status = " + w.Bind(Text(Name(*f.status))));
  if (f.type) w.Add("type = " + w.Bind(Text(Name(*f.type))));
  area_end = PrefixEnd(f.holder_area_prefix);
  if (f.holder_kind || !f.holder_area_prefix.empty()) {
    // The holders of a kind in an area (holders_kind_area), then their applications.
    std::string sub = "holder_id IN (SELECT id FROM holders WHERE ";
    bool first = true;
    if (f.holder_kind) {
      sub += "kind = " + w.Bind(Text(Name(*f.holder_kind)));
      first = false;
    }
    if (!f.holder_area_prefix.empty()) {
      if (!first) sub += " AND ";
      sub += "area_code >= " + w.Bind(Text(f.holder_area_prefix));
      sub += " AND area_code < " + w.Bind(Text(area_end));
    }
    w.Add(sub + ")");
  }
  return w;
}

// The WHERE of SealRepository::List and Count.
Where SealWhere(const SealRepository::Filter& f) {
  Where w;
  if (!f.holder_id.empty()) w.Add("holder_id = " + w.Bind(Text(f.holder_id)));
  if (!f.kind.empty()) w.Add("kind = " + w.Bind(Text(f.kind)));
  if (f.status) w.Add("status = " + w.Bind(Text(Name(*f.status))));
  if (f.origin) w.Add("origin = " + w.Bind(Text(Name(*f.origin))));
  if (f.valid_to_before) w.Add("valid_to < " + w.Bind(At(*f.valid_to_before)));
  return w;
}

constexpr std::string_view kNoticeColumns =
    "esid, seal_name, holder_name, kind, event, reason, at, seal_id";

Result<SealNotice> ReadNotice(RowReader& r) {
  SealNotice n;
  n.esid = r.Text();
  n.seal_name = r.Text();
  n.holder_name = r.Text();
  n.kind = r.Text();
  ASSIGN_OR_RETURN(n.event, r.Enum(ParseSealEventType, "notices.event"));
  n.reason = r.Text();
  n.at = r.At();
  n.seal_id = r.Text();
  return n;
}
}  // namespace

Result<int64_t> SqlApplicationRepository::Count(const Filter& f) {
  std::string area_end;
  Where w = ApplicationWhere(f, area_end);
  return CountWhere(tx_, "count applications", "applications", w);
}

Result<std::vector<Application>> SqlApplicationRepository::List(const Filter& f, Page page) {
  ASSIGN_OR_RETURN(Bounds b, PageBounds(page.limit, page.offset));
  std::string area_end;  // outlives the query's parameters
  Where w = ApplicationWhere(f, area_end);
  std::string sql;
  if (f.holder_kind || !f.holder_area_prefix.empty()) {
    // A reviewer's queue: the page's ids first, found on index entries alone
    // (applications_status_holder, holders_kind_area; migration 0010), then only those rows —
    // not every pending application of the province read to find the departments' ones.
    std::string ids = "SELECT id FROM applications" + w.Clause() + " ORDER BY created_at, id";
    ids += w.Page(b);
    sql = SelectSql("applications", kApplicationColumns) + " WHERE id IN (" + ids + ") ORDER BY created_at, id";
  } else {
    sql = SelectSql("applications", kApplicationColumns) + w.Clause() + " ORDER BY created_at, id";
    sql += w.Page(b);
  }
  ASSIGN_OR_RETURN(std::vector<Application> list,
                   QueryAll(tx_, "list applications", sql, w.params(), ReadApplication));
  RETURN_IF_ERROR(LoadReviews(list));
  return list;
}

// ---- SealRepository --------------------------------------------------------------------

Status SqlSealRepository::Insert(const Seal& s) {
  static const std::string sql = InsertSql("seals", kSealColumns);
  ASSIGN_OR_RETURN(int64_t n, tx_.Execute("insert seal", sql, SealParams(s)));
  if (n == 0) return AlreadyExists(tx_, "seal", {{"seals", "id", s.id}, {"seals", "esid", s.esid}});
  return Status::Ok();
}

Status SqlSealRepository::Update(const Seal& s) {
  if (!s.esid.empty()) {
    ASSIGN_OR_RETURN(QueryResult q,
                     tx_.Query("update seal", "SELECT 1 FROM seals WHERE esid = $1 AND id <> $2",
                               {Text(s.esid), Text(s.id)}));
    if (!q.empty()) {
      return AlreadyExistsError("another seal has esid " + Quote(s.esid) +
                                " (unique key seals.esid)");
    }
  }
  static const std::string sql = UpdateSql("seals", kSealColumns, 1);
  ASSIGN_OR_RETURN(int64_t n, tx_.Execute("update seal", sql, SealParams(s)));
  return RequireChanged(n, "seal", s.id);
}

Result<Seal> SqlSealRepository::Get(std::string_view id) {
  static const std::string sql = SelectSql("seals", kSealColumns) + " WHERE id = $1";
  return QueryOne(tx_, "get seal", sql, {Text(id)}, ReadSeal, "seal " + Quote(id) + " not found");
}

Result<Seal> SqlSealRepository::GetForUpdate(std::string_view id) {
  RETURN_IF_ERROR(tx_.RequireWrite("lock seal"));
  std::string sql =
      SelectSql("seals", kSealColumns) + " WHERE id = $1" + std::string(ForUpdate(tx_.dialect()));
  return QueryOne(tx_, "lock seal", sql, {Text(id)}, ReadSeal, "seal " + Quote(id) + " not found");
}

Result<Seal> SqlSealRepository::GetByEsid(std::string_view esid) {
  static const std::string sql = SelectSql("seals", kSealColumns) + " WHERE esid = $1";
  return QueryOne(tx_, "get seal by esid", sql, {Text(esid)}, ReadSeal,
                  "no seal with esid " + Quote(esid));
}

Result<int64_t> SqlSealRepository::Count(const Filter& f) {
  return CountWhere(tx_, "count seals", "seals", SealWhere(f));
}

Result<std::vector<Seal>> SqlSealRepository::List(const Filter& f, Page page) {
  ASSIGN_OR_RETURN(Bounds b, PageBounds(page.limit, page.offset));
  Where w = SealWhere(f);
  std::string sql = SelectSql("seals", kSealColumns) + w.Clause() + " ORDER BY created_at, id";
  sql += w.Page(b);
  return QueryAll(tx_, "list seals", sql, w.params(), ReadSeal);
}

// ---- SealEventRepository ---------------------------------------------------------------

Status SqlSealEventRepository::Append(const SealEvent& e) {
  static const std::string sql = "INSERT INTO seal_events (" + std::string(kSealEventColumns) +
                                 ") VALUES ($1, $2, $3, $4, $5)";
  return tx_
      .Execute("append seal event", sql,
               {Text(e.seal_id), Text(Name(e.type)), At(e.at), Text(e.reason), Text(e.actor)})
      .status();
}

Result<std::vector<SealEvent>> SqlSealEventRepository::ListForSeal(std::string_view seal_id) {
  static const std::string sql =
      SelectSql("seal_events", kSealEventColumns) + " WHERE seal_id = $1 ORDER BY at, n";
  return QueryAll(tx_, "list seal events", sql, {Text(seal_id)}, ReadSealEvent);
}

Status SqlSealEventRepository::AppendNotice(const SealNotice& n) {
  static const std::string sql = "INSERT INTO notices (" + std::string(kNoticeColumns) +
                                 ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
  return tx_
      .Execute("append public notice", sql,
               {Text(n.esid), Text(n.seal_name), Text(n.holder_name), Text(n.kind),
                Text(Name(n.event)), Text(n.reason), At(n.at), Text(n.seal_id)})
      .status();
}

Result<std::vector<SealNotice>> SqlSealEventRepository::ListNotices(Page page) {
  ASSIGN_OR_RETURN(Bounds b, PageBounds(page.limit, page.offset));
  // notices_at (at, n) read backwards: the newest page without sorting the table.
  static const std::string sql =
      SelectSql("notices", kNoticeColumns) + " ORDER BY at DESC, n DESC LIMIT $1 OFFSET $2";
  return QueryAll(tx_, "list public notices", sql, {Int(b.limit), Int(b.offset)}, ReadNotice);
}

Result<int64_t> SqlSealEventRepository::CountNotices() {
  return CountWhere(tx_, "count public notices", "notices", Where());
}

// ---- CertificateRepository -------------------------------------------------------------

Status SqlCertificateRepository::Insert(const IssuedCertificate& c) {
  static const std::string sql = InsertSql("certificates", kCertificateColumns);
  ASSIGN_OR_RETURN(int64_t n, tx_.Execute("insert certificate", sql, CertificateParams(c)));
  if (n == 0) {
    return AlreadyExists(tx_, "certificate", {{"certificates", "serial_hex", c.serial_hex}});
  }
  return Status::Ok();
}

Status SqlCertificateRepository::Update(const IssuedCertificate& c) {
  static const std::string sql = UpdateSql("certificates", kCertificateColumns, 1);
  ASSIGN_OR_RETURN(int64_t n, tx_.Execute("update certificate", sql, CertificateParams(c)));
  return RequireChanged(n, "certificate", c.serial_hex);
}

Result<IssuedCertificate> SqlCertificateRepository::Get(std::string_view serial_hex) {
  static const std::string sql =
      SelectSql("certificates", kCertificateColumns) + " WHERE serial_hex = $1";
  return QueryOne(tx_, "get certificate", sql, {Text(serial_hex)}, ReadCertificate,
                  "certificate " + Quote(serial_hex) + " not found");
}

Result<std::vector<IssuedCertificate>> SqlCertificateRepository::ListRevoked() {
  static const std::string sql = SelectSql("certificates", kCertificateColumns) +
                                 " WHERE revoked_at IS NOT NULL ORDER BY revoked_at, serial_hex";
  return QueryAll(tx_, "list revoked certificates", sql, {}, ReadCertificate);
}

// ---- PlatformKeyRepository -------------------------------------------------------------

Status SqlPlatformKeyRepository::Insert(const PlatformKey& k) {
  static const std::string sql = InsertSql("platform_keys", kPlatformKeyColumns);
  ASSIGN_OR_RETURN(int64_t n, tx_.Execute("insert platform key", sql,
                                          {Text(k.name), Blob(k.cert_der), Blob(k.protected_key),
                                           Text(k.kek_id), At(k.created_at)}));
  if (n == 0) return AlreadyExists(tx_, "platform key", {{"platform_keys", "name", k.name}});
  return Status::Ok();
}

Result<PlatformKey> SqlPlatformKeyRepository::Get(std::string_view name) {
  static const std::string sql =
      SelectSql("platform_keys", kPlatformKeyColumns) + " WHERE name = $1";
  return QueryOne(tx_, "get platform key", sql, {Text(name)}, ReadPlatformKey,
                  "platform key " + Quote(name) + " not found");
}

}  // namespace eseal::store::internal
