// The cpp-httplib transport of the API (api.h): every method and path goes to Api, which
// routes; this file reads bodies within the route's limit, drains refused ones so that
// keep-alive connections stay usable, and writes replies. cpp-httplib is Debian's compiled
// libcpp-httplib (linked, not compiled into each file).
#include "eseal/http/server.h"

#include <malloc.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>

#include <httplib.h>

#include "api.h"
#include "eseal/base/log.h"

namespace eseal::http {

namespace {

// httplib::Server with a stop that also works before the accept loop has started (the
// listening socket is closed, so the loop ends at once).
class HttpServer : public httplib::Server {
 public:
  void ForceStop() {
    socket_t s = svr_sock_.exchange(INVALID_SOCKET);
    if (s != INVALID_SOCKET) {
      ::shutdown(s, SHUT_RDWR);
      ::close(s);
    }
  }
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

StatusCode CodeForHttp(int status) {
  switch (status) {
    case 401: return StatusCode::kUnauthenticated;
    case 403: return StatusCode::kPermissionDenied;
    case 404: return StatusCode::kNotFound;
    case 413:
    case 429: return StatusCode::kResourceExhausted;
    case 503: return StatusCode::kUnavailable;
    default: return status >= 500 ? StatusCode::kInternal : StatusCode::kInvalidArgument;
  }
}

}  // namespace

struct Server::Impl {
  Impl(platform::Platform& p, ServerOptions o)
      : options(std::move(o)), api(p, ApiOptions{options.max_json_bytes, options.max_document_bytes,
                                                  options.default_client_rate_limit, options.web_dir,
                                                  options.monotonic_seconds,
                                                  options.public_rate_limit_per_minute}) {}

  void Handle(const httplib::Request& hreq, httplib::Response& hres, const httplib::ContentReader* reader);
  // Reads the body into ex.req within ex.body_limit; on failure sets ex.reply/ex.done.
  void ReadBody(Api::Exchange& ex, const httplib::ContentReader& reader, bool* close);
  // Reads and forgets a body that will not be used, when that is cheap enough.
  void Drain(const httplib::Request& hreq, const httplib::ContentReader& reader,
             std::optional<uint64_t> len, bool* close);
  size_t drain_cap() const { return 2 * api.max_body_bytes(); }
  // After a request with a large body, or any verification: frees the request and returns
  // the freed heap to the system (malloc_trim).
  void ReturnMemory(Api::Exchange& ex);
  static constexpr size_t kTrimAfterBytes = size_t{1} << 20;

  ServerOptions options;
  Api api;
  HttpServer svr;
  int port = 0;
  std::atomic<bool> stopping{false};
};

void Server::Impl::Handle(const httplib::Request& hreq, httplib::Response& hres,
                          const httplib::ContentReader* reader) {
  Api::Exchange ex;
  ex.req.method = hreq.method;
  ex.req.target = hreq.target.substr(0, hreq.target.find('?'));
  for (const auto& [k, v] : hreq.params) ex.req.query.push_back(Part{k, "", "", v});
  for (const auto& [k, v] : hreq.headers) ex.req.headers.emplace_back(Lower(k), v);
  ex.req.remote_addr = hreq.remote_addr;

  std::optional<uint64_t> len = 0;
  bool bad_length = false;
  if (!Lower(hreq.get_header_value("Transfer-Encoding")).empty()) {
    len = std::nullopt;
  } else if (hreq.has_header("Content-Length")) {
    std::string v = hreq.get_header_value("Content-Length");
    uint64_t n = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || p != v.data() + v.size()) bad_length = true;
    len = n;
  }

  api.Begin(ex, len);
  bool close = false;
  if (bad_length && !ex.done) {
    ex.reply = ErrorReply(400, StatusCode::kInvalidArgument, "the Content-Length header is malformed");
    ex.done = true;
    close = true;
  }
  if (reader != nullptr) {
    if (ex.done) {
      if (!close) Drain(hreq, *reader, len, &close);
    } else {
      ReadBody(ex, *reader, &close);
    }
  }
  api.Run(ex);
  api.End(ex);

