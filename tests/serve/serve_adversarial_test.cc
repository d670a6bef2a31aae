// Hostile HTTP against a real `toegang serve` on 127.0.0.1 (issue 22, "what
// done looks like"): well over 100 malformed or hostile requests, each
// sent as raw bytes on a connection of its own (request smuggling,
// duplicate and folded headers, huge heads and bodies, bad encodings and
// NUL bytes, bad methods and versions, pipelining). Each must get exactly
// the expected responses, in order, and then a clean close once the client
// has sent everything; after each, the service still answers a normal
// check correctly.
//
// TOEGANG_TEST_SERVE_CLI=/path/to/an/older/toegang runs it against another
// build (serve_process.h).
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <string>
#include <vector>

#include "support/serve_client.h"
#include "support/serve_process.h"
#include "support/test_federation.h"

namespace toegang::testing {
namespace {

struct Case {
  std::string name;
  std::string raw;            // the bytes sent, then the write side closed
  std::vector<int> statuses;  // the responses expected, in order
};

std::string Check(const std::string& insz = kUser1) {
  return "/v1/check?insz=" + insz + "&app=ama-wvg";
}

// A complete GET with the given extra header lines (each ending in CRLF).
std::string Get(const std::string& target, const std::string& lines = "") {
  return "GET " + target + " HTTP/1.1\r\nHost: t\r\n" + lines + "\r\n";
}

std::string Post(const std::string& target, const std::string& lines,
                 const std::string& body) {
  return "POST " + target + " HTTP/1.1\r\nHost: t\r\n" + lines + "\r\n" + body;
}

std::string Body() {
  return std::string(R"({"insz":")") + kUser1 + R"(","app":"ama-wvg"})";
}

std::string Chunked(const std::string& body) {
  char size[32];
  std::snprintf(size, sizeof size, "%zx", body.size());
  return std::string(size) + "\r\n" + body + "\r\n0\r\n\r\n";
}

std::vector<Case> Cases() {
  const std::string insz = kUser1;
  const std::string body = Body();
  const std::string length =
      "Content-Length: " + std::to_string(body.size()) + "\r\n";
  std::vector<Case> c;

  // --- the baseline: well-formed requests are answered -------------------
  c.push_back({"plain GET", Get(Check()), {200}});
  c.push_back({"plain POST", Post("/v1/check", length, body), {200}});
  c.push_back(
      {"chunked POST",
       Post("/v1/check", "Transfer-Encoding: chunked\r\n", Chunked(body)),
       {200}});
  c.push_back(
      {"chunked POST, coding in capitals",
       Post("/v1/check", "Transfer-Encoding: CHUNKED\r\n", Chunked(body)),
       {200}});
  c.push_back(
      {"HTTP/1.0 without Host", "GET " + Check() + " HTTP/1.0\r\n\r\n", {200}});
  c.push_back({"empty lines before the request line",
               "\r\n\r\n" + Get(Check()),
               {200}});

  // --- request smuggling ---------------------------------------------------
  const std::string smuggled = Get("/v1/explain?insz=" + insz + "&app=ama-wvg");
  c.push_back(
      {"Content-Length then Transfer-Encoding",
       Post("/v1/check", "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
            "0\r\n\r\n" + smuggled),
       {400}});
  c.push_back(
      {"Transfer-Encoding then Content-Length",
       Post("/v1/check", "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n",
            "0\r\n\r\n" + smuggled),
       {400}});
  c.push_back({"two equal Content-Length",
               Post("/v1/check", length + length, body),
               {400}});
  c.push_back({"two different Content-Length",
               Post("/v1/check", length + "Content-Length: 3\r\n", body),
               {400}});
  c.push_back({"Content-Length as a list",
               Post("/v1/check",
                    "Content-Length: " + std::to_string(body.size()) + ", " +
                        std::to_string(body.size()) + "\r\n",
                    body),
               {400}});
  for (const char* bad : {"-1", "+5", "0x10", "1 0", "ten", "",
                          "99999999999999999999999", "5;"}) {
    c.push_back({std::string("Content-Length: ") + bad,
                 Post("/v1/check",
                      std::string("Content-Length: ") + bad + "\r\n", body),
                 {400}});
  }
  c.push_back({"a body larger than 64 KiB announced",
               Post("/v1/check", "Content-Length: 1000000000\r\n", ""),
               {413}});
  c.push_back(
      {"a body larger than 64 KiB sent",
       Post("/v1/check", "Content-Length: 70000\r\n", std::string(70000, ' ')),
       {413}});
  c.push_back({"a chunked body larger than 64 KiB",
               Post("/v1/check", "Transfer-Encoding: chunked\r\n",
                    Chunked(std::string(70000, ' '))),
               {413}});
  for (const char* coding :
       {"gzip", "chunked, gzip", "gzip, chunked", "identity", "xchunked",
        "chunked;q=1", "chunked chunked"}) {
    c.push_back(
        {std::string("Transfer-Encoding: ") + coding,
         Post("/v1/check", std::string("Transfer-Encoding: ") + coding + "\r\n",
              Chunked(body) + smuggled),
         {400}});
  }
  c.push_back({"Transfer-Encoding twice",
               Post("/v1/check",
                    "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n",
                    Chunked(body)),
               {400}});
  c.push_back({"Transfer-Encoding in HTTP/1.0",
               "POST /v1/check HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n" +
                   Chunked(body),
               {400}});
  for (const char* chunk : {"zz\r\n", "-1\r\n", "ffffffffffffffffffff\r\n",
                            " 5\r\n", "5 \r\n", "0x5\r\n", "5;;\r\n", "\r\n"}) {
    c.push_back({std::string("chunk size ") + chunk,
                 Post("/v1/check", "Transfer-Encoding: chunked\r\n",
                      std::string(chunk) + "{}\r\n0\r\n\r\n"),
                 {400}});
  }
  c.push_back({"chunk data longer than its size",
               Post("/v1/check", "Transfer-Encoding: chunked\r\n",
                    "2\r\n{}}\r\n0\r\n\r\n"),
               {400}});
  c.push_back({"chunked body cut short",
               Post("/v1/check", "Transfer-Encoding: chunked\r\n", "10\r\n{"),
               {}});
  c.push_back({"Content-Length body cut short",
               Post("/v1/check", "Content-Length: 100\r\n", "{"),
               {}});
  c.push_back(
      {"a request in the body is only a body",
       Post("/v1/check",
            "Content-Length: " + std::to_string(smuggled.size()) + "\r\n",
            smuggled),
       {400}});

  // --- duplicate and folded headers --------------------------------------
  c.push_back(
      {"obs-fold with a space",
       "GET /v1/auth HTTP/1.1\r\nHost: t\r\nX-Insz: 810500\r\n 03552\r\n"
       "\r\n",
       {400}});
  c.push_back({"obs-fold with a tab",
               "GET /v1/auth HTTP/1.1\r\nHost: t\r\nX-Insz: 810500\r\n\t03552"
               "\r\n\r\n",
               {400}});
  c.push_back({"obs-fold of Host",
               "GET " + Check() + " HTTP/1.1\r\nHost: t\r\n  u\r\n\r\n",
               {400}});
  c.push_back({"whitespace before the first header",
               "GET " + Check() + " HTTP/1.1\r\n Host: t\r\n\r\n",
               {400}});
  c.push_back({"space before the colon",
               "GET " + Check() + " HTTP/1.1\r\nHost : t\r\n\r\n",
               {400}});
  c.push_back({"a header line without colon",
               Get(Check(), "X-Insz " + insz + "\r\n"),
               {400}});
  c.push_back({"an empty header name", Get(Check(), ": x\r\n"), {400}});
  c.push_back(
      {"HTTP/1.1 without Host", "GET " + Check() + " HTTP/1.1\r\n\r\n", {400}});
  c.push_back({"two Host headers", Get(Check(), "Host: u\r\n"), {400}});
  c.push_back({"two INSZ headers",
               Get("/v1/auth", "X-Insz: " + std::string(kOutsider) +
                                   "\r\nX-Insz: " + insz + "\r\n"),
               {400}});
  c.push_back({"two facility headers",
               Get("/v1/auth", "X-Insz: " + insz +
                                   "\r\nX-Toegang-Hco: 12345\r\n"
                                   "X-Toegang-Hco: 45678\r\n"),
               {400}});
  c.push_back(
      {"two at-least headers",
       Get(Check(), "X-Toegang-At-Least: 1\r\nX-Toegang-At-Least: 1\r\n"),
       {400}});
  c.push_back({"the client names the application",
               Get("/v1/auth?app=vipa", "X-Insz: " + insz + "\r\n"),
               {403}});
  const std::string twice = std::string(R"({"insz":")") + kOutsider +
                            R"(","app":"ama-wvg","insz":")" + insz + R"("})";
  c.push_back(
      {"a JSON key twice",
       Post("/v1/check",
            "Content-Length: " + std::to_string(twice.size()) + "\r\n", twice),
       {400}});

