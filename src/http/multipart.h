// Parsers of the outside bytes the HTTP transport (server.cc) hands to the API: the query
// string and multipart/form-data bodies (RFC 7578). Both work on bytes already read within
// the route's limit and return errors as values; fuzzed by fuzz/http_multipart_fuzzer.cc.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "eseal/base/result.h"
#include "json.h"

namespace eseal::http {

// The most parts a form may have; more is a 400.
inline constexpr size_t kMaxFormParts = 100;

// "a=1&b=x%20y": decoded name/value pairs (Part::name, Part::data) in order; "+" is a space.
// Empty segments are skipped; a segment without "=" has an empty value. InvalidArgument on a
// malformed %-escape.
Result<std::vector<Part>> ParseQuery(std::string_view query);

// The boundary parameter of a multipart/form-data Content-Type, or InvalidArgument.
Result<std::string> MultipartBoundary(std::string_view content_type);

// Splits a multipart/form-data body into its parts (name, filename, content type, data).
// InvalidArgument when the body is not a complete form with that boundary, a part has no
// name, part headers are too long, or there are more than `max_parts` parts.
Result<std::vector<Part>> ParseMultipart(std::string_view body, std::string_view boundary,
                                         size_t max_parts = kMaxFormParts);

}  // namespace eseal::http
