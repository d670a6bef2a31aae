// The only file that includes Boost.Beast: it compiles slowly, so the rest
// of the service speaks HttpRequest / HttpResponse.
#include "http_server.h"

#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <chrono>
#include <list>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "revision_waiter.h"
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
// How long accept() pauses when the process is out of descriptors.
constexpr std::chrono::milliseconds kAcceptBackoff{100};
// After a refused request: how long and how much of the rest is read and
// dropped before closing, so that the client sees the answer rather than
// a reset.
constexpr std::chrono::seconds kLingerLimit{1};
constexpr size_t kLingerBytes = 256 * 1024;

std::string_view View(beast::string_view s) { return {s.data(), s.size()}; }

using Request = http::request<http::string_body>;

std::string_view LookUpHeader(const void* context, std::string_view name) {
  const auto* request = static_cast<const Request*>(context);
  auto it = request->find(beast::string_view(name.data(), name.size()));
  return it == request->end() ? std::string_view() : View(it->value());
}

size_t CountHeader(const void* context, std::string_view name) {
  const auto* request = static_cast<const Request*>(context);
  return request->count(beast::string_view(name.data(), name.size()));
}

bool IequalsChunked(beast::string_view value) {
  return beast::iequals(value, beast::string_view("chunked"));
}

// What RFC 9112 asks of a request's framing and Host beyond what Beast
// checks; empty when fine, else why it is refused.
std::string FramingProblem(const Request& request) {
  if (request.version() == 11 && request.count(http::field::host) != 1) {
    return "an HTTP/1.1 request has exactly one Host header";
  }
  if (request.count(http::field::host) > 1) return "Host is given twice";
  const size_t lengths = request.count(http::field::content_length);
  const size_t codings = request.count(http::field::transfer_encoding);
  if (lengths > 1) return "Content-Length is given twice";
  if (lengths == 1 && request[http::field::content_length].find(',') !=
                          beast::string_view::npos) {
    return "Content-Length is one number";
  }
  if (codings > 0 && lengths > 0) {
    return "Content-Length and Transfer-Encoding together";
  }
  if (codings > 1) return "Transfer-Encoding is given twice";
  if (codings == 1 &&
      (request.version() < 11 ||
       !IequalsChunked(request[http::field::transfer_encoding]))) {
    return "the only transfer coding accepted is chunked (HTTP/1.1)";
  }
  return {};
}

// Whitespace at the start of a line of the head: obs-fold (RFC 9112 5.2),
// or whitespace before the first header line (2.2). head ends with the
// empty line's CRLF CRLF.
bool HasFoldedLine(std::string_view head) {
  for (size_t i = head.find('\n'); i != std::string_view::npos;
       i = head.find('\n', i + 1)) {
    if (i + 1 < head.size() && (head[i + 1] == ' ' || head[i + 1] == '\t')) {
      return true;
    }
  }
  return false;
}

// A CR or LF that is not part of a CRLF in a request's head (RFC 9112
// 2.2: refused rather than guessed at); empty when there is none.
std::string_view LineEndProblem(std::string_view head) {
  for (size_t i = head.find_first_of("\r\n"); i != std::string_view::npos;
       i = head.find_first_of("\r\n", i + 1)) {
    if (head[i] == '\n' && (i == 0 || head[i - 1] != '\r')) {
      return "a line of the request's head ends in a bare LF";
    }
    if (head[i] == '\r' && i + 1 < head.size() && head[i + 1] != '\n') {
      return "a bare CR in the request's head";
    }
  }
  return {};
}

class Server;
class Session;

// The open connections, shared by the server and its sessions (a session
// may be destroyed while the server's members are).
struct Registry {
  std::mutex mu;
  std::list<std::weak_ptr<Session>> sessions;  // guarded by mu, oldest first
  size_t count = 0;                            // guarded by mu
};