  // --- huge heads ----------------------------------------------------------
  c.push_back({"one header of 20 KB",
               Get(Check(), "X-Big: " + std::string(20000, 'a') + "\r\n"),
               {431}});
  std::string many;
  for (int i = 0; i < 1500; ++i) many += "X-H" + std::to_string(i) + ": v\r\n";
  c.push_back({"1,500 headers", Get(Check(), many), {431}});
  c.push_back({"a target of 20 KB",
               Get("/v1/check?x=" + std::string(20000, 'a')),
               {414}});
  c.push_back({"a head that never ends", std::string(20000, 'a'), {414}});

  // --- bad encodings and NUL bytes ---------------------------------------
  for (const char* escape : {"%zz", "%4", "%", "%00", "%0", "%g0", "%%41"}) {
    c.push_back({std::string("query escape ") + escape,
                 Get(std::string("/v1/check?insz=") + escape + "&app=ama-wvg"),
                 {400}});
  }
  c.push_back({"an INSZ with a sign", Get(Check("%2B" + insz)), {400}});
  c.push_back(
      {"a double-encoded INSZ", Get(Check("%2538" + insz.substr(1))), {400}});
  c.push_back({"an overlong UTF-8 application",
               Get("/v1/check?insz=" + insz + "&app=%C0%AE"),
               {400}});
  c.push_back({"a NUL in the target",
               "GET /v1/check?insz=" + insz + std::string(1, '\0') +
                   " HTTP/1.1\r\nHost: t\r\n\r\n",
               {400}});
  c.push_back({"a NUL in a header value",
               Get(Check(), "X-A: a" + std::string(1, '\0') + "b\r\n"),
               {400}});
  c.push_back({"a NUL in a header name",
               Get(Check(), "X-" + std::string(1, '\0') + "A: b\r\n"),
               {400}});
  c.push_back(
      {"a NUL in the INSZ header",
       Get("/v1/auth", "X-Insz: " + insz + std::string(1, '\0') + "\r\n"),
       {400}});
  for (char ctl : {'\x01', '\x08', '\x0b', '\x0c', '\x1b', '\x7f'}) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02x", static_cast<unsigned>(ctl));
    c.push_back({std::string("control byte ") + hex + " in a header value",
                 Get(Check(), std::string("X-A: a") + ctl + "b\r\n"),
                 {400}});
  }
  c.push_back(
      {"a bare CR in a header value", Get(Check(), "X-A: a\rb\r\n"), {400}});
  c.push_back({"bare LF line ends",
               "GET " + Check() + " HTTP/1.1\nHost: t\n\n",
               {400}});
  c.push_back({"a space in the target",
               "GET /v1/check?insz=1 2 HTTP/1.1\r\nHost: t\r\n\r\n",
               {400}});
  c.push_back({"a byte 0xff in the target",
               "GET /v1/check?insz=\xff HTTP/1.1\r\nHost: t\r\n\r\n",
               {400}});
  c.push_back({"an HCO with a sign", Get(Check() + "&hco=%2B12345"), {400}});
  c.push_back({"an HCO with a space", Get(Check() + "&hco=+12345"), {400}});

