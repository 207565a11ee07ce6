// Test helper: a real HTTP endpoint on 127.0.0.1 (an ephemeral port, httplib::Server in a
// thread) that answers POSTs with whatever the test's handler says — eseal's own TSA
// (Honest), or a misbehaving one (5xx, slow, wrong type, replays, ...). Used by the TSA
// client's tests here and by the CLI's --tsa-url tests.
// Thread-safety: the handler runs on the server's threads; requests() and the recorded
// request are safe to read from the test's thread.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "eseal/base/bytes.h"
#include "eseal/tsp/authority.h"

namespace eseal::sign::testing {

struct HttpReply {
  int status = 200;
  std::string content_type = "application/timestamp-reply";
  Bytes body;
  // Waited before answering (cut short when the server stops).
  std::chrono::milliseconds delay{0};
};

// `n` counts requests from 1.
using HttpTsaHandler = std::function<HttpReply(const Bytes& request_body, int n)>;

// Answers with `tsa`'s Respond (which must outlive the server).
HttpTsaHandler Honest(const tsp::TimestampAuthority& tsa);

class HttpTsaServer {
 public:
  explicit HttpTsaServer(HttpTsaHandler handler);  // listening when this returns
  ~HttpTsaServer();
  HttpTsaServer(const HttpTsaServer&) = delete;
  HttpTsaServer& operator=(const HttpTsaServer&) = delete;

  int port() const;
  std::string url() const;  // http://127.0.0.1:<port>/tsa
  int requests() const;     // POSTs received
  // The last request's body and Content-Type.
  Bytes last_request() const;
  std::string last_content_type() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A 127.0.0.1 port with nothing listening on it (bound once, then released).
int UnusedPort();

}  // namespace eseal::sign::testing