// One connection: read a request, answer it, and again while keep-alive.
// Only one operation is outstanding at a time, on the connection's strand.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Server* server);
  ~Session();

  void Start() {
    net::dispatch(stream_.get_executor(),
                  [self = shared_from_this()] { self->Read(); });
  }

  // Chooses this connection to be closed when it waits for a request, or
  // is writing an answer after which it would (with fresh_only: only one
  // that never sent a request), unless it was chosen before. An idle one
  // is closed at once (on its strand), one writing once the answer is out.
  bool EvictIfIdle(bool fresh_only) {
    const bool idle = idle_.load() || finishing_.load();
    if (!idle || (fresh_only && served_.load()) || evicted_.exchange(true)) {
      return false;
    }
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->idle_.load()) return;  // ReadHead closes it
      beast::error_code ignored;
      self->stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
      self->stream_.socket().close(ignored);
    });
    return true;
  }

  std::list<std::weak_ptr<Session>>::iterator registry_entry;

 private:
  void Read();
  void ReadHead();
  void OnHead();
  void OnRead(beast::error_code ec);
  void Answer(HttpResponse out, unsigned version, bool keep_alive, bool head);
  void Refuse(int status, std::string_view message);
  void Resume();
  void OnWrite(beast::error_code ec, bool keep_alive);
  void Linger();
  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;
  std::shared_ptr<PendingDecision> pending_;
  unsigned pending_version_ = 11;
  bool pending_keep_alive_ = false;
  bool pending_head_ = false;
  std::array<char, 4096> scratch_;
  size_t lingered_ = 0;
  std::atomic<bool> idle_{false};
  std::atomic<bool> evicted_{false};
  std::atomic<bool> served_{false};  // a request was read on it
  // Writing an answer after which it waits for the next request.
  std::atomic<bool> finishing_{false};
  Server* const server_;
  const std::shared_ptr<Registry> registry_;
};

class Server final : public HttpServer {
 public:
  Server(DecisionService* service, const ServerOptions& options)
      : service_(service),
        ioc_(options.threads),
        acceptor_(net::make_strand(ioc_)),
        accept_timer_(acceptor_.get_executor()),
        thread_count_(options.threads),
        admin_(options.admin),
        max_connections_(CappedConnections(options.max_connections)),
        waiter_(service->engine(), options.max_waiting) {}

  ~Server() override { Stop(); }

