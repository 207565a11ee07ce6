#include "api.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <random>

#include "eseal/base/file.h"
#include "eseal/base/log.h"

namespace eseal::http {

namespace {

// Ids a client may choose for its requests: short, printable, no separators that could
// confuse a log reader.
bool GoodRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
          c == ':')) {
      return false;
    }
  }
  return true;
}

bool IsOperatorCaller(const platform::Caller& c) {
  return c.role == platform::Role::kOperator && !c.account_id.empty();
}

std::string_view ContentTypeFor(std::string_view path) {
  auto dot = path.rfind('.');
  std::string ext = dot == std::string_view::npos ? "" : AsciiLower(path.substr(dot + 1));
  if (ext == "html" || ext == "htm") return "text/html; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "json" || ext == "map") return "application/json";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
  if (ext == "gif") return "image/gif";
  if (ext == "ico") return "image/x-icon";
  if (ext == "webp") return "image/webp";
  if (ext == "woff") return "font/woff";
  if (ext == "woff2") return "font/woff2";
  if (ext == "ttf") return "font/ttf";
  if (ext == "otf") return "font/otf";
  if (ext == "wasm") return "application/wasm";
  if (ext == "txt") return "text/plain; charset=utf-8";
  if (ext == "ofd") return "application/ofd";
  if (ext == "pdf") return "application/pdf";
  return "application/octet-stream";
}

}  // namespace

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string NewRequestId() {
  thread_local std::mt19937_64 gen{std::random_device{}()};
  static const char* kHex = "0123456789abcdef";
  uint64_t a = gen(), b = gen();
  std::string out;
  for (int i = 0; i < 16; ++i) out += kHex[(a >> (i * 4)) & 0xf];
  for (int i = 0; i < 8; ++i) out += kHex[(b >> (i * 4)) & 0xf];
  return out;
}

Reply BodyTooLarge(size_t limit) {
  const std::string n = std::to_string(limit);
  return ErrorReply(413, StatusCode::kResourceExhausted,
                    "请求体超过此接口 " + n + " 字节的上限，请缩小后重试 / the body is larger than this route's limit of " +
                        n + " bytes");
}

std::string ApiRequest::Header(std::string_view lower_name) const {
  for (const auto& [k, v] : headers) {
    if (k == lower_name) return v;
  }
  return "";
}

std::string ApiRequest::MediaType() const {
  std::string ct = Header("content-type");
  auto semi = ct.find(';');
  if (semi != std::string::npos) ct.resize(semi);
  while (!ct.empty() && (ct.back() == ' ' || ct.back() == '\t')) ct.pop_back();
  size_t start = 0;
  while (start < ct.size() && (ct[start] == ' ' || ct[start] == '\t')) ++start;
  return AsciiLower(std::string_view(ct).substr(start));
}

Reply ErrorReply(int http_status, StatusCode code, std::string_view message) {
  Reply r;
  r.status = http_status;
  r.error_code = std::string(StatusCodeSlug(code));
  JsonWriter w;
  w.BeginObject().Key("error").BeginObject();
  w.Field("code", r.error_code).Field("message", message);
  w.EndObject().EndObject();
  r.body = w.Take();
  return r;
}

Reply ErrorReply(const Status& status) {
  if (status.ok()) return ErrorReply(500, StatusCode::kInternal, "an error without a cause");
  return ErrorReply(HttpStatusFor(status.code()), status.code(), status.message());
}

Reply JsonReply(std::string body, int status) {
  Reply r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

std::optional<std::string> PercentDecode(std::string_view s) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    int hi = hex(s[i + 1]), lo = hex(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    char c = static_cast<char>(hi * 16 + lo);
    if (c == '\0') return std::nullopt;
    out += c;
    i += 2;
  }
  return out;
}

const std::string& Ctx::Param(std::string_view name) const {
  static const std::string kEmpty;
  for (const auto& [k, v] : captures) {
    if (k == name) return v;
  }
  return kEmpty;
}

struct Api::Compiled {
  const Route* route = nullptr;
  struct Segment {
    bool param = false;
    std::string text;  // literal, or the parameter's name
  };
  std::vector<Segment> segments;
  int params = 0;
};

namespace {

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.empty() || path[0] != '/') return out;
  size_t pos = 1;
  while (true) {
    size_t next = path.find('/', pos);
    if (next == std::string_view::npos) {
      out.push_back(path.substr(pos));
      break;
    }
    out.push_back(path.substr(pos, next - pos));
    pos = next + 1;
  }
  return out;
}

}  // namespace

std::string SessionFromCookie(const ApiRequest& req) {
  for (const auto& [name, value] : req.headers) {
    if (name != "cookie") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      size_t semi = rest.find(';');
      std::string_view pair = rest.substr(0, semi);
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      size_t eq = pair.find('=');
      if (eq != std::string_view::npos && pair.substr(0, eq) == kSessionCookie) {
        std::string_view v = pair.substr(eq + 1);
        if (!v.empty() && v.size() <= 256) return std::string(v);
      }
    }
  }
  return "";
}