  // --- methods -------------------------------------------------------------
  for (const char* method : {"FOO", "get", "TRACE", "OPTIONS", "PUT", "DELETE",
                             "PATCH", "CONNECT"}) {
    c.push_back(
        {std::string("method ") + method,
         std::string(method) + " " + Check() + " HTTP/1.1\r\nHost: t\r\n\r\n",
         {405}});
  }
  for (const char* method : {"G@T", "GE(T", "\"GET\"", "GET\x01"}) {
    c.push_back(
        {std::string("method with a separator ") + method,
         std::string(method) + " " + Check() + " HTTP/1.1\r\nHost: t\r\n\r\n",
         {400}});
  }
  c.push_back(
      {"no method", " " + Check() + " HTTP/1.1\r\nHost: t\r\n\r\n", {400}});
  c.push_back({"no target", "GET  HTTP/1.1\r\nHost: t\r\n\r\n", {400}});
  c.push_back({"only a method", "GET\r\n\r\n", {400}});
  for (const char* path : {"/metrics", "/healthz"}) {
    for (const char* method : {"POST", "PUT", "DELETE"}) {
      c.push_back({std::string(method) + " " + path,
                   std::string(method) + " " + path +
                       " HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n",
                   {405}});
    }
  }
  c.push_back({"explain on the gateway listener",
               Get("/v1/explain?insz=" + insz + "&app=ama-wvg"),
               {404}});
  c.push_back({"a path that is not there", Get("/v1/../v1/check"), {404}});

