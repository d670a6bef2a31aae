// HTTP/1.1 on a TCP socket (Boost.Beast over Boost.Asio) in front of a
// DecisionService: keep-alive, a pool of threads running one io_context,
// TCP_NODELAY, a 64 KiB limit on request bodies and a 30 s idle timeout.
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

  // Stops accepting connections at once, lets the requests being answered
  // finish (up to 2 s), then closes every connection and joins the
  // threads. Returns when all of that is done.
  virtual void Stop() = 0;
};

}  // namespace toegang::serve

#endif  // TOEGANG_SERVE_HTTP_SERVER_H_