std::string_view RequiredScope(std::string_view method, std::string_view pattern) {
  if (method == "GET" || method == "HEAD") return "read";
  if (pattern == "/api/v1/seals/{id}/sign" || pattern == "/api/v1/seals/{id}/sign-batch" ||
      pattern.rfind("/api/v1/seals/{id}/signing-sessions", 0) == 0 || pattern.rfind("/api/v1/usage-requests", 0) == 0) {
    return "sign";
  }
  return "write";
}

Api::Api(Services services, ApiOptions options)
    : services_(services), options_(std::move(options)), limiter_(options_.monotonic_seconds) {
  for (const Route& r : RouteTable()) {
    Compiled c;
    c.route = &r;
    for (std::string_view seg : SplitPath(r.pattern)) {
      Compiled::Segment s;
      if (seg.size() >= 2 && seg.front() == '{' && seg.back() == '}') {
        s.param = true;
        s.text = std::string(seg.substr(1, seg.size() - 2));
        ++c.params;
      } else {
        s.text = std::string(seg);
      }
      c.segments.push_back(std::move(s));
    }
    routes_.push_back(std::move(c));
  }
}

Api::~Api() = default;

size_t Api::max_body_bytes() const {
  return std::max(options_.max_json_bytes, options_.max_document_bytes);
}

