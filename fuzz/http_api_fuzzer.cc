// Fuzzes the HTTP API without sockets: routing and path decoding, the media-type check,
// the query and body parameter parsers of every route (routes.cc), the handlers and the
// renderers, over http::testing::FakePlatform (which records calls and returns plain
// records). The platform's own use cases are not under test here; the point is that no
// request, however malformed, crashes the layer, makes it answer 500 or write bad JSON.
//
// Input format (a readable request, so seeds can be written by hand):
//   line 1:  METHOD SP TARGET          (TARGET may carry ?name=value&... query parameters)
//   then:    header lines "name: value" until an empty line (names are lower-cased)
//   then:    the body. For multipart/form-data the body is split into parts at "\n--\n";
//            a part's first line is its name, or "name; filename"; the rest is its data.
//            (cpp-httplib splits real multipart bodies; from the parts on, the code is ours.)
// Query parameters are percent-decoded with http::PercentDecode, as httplib decodes them.
//
// A fresh FakePlatform and Api serve every input, so no state carries from one input to
// the next (the fake platform records every call, which would grow without bound).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "api.h"
#include "eseal/base/log.h"
#include "fake_platform.h"
#include "json.h"

namespace {

using eseal::http::ApiRequest;
using eseal::http::Part;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Reads one line (without its '\n') from `*rest`.
std::string_view Line(std::string_view* rest) {
  size_t nl = rest->find('\n');
  std::string_view line = rest->substr(0, nl);
  rest->remove_prefix(nl == std::string_view::npos ? rest->size() : nl + 1);
  return line;
}

void ParseQuery(std::string_view q, ApiRequest* r) {
  size_t pos = 0;
  while (pos < q.size() && r->query.size() < 100) {
    size_t amp = q.find('&', pos);
    if (amp == std::string_view::npos) amp = q.size();
    std::string_view item = q.substr(pos, amp - pos);
    pos = amp + 1;
    if (item.empty()) continue;
    size_t eq = item.find('=');
    auto name = eseal::http::PercentDecode(item.substr(0, eq));
    auto value = eseal::http::PercentDecode(
        eq == std::string_view::npos ? std::string_view() : item.substr(eq + 1));
    if (!name || !value) continue;
    r->query.push_back(Part{*name, "", "", *value});
  }
}

void ParseParts(std::string_view body, ApiRequest* r) {
  constexpr std::string_view kSep = "\n--\n";
  while (!body.empty() && r->parts.size() < 100) {
    size_t end = body.find(kSep);
    std::string_view part = body.substr(0, end);
    body.remove_prefix(end == std::string_view::npos ? body.size() : end + kSep.size());
    std::string_view head = Line(&part);
    Part p;
    size_t semi = head.find(';');
    p.name = std::string(Trim(head.substr(0, semi)));
    if (semi != std::string_view::npos) p.filename = std::string(Trim(head.substr(semi + 1)));
    p.data = std::string(part);
    r->parts.push_back(std::move(p));
  }
}

ApiRequest ParseRequest(std::string_view in) {
  ApiRequest r;
  std::string_view first = Line(&in);
  size_t sp = first.find(' ');
  r.method = std::string(first.substr(0, sp));
  std::string_view target = sp == std::string_view::npos ? std::string_view() : first.substr(sp + 1);
  size_t qm = target.find('?');
  r.target = std::string(target.substr(0, qm));
  if (qm != std::string_view::npos) ParseQuery(target.substr(qm + 1), &r);
  while (!in.empty() && r.headers.size() < 32) {
    std::string_view line = Line(&in);
    if (Trim(line).empty()) break;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    r.headers.emplace_back(Lower(Trim(line.substr(0, colon))), std::string(Trim(line.substr(colon + 1))));
  }
  r.remote_addr = "192.0.2.1";
  if (r.IsMultipart()) {
    ParseParts(in, &r);
  } else {
    r.body = std::string(in);
  }
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // One log line per request would dominate the run time.
  static const bool quiet = [] {
    eseal::log::SetSink([](std::string_view) {});
    return true;
  }();
  (void)quiet;

  ApiRequest req = ParseRequest(std::string_view(reinterpret_cast<const char*>(data), size));
  eseal::http::testing::FakePlatform platform;
  eseal::http::ApiOptions options;
  options.max_json_bytes = 64 << 10;
  options.max_document_bytes = 256 << 10;
  // The rate limiter sees a clock that jumps a minute per request, so limits never carry
  // over and every input behaves the same on its own as in a run.
  double now = 0;
  options.monotonic_seconds = [&now] { return now += 60; };
  eseal::http::Api api(platform, options);
  eseal::http::Reply reply = api.Handle(std::move(req));

  if (reply.status < 200 || reply.status > 599) std::abort();
  // A malformed request is the caller's fault: the fake platform never fails on its own,
  // so a 500 means the HTTP layer mishandled the input.
  if (reply.status >= 500) std::abort();
  if (reply.content_type == "application/json" && !eseal::http::IsValidJson(reply.body)) std::abort();
  return 0;
}
