// Repositories of the registry: holders, areas, impressions, accounts, credentials,
// clients, vendor authorisations and seal grants.
#include <unordered_map>

#include "repo_util.h"

namespace eseal::store::internal {

using namespace platform;  // NOLINT(google-build-using-namespace): the model's records

namespace {

// ---- holders ---------------------------------------------------------------------------

constexpr std::string_view kHolderColumns =
    "id, kind, uscc, name, legal_rep, status, area_code, created_at, updated_at";

Params HolderParams(const Holder& h) {
  return {Text(h.id),        Text(Name(h.kind)), TextOrNull(h.uscc),
          Text(h.name),      Text(h.legal_rep),  Text(Name(h.status)),
          Text(h.area_code), At(h.created_at),   At(h.updated_at)};
}

Result<Holder> ReadHolder(RowReader& r) {
  Holder h;
  h.id = r.Text();
  ASSIGN_OR_RETURN(h.kind, r.Enum(ParseHolderKind, "holders.kind"));
  h.uscc = r.Text();
  h.name = r.Text();
  h.legal_rep = r.Text();
  ASSIGN_OR_RETURN(h.status, r.Enum(ParseHolderStatus, "holders.status"));
  h.area_code = r.Text();
  h.created_at = r.At();
  h.updated_at = r.At();
  return h;
}

// ---- areas -----------------------------------------------------------------------------

constexpr std::string_view kAreaColumns = "code, name, level, parent_code";
constexpr std::string_view kUpsertArea =
    "INSERT INTO areas (code, name, level, parent_code) VALUES ($1, $2, $3, $4)"
    " ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level,"
    " parent_code = excluded.parent_code";

Result<Area> ReadArea(RowReader& r) {
  Area a;
  a.code = r.Text();
  a.name = r.Text();
  int64_t level = r.Int();
  if (level < 1 || level > 3) return DataLossError("stored areas.level is not 1, 2 or 3");
  a.level = static_cast<AreaLevel>(level);
  a.parent_code = r.Text();
  return a;
}

// ---- impressions -----------------------------------------------------------------------

constexpr std::string_view kImpressionColumns =
    "id, holder_id, seal_kind, png, supplied_by, created_at";

Result<Impression> ReadImpression(RowReader& r) {
  Impression i;
  i.id = r.Text();
  i.holder_id = r.Text();
  i.seal_kind = r.Text();
  i.png = r.Blob();
  i.supplied_by = r.Text();
  i.created_at = r.At();
  return i;
}

// ---- accounts --------------------------------------------------------------------------

constexpr std::string_view kAccountColumns =
    "id, name, role, holder_id, area_code, disabled, created_at";

Params AccountParams(const Account& a) {
  return {Text(a.id),        Text(a.name),     Text(Name(a.role)), TextOrNull(a.holder_id),
          Text(a.area_code), Bool(a.disabled), At(a.created_at)};
}

Result<Account> ReadAccount(RowReader& r) {
  Account a;
  a.id = r.Text();
  a.name = r.Text();
  ASSIGN_OR_RETURN(a.role, r.Enum(ParseRole, "accounts.role"));
  a.holder_id = r.Text();
  a.area_code = r.Text();
  a.disabled = r.Bool();
  a.created_at = r.At();
  return a;
}

// ---- clients ---------------------------------------------------------------------------

constexpr std::string_view kClientColumns =
    "id, name, type, scenario, contact, holder_id, status, rate_limit_per_minute, "
    "decision_reason, created_at, updated_at";

Params ClientParams(const Client& c) {
  return {Text(c.id),
          Text(c.name),
          Text(Name(c.type)),
          Text(c.scenario),
          Text(c.contact),
          TextOrNull(c.holder_id),
          Text(Name(c.status)),
          Int(c.rate_limit_per_minute),
          Text(c.decision_reason),
          At(c.created_at),
          At(c.updated_at)};
}

Result<Client> ReadClient(RowReader& r) {
  Client c;
  c.id = r.Text();
  c.name = r.Text();
  ASSIGN_OR_RETURN(c.type, r.Enum(ParseClientType, "clients.type"));
  c.scenario = r.Text();
  c.contact = r.Text();
  c.holder_id = r.Text();
  ASSIGN_OR_RETURN(c.status, r.Enum(ParseClientStatus, "clients.status"));
  c.rate_limit_per_minute = r.IntSmall();
  c.decision_reason = r.Text();
  c.created_at = r.At();
  c.updated_at = r.At();
  return c;
}

// ---- vendor authorisations -------------------------------------------------------------

constexpr std::string_view kAuthorisationColumns =
    "id, client_id, holder_id, valid_until, withdrawn_at, created_by, created_at";
constexpr std::string_view kInsertAuthorisationSeal =
    "INSERT INTO authorisation_seals (authorisation_id, position, seal_id) VALUES ($1, $2, $3)";
constexpr std::string_view kDeleteAuthorisationSeals =
    "DELETE FROM authorisation_seals WHERE authorisation_id = $1";
constexpr std::string_view kSelectAuthorisationSeals =
    "SELECT authorisation_id, seal_id FROM authorisation_seals WHERE authorisation_id";
constexpr std::string_view kAuthorisationSealsOrder = " ORDER BY authorisation_id, position";

Params AuthorisationParams(const VendorAuthorisation& a) {
  return {Text(a.id),        Text(a.client_id),     Text(a.holder_id),
          At(a.valid_until), OptAt(a.withdrawn_at), Text(a.created_by),
          At(a.created_at)};
}

Result<VendorAuthorisation> ReadAuthorisation(RowReader& r) {
  VendorAuthorisation a;
  a.id = r.Text();
  a.client_id = r.Text();
  a.holder_id = r.Text();
  a.valid_until = r.At();
  a.withdrawn_at = r.OptAt();
  a.created_by = r.Text();
  a.created_at = r.At();
  return a;
}

// ---- seal grants -----------------------------------------------------------------------

constexpr std::string_view kGrantColumns = "seal_id, account_id, can_use, can_approve";
constexpr std::string_view kUpsertGrant =
    "INSERT INTO seal_grants (seal_id, account_id, can_use, can_approve) VALUES ($1, $2, $3, $4)"
    " ON CONFLICT (seal_id, account_id) DO UPDATE SET can_use = excluded.can_use,"
    " can_approve = excluded.can_approve";

Result<SealGrant> ReadGrant(RowReader& r) {
  SealGrant g;
  g.seal_id = r.Text();
  g.account_id = r.Text();
  g.can_use = r.Bool();
  g.can_approve = r.Bool();
  return g;
}

}  // namespace

// ---- HolderRepository ------------------------------------------------------------------

Status SqlHolderRepository::Insert(const Holder& h) {
  static const std::string sql = InsertSql("holders", kHolderColumns);
  ASSIGN_OR_RETURN(int64_t n, tx_.Execute("insert holder", sql, HolderParams(h)));
  if (n == 0) {
    return AlreadyExists(tx_, "holder", {{"holders", "id", h.id}, {"holders", "uscc", h.uscc}});
  }
  return Status::Ok();
}

Status SqlHolderRepository::Update(const Holder& h) {
  if (!h.uscc.empty()) {
    ASSIGN_OR_RETURN(QueryResult q, tx_.Query("update holder",
                                              "SELECT 1 FROM holders WHERE uscc = $1 AND id <> $2",
                                              {Text(h.uscc), Text(h.id)}));
    if (!q.empty()) {
      return AlreadyExistsError("another holder has uscc " + Quote(h.uscc) +
                                " (unique key holders.uscc)");
    }
  }
  static const std::string sql = UpdateSql("holders", kHolderColumns, 1);
  ASSIGN_OR_RETURN(int64_t n, tx_.Execute("update holder", sql, HolderParams(h)));
  return RequireChanged(n, "holder", h.id);
}

Result<Holder> SqlHolderRepository::Get(std::string_view id) {
  static const std::string sql = SelectSql("holders", kHolderColumns) + " WHERE id = $1";
  return QueryOne(tx_, "get holder", sql, {Text(id)}, ReadHolder,
                  "holder " + Quote(id) + " not found");
}

Result<Holder> SqlHolderRepository::GetByUscc(std::string_view uscc) {
  static const std::string sql = SelectSql("holders", kHolderColumns) + " WHERE uscc = $1";
  return QueryOne(tx_, "get holder by uscc", sql, {Text(uscc)}, ReadHolder,
                  "no holder with uscc " + Quote(uscc));
}

namespace {
// The WHERE of SqlHolderRepository::List and Count; `keep` holds texts the parameters point
// into, so it must outlive the query.
Where HolderWhere(Dialect dialect, const HolderRepository::Filter& f, std::string (&keep)[2]) {
  Where w;
  if (!f.uscc.empty()) w.Add("uscc = " + w.Bind(Text(f.uscc)));  // unique index
  if (f.kind) w.Add("kind = " + w.Bind(Text(Name(*f.kind))));
  if (f.status) w.Add("status = " + w.Bind(Text(Name(*f.status))));
  std::string& prefix_end = keep[0];
  prefix_end = PrefixEnd(f.area_prefix);
  if (!f.area_prefix.empty()) {
    w.Add("area_code >= " + w.Bind(Text(f.area_prefix)));
    w.Add("area_code < " + w.Bind(Text(prefix_end)));
  }
  // PostgreSQL: LIKE, which the trigram index holders_name_trgm serves (migration 0006);
  // the fragment's wildcards are escaped so that it matches as plain text, as instr does.
  std::string& pattern = keep[1];
  if (!f.name_contains.empty()) {
    if (dialect == Dialect::kPostgres) {
      pattern = "%" + LikeEscape(f.name_contains) + "%";
      w.Add("name LIKE " + w.Bind(Text(pattern)));
    } else {
      w.Add(Contains(dialect, "name", w.Bind(Text(f.name_contains))));
    }
  }
  return w;
}
}  // namespace

Result<std::vector<Holder>> SqlHolderRepository::List(const Filter& f, Page page) {
  ASSIGN_OR_RETURN(Bounds b, PageBounds(page.limit, page.offset));
  std::string keep[2];
  Where w = HolderWhere(tx_.dialect(), f, keep);
  std::string sql = SelectSql("holders", kHolderColumns) + w.Clause() + " ORDER BY name, id";
  sql += w.Page(b);
  return QueryAll(tx_, "list holders", sql, w.params(), ReadHolder);
}

Result<int64_t> SqlHolderRepository::Count(const Filter& f) {
  std::string keep[2];
  return CountWhere(tx_, "count holders", "holders", HolderWhere(tx_.dialect(), f, keep));
}

// ---- AreaRepository --------------------------------------------------------------------

Status SqlAreaRepository::Upsert(const Area& a) {
  return tx_
      .Execute(
          "upsert area", kUpsertArea,
          {Text(a.code), Text(a.name), Int(static_cast<int>(a.level)), TextOrNull(a.parent_code)})
      .status();
}

Result<Area> SqlAreaRepository::Get(std::string_view code) {
  static const std::string sql = SelectSql("areas", kAreaColumns) + " WHERE code = $1";
  return QueryOne(tx_, "get area", sql, {Text(code)}, ReadArea,
                  "area " + Quote(code) + " not found");
}

Result<std::vector<Area>> SqlAreaRepository::List() {
  static const std::string sql = SelectSql("areas", kAreaColumns) + " ORDER BY code";
  return QueryAll(tx_, "list areas", sql, {}, ReadArea);
}

Result<std::vector<Area>> SqlAreaRepository::List(Page page) {
  ASSIGN_OR_RETURN(Bounds b, PageBounds(page.limit, page.offset));
  static const std::string sql =
      SelectSql("areas", kAreaColumns) + " ORDER BY code LIMIT $1 OFFSET $2";
  return QueryAll(tx_, "list areas", sql, {Int(b.limit), Int(b.offset)}, ReadArea);
}

Result<int64_t> SqlAreaRepository::Count() {
  return CountWhere(tx_, "count areas", "areas", Where());
}

// ---- ImpressionRepository --------------------------------------------------------------

Status SqlImpressionRepository::Insert(const Impression& i) {
  static const std::string sql = InsertSql("impressions", kImpressionColumns);
  ASSIGN_OR_RETURN(int64_t n, tx_.Execute("insert impression", sql,
                                          {Text(i.id), Text(i.holder_id), Text(i.seal_kind),
                                           Blob(i.png), Text(i.supplied_by), At(i.created_at)}));
  if (n == 0) return AlreadyExists(tx_, "impression", {{"impressions", "id", i.id}});
  return Status::Ok();
}

Result<Impression> SqlImpressionRepository::Latest(std::string_view holder_id,
                                                   std::string_view seal_kind) {
  static const std::string sql = SelectSql("impressions", kImpressionColumns) +
                                 " WHERE holder_id = $1 AND seal_kind = $2"
                                 " ORDER BY created_at DESC, n DESC LIMIT 1";
  return QueryOne(tx_, "latest impression", sql, {Text(holder_id), Text(seal_kind)}, ReadImpression,
                  "no impression of kind " + Quote(seal_kind) + " for holder " + Quote(holder_id));
}

Result<std::vector<Impression>> SqlImpressionRepository::ListForHolder(std::string_view holder_id) {
  static const std::string sql =
      SelectSql("impressions", kImpressionColumns) + " WHERE holder_id = $1 ORDER BY created_at, n";
  return QueryAll(tx_, "list impressions", sql, {Text(holder_id)}, ReadImpression);
}

// ---- AccountRepository -----------------------------------------------------------------

Status SqlAccountRepository::Insert(const Account& a) {
  static const std::string sql = InsertSql("accounts", kAccountColumns);
  ASSIGN_OR_RETURN(int64_t n, tx_.Execute("insert account", sql, AccountParams(a)));
  if (n == 0) return AlreadyExists(tx_, "account", {{"accounts", "id", a.id}});
  return Status::Ok();
}

Status SqlAccountRepository::Update(const Account& a) {
  static const std::string sql = UpdateSql("accounts", kAccountColumns, 1);
  ASSIGN_OR_RETURN(int64_t n, tx_.Execute("update account", sql, AccountParams(a)));
  return RequireChanged(n, "account", a.id);
}

Result<Account> SqlAccountRepository::Get(std::string_view id) {
  static const std::string sql = SelectSql("accounts", kAccountColumns) + " WHERE id = $1";
  return QueryOne(tx_, "get account", sql, {Text(id)}, ReadAccount,
                  "account " + Quote(id) + " not found");
}

Result<std::vector<Account>> SqlAccountRepository::List(std::string_view holder_id, Page page) {
  ASSIGN_OR_RETURN(Bounds b, PageBounds(page.limit, page.offset));
  Where w;
  if (!holder_id.empty()) w.Add("holder_id = " + w.Bind(Text(holder_id)));
  std::string sql =
      SelectSql("accounts", kAccountColumns) + w.Clause() + " ORDER BY created_at, id";
  sql += w.Page(b);
  return QueryAll(tx_, "list accounts", sql, w.params(), ReadAccount);
}

// ---- ClientRepository ------------------------------------------------------------------

Status SqlClientRepository::Insert(const Client& c) {
  static const std::string sql = InsertSql("clients", kClientColumns);
  ASSIGN_OR_RETURN(int64_t n, tx_.Execute("insert client", sql, ClientParams(c)));
  if (n == 0) return AlreadyExists(tx_, "client", {{"clients", "id", c.id}});
  return Status::Ok();
}

Status SqlClientRepository::Update(const Client& c) {
  static const std::string sql = UpdateSql("clients", kClientColumns, 1);
  ASSIGN_OR_RETURN(int64_t n, tx_.Execute("update client", sql, ClientParams(c)));
  return RequireChanged(n, "client", c.id);
}

Result<Client> SqlClientRepository::Get(std::string_view id) {
  static const std::string sql = SelectSql("clients", kClientColumns) + " WHERE id = $1";
  return QueryOne(tx_, "get client", sql, {Text(id)}, ReadClient,
                  "client " + Quote(id) + " not found");
}

namespace {
// The WHEREs of the lists and their counts, one function each so the two cannot drift.
Where ClientWhere(std::optional<ClientStatus> status) {
  Where w;
  if (status) w.Add("status = " + w.Bind(Text(Name(*status))));
  return w;
}
Where AuthorisationWhere(std::string_view client_id, std::string_view holder_id) {
  Where w;
  if (!client_id.empty()) w.Add("client_id = " + w.Bind(Text(client_id)));
  if (!holder_id.empty()) w.Add("holder_id = " + w.Bind(Text(holder_id)));
  return w;
}
}  // namespace

Result<std::vector<Client>> SqlClientRepository::List(std::optional<ClientStatus> status,
                                                      Page page) {
  ASSIGN_OR_RETURN(Bounds b, PageBounds(page.limit, page.offset));
  Where w = ClientWhere(status);
  std::string sql = SelectSql("clients", kClientColumns) + w.Clause() + " ORDER BY created_at, id";
  sql += w.Page(b);
  return QueryAll(tx_, "list clients", sql, w.params(), ReadClient);
}

Result<int64_t> SqlClientRepository::Count(std::optional<ClientStatus> status) {
  return CountWhere(tx_, "count clients", "clients", ClientWhere(status));
}

// ---- AuthorisationRepository -----------------------------------------------------------

Status SqlAuthorisationRepository::WriteSeals(const VendorAuthorisation& a) {
  for (size_t i = 0; i < a.seal_ids.size(); ++i) {
    RETURN_IF_ERROR(tx_.Execute("insert authorised seal", kInsertAuthorisationSeal,
                                {Text(a.id), Int(static_cast<int64_t>(i)), Text(a.seal_ids[i])}));
  }
  return Status::Ok();
}

Status SqlAuthorisationRepository::LoadSeals(std::vector<VendorAuthorisation>& list) {
  std::vector<std::string> ids;
  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < list.size(); ++i) {
    ids.push_back(list[i].id);
    index[list[i].id] = i;
  }
  return ForEachIn(tx_, "load authorised seals", kSelectAuthorisationSeals,
                   kAuthorisationSealsOrder, ids, [&](RowReader& r) -> Status {
                     std::string id = r.Text();
                     auto it = index.find(id);
                     if (it != index.end()) list[it->second].seal_ids.push_back(r.Text());
                     return Status::Ok();
                   });
}