  // At most half the soft descriptor limit: the engine, its database and
  // the listening sockets need the rest.
  static size_t CappedConnections(size_t wanted) {
    rlimit limit{};
    size_t cap = wanted;
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 &&
        limit.rlim_cur != RLIM_INFINITY) {
      cap = std::min<size_t>(cap, static_cast<size_t>(limit.rlim_cur / 2));
    }
    return std::max<size_t>(cap, 1);
  }

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
  size_t waiting() const override { return waiter_.waiting(); }
  size_t connections() const override {
    std::lock_guard<std::mutex> lock(registry_->mu);
    return registry_->count;
  }
  size_t max_connections() const override { return max_connections_; }

  void Stop() override {
    std::lock_guard<std::mutex> lock(stop_mutex_);
    if (stopped_) return;
    stopped_ = true;
    stopping_.store(true);
    net::post(acceptor_.get_executor(), [this] {
      beast::error_code ignored;
      acceptor_.close(ignored);
      accept_timer_.cancel();
    });
    waiter_.ReleaseAll();
    const auto deadline = std::chrono::steady_clock::now() + kDrainLimit;
    while (in_flight_.load() > 0 &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ioc_.stop();
    for (std::thread& t : threads_) {
      if (t.joinable()) t.join();
    }
    waiter_.Stop();
    // The posted close may not have run before the io threads stopped;
    // with them gone the acceptor is this thread's to close.
    beast::error_code ignored;
    acceptor_.close(ignored);
  }

  DecisionService* service() const { return service_; }
  RevisionWaiter& waiter() { return waiter_; }
  bool admin() const { return admin_; }
  bool stopping() const { return stopping_.load(std::memory_order_relaxed); }
  void BeginRequest() { in_flight_.fetch_add(1); }
  void EndRequest() { in_flight_.fetch_sub(1); }

  const std::shared_ptr<Registry>& registry() const { return registry_; }

 private:
  // Closes an idle connection: the longest-open one that never sent a
  // request, else the longest-open one waiting for its next request.
  // False when none is idle.
  bool CloseAnIdleConnection() {
    // Released after the lock: the last reference to a session that is
    // ending runs its destructor, which takes the lock.
    std::vector<std::shared_ptr<Session>> held;
    std::lock_guard<std::mutex> lock(registry_->mu);
    held.reserve(registry_->count);
    for (const bool fresh_only : {true, false}) {
      for (const std::weak_ptr<Session>& weak : registry_->sessions) {
        std::shared_ptr<Session> session = weak.lock();
        if (session == nullptr) continue;
        held.push_back(session);
        if (session->EvictIfIdle(fresh_only)) return true;
      }
    }
    return false;
  }

  static bool OutOfDescriptors(const beast::error_code& ec) {
    if (ec.category() != boost::system::system_category()) return false;
    const int e = ec.value();
    return e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM;
  }

  void Accept() {
    acceptor_.async_accept(net::make_strand(ioc_), [this](beast::error_code ec,
                                                          tcp::socket socket) {
      if (ec == net::error::operation_aborted || !acceptor_.is_open()) {
        return;
      }
      if (ec && OutOfDescriptors(ec)) {
        // Retrying at once would spin: the pending connection keeps the
        // listening socket readable. Free an idle connection's descriptor
        // and look again later.
        CloseAnIdleConnection();
        accept_timer_.expires_after(kAcceptBackoff);
        accept_timer_.async_wait([this](beast::error_code wec) {
          if (wec || !acceptor_.is_open()) return;
          Accept();
        });
        return;
      }
      if (!ec) Admit(std::move(socket));
      Accept();
    });
  }

  void Admit(tcp::socket socket) {
    beast::error_code ignored;
    if (connections() >= max_connections_ && !CloseAnIdleConnection()) {
      // Every connection is busy: tell this one and close it.
      static constexpr std::string_view kBusy =
          "HTTP/1.1 503 Service Unavailable\r\nServer: toegang\r\n"
          "Retry-After: 1\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
      socket.non_blocking(true, ignored);
      socket.write_some(net::buffer(kBusy.data(), kBusy.size()), ignored);
      socket.shutdown(tcp::socket::shutdown_both, ignored);
      socket.close(ignored);
      return;
    }
    socket.set_option(tcp::no_delay(true), ignored);
    auto session = std::make_shared<Session>(std::move(socket), this);
    {
      std::lock_guard<std::mutex> lock(registry_->mu);
      registry_->sessions.push_back(session);
      session->registry_entry = std::prev(registry_->sessions.end());
      ++registry_->count;
    }
    session->Start();
  }

  DecisionService* const service_;
  net::io_context ioc_;
  tcp::acceptor acceptor_;
  net::steady_timer accept_timer_;
  const int thread_count_;
  const bool admin_;
  const size_t max_connections_;
  uint16_t port_ = 0;
  std::vector<std::thread> threads_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> in_flight_{0};  // requests read and not yet written
  std::mutex stop_mutex_;
  bool stopped_ = false;  // guarded by stop_mutex_
  const std::shared_ptr<Registry> registry_ = std::make_shared<Registry>();
  // Last: destroyed (stopped) first, while the io_context still exists.
  RevisionWaiter waiter_;
};

Session::Session(tcp::socket socket, Server* server)
    : stream_(std::move(socket)),
      server_(server),
      registry_(server->registry()) {}

Session::~Session() {
  std::lock_guard<std::mutex> lock(registry_->mu);
  registry_->sessions.erase(registry_entry);
  --registry_->count;
}

void Session::Read() {
  parser_.emplace();
  parser_->body_limit(kBodyLimit);
  parser_->header_limit(kHeaderLimit);
  ReadHead();
}

