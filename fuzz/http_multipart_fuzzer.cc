// Fuzzes the HTTP transport's parsers of outside bytes (src/http/multipart.cc): the query
// string and multipart/form-data bodies. The input's first line is the Content-Type (its
// boundary parameter is read with MultipartBoundary), the rest is the body; the whole input
// is also read as a query string.
//
// Invariants checked: a form never has more parts than asked for; each part's data and each
// part's name come from the body (the parser copies, never invents, bytes); a boundary is 1
// to 70 characters; a query parse either fails or returns at most one pair per '&'-segment;
// and parsing the same bytes twice gives the same answer.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "multipart.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);

  auto query = eseal::http::ParseQuery(in);
  if (query.ok()) {
    size_t segments = 1;
    for (char c : in) segments += c == '&';
    Check(query->size() <= segments);
  }

  size_t nl = in.find('\n');
  std::string_view content_type = in.substr(0, nl == std::string_view::npos ? in.size() : nl);
  std::string_view body = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
  auto boundary = eseal::http::MultipartBoundary(content_type);
  if (!boundary.ok()) return 0;
  Check(!boundary->empty() && boundary->size() <= 70);
  for (size_t max_parts : {size_t{3}, eseal::http::kMaxFormParts}) {
    auto parts = eseal::http::ParseMultipart(body, *boundary, max_parts);
    auto again = eseal::http::ParseMultipart(body, *boundary, max_parts);
    Check(parts.ok() == again.ok());
    if (!parts.ok()) continue;
    Check(parts->size() <= max_parts && parts->size() == again->size());
    for (size_t i = 0; i < parts->size(); ++i) {
      const eseal::http::Part& p = (*parts)[i];
      Check(p.data == (*again)[i].data && p.name == (*again)[i].name);
      Check(body.find(p.data) != std::string_view::npos);
    }
  }
  return 0;
}