void Api::Begin(Exchange& ex, std::optional<uint64_t> content_length) {
  ex.start = std::chrono::steady_clock::now();
  metrics_.RequestStarted();
  std::string given = ex.req.Header("x-request-id");
  ex.request_id = GoodRequestId(given) ? given : NewRequestId();
  ex.route_label = "unmatched";

  auto fail = [&](Reply r) {
    ex.reply = std::move(r);
    ex.done = true;
  };

  // 1. The route.
  std::vector<std::string> segments;
  for (std::string_view raw : SplitPath(ex.req.target)) {
    auto d = PercentDecode(raw);
    if (!d) return fail(ErrorReply(400, StatusCode::kInvalidArgument, "the path has a malformed %-escape"));
    segments.push_back(std::move(*d));
  }
  if (segments.empty()) return fail(ErrorReply(400, StatusCode::kInvalidArgument, "the path must start with /"));
  std::string method = ex.req.method == "HEAD" ? "GET" : ex.req.method;
  const Compiled* best = nullptr;
  std::vector<std::string_view> allowed;
  for (const Compiled& c : routes_) {
    if (c.segments.size() != segments.size()) continue;
    bool match = true;
    for (size_t i = 0; i < segments.size() && match; ++i) {
      const auto& s = c.segments[i];
      match = s.param ? !segments[i].empty() : s.text == segments[i];
    }
    if (!match) continue;
    if (c.route->method != method) {
      allowed.push_back(c.route->method);
      continue;
    }
    if (best == nullptr || c.params < best->params) best = &c;
  }
  if (best == nullptr) {
    if (!allowed.empty()) {
      std::sort(allowed.begin(), allowed.end());
      allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
      std::string allow;
      for (std::string_view a : allowed) allow += (allow.empty() ? "" : ", ") + std::string(a);
      Reply r = ErrorReply(405, StatusCode::kInvalidArgument,
                           "this path does not take " + ex.req.method + " (it takes " + allow + ")");
      r.headers.emplace_back("Allow", allow);
      return fail(std::move(r));
    }
    if (method == "GET" && ex.req.target.rfind("/api/", 0) != 0 && !options_.web_dir.empty()) {
      ex.route_label = "static";
      ex.done = true;
      ServeStatic(ex);
      return;
    }
    return fail(ErrorReply(404, StatusCode::kNotFound,
                           "there is no such route; the API is described at /api/v1/openapi.yaml"));
  }
  ex.route = best->route;
  ex.route_label = std::string(best->route->pattern);
  for (size_t i = 0; i < segments.size(); ++i) {
    if (best->segments[i].param) ex.captures.emplace_back(best->segments[i].text, segments[i]);
  }

  // 2. Who is calling. A token sent to a public route is checked too.
  std::string auth = ex.req.Header("authorization");
  if (!auth.empty()) {
    std::string_view a = auth;
    if (a.size() < 7 || AsciiLower(a.substr(0, 7)) != "bearer ") {
      Reply r = ErrorReply(401, StatusCode::kUnauthenticated,
                           "the Authorization header must be 'Bearer <token>'");
      r.headers.emplace_back("WWW-Authenticate", "Bearer");
      return fail(std::move(r));
    }
    std::string_view token = a.substr(7);
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
    while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
    Result<platform::Caller> who = services_.credentials.Authenticate(token);
    if (!who.ok()) {
      Reply r = ErrorReply(who.status());
      if (r.status == 401) r.headers.emplace_back("WWW-Authenticate", "Bearer error=\"invalid_token\"");
      return fail(std::move(r));
    }
    ex.caller = *std::move(who);
  } else if (std::string session = SessionFromCookie(ex.req); !session.empty()) {
    // A browser session: state-changing requests must carry its CSRF token. A session that
    // has ended does not stop a public route (the sign-in page itself is one).
    bool changes = ex.req.method != "GET" && ex.req.method != "HEAD";
    Result<platform::Caller> who =
        services_.credentials.AuthenticateSession(session, ex.req.Header("x-csrf-token"), changes);
    if (who.ok()) {
      ex.caller = *std::move(who);
    } else if (ex.route->access != Access::kPublic) {
      return fail(ErrorReply(who.status()));
    }
  }
  if (!ex.caller && ex.route->access != Access::kPublic) {
    Reply r = ErrorReply(401, StatusCode::kUnauthenticated,
                         "请先登录。 / This route needs a signed-in session or a bearer token "
                         "(Authorization: Bearer <token>).");
    r.headers.emplace_back("WWW-Authenticate", "Bearer");
    return fail(std::move(r));
  }
  // An API token acts only within its scopes (public routes need none).
  if (ex.caller && ex.route->access != Access::kPublic) {
    std::string_view scope = RequiredScope(ex.req.method, ex.route->pattern);
    if (!ex.caller->HasScope(scope)) {
      return fail(ErrorReply(403, StatusCode::kPermissionDenied,
                             "此令牌的权限范围不含 '" + std::string(scope) + "'，请使用具备该权限的令牌。 / This token's "
                             "scopes do not include '" + std::string(scope) + "'."));
    }
  }

  // 3. The route's role gate.
  if (ex.route->access == Access::kOperator && !IsOperatorCaller(*ex.caller)) {
    return fail(ErrorReply(403, StatusCode::kPermissionDenied, "only the platform operator may do this"));
  }

  // 4. Rate limits: a client's own bucket; without a token (public routes) one bucket per
  // remote address. 429 is only ever a rate limit; a document over the limits is 413 or 422
  // (HttpStatusFor).
  {
    std::string bucket, whose_zh, whose_en;
    int per_minute = 0;
    if (ex.caller && !ex.caller->client_id.empty()) {
      bucket = ex.caller->client_id;
      per_minute = ex.caller->rate_limit_per_minute > 0 ? ex.caller->rate_limit_per_minute
                                                        : options_.default_client_rate_limit;
      whose_zh = "本接入系统";
      whose_en = "this client's";
    } else if (!ex.caller && ex.route->pattern != "/healthz" && ex.route->pattern != "/metrics") {
      bucket = "addr:" + ex.req.remote_addr;
      per_minute = options_.public_rate_limit_per_minute;
      whose_zh = "此地址未带令牌的请求";
      whose_en = "this address's untokened";
    }
    if (!bucket.empty()) {
      RateLimiter::Decision d = limiter_.Take(bucket, per_minute);
      if (!d.allowed) {
        const std::string n = std::to_string(per_minute), secs = std::to_string(d.retry_after_seconds);
        Reply r = ErrorReply(429, StatusCode::kResourceExhausted,
                             whose_zh + "每分钟 " + n + " 次的请求额度已用完，请 " + secs +
                                 " 秒后重试。 / " + whose_en + " rate limit of " + n +
                                 " requests a minute is used up; retry in " + secs + " s.");
        r.headers.emplace_back("Retry-After", secs);
        return fail(std::move(r));
      }
    }
  }

  // 5. The body: declared size and media type.
  ex.body_limit = ex.route->limit == BodyLimit::kJson ? options_.max_json_bytes : options_.max_document_bytes;
  if (content_length && *content_length > ex.body_limit) return fail(BodyTooLarge(ex.body_limit));
  bool has_body = (content_length && *content_length > 0) ||
                  (!content_length && !ex.req.Header("transfer-encoding").empty());
  if (has_body && ex.route->accepts != kNoBody) {
    std::string mt = ex.req.MediaType();
    unsigned kind = 0;
    if (mt == "application/json" || (mt.size() > 5 && mt.ends_with("+json"))) kind = kJsonBody;
    if (mt == "multipart/form-data") kind = kMultipartBody;
    if (mt == "application/ofd" || mt == "application/pdf" || mt == "application/octet-stream") kind = kRawDocument;
    if (mt == "application/timestamp-query") kind = kTimestampQuery;
    if ((kind & ex.route->accepts) == 0) {
      std::string takes;
      if (ex.route->accepts & kJsonBody) takes += "application/json";
      if (ex.route->accepts & kMultipartBody) takes += std::string(takes.empty() ? "" : ", ") + "multipart/form-data";
      if (ex.route->accepts & kRawDocument) {
        takes += std::string(takes.empty() ? "" : ", ") + "application/ofd, application/pdf, application/octet-stream";
      }
      if (ex.route->accepts & kTimestampQuery) takes += std::string(takes.empty() ? "" : ", ") + "application/timestamp-query";
      return fail(ErrorReply(415, StatusCode::kInvalidArgument,
                             "this route takes " + takes + ", not '" + (mt.empty() ? "no Content-Type" : mt) + "'"));
    }
  }
}

