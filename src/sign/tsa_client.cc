// The RFC 3161 TSA client (时间戳服务客户端, tsa_client.h): the HTTP exchange over
// cpp-httplib (Debian's compiled libcpp-httplib, used only in this adapter file; it may
// throw, so every call into it is caught here) and the retry loop. What is checked in a
// reply before its token is used is in tsa_reply.cc.
#include "eseal/sign/tsa_client.h"

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <memory>
#include <thread>

#include "eseal/crypto/random.h"
#include "eseal/crypto/sm3.h"
#include "eseal/tsp/timestamp_request.h"
#include "tsa_internal.h"

namespace eseal::sign {
namespace {

using internal::TsaUrl;
using std::chrono::milliseconds;

constexpr milliseconds kMaxTimeout{600'000};
constexpr milliseconds kMaxBackoffStep{5000};
constexpr int kMaxRetries = 10;
constexpr size_t kMinResponse = 1024, kMaxResponse = size_t{16} << 20;

Status BadOption(const std::string& zh, const std::string& en) {
  return InvalidArgumentError("时间戳服务客户端配置无效：" + zh +
                              " / invalid TSA client option: " + en);
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// http://host[:port][/path][?query] or https://...; [v6] literals allowed. Credentials and
// fragments are refused: a password in the URL would end up in error messages and logs.
Result<TsaUrl> ParseUrl(const std::string& text) {
  auto bad = [&](const std::string& zh, const std::string& en) {
    return BadOption("地址“" + text + "”" + zh + "（应为 http://主机[:端口][/路径]）",
                     "URL '" + text + "' " + en + " (expected http://host[:port][/path])");
  };
  for (unsigned char c : text) {
    if (c <= 0x20 || c == 0x7f)
      return bad("含有空白或控制字符", "contains a space or control character");
  }
  TsaUrl u;
  const std::string lower = Lower(text);
  size_t rest_at = 0;
  if (lower.starts_with("http://")) {
    rest_at = 7;
  } else if (lower.starts_with("https://")) {
    u.https = true;
    rest_at = 8;
  } else {
    return bad("不是 http:// 或 https:// 地址", "is not an http:// or https:// URL");
  }
  if (text.find('#') != std::string::npos) return bad("含有 #片段", "has a #fragment");
  const std::string rest = text.substr(rest_at);
  const size_t path_at = rest.find_first_of("/?");
  const std::string authority = rest.substr(0, path_at);
  u.path = path_at == std::string::npos ? "/" : rest.substr(path_at);
  if (u.path.front() == '?') u.path.insert(u.path.begin(), '/');
  if (authority.find('@') != std::string::npos) {
    return bad("含有用户名或密码", "carries user credentials");
  }
  std::string port_text;
  if (authority.starts_with("[")) {
    const size_t close = authority.find(']');
    if (close == std::string::npos) return bad("的 IPv6 地址缺少 ]", "has an unclosed [IPv6] host");
    u.host = authority.substr(1, close - 1);
    const std::string after = authority.substr(close + 1);
    if (!after.empty() && after.front() != ':') return bad("的主机部分无效", "has an invalid host");
    if (!after.empty()) port_text = after.substr(1);
  } else {
    const size_t colon = authority.find(':');
    u.host = authority.substr(0, colon);
    if (colon != std::string::npos) port_text = authority.substr(colon + 1);
  }
  if (u.host.empty()) return bad("缺少主机名", "has no host");
  u.port = u.https ? 443 : 80;
  if (!port_text.empty() || authority.ends_with(":")) {
    int port = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port < 1 ||
        port > 65535) {
      return bad("的端口无效", "has an invalid port");
    }
    u.port = port;
  }
  u.text = text;
  return u;
}

Status CheckOptions(const TsaClientOptions& o) {
  auto in_range = [](milliseconds d) { return d > milliseconds(0) && d <= kMaxTimeout; };
  if (!in_range(o.connect_timeout) || !in_range(o.read_timeout)) {
    return BadOption("超时须大于 0 且不超过 600 秒", "timeouts must be above 0 and at most 600 s");
  }
  if (o.retries < 0 || o.retries > kMaxRetries) {
    return BadOption("重试次数须为 0 到 10", "retries must be 0 to 10");
  }
  if (o.backoff < milliseconds(0) || o.backoff > kMaxBackoffStep) {
    return BadOption("重试间隔须为 0 到 5 秒", "backoff must be 0 to 5 s");
  }
  if (o.max_response_bytes < kMinResponse || o.max_response_bytes > kMaxResponse) {
    return BadOption("应答大小上限须为 1 KiB 到 16 MiB",
                     "max_response_bytes must be 1 KiB to 16 MiB");
  }
  if (o.max_clock_skew < std::chrono::seconds(0)) {
    return BadOption("时钟偏差容限不能为负", "max_clock_skew must not be negative");
  }
  if (o.check_revocation && o.crls.empty()) {
    // Every token would then be refused as INDETERMINATE; say so now rather than per call.
    return BadOption("检查吊销状态需要提供 CRL", "check_revocation needs the TSA chain's CRLs");
  }
  return Status::Ok();
}

// 64 random bits as minimal positive INTEGER content octets (a 0x00 in front when the
// top bit is set), so the echoed nonce compares byte for byte.
Result<Bytes> FreshNonce(Rng& rng) {
  ASSIGN_OR_RETURN(Bytes raw, RandomBytes(rng, 8));
  size_t skip = 0;
  while (skip + 1 < raw.size() && raw[skip] == 0 && (raw[skip + 1] & 0x80) == 0) ++skip;
  Bytes nonce(raw.begin() + static_cast<ptrdiff_t>(skip), raw.end());
  if (nonce[0] & 0x80) nonce.insert(nonce.begin(), 0x00);
  return nonce;
}

// One POST and its outcome: a body to check, a final error, or a failure that asking
// again could cure (the TSA was not reached, was too slow, or failed on its side), whose
// message is made once the attempts are spent (Retryable).
struct Exchange {
  enum class Kind { kBody, kFinal, kUnreachable, kServerError } kind = Kind::kBody;
  Status status;       // kFinal
  std::string zh, en;  // kUnreachable, kServerError: what happened
  Bytes body;          // kBody
};

Exchange Final(Status s) { return {Exchange::Kind::kFinal, std::move(s), {}, {}, {}}; }
Exchange Unreachable(std::string zh, std::string en) {
  return {Exchange::Kind::kUnreachable, {}, std::move(zh), std::move(en), {}};
}

Status Retryable(const TsaUrl& u, const Exchange& e, int attempts) {
  const std::string zh =
      e.zh + (attempts > 1 ? "，共尝试 " + std::to_string(attempts) + " 次" : "");
  const std::string en = e.en + (attempts > 1 ? "; " + std::to_string(attempts) + " attempts" : "");
  if (e.kind == Exchange::Kind::kServerError) {
    return UnavailableError("时间戳服务出错（" + zh +
                            "）；请稍后重试，或联系时间戳服务提供方 / the TSA at " + u.text +
                            " failed (" + en + "); try again later or contact the TSA's operator");
  }
  return UnavailableError("时间戳服务不可达（" + zh +
                          "）；请检查时间戳服务地址（--tsa-url）或稍后重试 / the TSA at " + u.text +
                          " could not be reached (" + en +
                          "); check the TSA URL (--tsa-url) or try again later");
}

// httplib's transport errors in words an operator can act on.
Exchange TransportError(httplib::Error err, const TsaClientOptions& o, const TsaUrl& u) {
  const std::string connect = internal::FormatSeconds(o.connect_timeout);
  const std::string read = internal::FormatSeconds(o.read_timeout);
  switch (err) {
    case httplib::Error::Connection:
      return Unreachable("无法连接：连接被拒绝、主机名无法解析或网络不通",
                         "could not connect: refused, unknown host or no route");
    case httplib::Error::ConnectionTimeout:
      return Unreachable(connect + " 内未能建立连接", "no connection within " + connect);
    case httplib::Error::Read:
      return Unreachable(read + " 内无应答或连接中断",
                         "no reply within " + read + ", or the connection dropped");
    case httplib::Error::Write:
      return Unreachable("发送请求时连接中断", "the connection dropped while sending the request");
    case httplib::Error::SSLConnection:
      return Unreachable("TLS 握手失败", "the TLS handshake failed");
    case httplib::Error::SSLServerVerification:
    case httplib::Error::SSLLoadingCerts:
      return Final(
          FailedPreconditionError("时间戳服务的 TLS 证书未通过验证；请提供其 CA 证书或改用 http:// "
                                  "地址 / the TLS certificate of " +
                                  u.text + " did not verify (" + httplib::to_string(err) +
                                  "); give its CA certificate or use the TSA's http:// address"));
    default:
      return Unreachable("连接错误：" + httplib::to_string(err),
                         "connection error: " + httplib::to_string(err));
  }
}

Exchange Post(const internal::TsaClientState& s, const Bytes& request) {
  const TsaClientOptions& o = s.options;
  const TsaUrl& u = s.url;
  enum class Stop { kNone, kTooLarge, kTooSlow } stop = Stop::kNone;
  const auto deadline = std::chrono::steady_clock::now() + o.connect_timeout + o.read_timeout;
  Bytes body;
  httplib::Response res;
  httplib::Error err = httplib::Error::Success;
  bool sent = false;
  try {
    std::unique_ptr<httplib::ClientImpl> client;
    if (u.https) {
      auto tls = std::make_unique<httplib::SSLClient>(u.host, u.port);
      if (!o.tls_ca_file.empty()) tls->set_ca_cert_path(o.tls_ca_file);
      tls->enable_server_certificate_verification(true);
      client = std::move(tls);
    } else {
      client = std::make_unique<httplib::ClientImpl>(u.host, u.port);
    }
    client->set_connection_timeout(o.connect_timeout);
    client->set_read_timeout(o.read_timeout);
    client->set_write_timeout(o.read_timeout);
    client->set_keep_alive(false);
    client->set_follow_location(false);  // a redirect is an answer to report, not to follow
    client->set_decompress(false);       // no Accept-Encoding: the body is the DER itself
    httplib::Request req;
    req.method = "POST";
    req.path = u.path;
    req.body.assign(request.begin(), request.end());
    req.set_header("Content-Type", "application/timestamp-query");
    req.set_header("Accept", "application/timestamp-reply");
    req.response_handler = [&](const httplib::Response& r) {
      const std::string len = r.get_header_value("Content-Length");
      size_t n = 0;
      auto [end, ec] = std::from_chars(len.data(), len.data() + len.size(), n);
      if (!len.empty() &&
          (ec == std::errc::result_out_of_range ||
           (ec == std::errc() && end == len.data() + len.size() && n > o.max_response_bytes))) {
        stop = Stop::kTooLarge;
        return false;
      }
      return true;
    };
    req.content_receiver = [&](const char* data, size_t n, uint64_t, uint64_t) {
      if (n > o.max_response_bytes - body.size()) {
        stop = Stop::kTooLarge;
        return false;
      }
      if (std::chrono::steady_clock::now() > deadline) {  // a reply trickled in too slowly
        stop = Stop::kTooSlow;
        return false;
      }
      body.insert(body.end(), data, data + n);
      return true;
    };
    sent = client->send(req, res, err);
  } catch (const std::exception& e) {
    return Unreachable(std::string("客户端异常：") + e.what(),
                       std::string("client error: ") + e.what());
  } catch (...) {
    return Unreachable("客户端异常", "client error");
  }
  if (stop == Stop::kTooLarge) {
    const std::string kib = std::to_string(o.max_response_bytes / 1024) + " KiB";
    return Final(DataLossError(
        "时间戳服务的应答超过 " + kib +
        "，不是时间戳应答；请检查时间戳服务地址（--tsa-url） / the reply from " + u.text +
        " is larger than " + kib + ", which no timestamp reply is; check the TSA URL (--tsa-url)"));
  }
  if (stop == Stop::kTooSlow) {
    const std::string wait = internal::FormatSeconds(o.connect_timeout + o.read_timeout);
    return Unreachable(wait + " 内未收完应答", "the reply did not arrive within " + wait);
  }
  if (!sent) return TransportError(err, o, u);
  const std::string code = "HTTP " + std::to_string(res.status);
  if (res.status >= 500 && res.status <= 599) {
    return {Exchange::Kind::kServerError, {}, code, "answered " + code, {}};
  }
  if (res.status != 200) {
    return Final(
        FailedPreconditionError("时间戳服务未接受请求（" + code +
                                "）；请检查时间戳服务地址（--tsa-url）是否为其 RFC 3161 "
                                "接口 / the TSA at " +
                                u.text + " answered " + code +
                                "; check that the TSA URL (--tsa-url) is its RFC 3161 endpoint"));
  }
  const std::string type = res.get_header_value("Content-Type");
  const std::string media = Lower(type.substr(0, type.find(';')));
  const auto first = media.find_first_not_of(" \t");
  const auto last = media.find_last_not_of(" \t");
  if (first == std::string::npos ||
      media.substr(first, last - first + 1) != "application/timestamp-reply") {
    const std::string shown = internal::Printable(type.empty() ? "(none)" : type);
    return Final(DataLossError(
        "时间戳服务的应答类型不是 application/timestamp-reply（" + shown +
        "）；请检查时间戳服务地址（--tsa-url）是否为其 RFC 3161 接口 / the reply from " + u.text +
        " has Content-Type " + shown +
        ", not application/timestamp-reply; check that the TSA URL (--tsa-url) is its RFC 3161 "
        "endpoint"));
  }
  return {Exchange::Kind::kBody, {}, {}, {}, std::move(body)};
}

}  // namespace

Result<Timestamper> HttpTimestamper(TsaClientOptions o) {
  RETURN_IF_ERROR(CheckOptions(o));
  ASSIGN_OR_RETURN(TsaUrl url, ParseUrl(o.url));
  auto s = std::make_shared<internal::TsaClientState>();
  s->options = std::move(o);
  s->url = std::move(url);
  return Timestamper([s](ByteView value) -> Result<Bytes> {
    const TsaClientOptions& opts = s->options;
    Rng& rng = opts.rng != nullptr ? *opts.rng : crypto::SystemRng();
    tsp::TimestampRequest q;
    q.hash_algorithm = asn1::oids::Sm3();
    q.hashed_message = crypto::Sm3Bytes(value);
    q.policy = opts.policy;
    q.cert_req = true;  // the certificate is needed to check the signature before use
    Exchange last;
    const int attempts = opts.retries + 1;
    for (int i = 0; i < attempts; ++i) {
      if (i > 0) {
        std::this_thread::sleep_for(std::min(opts.backoff * (1 << (i - 1)), kMaxBackoffStep));
      }
      // A fresh nonce per attempt: a late reply to an earlier attempt is then refused too.
      ASSIGN_OR_RETURN(q.nonce, FreshNonce(rng));
      last = Post(*s, tsp::EncodeTimestampRequest(q));
      if (last.kind == Exchange::Kind::kBody)
        return internal::CheckTsaReply(*s, last.body, value, q);
      if (last.kind == Exchange::Kind::kFinal) return last.status;
    }
    return Retryable(s->url, last, attempts);
  });
}

}  // namespace eseal::sign