// Reads until the buffer holds a whole head, so that it can be looked at
// as sent (Beast unfolds obs-fold silently) before Beast parses it.
void Session::ReadHead() {
  // Empty lines before a request line are ignored (RFC 9112 2.2).
  while (buffer_.size() >= 2) {
    const auto* data = static_cast<const char*>(buffer_.data().data());
    if (data[0] != '\r' || data[1] != '\n') break;
    buffer_.consume(2);
  }
  finishing_.store(false);
  if (evicted_.load() && buffer_.size() == 0) {
    Close();  // chosen to make room while it answered
    return;
  }
  idle_.store(buffer_.size() == 0);
  const std::string_view data(static_cast<const char*>(buffer_.data().data()),
                              buffer_.size());
  const size_t end = data.find("\r\n\r\n");
  const std::string_view head =
      end == std::string_view::npos ? data : data.substr(0, end + 4);
  if (std::string_view problem = LineEndProblem(head); !problem.empty()) {
    Refuse(400, problem);
    return;
  }
  if (end != std::string_view::npos && end + 4 <= kHeaderLimit) {
    OnHead();
    return;
  }
  if (end != std::string_view::npos || buffer_.size() >= kHeaderLimit) {
    const size_t line = data.find("\r\n");
    if (line == std::string_view::npos || line >= kHeaderLimit) {
      Refuse(414, "the request line is longer than 16 KiB");
    } else {
      Refuse(431, "the request's head is larger than 16 KiB");
    }
    return;
  }
  stream_.expires_after(kIdleTimeout);
  stream_.async_read_some(
      buffer_.prepare(kHeaderLimit - buffer_.size()),
      [self = shared_from_this()](beast::error_code ec, size_t n) {
        if (ec) return self->Close();  // closed, reset or idle timeout
        self->buffer_.commit(n);
        self->ReadHead();
      });
}

void Session::OnHead() {
  idle_.store(false);
  const std::string_view data(static_cast<const char*>(buffer_.data().data()),
                              buffer_.size());
  const std::string_view head = data.substr(0, data.find("\r\n\r\n") + 4);
  if (HasFoldedLine(head)) {
    Refuse(400, "a header line starts with whitespace (obs-fold)");
    return;
  }
  if (head.find('\0') != std::string_view::npos) {
    Refuse(400, "a NUL byte in the request's head");
    return;
  }
  // A well-formed version other than HTTP/1.0 and 1.1 (Beast calls it
  // malformed): 505 rather than 400.
  const std::string_view line = head.substr(0, head.find("\r\n"));
  if (line.size() >= 9) {
    const std::string_view v = line.substr(line.size() - 9);
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    if (v.starts_with(" HTTP/") && digit(v[6]) && v[7] == '.' && digit(v[8]) &&
        v != " HTTP/1.0" && v != " HTTP/1.1") {
      Refuse(505, "HTTP/1.0 and HTTP/1.1 only");
      return;
    }
  }
  stream_.expires_after(kIdleTimeout);
  http::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](beast::error_code ec, size_t) {
                     self->OnRead(ec);
                   });
}

void Session::OnRead(beast::error_code ec) {
  if (ec == http::error::body_limit) {
    Refuse(413, "the request's body is larger than 64 KiB");
    return;
  }
  if (ec == http::error::header_limit) {
    Refuse(431, "the request's head is larger than 16 KiB");
    return;
  }
  if (ec == http::error::end_of_stream || ec == http::error::partial_message ||
      ec == beast::error::timeout || ec == net::error::operation_aborted ||
      ec == net::error::connection_reset || ec == net::error::eof) {
    Close();  // the client went away or stayed silent
    return;
  }
  if (ec) {
    Refuse(400, "malformed request (" + ec.message() + ")");
    return;
  }
  served_.store(true);
  const Request& request = parser_->get();
  if (request.version() != 10 && request.version() != 11) {
    Refuse(505, "HTTP/1.0 and HTTP/1.1 only");
    return;
  }
  if (std::string problem = FramingProblem(request); !problem.empty()) {
    Refuse(400, problem);
    return;
  }
  server_->BeginRequest();
  HttpRequest in;
  in.method = View(request.method_string());
  in.target = View(request.target());
  in.body = request.body();
  in.header = &LookUpHeader;
  in.header_count = &CountHeader;
  in.header_context = &request;
  in.admin = server_->admin();
  HttpResponse out = server_->service()->Begin(in);
  const unsigned version = request.version();
  const bool keep_alive = request.keep_alive() && !server_->stopping();
  const bool head = request.method() == http::verb::head;
  if (out.pending != nullptr) {
    pending_ = std::move(out.pending);
    pending_version_ = version;
    pending_keep_alive_ = keep_alive;
    pending_head_ = head;
    const bool parked = server_->waiter().Wait(
        pending_->revision, pending_->deadline, [self = shared_from_this()] {
          net::post(self->stream_.get_executor(), [self] { self->Resume(); });
        });
    if (parked) {
      server_->service()->mutable_metrics()->AddWaiting(1);
      return;
    }
    pending_.reset();
    out = HttpResponse();
    out.status = 503;
    out.content_type = "application/json";
    out.body =
        "{\"error\":\"revision_not_reached\",\"message\":\"too many requests "
        "wait for a revision; try again\"}";
    out.headers.emplace_back("Retry-After", "1");
  }
  Answer(std::move(out), version, keep_alive, head);
}

