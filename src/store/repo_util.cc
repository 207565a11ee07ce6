// Helpers the repository implementations share (repo_util.h).
#include "repo_util.h"

#include <algorithm>

namespace eseal::store::internal {
namespace {

std::vector<std::string_view> SplitColumns(std::string_view columns) {
  std::vector<std::string_view> out;
  while (!columns.empty()) {
    size_t comma = columns.find(',');
    std::string_view c = columns.substr(0, comma);
    while (!c.empty() && c.front() == ' ') c.remove_prefix(1);
    while (!c.empty() && c.back() == ' ') c.remove_suffix(1);
    out.push_back(c);
    if (comma == std::string_view::npos) break;
    columns.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace

std::string InsertSql(std::string_view table, std::string_view columns) {
  size_t n = SplitColumns(columns).size();
  std::string sql =
      "INSERT INTO " + std::string(table) + " (" + std::string(columns) + ") VALUES (";
  for (size_t i = 1; i <= n; ++i) {
    if (i > 1) sql += ", ";
    sql += "$" + std::to_string(i);
  }
  return sql + ") ON CONFLICT DO NOTHING";
}

std::string UpdateSql(std::string_view table, std::string_view columns, int keys) {
  std::vector<std::string_view> cols = SplitColumns(columns);
  std::string set;
  std::string where;
  for (size_t i = 0; i < cols.size(); ++i) {
    std::string term = std::string(cols[i]) + " = $" + std::to_string(i + 1);
    if (static_cast<int>(i) < keys) {
      where += where.empty() ? term : " AND " + term;
    } else {
      set += set.empty() ? term : ", " + term;
    }
  }
  return "UPDATE " + std::string(table) + " SET " + set + " WHERE " + where;
}

std::string SelectSql(std::string_view table, std::string_view columns) {
  return "SELECT " + std::string(columns) + " FROM " + std::string(table);
}

Status AlreadyExists(SqlTx& tx, std::string_view thing, std::initializer_list<UniqueKey> keys) {
  for (const UniqueKey& k : keys) {
    if (k.value.empty()) continue;
    std::string sql =
        "SELECT 1 FROM " + std::string(k.table) + " WHERE " + std::string(k.column) + " = $1";
    ASSIGN_OR_RETURN(QueryResult q, tx.Query("check unique key", sql, {Text(k.value)}));
    if (q.empty()) continue;
    if (k.secret) {
      return AlreadyExistsError(std::string(thing) + " with this " + std::string(k.column) +
                                " already exists (unique key " + std::string(k.table) + "." +
                                std::string(k.column) + ")");
    }
    return AlreadyExistsError(std::string(thing) + " with " + std::string(k.column) + " " +
                              Quote(k.value) + " already exists (unique key " +
                              std::string(k.table) + "." + std::string(k.column) + ")");
  }
  return AlreadyExistsError(std::string(thing) + " already exists");
}

Status ForEachIn(SqlTx& tx, std::string_view what, std::string_view prefix, std::string_view suffix,
                 const std::vector<std::string>& ids,
                 const std::function<Status(RowReader&)>& on_row) {
  constexpr size_t kChunk = 100;
  for (size_t start = 0; start < ids.size(); start += kChunk) {
    size_t n = std::min(kChunk, ids.size() - start);
    // Pad to 1, 10 or 100 parameters (repeating the last id) so that few distinct
    // statements are prepared.
    size_t padded = n <= 1 ? 1 : n <= 10 ? 10 : kChunk;
    Params p;
    std::string sql(prefix);
    sql += " IN (";
    for (size_t i = 0; i < padded; ++i) {
      p.push_back(Text(ids[start + std::min(i, n - 1)]));
      sql += (i == 0 ? "$" : ", $") + std::to_string(i + 1);
    }
    sql += ")";
    sql += suffix;
    ASSIGN_OR_RETURN(QueryResult q, tx.Query(what, sql, p));
    for (size_t i = 0; i < q.rows(); ++i) {
      RowReader r(q, i);
      RETURN_IF_ERROR(on_row(r));
    }
  }
  return Status::Ok();
}

Status RequireChanged(int64_t changed, std::string_view thing, std::string_view id) {
  if (changed > 0) return Status::Ok();
  return NotFoundError(std::string(thing) + " " + Quote(id) + " not found");
}

std::string Quote(std::string_view s) {
  constexpr size_t kMax = 80;
  if (s.size() > kMax) {
    size_t cut = kMax;  // not inside a UTF-8 sequence
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    return "'" + std::string(s.substr(0, cut)) + "...'";
  }
  return "'" + std::string(s) + "'";
}

std::string PrefixEnd(std::string_view prefix) { return std::string(prefix) + "\xF4\x8F\xBF\xBF"; }

std::string LikeEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\' || c == '%' || c == '_') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace eseal::store::internal
