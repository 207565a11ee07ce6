// The HTTP API without the transport: one route table (routes.cc), and Api, which takes a
// request through its steps — route match, bearer authentication (Platform::Authenticate),
// the route's role gate, the per-client rate limit, the body size and media type, then the
// route's handler (params parser → one Platform call → renderer) — and finishes it with the
// request id, one structured log line and the metrics. The transport (session.cc) feeds
// it; tests feed it directly.
// Thread-safety: an Api is safe to use from many threads at once.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "eseal/base/status.h"
#include "eseal/platform/platform.h"
#include "json.h"
#include "metrics.h"
#include "rate_limit.h"

namespace eseal::http {

struct ApiOptions {
  size_t max_json_bytes = size_t{1} << 20;       // JSON bodies
  size_t max_document_bytes = size_t{64} << 20;  // documents, seals, images
  // Used for a client whose record carries no limit.
  int default_client_rate_limit = 600;
  // The browser UI's files, served at "/" (empty: none).
  std::string web_dir;
  // Monotonic seconds for the rate limiter (tests); default steady_clock.
  std::function<double()> monotonic_seconds;
  // Requests a minute from one remote address without a token (public verify, seal status,
  // CRLs, notices, client applications; not /healthz or /metrics). 0: unlimited.
  int public_rate_limit_per_minute = 60;
  // Batch signing (POST /api/v1/seals/{id}/sign-batch): at most this many documents and
  // bytes of documents in one request (413 beyond; the body limit above also applies).
  size_t max_batch_documents = 50;
  size_t max_batch_bytes = size_t{64} << 20;
};

struct ApiRequest {
  std::string method;
  std::string target;  // path as sent (percent-encoded), without the query
  std::vector<Part> query;  // decoded name/value pairs (Part::name, Part::data)
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
  std::string remote_addr;
  // The body: raw (JSON, an OFD, ...) or, for multipart/form-data, split into parts.
  std::string body;
  std::vector<Part> parts;

  // First value of a header (name in lower case), or "".
  std::string Header(std::string_view lower_name) const;
  // The media type of Content-Type in lower case without parameters, or "".
  std::string MediaType() const;
  bool IsMultipart() const { return MediaType() == "multipart/form-data"; }
};

struct Reply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string error_code;  // the slug, for error replies
  // A body made while it is sent (chunked transfer coding), e.g. one line per document of
  // a batch as each is signed. Runs on the worker after the head is written; each `emit`
  // sends one piece and returns false once the peer has gone (the producer should then
  // stop). Unset: `body` is the whole body. Api::Handle collects it into `body`.
  using Emit = std::function<bool(std::string piece)>;
  std::function<void(const Emit& emit)> stream;
};

// The browser session's cookie (routes/sign_in.cc sets it; Api reads it when a request
// carries no bearer token), and its value in a request ("" when absent).
inline constexpr std::string_view kSessionCookie = "eseal_session";
std::string SessionFromCookie(const ApiRequest& req);

// The scope a route needs of an API token (docs/security.md "Credentials"): "read" for GET,
// "sign" for signing and use requests, "write" for every other change.
std::string_view RequiredScope(std::string_view method, std::string_view pattern);

// {"error": {"code": "<slug>", "message": "..."}} with the status from HttpStatusFor.
Reply ErrorReply(const Status& status);
// The same shape with an explicit HTTP status (413, 404 for unknown routes, 405, 415).
Reply ErrorReply(int http_status, StatusCode code, std::string_view message);
Reply JsonReply(std::string body, int status = 200);

// Who may call a route. The platform decides every use case again; the gate refuses
// obviously wrong callers before a body is read.
enum class Access {
  kPublic,         // anyone; a bearer token, if sent, is checked and identifies the caller
  kAuthenticated,  // any account or approved client
  kOperator,       // an operator account
};

// The size limit of a route's body.
enum class BodyLimit { kJson, kDocument };

