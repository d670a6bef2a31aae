// The HTTP decision service under requests that wait for a revision
// (issue 22, item 6): decisions per second and latency percentiles of
// normal GET /v1/check requests through the real HttpServer (2 threads, on
// 127.0.0.1, one keep-alive client connection), with 0 and with 100
// requests parked at an at_least revision that does not come, in one run.
// Before parking, such requests each held a service thread.
//
//   build/bench/toegang_http_bench                       (scale S)
//   TOEGANG_BENCH_DIR=... build/bench/toegang_http_bench
//   --benchmark_filter=/100
//
// The federation is bench_federation.h's S (generated once into
// $TOEGANG_BENCH_DIR, default ./bench-data).
#include <arpa/inet.h>
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "bench_federation.h"
#include "decision_service.h"
#include "http_server.h"

namespace toegang::bench {
namespace {

using Clock = std::chrono::steady_clock;

int ConnectTo(uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    Die("cannot connect to the service");
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

void SendAll(int fd, const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n =
        ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) Die("send failed");
    sent += static_cast<size_t>(n);
  }
}

// Reads one Content-Length framed response; returns its status.
int ReadStatus(int fd, std::string* buf) {
  char chunk[4096];
  size_t head_end;
  while ((head_end = buf->find("\r\n\r\n")) == std::string::npos) {
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) Die("the service closed the connection");
    buf->append(chunk, static_cast<size_t>(n));
  }
  const int status = std::stoi(buf->substr(9, 3));
  size_t length = 0;
  const size_t cl = buf->find("Content-Length: ");
  if (cl != std::string::npos && cl < head_end) {
    length = std::stoul(buf->substr(cl + 16));
  }
  while (buf->size() < head_end + 4 + length) {
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) Die("the service closed the connection");
    buf->append(chunk, static_cast<size_t>(n));
  }
  buf->erase(0, head_end + 4 + length);
  return status;
}

double Percentile(std::vector<double>* v, double p) {
  if (v->empty()) return 0;
  const size_t k = std::min(
      v->size() - 1, static_cast<size_t>(p * static_cast<double>(v->size())));
  std::nth_element(v->begin(), v->begin() + static_cast<ptrdiff_t>(k),
                   v->end());
  return (*v)[k];
}

void CheckWithParked(benchmark::State& state) {
  const int parked = static_cast<int>(state.range(0));
  BenchFederation& f = BenchFederation::Get("S");
  serve::ServiceOptions service_options;
  service_options.max_wait = std::chrono::minutes(10);
  service_options.follow_interval =
      std::chrono::milliseconds(BenchFederation::kFollowMs);
  serve::DecisionService service(f.engine.get(), service_options);
  serve::ServerOptions server_options;
  server_options.threads = 2;
  auto server = serve::HttpServer::Start(server_options, &service);
  if (!server.ok()) Die(server.status().ToString());
  const uint16_t port = (*server)->port();

  // The parked requests: a revision far beyond the database's.
  const uint64_t future = f.engine->revision() + 1'000'000;
  const Query& any = f.mixed.front();
  std::vector<int> waiting;
  for (int i = 0; i < parked; ++i) {
    const int fd = ConnectTo(port);
    SendAll(fd, fmt::format("GET /v1/check?insz={}&app={}&at_least={}"
                            "&wait_ms=600000 HTTP/1.1\r\nHost: b\r\n\r\n",
                            any.insz, any.app, future));
    waiting.push_back(fd);
  }
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while ((*server)->waiting() < static_cast<size_t>(parked)) {
    if (Clock::now() > deadline) Die("the at-least requests did not park");
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }

  std::vector<std::string> requests;
  for (const Query& q : f.mixed) {
    requests.push_back(fmt::format(
        "GET /v1/check?insz={}&app={}{} HTTP/1.1\r\nHost: b\r\n\r\n", q.insz,
        q.app, q.hco.empty() ? "" : "&hco=" + q.hco));
  }
  const int fd = ConnectTo(port);
  std::string buf;
  std::vector<double> latencies_us;
  latencies_us.reserve(1 << 20);
  size_t i = 0, failed = 0;
  for (auto _ : state) {
    const Clock::time_point start = Clock::now();
    SendAll(fd, requests[i++ % requests.size()]);
    const int status = ReadStatus(fd, &buf);
    latencies_us.push_back(
        std::chrono::duration<double, std::micro>(Clock::now() - start)
            .count());
    failed += status == 200 ? 0 : 1;
  }
  if (failed > 0) state.SkipWithError("a check was not answered 200");
  if ((*server)->waiting() != static_cast<size_t>(parked)) {
    state.SkipWithError("the parked requests did not stay parked");
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.counters["parked"] = parked;
  state.counters["p50_us"] = Percentile(&latencies_us, 0.50);
  state.counters["p99_us"] = Percentile(&latencies_us, 0.99);
  state.counters["p999_us"] = Percentile(&latencies_us, 0.999);
  ::close(fd);
  for (int w : waiting) ::close(w);
  (*server)->Stop();
}

}  // namespace
}  // namespace toegang::bench

int main(int argc, char** argv) {
  signal(SIGPIPE, SIG_IGN);
  benchmark::RegisterBenchmark("HttpCheck/parked",
                               toegang::bench::CheckWithParked)
      ->Arg(0)
      ->Arg(100)
      ->UseRealTime()
      ->MinTime(3.0)
      ->Unit(benchmark::kMicrosecond);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
