// The only file that includes Boost.Beast: it compiles slowly, so the rest
// of the service speaks HttpRequest / HttpResponse.
#include "http_server.h"

#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "toegang/error_codes.h"

namespace toegang::serve {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr size_t kBodyLimit = 64 * 1024;
constexpr size_t kHeaderLimit = 16 * 1024;
constexpr std::chrono::seconds kIdleTimeout{30};
constexpr std::chrono::seconds kDrainLimit{2};

std::string_view View(beast::string_view s) { return {s.data(), s.size()}; }

std::string_view LookUpHeader(const void* context, std::string_view name) {
  const auto* request =
      static_cast<const http::request<http::string_body>*>(context);
  auto it = request->find(beast::string_view(name.data(), name.size()));
  return it == request->end() ? std::string_view() : View(it->value());
}

class Server;

// One connection: read a request, answer it, and again while keep-alive.
// Only one operation is outstanding at a time, on the connection's strand.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Server* server)
      : stream_(std::move(socket)), server_(server) {}

  void Start() {
    net::dispatch(stream_.get_executor(),
                  [self = shared_from_this()] { self->Read(); });
  }

 private:
  void Read();
  void OnRead(beast::error_code ec);
  void OnWrite(beast::error_code ec, bool keep_alive);
  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;
  Server* const server_;
};

class Server final : public HttpServer {
 public:
  Server(DecisionService* service, int threads)
      : service_(service),
        ioc_(threads),
        acceptor_(net::make_strand(ioc_)),
        thread_count_(threads) {}

  ~Server() override { Stop(); }

  Status Listen(const ServerOptions& options) {
    beast::error_code ec;
    const net::ip::address address = net::ip::make_address(options.address, ec);
    if (ec) {
      return Status::InvalidInput(
          code::kUsage, "--listen: `" + options.address +
                            "` is not an IP address (" + ec.message() + ")");
    }
    const tcp::endpoint endpoint(address, options.port);
    auto fail = [&](const char* what) {
      return Status::Storage(code::kIoError, std::string("cannot ") + what +
                                                 " " + options.address + ":" +
                                                 std::to_string(options.port) +
                                                 ": " + ec.message());
    };
    acceptor_.open(endpoint.protocol(), ec);
    if (ec) return fail("open a socket for");
    acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (ec) return fail("set SO_REUSEADDR on");
    acceptor_.bind(endpoint, ec);
    if (ec) return fail("bind");
    acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) return fail("listen on");
    port_ = acceptor_.local_endpoint(ec).port();
    Accept();
    threads_.reserve(static_cast<size_t>(thread_count_));
    for (int i = 0; i < thread_count_; ++i) {
      threads_.emplace_back([this] { ioc_.run(); });
    }
    return Status::Ok();
  }

  uint16_t port() const override { return port_; }

  void Stop() override {
    std::lock_guard<std::mutex> lock(stop_mutex_);
    if (stopped_) return;
    stopped_ = true;
    stopping_.store(true);
    net::post(acceptor_.get_executor(), [this] {
      beast::error_code ignored;
      acceptor_.close(ignored);
    });
    const auto deadline = std::chrono::steady_clock::now() + kDrainLimit;
    while (in_flight_.load() > 0 &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ioc_.stop();
    for (std::thread& t : threads_) {
      if (t.joinable()) t.join();
    }
    // The posted close may not have run before the io threads stopped;
    // with them gone the acceptor is this thread's to close.
    beast::error_code ignored;
    acceptor_.close(ignored);
  }

  DecisionService* service() const { return service_; }
  bool stopping() const { return stopping_.load(std::memory_order_relaxed); }
  void BeginRequest() { in_flight_.fetch_add(1); }
  void EndRequest() { in_flight_.fetch_sub(1); }

 private:
  void Accept() {
    acceptor_.async_accept(net::make_strand(ioc_), [this](beast::error_code ec,
                                                          tcp::socket socket) {
      if (ec == net::error::operation_aborted || !acceptor_.is_open()) {
        return;
      }
      if (!ec) {
        beast::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        std::make_shared<Session>(std::move(socket), this)->Start();
      }
      Accept();  // also after a failed accept (e.g. out of descriptors)
    });
  }

  DecisionService* const service_;
  net::io_context ioc_;
  tcp::acceptor acceptor_;
  const int thread_count_;
  uint16_t port_ = 0;
  std::vector<std::thread> threads_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> in_flight_{0};  // requests read and not yet written
  std::mutex stop_mutex_;
  bool stopped_ = false;  // guarded by stop_mutex_
};

void Session::Read() {
  parser_.emplace();
  parser_->body_limit(kBodyLimit);
  parser_->header_limit(kHeaderLimit);
  stream_.expires_after(kIdleTimeout);
  http::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](beast::error_code ec, size_t) {
                     self->OnRead(ec);
                   });
}

void Session::OnRead(beast::error_code ec) {
  if (ec) {
    // end_of_stream: the client closed; a timeout or a malformed or
    // oversized request: drop the connection.
    Close();
    return;
  }
  server_->BeginRequest();
  const http::request<http::string_body>& request = parser_->get();
  HttpRequest in;
  in.method = View(request.method_string());
  in.target = View(request.target());
  in.body = request.body();
  in.header = &LookUpHeader;
  in.header_context = &request;
  HttpResponse out = server_->service()->Handle(in);

  response_ = {};
  response_.version(request.version());
  response_.result(static_cast<unsigned>(out.status));
  response_.set(http::field::server, "toegang");
  for (auto& [name, value] : out.headers) response_.set(name, value);
  if (!out.content_type.empty()) {
    response_.set(http::field::content_type, out.content_type);
  }
  const bool keep_alive = request.keep_alive() && !server_->stopping();
  response_.keep_alive(keep_alive);
  const bool no_body = out.status == 204 || out.status == 304 ||
                       request.method() == http::verb::head;
  if (no_body) {
    if (out.status != 204 && out.status != 304) {
      response_.content_length(out.body.size());
    }
  } else {
    response_.body() = std::move(out.body);
    response_.prepare_payload();
  }
  stream_.expires_after(kIdleTimeout);
  http::async_write(
      stream_, response_,
      [self = shared_from_this(), keep_alive](beast::error_code wec, size_t) {
        self->OnWrite(wec, keep_alive);
      });
}

void Session::OnWrite(beast::error_code ec, bool keep_alive) {
  server_->EndRequest();
  if (ec || !keep_alive) {
    Close();
    return;
  }
  Read();
}

}  // namespace

Result<std::unique_ptr<HttpServer>> HttpServer::Start(
    const ServerOptions& options, DecisionService* service) {
  if (options.threads < 1 || options.threads > 256) {
    return Status::InvalidInput(code::kUsage, "--threads is 1 to 256");
  }
  auto server = std::make_unique<Server>(service, options.threads);
  Status listening = server->Listen(options);
  if (!listening.ok()) return listening;
  return std::unique_ptr<HttpServer>(std::move(server));
}

}  // namespace toegang::serve