  Reply& r = ex.reply;
  hres.status = r.status;
  for (auto& [k, v] : r.headers) hres.set_header(k, v);
  if (close) hres.set_header("Connection", "close");
  hres.set_header("Content-Type", r.content_type);
  hres.body = std::move(r.body);
  ReturnMemory(ex);
}

void Server::Impl::ReturnMemory(Api::Exchange& ex) {
  // A verification inflates and parses a whole package (tens of MB at the limits) and frees
  // it before the reply is written; glibc keeps freed heap in its arenas, one per thread, so
  // a few hostile requests would leave the process at its peak for good. Give it back —
  // only after large bodies: malloc_trim walks and locks every arena, which stalls the
  // other request threads, and a small package cannot grow the heap by much.
  size_t in = ex.req.body.size();
  for (const Part& p : ex.req.parts) in += p.data.size();
  if (in < kTrimAfterBytes) return;
  std::string().swap(ex.req.body);
  std::vector<Part>().swap(ex.req.parts);
  malloc_trim(0);
}

void Server::Impl::ReadBody(Api::Exchange& ex, const httplib::ContentReader& reader, bool* close) {
  const size_t limit = ex.body_limit;
  const size_t cap = drain_cap();
  size_t total = 0;
  bool over = false;
  bool too_many = false;
  constexpr size_t kMaxParts = 100;
  bool ok = false;
  if (ex.req.IsMultipart()) {
    std::vector<Part>& parts = ex.req.parts;
    ok = reader(
        [&](const httplib::MultipartFormData& f) {
          if (over || too_many) return true;
          if (parts.size() >= kMaxParts) {
            too_many = true;
            return true;
          }
          parts.push_back(Part{f.name, f.filename, f.content_type, {}});
          return true;
        },
        [&](const char* data, size_t n) {
          total += n;
          if (total > limit) over = true;
          if (over || too_many) return total <= cap;
          if (!parts.empty()) parts.back().data.append(data, n);
          return true;
        });
  } else {
    std::string& body = ex.req.body;
    ok = reader([&](const char* data, size_t n) {
      total += n;
      if (total > limit) {
        over = true;
        if (!body.empty()) {
          SecureZero(body.data(), body.size());
          body.clear();
          body.shrink_to_fit();
        }
      }
      if (over) return total <= cap;
      body.append(data, n);
      return true;
    });
  }
  if (over) {
    ex.req.body.clear();
    ex.req.parts.clear();
    ex.reply = ErrorReply(413, StatusCode::kResourceExhausted,
                          "the body is larger than this route's limit of " + std::to_string(limit) + " bytes");
    ex.done = true;
    if (!ok) *close = true;
    return;
  }
  if (too_many) {
    ex.reply = ErrorReply(400, StatusCode::kInvalidArgument,
                          "the form has more than " + std::to_string(kMaxParts) + " parts");
    ex.done = true;
    if (!ok) *close = true;
    return;
  }
  if (!ok) {
    ex.reply = ErrorReply(400, StatusCode::kInvalidArgument,
                          "the body could not be read (a malformed multipart form, or the connection ended)");
    ex.done = true;
    *close = true;
  }
}

void Server::Impl::Drain(const httplib::Request& hreq, const httplib::ContentReader& reader,
                         std::optional<uint64_t> len, bool* close) {
  if (!len || *len > drain_cap()) {
    *close = true;  // not worth reading: end the connection instead
    return;
  }
  if (*len == 0) return;
  size_t total = 0;
  bool ok;
  if (hreq.is_multipart_form_data()) {
    ok = reader([](const httplib::MultipartFormData&) { return true; },
                [&](const char*, size_t n) {
                  total += n;
                  return total <= drain_cap();
                });
  } else {
    ok = reader([&](const char*, size_t n) {
      total += n;
      return total <= drain_cap();
    });
  }
  if (!ok) *close = true;
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() { Stop(); }

Result<std::unique_ptr<Server>> Server::Create(platform::Platform& platform, ServerOptions options) {
  if (options.threads < 1 || options.threads > 1024) return InvalidArgumentError("threads must be 1 to 1024");
  if (options.port < 0 || options.port > 65535) return InvalidArgumentError("the port must be 0 to 65535");
  if (options.max_json_bytes == 0 || options.max_document_bytes == 0) {
    return InvalidArgumentError("body limits must be positive");
  }
  auto impl = std::make_unique<Impl>(platform, std::move(options));
  Impl* p = impl.get();
  HttpServer& svr = impl->svr;
  const ServerOptions& o = impl->options;
  size_t threads = static_cast<size_t>(o.threads);
  svr.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  svr.set_read_timeout(o.read_timeout_seconds, 0);
  svr.set_write_timeout(o.write_timeout_seconds, 0);
  svr.set_keep_alive_timeout(o.keep_alive_timeout_seconds);
  svr.set_keep_alive_max_count(static_cast<size_t>(o.keep_alive_max_requests));
  svr.set_tcp_nodelay(true);
  // httplib's default sets SO_REUSEPORT, which lets a second server bind a port that is
  // in use and silently share it; SO_REUSEADDR alone only allows a quick restart.
  svr.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  // Bodies of methods without a content reader (GET) are read by httplib itself.
  svr.set_payload_max_length(p->api.max_body_bytes());

  auto plain = [p](const httplib::Request& req, httplib::Response& res) { p->Handle(req, res, nullptr); };
  auto with_body = [p](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
    p->Handle(req, res, &reader);
  };
  svr.Get(".*", plain);
  svr.Options(".*", plain);
  svr.Post(".*", with_body);
  svr.Put(".*", with_body);
  svr.Patch(".*", with_body);
  svr.Delete(".*", with_body);

  // A body announced with "Expect: 100-continue" that is too large is refused before the
  // client sends it.
  svr.set_expect_100_continue_handler([p](const httplib::Request& req, httplib::Response& res) {
    if (!req.has_header("Content-Length")) return 100;
    uint64_t n = req.get_header_value<uint64_t>("Content-Length");
    if (n > p->api.max_body_bytes()) {
      res.status = 413;
      return 413;
    }
    return 100;
  });
  // Errors httplib answers by itself (a malformed request line, a URI too long, ...) get
  // the API's error shape too.
  svr.set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    std::string message;
    switch (res.status) {
      case 400: message = "the request is malformed"; break;
      case 413: message = "the body is larger than the server accepts"; break;
      case 414: message = "the request URI is too long"; break;
      case 416: message = "the requested range cannot be served"; break;
      default: message = "the request could not be handled (HTTP " + std::to_string(res.status) + ")";
    }
    Reply r = ErrorReply(res.status, CodeForHttp(res.status), message);
    res.set_content(r.body, r.content_type);
    return httplib::Server::HandlerResponse::Handled;
  }));
  svr.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    Reply r = ErrorReply(500, StatusCode::kInternal, "an unexpected failure in the server");
    res.status = 500;
    res.set_content(r.body, r.content_type);
  });
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Status Server::Bind() {
  Impl& p = *impl_;
  if (p.options.port == 0) {
    int port = p.svr.bind_to_any_port(p.options.host);
    if (port <= 0) return UnavailableError("cannot listen on " + p.options.host + " (any port)");
    p.port = port;
  } else {
    if (!p.svr.bind_to_port(p.options.host, p.options.port)) {
      return UnavailableError("cannot listen on " + p.options.host + ":" + std::to_string(p.options.port) +
                              " (in use, or not an address of this machine)");
    }
    p.port = p.options.port;
  }
  return Status::Ok();
}

int Server::port() const { return impl_->port; }

Status Server::Serve() {
  Impl& p = *impl_;
  if (p.port == 0) return FailedPreconditionError("Bind before Serve");
  if (p.stopping.load()) return Status::Ok();
  log::Info("http.listening", {{"address", p.options.host + ":" + std::to_string(p.port)},
                               {"threads", std::to_string(p.options.threads)}});
  bool ok = p.svr.listen_after_bind();
  log::Info("http.stopped", {});
  if (!ok && !p.stopping.load()) return UnavailableError("the server stopped accepting connections");
  return Status::Ok();
}

void Server::Stop() {
  if (!impl_) return;
  impl_->stopping.store(true);
  impl_->svr.stop();
  impl_->svr.ForceStop();
}

std::string Server::MetricsText() const { return impl_->api.metrics().Render(); }

}  // namespace eseal::http