// What bodies a route takes (bits). An empty body is always accepted; the route's parser
// decides whether that is enough.
inline constexpr unsigned kNoBody = 0;
inline constexpr unsigned kJsonBody = 1;       // application/json
inline constexpr unsigned kMultipartBody = 2;  // multipart/form-data
inline constexpr unsigned kRawDocument = 4;    // application/ofd, application/pdf, application/octet-stream
inline constexpr unsigned kTimestampQuery = 8; // application/timestamp-query (RFC 3161 §3.4)

// The capabilities the routes call. apps/ hands over one Platform (Of); each route file
// uses only its own capability.
struct Services {
  platform::Credentials& credentials;
  platform::Registry& registry;
  platform::Lifecycle& lifecycle;
  platform::Signing& signing;
  platform::Verification& verification;
  platform::TrustedTime& trusted_time;
  platform::Clients& clients;
  platform::Recognition& recognition;
  platform::AuditTrail& audit;
  platform::Archives& archives;

  static Services Of(platform::Platform& p) { return {p, p, p, p, p, p, p, p, p, p}; }
};

struct Ctx;
using Handler = Result<Reply> (*)(Ctx&);

struct Route {
  std::string_view method;   // GET, POST, PUT
  std::string_view pattern;  // "/api/v1/seals/{id}/sign": {name} matches one path segment
  Access access;
  BodyLimit limit;
  unsigned accepts;  // kJsonBody | kMultipartBody | kRawDocument, or kNoBody
  Handler handler;
};

// The route table (routes.cc).
const std::vector<Route>& RouteTable();
// The embedded api/openapi.yaml.
std::string_view OpenApiYaml();

// What a handler sees.
struct Ctx {
  ApiRequest& req;
  const Services& services;
  const platform::Caller* caller;  // nullptr: an anonymous call of a public route
  const std::vector<std::pair<std::string, std::string>>& captures;
  const ApiOptions& options;
  Metrics& metrics;

  // A path parameter ({id}), decoded.
  const std::string& Param(std::string_view name) const;
  // The caller (routes with Access above kPublic always have one).
  const platform::Caller& Who() const { return *caller; }
};

class Api {
 public:
  Api(Services services, ApiOptions options);
  Api(platform::Platform& platform, ApiOptions options) : Api(Services::Of(platform), std::move(options)) {}
  ~Api();

  // One request on its way through.
  struct Exchange {
    ApiRequest req;
    std::string request_id;
    const Route* route = nullptr;
    std::string route_label;  // the pattern, or "static", "unmatched"
    std::vector<std::pair<std::string, std::string>> captures;
    std::optional<platform::Caller> caller;
    size_t body_limit = 0;
    bool done = false;  // `reply` is final: read no body (drain it), run no handler
    Reply reply;
    std::chrono::steady_clock::time_point start;
  };

  // Everything decidable from the request head. `content_length` is the declared length
  // (nullopt when chunked or absent). Sets ex.done with an error (or a static file).
  void Begin(Exchange& ex, std::optional<uint64_t> content_length);
  // Runs the handler over the body now in ex.req.
  void Run(Exchange& ex);
  // The reply headers every response gets, the log line and the metrics.
  void End(Exchange& ex);
  // Begin, Run and End over a request whose body is already read.
  Reply Handle(ApiRequest req);

  Metrics& metrics() { return metrics_; }
  const ApiOptions& options() const { return options_; }
  // The largest body any route accepts.
  size_t max_body_bytes() const;

 private:
  struct Compiled;
  void ServeStatic(Exchange& ex);
  Services services_;
  ApiOptions options_;
  Metrics metrics_;
  RateLimiter limiter_;
  std::vector<Compiled> routes_;
};

// Percent-decodes one path segment or query component ("+" kept as is); nullopt when the
// encoding is malformed.
std::optional<std::string> PercentDecode(std::string_view s);

// ASCII lower case (header names, media types, parameter names).
std::string AsciiLower(std::string_view s);
// A fresh request id, for a request that brought no usable X-Request-Id (or an answer the
// transport makes before the request is parsed).
std::string NewRequestId();
// 413 for a body over a route's limit: declared in Content-Length (Api::Begin), or met while
// the transport reads it.
Reply BodyTooLarge(size_t limit);

}  // namespace eseal::http
