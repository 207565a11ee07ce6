// One HTTP/1.1 connection on the asynchronous transport (transport.h). Its steps, each
// under its own deadline on the socket:
//   wait for the first byte (keep-alive idle time) → read the head (header deadline) →
//   Api::Begin on the pool → read the body only if Begin left it wanted (body deadline) →
//   body parsing + Api::Run + Api::End on the pool → write (write deadline) → again.
// A body Begin refused is not read: small ones are drained to keep the connection, large
// ones get the answer and the connection closes (its Content-Length alone decides). The io
// thread never runs request work, so slow peers cannot hold up anyone else.
#include <malloc.h>

#include <chrono>
#include <future>
#include <limits>
#include <memory>
#include <string>
#include <type_traits>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "eseal/base/log.h"
#include "multipart.h"
#include "transport.h"

namespace eseal::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

// Refused bodies up to this size are read and dropped so the connection can carry the next
// request; larger ones close it.
constexpr uint64_t kDrainBytes = 64 * 1024;
// After a reply that closes the connection, what the peer still sends is read and dropped for
// a moment, so that closing does not reset the connection before the peer has read the reply.
constexpr uint64_t kLingerBytes = 1 << 20;
constexpr auto kLingerTime = std::chrono::seconds(2);
// After a request of 1 MiB or more the heap is given back (see ReturnMemory).
constexpr size_t kTrimAfterBytes = size_t{1} << 20;
constexpr const char* kBusy = "服务器繁忙，请稍后重试 / the server is busy; retry in a moment";

bool KnownMethod(std::string_view m) {
  return m == "GET" || m == "HEAD" || m == "POST" || m == "PUT" || m == "PATCH" || m == "DELETE" || m == "OPTIONS";
}

// A verification inflates and parses a whole package and frees it before the reply is
// written; glibc keeps freed heap in per-thread arenas, so a few hostile requests would leave
// the process at its peak. Give it back, only after large bodies: malloc_trim locks every
// arena and stalls the other workers.
void ReturnMemory(Api::Exchange& ex) {
  size_t in = ex.req.body.size();
  for (const Part& p : ex.req.parts) in += p.data.size();
  if (in < kTrimAfterBytes) return;
  std::string().swap(ex.req.body);
  std::vector<Part>().swap(ex.req.parts);
  malloc_trim(0);
}

// multipart/form-data bodies are split into parts (the raw body, which holds the form's
// password fields, is wiped); a malformed form is a 400 decided here, before any handler.
void SplitForm(Api::Exchange& ex) {
  if (ex.done || !ex.req.IsMultipart() || ex.req.body.empty()) return;
  Result<std::string> boundary = MultipartBoundary(ex.req.Header("content-type"));
  Result<std::vector<Part>> parts =
      boundary.ok() ? ParseMultipart(ex.req.body, *boundary) : Result<std::vector<Part>>(boundary.status());
  SecureZero(ex.req.body.data(), ex.req.body.size());
  ex.req.body.clear();
  if (!parts.ok()) {
    ex.reply = ErrorReply(400, StatusCode::kInvalidArgument, parts.status().message());
    ex.done = true;
    return;
  }
  ex.req.parts = *std::move(parts);
}