Status SqlAuthorisationRepository::Insert(const VendorAuthorisation& a) {
  static const std::string sql = InsertSql("authorisations", kAuthorisationColumns);
  ASSIGN_OR_RETURN(int64_t n, tx_.Execute("insert authorisation", sql, AuthorisationParams(a)));
  if (n == 0) return AlreadyExists(tx_, "authorisation", {{"authorisations", "id", a.id}});
  return WriteSeals(a);
}

Status SqlAuthorisationRepository::Update(const VendorAuthorisation& a) {
  static const std::string sql = UpdateSql("authorisations", kAuthorisationColumns, 1);
  ASSIGN_OR_RETURN(int64_t n, tx_.Execute("update authorisation", sql, AuthorisationParams(a)));
  RETURN_IF_ERROR(RequireChanged(n, "authorisation", a.id));
  RETURN_IF_ERROR(tx_.Execute("update authorisation", kDeleteAuthorisationSeals, {Text(a.id)}));
  return WriteSeals(a);
}

Result<VendorAuthorisation> SqlAuthorisationRepository::Get(std::string_view id) {
  static const std::string sql =
      SelectSql("authorisations", kAuthorisationColumns) + " WHERE id = $1";
  ASSIGN_OR_RETURN(VendorAuthorisation a,
                   QueryOne(tx_, "get authorisation", sql, {Text(id)}, ReadAuthorisation,
                            "authorisation " + Quote(id) + " not found"));
  std::vector<VendorAuthorisation> one;
  one.push_back(std::move(a));
  RETURN_IF_ERROR(LoadSeals(one));
  return std::move(one.front());
}

