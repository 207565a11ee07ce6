// The shared pieces of the SQL abstraction (sql.h).
#include "sql.h"

namespace eseal::store::internal {

std::string RowReader::Text() {
  const QueryResult::Cell& c = Next();
  switch (c.type) {
    case QueryResult::Cell::Type::kNull:
      return std::string();
    case QueryResult::Cell::Type::kInt:
      return std::to_string(c.i);
    case QueryResult::Cell::Type::kBytes:
      return c.s;
  }
  return std::string();
}

int64_t RowReader::Int() {
  const QueryResult::Cell& c = Next();
  switch (c.type) {
    case QueryResult::Cell::Type::kNull:
      return 0;
    case QueryResult::Cell::Type::kInt:
      return c.i;
    case QueryResult::Cell::Type::kBytes: {
      int64_t v = 0;
      bool neg = false;
      size_t i = 0;
      if (!c.s.empty() && c.s[0] == '-') {
        neg = true;
        i = 1;
      }
      for (; i < c.s.size() && c.s[i] >= '0' && c.s[i] <= '9'; ++i) v = v * 10 + (c.s[i] - '0');
      return neg ? -v : v;
    }
  }
  return 0;
}

Bytes RowReader::Blob() {
  const QueryResult::Cell& c = Next();
  if (c.type != QueryResult::Cell::Type::kBytes) return Bytes();
  return ToBytes(c.s);
}

std::optional<Time> RowReader::OptAt() {
  if (IsNull()) {
    ++col_;
    return std::nullopt;
  }
  return At();
}

bool IsStorableText(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    unsigned char c = p[i];
    if (c == 0) return false;
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
      return false;
    }
    i += len;
  }
  return true;
}

Result<Bounds> PageBounds(int limit, int offset) {
  if (limit < 0 || offset < 0) {
    return InvalidArgumentError("page limit and offset must not be negative");
  }
  constexpr int kMax = 1000;
  return Bounds{limit == 0 || limit > kMax ? kMax : limit, offset};
}

Result<Lease> Lease::Acquire(const std::shared_ptr<Pool>& pool, TxMode mode) {
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> c, pool->Acquire(mode));
  return Lease(pool, std::move(c), mode);
}

}  // namespace eseal::store::internal
