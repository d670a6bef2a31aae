// A small HTTP/1.1 client on raw sockets for the tests of the decision
// service (serve_*_test.cc): it sends exactly the bytes a test gives, so
// that malformed and hostile requests can be sent as they are.
//
// Thread safety: free functions over the descriptors they are given.
#ifndef TOEGANG_TESTS_SERVE_CLIENT_H_
#define TOEGANG_TESTS_SERVE_CLIENT_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace toegang::testing {

struct Reply {
  int status = 0;  // 0: no response (the connection closed or timed out)
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  nlohmann::json Json() const {
    return nlohmann::json::parse(body, nullptr, false);
  }
};

// A blocking connection to 127.0.0.1:port with 10 s send and receive
// timeouts (a test never hangs on a silent server); -1 when refused.
inline int Connect(uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  timeval timeout{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Sends all of data; false when the peer closed or a send timed out.
inline bool SendAll(int fd, const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n =
        ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

// Reads one response from fd (Content-Length framed, or up to EOF).
// *pending keeps bytes read beyond it (pipelining).
inline Reply ReadReply(int fd, std::string* pending) {
  Reply reply;
  std::string& buf = *pending;
  char chunk[4096];
  auto fill = [&] {
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buf.append(chunk, static_cast<size_t>(n));
    return true;
  };
  size_t end_of_head;
  while ((end_of_head = buf.find("\r\n\r\n")) == std::string::npos) {
    if (!fill()) return reply;
  }
  const std::string head = buf.substr(0, end_of_head);
  buf.erase(0, end_of_head + 4);
  if (head.size() < 12 || head.compare(0, 5, "HTTP/") != 0) return reply;
  reply.status = std::stoi(head.substr(9, 3));
  size_t pos = head.find("\r\n");
  while (pos != std::string::npos) {
    const size_t next = head.find("\r\n", pos + 2);
    const std::string line = head.substr(pos + 2, next - pos - 2);
    const size_t colon = line.find(':');
    std::string name = line.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(c));
    reply.headers[name] =
        colon + 2 <= line.size() ? line.substr(colon + 2) : "";
    pos = next;
  }
  if (reply.headers.count("content-length")) {
    const size_t length = std::stoul(reply.headers["content-length"]);
    while (buf.size() < length && fill()) {
    }
    reply.body = buf.substr(0, length);
    buf.erase(0, length);
  }
  return reply;
}

// True when the peer closed fd (recv gives 0 or a reset) within the
// timeout, false when it is still open or sent data.
inline bool ClosedByPeer(int fd, std::chrono::milliseconds timeout) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return false;
  char c;
  const ssize_t n = ::recv(fd, &c, 1, MSG_PEEK);
  return n <= 0;
}

// True when fd has bytes to read (or was closed) right now.
inline bool Readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) > 0;
}

// Sends raw on a new connection and reads one response.
inline Reply Exchange(uint16_t port, const std::string& raw) {
  const int fd = Connect(port);
  if (fd < 0) return {};
  SendAll(fd, raw);
  std::string pending;
  Reply reply = ReadReply(fd, &pending);
  ::close(fd);
  return reply;
}

// A request with the given headers (repeated names allowed), Host: t and
// Connection: close.
inline std::string RawRequest(
    const std::string& method, const std::string& target,
    const std::vector<std::pair<std::string, std::string>>& headers = {},
    const std::string& body = "") {
  std::string request = method + " " + target + " HTTP/1.1\r\nHost: t\r\n";
  for (const auto& [name, value] : headers) {
    request += name + ": " + value + "\r\n";
  }
  if (!body.empty()) {
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  return request + "Connection: close\r\n\r\n" + body;
}

}  // namespace toegang::testing

#endif  // TOEGANG_TESTS_SERVE_CLIENT_H_