Result<std::vector<VendorAuthorisation>> SqlAuthorisationRepository::List(
    std::string_view client_id, std::string_view holder_id) {
  Where w = AuthorisationWhere(client_id, holder_id);
  std::string sql =
      SelectSql("authorisations", kAuthorisationColumns) + w.Clause() + " ORDER BY created_at, id";
  ASSIGN_OR_RETURN(std::vector<VendorAuthorisation> list,
                   QueryAll(tx_, "list authorisations", sql, w.params(), ReadAuthorisation));
  RETURN_IF_ERROR(LoadSeals(list));
  return list;
}

Result<std::vector<VendorAuthorisation>> SqlAuthorisationRepository::List(
    std::string_view client_id, std::string_view holder_id, Page page) {
  ASSIGN_OR_RETURN(Bounds b, PageBounds(page.limit, page.offset));
  Where w = AuthorisationWhere(client_id, holder_id);
  std::string sql =
      SelectSql("authorisations", kAuthorisationColumns) + w.Clause() + " ORDER BY created_at, id";
  sql += w.Page(b);
  ASSIGN_OR_RETURN(std::vector<VendorAuthorisation> list,
                   QueryAll(tx_, "list authorisations", sql, w.params(), ReadAuthorisation));
  RETURN_IF_ERROR(LoadSeals(list));
  return list;
}