template <class Stream>
class Session : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
 public:
  template <class... Args>
  Session(Transport& t, std::string address, Listener which, Args&&... args)
      : t_(t), address_(std::move(address)), which_(which), stream_(std::forward<Args>(args)...) {}

  ~Session() override {
    t_.Unregister(id_);
    t_.Release(address_);
  }

  void Start() {
    id_ = t_.Register(this->weak_from_this());
    if (t_.stopping.load()) return;  // registered after the stop: nothing to serve
    if constexpr (kTls) {
      idle_ = true;
      Lowest().expires_after(std::chrono::seconds(t_.options.header_timeout_seconds));
      stream_.async_handshake(asio::ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (ec) return self->Close();
                                self->WaitForRequest();
                              });
    } else {
      WaitForRequest();
    }
  }

  void OnServerStop() override {
    asio::post(stream_.get_executor(), [self = this->shared_from_this()] {
      if (self->idle_) self->Lowest().cancel();
    });
  }

 private:
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

  beast::tcp_stream& Lowest() { return beast::get_lowest_layer(stream_); }

  // Held by work on the pool: the io threads keep running until its answer is written, even
  // when no socket operation is pending meanwhile.
  std::shared_ptr<asio::executor_work_guard<asio::io_context::executor_type>> Work() {
    return std::make_shared<asio::executor_work_guard<asio::io_context::executor_type>>(t_.io.get_executor());
  }

  // Between requests: the first byte must come within the keep-alive time (the header
  // deadline for a new connection).
  void WaitForRequest() {
    if (t_.stopping.load()) return Close();
    idle_ = true;
    if (buffer_.size() > 0) return ReadHead();  // a pipelined request is already here
    int secs = served_ == 0 ? t_.options.header_timeout_seconds : t_.options.keep_alive_timeout_seconds;
    Lowest().expires_after(std::chrono::seconds(secs));
    stream_.async_read_some(buffer_.prepare(4096),
                            [self = this->shared_from_this()](beast::error_code ec, size_t n) {
                              if (ec) return self->Close();
                              self->buffer_.commit(n);
                              self->ReadHead();
                            });
  }

  // The whole head within the header deadline, counted from its first byte.
  void ReadHead() {
    head_.emplace();
    head_->header_limit(static_cast<uint32_t>(t_.options.max_header_bytes));
    // The route's limit is Api::Begin's to decide. (Boost 1.74 treats body_limit(none) as 0.)
    head_->body_limit(std::numeric_limits<std::uint64_t>::max());
    Lowest().expires_after(std::chrono::seconds(t_.options.header_timeout_seconds));
    bhttp::async_read_header(stream_, buffer_, *head_,
                             [self = this->shared_from_this()](beast::error_code ec, size_t) { self->OnHead(ec); });
  }

  void OnHead(beast::error_code ec) {
    idle_ = false;
    Lowest().expires_never();
    if (ec) {
      if (ec == bhttp::error::header_limit) {
        return Answer(TransportReply(t_, "", 431, StatusCode::kInvalidArgument,
                                     "请求头过大，请去掉多余的请求头或缩短 Cookie 后重试 / the request head is "
                                     "larger than the server accepts; send fewer or shorter headers",
                                     address_),
                      false);
      }
      if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category() &&
          ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
        return Answer(TransportReply(t_, "", 400, StatusCode::kInvalidArgument,
                                     "请求格式错误，请按 HTTP/1.1 发送请求 / the request is not well-formed "
                                     "HTTP/1.1",
                                     address_),
                      false);
      }
      return Close();  // timeout, end of stream, reset: nothing to answer
    }
    auto& h = head_->get();
    ex_ = std::make_shared<Api::Exchange>();
    ApiRequest& req = ex_->req;
    req.method = std::string(h.method_string());
    std::string_view target(h.target().data(), h.target().size());
    size_t q = target.find('?');
    req.target = std::string(target.substr(0, q));
    for (const auto& f : h) {
      req.headers.emplace_back(AsciiLower(std::string_view(f.name_string().data(), f.name_string().size())),
                               std::string(f.value()));
    }
    req.remote_addr = address_;
    keep_alive_ = head_->keep_alive();
    version_ = h.version();
    head_request_ = req.method == "HEAD";
    // No length: the body is chunked and counted as it comes.
    length_ = head_->chunked() ? std::optional<uint64_t>() : head_->content_length().value_or(0);
    expect_continue_ = AsciiLower(req.Header("expect")) == "100-continue";
    bool body_coming = !length_ || *length_ > 0;

    if (!KnownMethod(req.method)) {
      return Answer(TransportReply(t_, req.method, 400, StatusCode::kInvalidArgument,
                                   "不支持的请求方法 / the method is not supported", address_),
                    !body_coming);
    }
    if (q != std::string_view::npos) {
      Result<std::vector<Part>> query = ParseQuery(target.substr(q + 1));
      if (!query.ok()) {
        return Answer(TransportReply(t_, req.method, 400, StatusCode::kInvalidArgument, query.status().message(),
                                     address_),
                      !body_coming);
      }
      req.query = *std::move(query);
    }
    if (which_ == Listener::kMetrics && req.target != "/metrics" && req.target != "/healthz") {
      return Answer(TransportReply(t_, req.method, 404, StatusCode::kNotFound,
                                   "此地址只提供 /metrics 与 /healthz / this address serves only /metrics and /healthz",
                                   address_),
                    !body_coming);
    }
    // Without a body, Begin, Run and End are one piece of work.
    auto self = this->shared_from_this();
    bool queued = t_.pool.TryPost([self, body_coming, work = Work()] {
      Api::Exchange& ex = *self->ex_;
      self->t_.api.Begin(ex, self->length_);
      self->Gate(ex);
      if (body_coming) {
        asio::post(self->stream_.get_executor(), [self] { self->OnBegun(); });
        return;
      }
      self->Finish();
    });
    if (!queued) Overloaded(!body_coming);
  }

  // What the transport adds to the API's gates: /metrics on the main listener either is
  // absent (it has its own address) or needs an operator's token.
  void Gate(Api::Exchange& ex) {
    if (ex.done || which_ != Listener::kMain || ex.route_label != "/metrics") return;
    if (t_.options.metrics_port >= 0) {
      ex.reply = ErrorReply(404, StatusCode::kNotFound,
                            "/metrics 在单独的监听地址上提供 / /metrics is served on its own listen address");
      ex.done = true;
    } else if (!(ex.caller && ex.caller->role == platform::Role::kOperator && !ex.caller->account_id.empty())) {
      bool anonymous = !ex.caller;
      ex.reply = ErrorReply(anonymous ? 401 : 403,
                            anonymous ? StatusCode::kUnauthenticated : StatusCode::kPermissionDenied,
                            "/metrics 需要运营方的令牌 / /metrics needs an operator's bearer token");
      if (anonymous) ex.reply.headers.emplace_back("WWW-Authenticate", "Bearer");
      ex.done = true;
    }
  }

  // On the pool: the body is in ex_ (or was refused); run the handler and end the exchange.
  void Finish() {
    Api::Exchange& ex = *ex_;
    SplitForm(ex);
    t_.api.Run(ex);
    t_.api.End(ex);
    reply_ = std::move(ex.reply);
    if (reply_.stream) {
      // Taken out of the session before streaming: StreamReply hands the connection back to
      // the io thread at its end, which may start the next request (a new ex_) at once.
      std::shared_ptr<Api::Exchange> held = std::move(ex_);
      StreamReply();
      ReturnMemory(*held);
      return;
    }
    ReturnMemory(ex);
    ex_.reset();
    asio::post(stream_.get_executor(), [self = this->shared_from_this()] { self->Write(); });
  }

  // Runs `start(done)` on the io thread, where it starts one write that calls done(ok) when
  // it completes, and waits for it on this worker. False when the write failed or did not
  // complete within the write deadline (the stream's own timer closes the socket then).
  template <class Start>
  bool OnIo(Start start) {
    auto result = std::make_shared<std::promise<bool>>();
    std::future<bool> f = result->get_future();
    asio::post(stream_.get_executor(), [self = this->shared_from_this(), start, result]() mutable {
      self->Lowest().expires_after(std::chrono::seconds(self->t_.options.write_timeout_seconds));
      start([self, result](bool ok) {
        self->Lowest().expires_never();
        result->set_value(ok);
      });
    });
    if (f.wait_for(std::chrono::seconds(t_.options.write_timeout_seconds + 5)) != std::future_status::ready) {
      return false;
    }
    return f.get();
  }

  // On the pool: a reply whose body is produced while it is sent (Reply::stream). The head,
  // then each piece as one chunk, then the last chunk; the worker waits for each write, so
  // a slow reader slows the producer instead of filling memory.
  void StreamReply() {
    auto produce = std::move(reply_.stream);
    auto res = std::make_shared<bhttp::response<bhttp::empty_body>>();
    res->version(version_ == 10 ? 10 : 11);
    res->result(static_cast<unsigned>(reply_.status));
    for (auto& [k, v] : reply_.headers) res->insert(k, v);
    res->set(bhttp::field::content_type, reply_.content_type);
    // HTTP/1.0 has no chunks: the body then ends with the connection.
    bool keep = version_ != 10 && keep_alive_ && !t_.stopping.load() &&
                served_ + 1 < t_.options.keep_alive_max_requests;
    res->keep_alive(keep);
    if (version_ != 10) res->chunked(true);
    reply_ = Reply{};
    auto sr = std::make_shared<bhttp::response_serializer<bhttp::empty_body>>(*res);
    bool ok = OnIo([this, res, sr](auto done) {
      // Each piece goes out when it is written: with Nagle's algorithm the tail of every
      // piece would wait for the peer's delayed ACK (40 ms a line on Linux).
      beast::error_code nodelay_ec;
      Lowest().socket().set_option(tcp::no_delay(true), nodelay_ec);
      bhttp::async_write_header(stream_, *sr, [done, res, sr](beast::error_code ec, size_t) { done(!ec); });
    });
    const bool chunked = version_ != 10;
    Reply::Emit emit = [&](std::string piece) -> bool {
      if (!ok) return false;
      if (piece.empty()) return true;
      auto buf = std::make_shared<std::string>(std::move(piece));
      ok = OnIo([this, buf, chunked](auto done) {
        auto finished = [done, buf](beast::error_code ec, size_t) { done(!ec); };
        if (chunked) {
          asio::async_write(stream_, bhttp::make_chunk(asio::buffer(*buf)), finished);
        } else {
          asio::async_write(stream_, asio::buffer(*buf), finished);
        }
      });
      return ok;
    };
    if (ok && !head_request_) produce(emit);
    if (ok && chunked) {
      ok = OnIo([this](auto done) {
        auto last = std::make_shared<bhttp::chunk_last<bhttp::chunk_crlf>>();
        asio::async_write(stream_, *last, [done, last](beast::error_code ec, size_t) { done(!ec); });
      });
    }
    asio::post(stream_.get_executor(), [self = this->shared_from_this(), ok, keep] {
      ++self->served_;
      self->keep_alive_ = keep;
      if (!ok) return self->Close();
      if (!keep) return self->Linger();
      self->head_.reset();
      self->body_.reset();
      self->WaitForRequest();
    });
  }

  // The pool's queue is full before Begin: the transport answers (and counts) the request.
  void Overloaded(bool keep) {
    Reply r = TransportReply(t_, ex_ ? ex_->req.method : "", 503, StatusCode::kUnavailable, kBusy, address_);
    r.headers.emplace_back("Retry-After", "1");
    ex_.reset();
    Answer(std::move(r), keep);
  }

  // Back on the io thread after Begin, for a request that announced a body.
  void OnBegun() {
    Api::Exchange& ex = *ex_;
    if (ex.done) {
      // Refused from the head alone. Small bodies are read and dropped to keep the
      // connection; the rest is never read: answer and close.
      if (length_ && !expect_continue_ && *length_ <= kDrainBytes) {
        body_.emplace(std::move(*head_));
        body_->body_limit(kDrainBytes);
        Lowest().expires_after(std::chrono::seconds(t_.options.body_timeout_seconds));
        bhttp::async_read(stream_, buffer_, *body_,
                          [self = this->shared_from_this()](beast::error_code ec, size_t) {
                            self->Lowest().expires_never();
                            if (ec) self->keep_alive_ = false;
                            self->EndRefused();
                          });
        return;
      }
      keep_alive_ = false;
      return EndRefused();
    }
    if (expect_continue_) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      Lowest().expires_after(std::chrono::seconds(t_.options.write_timeout_seconds));
      asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                        [self = this->shared_from_this()](beast::error_code ec, size_t) {
                          if (ec) return self->Abandon();
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void EndRefused() {
    t_.api.End(*ex_);
    reply_ = std::move(ex_->reply);
    ex_.reset();
    Write();
  }

  // The body, within the route's limit (a chunked body is counted as it comes) and the body
  // deadline.
  void ReadBody() {
    body_.emplace(std::move(*head_));
    body_->body_limit(ex_->body_limit);
    Lowest().expires_after(std::chrono::seconds(t_.options.body_timeout_seconds));
    bhttp::async_read(stream_, buffer_, *body_,
                      [self = this->shared_from_this()](beast::error_code ec, size_t) { self->OnBody(ec); });
  }

  void OnBody(beast::error_code ec) {
    Lowest().expires_never();
    Api::Exchange& ex = *ex_;
    if (ec) {
      std::string& partial = body_->get().body();
      SecureZero(partial.data(), partial.size());
      keep_alive_ = false;
      if (ec == bhttp::error::body_limit) {
        ex.reply = BodyTooLarge(ex.body_limit);
        ex.done = true;
        return EndRefused();
      }
      if (ec == beast::error::timeout) {
        // The stream has closed the socket on its deadline: log and count the request as a
        // 408, there is nobody left to answer.
        ex.reply = ErrorReply(408, StatusCode::kInvalidArgument,
                              "请求体未在 " + std::to_string(t_.options.body_timeout_seconds) +
                                  " 秒内送达，请检查网络后重新发送 / the body did not arrive within " +
                                  std::to_string(t_.options.body_timeout_seconds) + " s; send it again");
        t_.api.End(ex);
        ex_.reset();
        return Close();
      }
      return Abandon();
    }
    ex.req.body = std::move(body_->get().body());
    body_.reset();
    auto self = this->shared_from_this();
    if (!t_.pool.TryPost([self, work = Work()] { self->Finish(); })) {
      // Begin counted this request: end it as the overload it met.
      SecureZero(ex.req.body.data(), ex.req.body.size());
      ex.reply = ErrorReply(503, StatusCode::kUnavailable, kBusy);
      ex.reply.headers.emplace_back("Retry-After", "1");
      EndRefused();
    }
  }

  // The peer went away in the middle of a request Begin counted: end it without an answer.
  void Abandon() {
    if (ex_) {
      ex_->reply = ErrorReply(400, StatusCode::kInvalidArgument,
                              "连接在请求体送达前中断 / the connection ended before the body arrived");
      t_.api.End(*ex_);
      ex_.reset();
    }
    Close();
  }

  void Answer(Reply r, bool keep) {
    if (!keep) keep_alive_ = false;
    reply_ = std::move(r);
    Write();
  }

  void Write() {
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>();
    res->version(version_ == 10 ? 10 : 11);
    res->result(static_cast<unsigned>(reply_.status));
    for (auto& [k, v] : reply_.headers) res->insert(k, v);
    res->set(bhttp::field::content_type, reply_.content_type);
    bool keep = keep_alive_ && !t_.stopping.load() && served_ + 1 < t_.options.keep_alive_max_requests;
    res->keep_alive(keep);
    keep_alive_ = keep;
    res->content_length(reply_.body.size());
    if (!head_request_) res->body() = std::move(reply_.body);
    reply_ = Reply{};
    ++served_;
    Lowest().expires_after(std::chrono::seconds(t_.options.write_timeout_seconds));
    bhttp::async_write(stream_, *res, [self = this->shared_from_this(), res](beast::error_code ec, size_t) {
      self->Lowest().expires_never();
      if (ec) return self->Close();
      if (!self->keep_alive_) return self->Linger();
      self->head_.reset();
      self->body_.reset();
      self->WaitForRequest();
    });
  }

  // Closing after a reply: stop sending, then read and drop what the peer still sends for a
  // moment, so that the reply is not lost to a reset.
  void Linger() {
    if constexpr (kTls) {
      idle_ = true;
      Lowest().expires_after(kLingerTime);
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) { self->Close(); });
    } else {
      beast::error_code ec;
      Lowest().socket().shutdown(tcp::socket::shutdown_send, ec);
      if (ec) return Close();
      buffer_.clear();
      Lowest().expires_after(kLingerTime);
      Drop();
    }
  }

  void Drop() {
    stream_.async_read_some(buffer_.prepare(16384), [self = this->shared_from_this()](beast::error_code ec, size_t n) {
      self->lingered_ += n;
      if (ec || self->lingered_ > kLingerBytes) return self->Close();
      self->Drop();
    });
  }

  void Close() {
    beast::error_code ec;
    Lowest().socket().shutdown(tcp::socket::shutdown_both, ec);
    Lowest().close();
  }

  Transport& t_;
  const std::string address_;
  const Listener which_;
  Stream stream_;
  uint64_t id_ = 0;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::empty_body>> head_;
  std::optional<bhttp::request_parser<bhttp::string_body>> body_;
  std::shared_ptr<Api::Exchange> ex_;
  Reply reply_;
  std::optional<uint64_t> length_;  // the declared body length; nullopt: chunked
  unsigned version_ = 11;
  bool keep_alive_ = true;
  bool head_request_ = false;
  bool expect_continue_ = false;
  std::atomic<bool> idle_{false};
  int served_ = 0;
  uint64_t lingered_ = 0;
};

}  // namespace

Reply TransportReply(Transport& t, const std::string& method, int status, StatusCode code, std::string message,
                     const std::string& remote) {
  Api::Exchange ex;
  ex.start = std::chrono::steady_clock::now();
  t.api.metrics().RequestStarted();
  ex.req.method = method.empty() ? "-" : method;
  ex.req.remote_addr = remote;
  ex.request_id = NewRequestId();
  ex.route_label = "transport";
  ex.reply = ErrorReply(status, code, message);
  t.api.End(ex);
  return std::move(ex.reply);
}

void StartSession(Transport& t, tcp::socket socket, std::string address, Listener which) {
  beast::error_code ec;
  socket.set_option(tcp::no_delay(true), ec);
  if (t.tls) {
    auto s = std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(t, std::move(address), which,
                                                                              std::move(socket), *t.tls);
    s->Start();
  } else {
    auto s = std::make_shared<Session<beast::tcp_stream>>(t, std::move(address), which, std::move(socket));
    s->Start();
  }
}

}  // namespace eseal::http
