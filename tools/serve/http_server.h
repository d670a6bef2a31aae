// HTTP/1.1 on a TCP socket (Boost.Beast over Boost.Asio) in front of a
// DecisionService: keep-alive, a pool of threads running one io_context,
// TCP_NODELAY, a 16 KiB limit on a request's head (431 beyond), 64 KiB on
// its body (413 beyond) and a 30 s idle timeout.
//
// Strict HTTP/1.1 (RFC 9110, 9112): a malformed request, obs-fold (a
// header line continued on the next), a request of HTTP/1.1 without
// exactly one Host, Content-Length given twice or beside
// Transfer-Encoding, or a transfer coding other than chunked gets 400 and
// the connection is closed after the answer; other HTTP versions than 1.0
// and 1.1 get 505.
//
// Requests that wait for a revision (at_least) are parked without holding
// a thread (revision_waiter.h), at most max_waiting at once (503 beyond).
// At most max_connections connections are open (never more than half the
// soft RLIMIT_NOFILE): at the limit an idle keep-alive connection is
// closed for the new one, or, when none is idle, the new one gets 503. When
// accept() runs out of descriptors (EMFILE, ENFILE) it pauses 100 ms
// instead of retrying at once; open connections go on being answered.
//
//   auto server = HttpServer::Start({"127.0.0.1", 8080, 2}, &service);
//   if (!server.ok()) { ...server.status()... }
//   (*server)->port();   // the bound port (useful with port 0)
//   ...
//   (*server)->Stop();   // graceful: see Stop()
//
// Thread safety: Stop() and port() may be called from any thread, Stop()
// more than once. The service must outlive the server.
#ifndef TOEGANG_SERVE_HTTP_SERVER_H_
#define TOEGANG_SERVE_HTTP_SERVER_H_

#include <cstdint>
#include <memory>
#include <string>

#include "decision_service.h"
#include "toegang/status.h"

namespace toegang::serve {

struct ServerOptions {
  std::string address = "127.0.0.1";  // IPv4 or IPv6 literal
  uint16_t port = 0;                  // 0: an ephemeral port
  int threads = 1;                    // threads answering requests (>= 1)
  // Connections open at once (>= 1), capped at half the soft
  // RLIMIT_NOFILE.
  size_t max_connections = 512;
  // Requests parked waiting for a revision (>= 1).
  size_t max_waiting = 1000;
  // The admin listener: serves /v1/explain (personal data) besides the
  // gateway's endpoints (HttpRequest::admin).
  bool admin = false;
};

class HttpServer {
 public:
  // Binds, listens and starts the threads. Fails with invalid input
  // (usage) for a bad address or thread count, or io_error when the
  // address cannot be bound.
  static Result<std::unique_ptr<HttpServer>> Start(const ServerOptions& options,
                                                   DecisionService* service);

  // Stops (as Stop()) and joins the threads.
  virtual ~HttpServer() = default;

  // The port the server listens on.
  virtual uint16_t port() const = 0;

  // Requests parked now, waiting for a revision.
  virtual size_t waiting() const = 0;
  // Connections open now.
  virtual size_t connections() const = 0;
  // The connection limit in force (max_connections after the cap).
  virtual size_t max_connections() const = 0;

  // Stops accepting connections at once, answers parked requests at once
  // (503 unless their revision came), lets the requests being answered
  // finish (up to 2 s), then closes every connection and joins the
  // threads. Returns when all of that is done.
  virtual void Stop() = 0;
};

}  // namespace toegang::serve

#endif  // TOEGANG_SERVE_HTTP_SERVER_H_