void Api::Run(Exchange& ex) {
  if (ex.done || ex.route == nullptr) return;
  if (ex.req.body.size() > ex.body_limit) {
    ex.reply = BodyTooLarge(ex.body_limit);
    return;
  }
  Ctx ctx{ex.req, services_, ex.caller ? &*ex.caller : nullptr, ex.captures, options_, metrics_};
  Result<Reply> r = ex.route->handler(ctx);
  ex.reply = r.ok() ? *std::move(r) : ErrorReply(r.status());
}

void Api::End(Exchange& ex) {
  Reply& r = ex.reply;
  r.headers.emplace_back("X-Request-Id", ex.request_id);
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  if (ex.route_label != "static") r.headers.emplace_back("Cache-Control", "no-store");
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - ex.start).count();
  metrics_.RequestFinished(ex.req.method, ex.route_label, r.status, seconds, r.error_code);
  char ms[32];
  std::snprintf(ms, sizeof ms, "%.3f", seconds * 1000);
  std::string actor = ex.caller ? ex.caller->ActorId() : "";
  log::Level level = r.status >= 500 ? log::Level::kError : log::Level::kInfo;
  log::Write(level, "http.request",
             {{"request_id", ex.request_id},
              {"method", ex.req.method},
              {"route", ex.route_label},
              {"status", std::to_string(r.status)},
              {"duration_ms", ms},
              {"actor", actor},
              {"error", r.error_code},
              {"remote", ex.req.remote_addr}});
}

Reply Api::Handle(ApiRequest req) {
  Exchange ex;
  ex.req = std::move(req);
  std::optional<uint64_t> len = ex.req.body.size();
  if (!ex.req.parts.empty()) {
    uint64_t n = 0;
    for (const Part& p : ex.req.parts) n += p.data.size();
    len = n;
  }
  Begin(ex, len);
  Run(ex);
  End(ex);
  if (ex.reply.stream) {
    auto produce = std::move(ex.reply.stream);
    ex.reply.stream = nullptr;
    produce([&](std::string piece) {
      ex.reply.body += piece;
      return true;
    });
  }
  return std::move(ex.reply);
}

void Api::ServeStatic(Exchange& ex) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path root = fs::weakly_canonical(options_.web_dir, ec);
  if (ec || !fs::is_directory(root, ec)) {
    ex.reply = ErrorReply(404, StatusCode::kNotFound, "no browser UI is installed");
    return;
  }
  fs::path rel;
  for (std::string_view raw : SplitPath(ex.req.target)) {
    auto seg = PercentDecode(raw);
    if (!seg || *seg == ".." || *seg == "." || (!seg->empty() && (*seg)[0] == '.') ||
        seg->find('/') != std::string::npos || seg->find('\\') != std::string::npos) {
      ex.reply = ErrorReply(404, StatusCode::kNotFound, "no such file");
      return;
    }
    if (!seg->empty()) rel /= *seg;
  }
  fs::path p = root / rel;
  if (fs::is_directory(p, ec)) p /= "index.html";
  if (!fs::is_regular_file(p, ec)) {
    // Paths of the UI's own pages (no file extension) get the UI's entry page.
    std::string last = rel.empty() ? "" : rel.filename().string();
    if (last.find('.') == std::string::npos && fs::is_regular_file(root / "index.html", ec)) {
      p = root / "index.html";
    } else {
      ex.reply = ErrorReply(404, StatusCode::kNotFound, "no such file");
      return;
    }
  }
  fs::path canon = fs::weakly_canonical(p, ec);
  std::string cs = canon.string(), rs = root.string();
  if (ec || cs.compare(0, rs.size(), rs) != 0 || (cs.size() > rs.size() && cs[rs.size()] != '/')) {
    ex.reply = ErrorReply(404, StatusCode::kNotFound, "no such file");
    return;
  }
  auto data = ReadFile(cs, options_.max_document_bytes);
  if (!data.ok()) {
    ex.reply = ErrorReply(404, StatusCode::kNotFound, "no such file");
    return;
  }
  ex.reply.status = 200;
  ex.reply.content_type = std::string(ContentTypeFor(cs));
  ex.reply.body = ToString(*data);
}

}  // namespace eseal::http