  // --- versions ------------------------------------------------------------
  for (const char* version :
       {"HTTP/2.0", "HTTP/3.0", "HTTP/9.9", "HTTP/1.2", "HTTP/0.9"}) {
    c.push_back({std::string("version ") + version,
                 "GET " + Check() + " " + version + "\r\nHost: t\r\n\r\n",
                 {505}});
  }
  for (const char* version :
       {"HTTP/1", "HTTP/11", "http/1.1", "HTTP/1.1x", "HTTP/1.a", "HTTPS/1.1",
        "HTTP /1.1", "HTTP/1.1 extra"}) {
    c.push_back({std::string("version ") + version,
                 "GET " + Check() + " " + version + "\r\nHost: t\r\n\r\n",
                 {400}});
  }
  c.push_back({"no version (HTTP/0.9)", "GET " + Check() + "\r\n\r\n", {400}});

  // --- pipelining ----------------------------------------------------------
  c.push_back({"three checks in one write",
               Get(Check()) + Get(Check(kOutsider)) + Get(Check()),
               {200, 200, 200}});
  std::string fifty;
  std::vector<int> fifty_ok;
  for (int i = 0; i < 50; ++i) {
    fifty += Get(Check());
    fifty_ok.push_back(200);
  }
  c.push_back({"fifty checks in one write", fifty, fifty_ok});
  c.push_back(
      {"a good request, a bad one, and one never read",
       Get(Check()) + "GET " + Check() + " HTTP/1.1\r\n\r\n" + Get(Check()),
       {200, 400}});
  c.push_back({"a gateway, a check and an error in one write",
               Get("/v1/auth", "X-Insz: " + insz + "\r\n") + Get(Check()) +
                   Get("/v1/nothing"),
               {204, 200, 404}});
  c.push_back({"pipelined after Connection: close",
               Get(Check(), "Connection: close\r\n") + Get(Check()),
               {200}});
  c.push_back(
      {"smuggling across a pipeline",
       Post("/v1/check", "Content-Length: 0\r\nTransfer-Encoding: chunked\r\n",
            "0\r\n\r\n") +
           smuggled,
       {400}});
  return c;
}

// Sends raw, closes the write side, and reads responses until the server
// closes: the statuses in order (a response cut off counts as 0).
std::vector<int> Exchanged(uint16_t port, const std::string& raw) {
  std::vector<int> statuses;
  const int fd = Connect(port);
  if (fd < 0) return {-1};
  SendAll(fd, raw);
  ::shutdown(fd, SHUT_WR);
  std::string pending;
  for (int i = 0; i < 100; ++i) {
    Reply r = ReadReply(fd, &pending);
    if (r.status == 0) break;
    statuses.push_back(r.status);
  }
  ::close(fd);
  return statuses;
}

TEST(ServeAdversarialTest, HostileRequestsGetTheirStatusAndTheServiceGoesOn) {
  TestFederation fed;
  fed.BuildOcmwChain();
  ServeProcess serve;
  std::string error;
  ASSERT_TRUE(serve.Start(fed.db_path(), {"--threads", "2"}, &error)) << error;
  const std::vector<Case> cases = Cases();
  ASSERT_GE(cases.size(), 100u);
  RecordProperty("cases", static_cast<int>(cases.size()));
  for (const Case& c : cases) {
    EXPECT_EQ(Exchanged(serve.port(), c.raw), c.statuses) << c.name;
    Reply after = Exchange(serve.port(), "GET " + Check() +
                                             " HTTP/1.1\r\nHost: t\r\n"
                                             "Connection: close\r\n\r\n");
    ASSERT_EQ(after.status, 200) << "after " << c.name;
    EXPECT_EQ(after.Json()["allowed"], true) << "after " << c.name;
  }
}

}  // namespace
}  // namespace toegang::testing
