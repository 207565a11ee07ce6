// Helpers the repository implementations share (internal to the store module).
// Thread-safety: used by the thread that owns the transaction.
#pragma once

#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "sql_store.h"

namespace eseal::store::internal {

// "INSERT INTO t (a, b, c) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING": a unique conflict
// changes no row instead of failing (a failing statement would abort a PostgreSQL
// transaction); the repository then reports AlreadyExists and the transaction goes on.
std::string InsertSql(std::string_view table, std::string_view columns);
// "UPDATE t SET c = $3, ... WHERE a = $1 AND b = $2" for the first `keys` columns.
std::string UpdateSql(std::string_view table, std::string_view columns, int keys);
// "SELECT a, b, c FROM t"
std::string SelectSql(std::string_view table, std::string_view columns);

// The rows of a query, each read by `read`.
template <typename T>
Result<std::vector<T>> ReadAll(const QueryResult& q, Result<T> (*read)(RowReader&)) {
  std::vector<T> out;
  out.reserve(q.rows());
  for (size_t i = 0; i < q.rows(); ++i) {
    RowReader r(q, i);
    ASSIGN_OR_RETURN(T v, read(r));
    out.push_back(std::move(v));
  }
  return out;
}

template <typename T>
Result<std::vector<T>> QueryAll(SqlTx& tx, std::string_view what, std::string_view sql,
                                const Params& p, Result<T> (*read)(RowReader&)) {
  ASSIGN_OR_RETURN(QueryResult q, tx.Query(what, sql, p));
  return ReadAll(q, read);
}

// The one row of a query; NotFound(`not_found`) when there is none.
template <typename T>
Result<T> QueryOne(SqlTx& tx, std::string_view what, std::string_view sql, const Params& p,
                   Result<T> (*read)(RowReader&), std::string not_found) {
  ASSIGN_OR_RETURN(QueryResult q, tx.Query(what, sql, p));
  if (q.empty()) return NotFoundError(std::move(not_found));
  RowReader r(q, 0);
  return read(r);
}

// A unique key of a table, for the AlreadyExists message after a conflict. A secret key
// (a token hash) is named but its value is not shown.
struct UniqueKey {
  std::string_view table;
  std::string_view column;
  std::string_view value;
  bool secret = false;
};
// Finds which key is taken and returns AlreadyExists naming it ("holder with uscc '...'
// already exists").
Status AlreadyExists(SqlTx& tx, std::string_view thing, std::initializer_list<UniqueKey> keys);

// Runs `prefix IN ($1, ...) suffix` over `ids` in chunks and calls `on_row` per row
// (loading the child rows of a page of parents: reviews, authorised seals).
Status ForEachIn(SqlTx& tx, std::string_view what, std::string_view prefix, std::string_view suffix,
                 const std::vector<std::string>& ids,
                 const std::function<Status(RowReader&)>& on_row);

// NotFound when an UPDATE or DELETE changed no row.
Status RequireChanged(int64_t changed, std::string_view thing, std::string_view id);

// "'x'" for messages; ids and names only, never secret values.
std::string Quote(std::string_view s);

// The exclusive upper bound of strings that start with `prefix` (byte order): the prefix
// followed by U+10FFFF, the largest code point. `col >= prefix AND col < PrefixEnd(prefix)`
// is a prefix match an ordinary index serves.
std::string PrefixEnd(std::string_view prefix);
// Text for a LIKE pattern that matches itself only: \, % and _ escaped with a backslash
// (LIKE's default escape character).
std::string LikeEscape(std::string_view text);

}  // namespace eseal::store::internal
