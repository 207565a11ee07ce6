// The asynchronous HTTP transport behind http::Server (server.cc, session.cc): Boost.Asio
// io threads own every connection and only ever wait for sockets; request work (Api::Begin
// with its bearer lookup, body parsing, Api::Run) goes to a bounded WorkPool. A slow or
// hostile client therefore costs a socket and a little memory, never a thread.
// Thread-safety: Transport's counters and session registry are guarded by `mu`; sessions run
// on their own strand.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include "api.h"
#include "eseal/http/server.h"
#include "work_pool.h"

namespace eseal::http {

// What a connection serves: everything (the main listener) or only /metrics and /healthz
// (ServerOptions::metrics_port).
enum class Listener { kMain, kMetrics };

class SessionBase {
 public:
  virtual ~SessionBase() = default;
  // The server is stopping: close the connection if it is between requests; otherwise it
  // closes after the reply in progress. Called from any thread.
  virtual void OnServerStop() = 0;
};

struct Transport {
  Transport(platform::Platform& p, ServerOptions o);

  ServerOptions options;
  Api api;
  WorkPool pool;
  std::optional<boost::asio::ssl::context> tls;  // set: every listener speaks TLS
  std::atomic<bool> stopping{false};

  // Admission: kAdmitted, or which limit the connection would exceed.
  enum class Admission { kAdmitted, kAddressFull, kServerFull };
  Admission Admit(const std::string& address);
  void Release(const std::string& address);
  uint64_t Register(std::weak_ptr<SessionBase> s);
  void Unregister(uint64_t id);
  // Tells every open session the server is stopping.
  void StopSessions();

  std::mutex mu;
  std::unordered_map<std::string, int> per_address;
  size_t open = 0;
  uint64_t next_id = 0;
  std::unordered_map<uint64_t, std::weak_ptr<SessionBase>> sessions;
  // Last: destroying it destroys the sessions still queued in it, which use the members above.
  boost::asio::io_context io;
};

// Serves one accepted connection until it closes. `address` was admitted (Transport::Admit)
// and is released when the session ends.
void StartSession(Transport& t, boost::asio::ip::tcp::socket socket, std::string address, Listener which);

// An answer made by the transport itself (malformed head, overload, slow client), logged
// and counted like the API's own and carrying X-Request-Id.
Reply TransportReply(Transport& t, const std::string& method, int status, StatusCode code, std::string message,
                     const std::string& remote);

}  // namespace eseal::http