void Session::Resume() {
  std::shared_ptr<PendingDecision> pending = std::move(pending_);
  server_->service()->mutable_metrics()->AddWaiting(-1);
  HttpResponse out = server_->service()->Resume(*pending);
  Answer(std::move(out), pending_version_,
         pending_keep_alive_ && !server_->stopping(), pending_head_);
}

void Session::Answer(HttpResponse out, unsigned version, bool keep_alive,
                     bool head) {
  response_ = {};
  response_.version(version);
  response_.result(static_cast<unsigned>(out.status));
  response_.set(http::field::server, "toegang");
  // insert, not set: a page sets more than one cookie.
  for (auto& [name, value] : out.headers) response_.insert(name, value);
  if (!out.content_type.empty()) {
    response_.set(http::field::content_type, out.content_type);
  }
  response_.keep_alive(keep_alive);
  const bool no_body = out.status == 204 || out.status == 304 || head;
  if (no_body) {
    if (out.status != 204 && out.status != 304) {
      response_.content_length(out.body.size());
    }
  } else {
    response_.body() = std::move(out.body);
    response_.prepare_payload();
  }
  finishing_.store(keep_alive);
  stream_.expires_after(kIdleTimeout);
  http::async_write(
      stream_, response_,
      [self = shared_from_this(), keep_alive](beast::error_code wec, size_t) {
        self->OnWrite(wec, keep_alive);
      });
}

// A request that cannot be answered normally: the status, why, and the
// connection closed after (what follows on it cannot be framed).
void Session::Refuse(int status, std::string_view message) {
  idle_.store(false);
  server_->BeginRequest();
  HttpResponse out;
  out.status = status;
  out.content_type = "application/json";
  std::string escaped;
  for (char c : message) {
    if (c == '"' || c == '\\') escaped += '\\';
    if (static_cast<unsigned char>(c) >= 0x20) escaped += c;
  }
  out.body = "{\"error\":\"usage\",\"message\":\"" + escaped + "\"}";
  response_ = {};
  response_.version(11);
  response_.result(static_cast<unsigned>(status));
  response_.set(http::field::server, "toegang");
  response_.set(http::field::content_type, out.content_type);
  response_.keep_alive(false);
  response_.body() = std::move(out.body);
  response_.prepare_payload();
  stream_.expires_after(kIdleTimeout);
  http::async_write(stream_, response_,
                    [self = shared_from_this()](beast::error_code wec, size_t) {
                      self->server_->EndRequest();
                      if (wec) return self->Close();
                      self->Close();
                      self->Linger();
                    });
}

// Reads and drops what the client still sends, for a bounded time and
// amount, so that closing does not reset the connection before the
// client read the refusal.
void Session::Linger() {
  if (lingered_ >= kLingerBytes) return;
  stream_.expires_after(kLingerLimit);
  stream_.async_read_some(
      net::buffer(scratch_),
      [self = shared_from_this()](beast::error_code ec, size_t n) {
        if (ec) return;
        self->lingered_ += n;
        self->Linger();
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
  if (options.max_connections < 1) {
    return Status::InvalidInput(code::kUsage,
                                "--max-connections is at least 1");
  }
  if (options.max_waiting < 1) {
    return Status::InvalidInput(code::kUsage, "--max-waiting is at least 1");
  }
  auto server = std::make_unique<Server>(service, options);
  Status listening = server->Listen(options);
  if (!listening.ok()) return listening;
  return std::unique_ptr<HttpServer>(std::move(server));
}

}  // namespace toegang::serve