Result<int64_t> SqlAuthorisationRepository::Count(std::string_view client_id,
                                                  std::string_view holder_id) {
  return CountWhere(tx_, "count authorisations", "authorisations",
                    AuthorisationWhere(client_id, holder_id));
}

// ---- SealGrantRepository ---------------------------------------------------------------

Status SqlSealGrantRepository::Upsert(const SealGrant& g) {
  return tx_
      .Execute("upsert seal grant", kUpsertGrant,
               {Text(g.seal_id), Text(g.account_id), Bool(g.can_use), Bool(g.can_approve)})
      .status();
}

Status SqlSealGrantRepository::Delete(std::string_view seal_id, std::string_view account_id) {
  ASSIGN_OR_RETURN(int64_t n,
                   tx_.Execute("delete seal grant",
                               "DELETE FROM seal_grants WHERE seal_id = $1 AND account_id = $2",
                               {Text(seal_id), Text(account_id)}));
  if (n == 0) {
    return NotFoundError("no grant of seal " + Quote(seal_id) + " to account " + Quote(account_id));
  }
  return Status::Ok();
}

Result<SealGrant> SqlSealGrantRepository::Get(std::string_view seal_id,
                                              std::string_view account_id) {
  static const std::string sql =
      SelectSql("seal_grants", kGrantColumns) + " WHERE seal_id = $1 AND account_id = $2";
  return QueryOne(tx_, "get seal grant", sql, {Text(seal_id), Text(account_id)}, ReadGrant,
                  "no grant of seal " + Quote(seal_id) + " to account " + Quote(account_id));
}

Result<std::vector<SealGrant>> SqlSealGrantRepository::ListForSeal(std::string_view seal_id) {
  static const std::string sql =
      SelectSql("seal_grants", kGrantColumns) + " WHERE seal_id = $1 ORDER BY account_id";
  return QueryAll(tx_, "list seal grants", sql, {Text(seal_id)}, ReadGrant);
}

Result<std::vector<SealGrant>> SqlSealGrantRepository::ListForAccount(std::string_view account_id) {
  static const std::string sql =
      SelectSql("seal_grants", kGrantColumns) + " WHERE account_id = $1 ORDER BY seal_id";
  return QueryAll(tx_, "list an account's seal grants", sql, {Text(account_id)}, ReadGrant);
}

}  // namespace eseal::store::internal
