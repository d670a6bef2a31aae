// The gateway path of `toegang serve` as an attacker meets it (issue 22):
// no client picks the application, a duplicated input is refused, the
// HTTP framing is strict, explain (personal data) is only on the admin
// listener, requests waiting for a revision hold no thread, and running
// out of descriptors neither spins nor stops the answers.
//
// Each test runs a real `toegang serve` process (serve_process.h) on
// 127.0.0.1; TOEGANG_TEST_SERVE_CLI=/path/to/an/older/toegang runs them
// against another build.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "support/eventually.h"
#include "support/serve_client.h"
#include "support/serve_process.h"
#include "support/test_federation.h"

namespace toegang::testing {
namespace {

using Clock = std::chrono::steady_clock;
using Headers = std::vector<std::pair<std::string, std::string>>;

// Holds vipa at kHcoWzcOost and nothing else (ama-wvg is the default app).
constexpr const char* kVipaOnly = kOutsider;

class ServeHardeningTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fed_.BuildOcmwChain();
    fed_.BuildWzcChain();
    fed_.MustApply(M(Action::kAddUser, kEmpWzc)
                       .Hco(kHcoWzcOost)
                       .Insz(kVipaOnly)
                       .App("vipa"));
  }

  // Starts the service with extra options besides a short follow interval
  // and a long at-least bound.
  void Serve(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {
        "--threads", "2", "--follow-ms", "20", "--max-wait-ms", "30000"};
    args.insert(args.end(), extra.begin(), extra.end());
    std::string error;
    ASSERT_TRUE(serve_.Start(fed_.db_path(), args, &error)) << error;
  }

  Reply Send(const std::string& method, const std::string& target,
             const Headers& headers = {}, const std::string& body = "") {
    return Exchange(serve_.port(), RawRequest(method, target, headers, body));
  }

  // A check that must be answered correctly (the service still works).
  void ExpectServiceAnswers() {
    Reply r =
        Send("GET", "/v1/check?insz=" + std::string(kUser1) + "&app=ama-wvg");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Json()["allowed"], true);
  }

  // The value of a metric line `name value` on /metrics (of the admin
  // listener when there is one); -1 when absent.
  long Metric(const std::string& name) {
    Reply r =
        Exchange(serve_.admin_port() != 0 ? serve_.admin_port() : serve_.port(),
                 RawRequest("GET", "/metrics"));
    const std::string key = "\n" + name + " ";
    const size_t at = r.body.find(key);
    if (at == std::string::npos) return -1;
    return std::stol(r.body.substr(at + key.size()));
  }

  TestFederation fed_;
  ServeProcess serve_;
};

TEST_F(ServeHardeningTest, AuthTakesTheApplicationOnlyFromTheOperator) {
  Serve();
  // The person does hold vipa, and not ama-wvg.
  EXPECT_EQ(Send("GET", "/v1/auth?app=vipa", {{"X-Insz", kVipaOnly}}).status,
            204);
  EXPECT_EQ(Send("GET", "/v1/auth?app=ama-wvg", {{"X-Insz", kVipaOnly}}).status,
            403);
  // The client names vipa in a header: the operator's ama-wvg still holds,
  // from the URI and from --app alike.
  EXPECT_EQ(Send("GET", "/v1/auth?app=ama-wvg",
                 {{"X-Insz", kVipaOnly}, {"X-Toegang-App", "vipa"}})
                .status,
            403);
  EXPECT_EQ(Send("GET", "/v1/auth",
                 {{"X-Insz", kVipaOnly}, {"X-Toegang-App", "vipa"}})
                .status,
            403);
  // Nor does the header take away an application the person holds.
  EXPECT_EQ(Send("GET", "/v1/auth?app=ama-wvg",
                 {{"X-Insz", kUser1}, {"X-Toegang-App", "vipa"}})
                .status,
            204);
}

TEST_F(ServeHardeningTest, ExtAuthzIgnoresTheClientsAppHeader) {
  Serve();
  EXPECT_EQ(Send("GET", "/v1/ext_authz/eloket",
                 {{"X-Insz", kVipaOnly}, {"X-Toegang-App", "vipa"}})
                .status,
            403);
  EXPECT_EQ(Send("GET", "/v1/ext_authz/eloket", {{"X-Insz", kUser1}}).status,
            200);
}

TEST_F(ServeHardeningTest, ExtAuthzAppHeaderIsTheOperatorsChoice) {
  Serve({"--app-header", "X-Gateway-App"});
  EXPECT_EQ(Send("GET", "/v1/ext_authz/eloket",
                 {{"X-Insz", kVipaOnly}, {"X-Gateway-App", "vipa"}})
                .status,
            200);
  EXPECT_EQ(Send("GET", "/v1/ext_authz/eloket",
                 {{"X-Insz", kVipaOnly}, {"X-Toegang-App", "vipa"}})
                .status,
            403);
  Reply twice = Send("GET", "/v1/ext_authz/eloket",
                     {{"X-Insz", kVipaOnly},
                      {"X-Gateway-App", "vipa"},
                      {"X-Gateway-App", "ama-wvg"}});
  EXPECT_EQ(twice.status, 400);
  EXPECT_EQ(twice.Json()["error"], "duplicate_input");
}

TEST_F(ServeHardeningTest, DuplicatedInputsAreRefusedEverywhere) {
  Serve({"--admin-listen", "127.0.0.1:0"});
  const std::string user1 = kUser1, other = kVipaOnly;
  struct Case {
    Case(std::string n, std::string m, std::string t, Headers h = {},
         std::string b = "", bool a = false)
        : name(std::move(n)),
          method(std::move(m)),
          target(std::move(t)),
          headers(std::move(h)),
          body(std::move(b)),
          admin(a) {}
    std::string name, method, target;
    Headers headers;
    std::string body;
    bool admin;
  };
  const std::vector<Case> cases = {
      {"auth: two INSZ headers",
       "GET",
       "/v1/auth",
       {{"X-Insz", other}, {"X-Insz", user1}}},
      {"auth: two INSZ headers, other case",
       "GET",
       "/v1/auth",
       {{"X-Insz", user1}, {"x-insz", user1}}},
      {"auth: two facility headers",
       "GET",
       "/v1/auth",
       {{"X-Insz", user1},
        {"X-Toegang-Hco", "45678"},
        {"X-Toegang-Hco", kHcoOcmw}}},
      {"auth: facility in query and header",
       "GET",
       "/v1/auth?hco=45678",
       {{"X-Insz", user1}, {"X-Toegang-Hco", kHcoOcmw}}},
      {"auth: two at-least headers",
       "GET",
       "/v1/auth",
       {{"X-Insz", user1},
        {"X-Toegang-At-Least", "1"},
        {"X-Toegang-At-Least", "2"}}},
      {"auth: app twice in the query",
       "GET",
       "/v1/auth?app=vipa&app=ama-wvg",
       {{"X-Insz", user1}}},
      {"ext_authz: two INSZ headers",
       "POST",
       "/v1/ext_authz/x",
       {{"X-Insz", other}, {"X-Insz", user1}}},
      {"ext_authz: two facility headers",
       "GET",
       "/v1/ext_authz/x",
       {{"X-Insz", user1},
        {"X-Toegang-Hco", "45678"},
        {"X-Toegang-Hco", kHcoOcmw}}},
      {"check: two at-least headers",
       "GET",
       "/v1/check?insz=" + user1 + "&app=ama-wvg",
       {{"X-Toegang-At-Least", "1"}, {"X-Toegang-At-Least", "1"}}},
      {"check: at_least in query and header",
       "GET",
       "/v1/check?insz=" + user1 + "&app=ama-wvg&at_least=1",
       {{"X-Toegang-At-Least", "1"}}},
      {"check: insz twice in the query", "GET",
       "/v1/check?insz=" + other + "&app=ama-wvg&insz=" + user1},
      {"check: insz twice in the body",
       "POST",
       "/v1/check",
       {{"Content-Type", "application/json"}},
       R"({"insz":")" + other + R"(","app":"ama-wvg","insz":")" + user1 +
           R"("})"},
      {"check: app twice in the body",
       "POST",
       "/v1/check",
       {},
       R"({"insz":")" + user1 + R"(","app":"vipa","app":"ama-wvg"})"},
      {"check: at_least in body and header",
       "POST",
       "/v1/check",
       {{"X-Toegang-At-Least", "1"}},
       R"({"insz":")" + user1 + R"(","app":"ama-wvg","at_least":1})"},
      {"explain: insz twice",
       "GET",
       "/v1/explain?insz=" + other + "&app=ama-wvg&insz=" + user1,
       {},
       "",
       true},
      {"explain: two at-least headers",
       "GET",
       "/v1/explain?insz=" + user1 + "&app=ama-wvg",
       {{"X-Toegang-At-Least", "1"}, {"X-Toegang-At-Least", "1"}},
       "",
       true},
  };
  for (const Case& c : cases) {
    Reply r = Exchange(c.admin ? serve_.admin_port() : serve_.port(),
                       RawRequest(c.method, c.target, c.headers, c.body));
    EXPECT_EQ(r.status, 400) << c.name << ": " << r.body;
    if (c.target.starts_with("/v1/auth")) {
      // No body for nginx; the code in a header.
      EXPECT_EQ(r.headers["x-toegang-error"], "duplicate_input") << c.name;
    } else {
      EXPECT_EQ(r.Json()["error"], "duplicate_input") << c.name << r.body;
    }
  }
  ExpectServiceAnswers();
}

TEST_F(ServeHardeningTest, HttpIsStrict) {
  Serve();
  const uint16_t port = serve_.port();
  const std::string check =
      "/v1/check?insz=" + std::string(kUser1) + "&app=ama-wvg";
  // obs-fold: a header continued on the next line.
  Reply folded = Exchange(port,
                          "GET /v1/auth HTTP/1.1\r\nHost: t\r\nX-Insz: "
                          "810500\r\n 03552\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(folded.status, 400);
  // HTTP/1.1 without Host.
  EXPECT_EQ(
      Exchange(port, "GET " + check + " HTTP/1.1\r\nConnection: close\r\n\r\n")
          .status,
      400);
  // Two Host headers.
  EXPECT_EQ(Exchange(port, "GET " + check +
                               " HTTP/1.1\r\nHost: a\r\nHost: b\r\n"
                               "Connection: close\r\n\r\n")
                .status,
            400);
  // HTTP/1.0 needs none.
  EXPECT_EQ(Exchange(port, "GET " + check + " HTTP/1.0\r\n\r\n").status, 200);
  // Only GET (and HEAD) on /metrics and /healthz.
  for (const char* method : {"POST", "PUT", "DELETE"}) {
    for (const char* path : {"/metrics", "/healthz"}) {
      Reply r = Send(method, path, {}, "x");
      EXPECT_EQ(r.status, 405) << method << " " << path;
      EXPECT_EQ(r.headers["allow"], "GET, HEAD") << method << " " << path;
    }
  }
  // An HCO with a sign or spaces around it: refused, never echoed.
  for (const std::string& hco :
       {std::string("+1100234"), std::string("%2B1100234"),
        std::string("1100234%20"), std::string("12.345")}) {
    Reply r = Send("GET", check + "&hco=" + hco);
    EXPECT_EQ(r.status, 400) << hco << " " << r.body;
    EXPECT_EQ(r.Json()["error"], "invalid_hco") << hco;
    EXPECT_EQ(r.body.find("1100234"), std::string::npos) << r.body;
    Reply auth = Send("GET", "/v1/auth?hco=" + hco, {{"X-Insz", kUser1}});
    EXPECT_EQ(auth.status, 403) << hco;
    EXPECT_EQ(auth.headers["x-toegang-error"], "invalid_hco") << hco;
  }
  // A malformed request line, too large a head, too large a body: a real
  // answer each, not a dropped connection.
  EXPECT_EQ(Exchange(port, "GET\r\n\r\n").status, 400);
  EXPECT_EQ(Exchange(port, "GET / HTTP/1.1\r\nHost: t\r\nX-Big: " +
                               std::string(20000, 'a') + "\r\n\r\n")
                .status,
            431);
  EXPECT_EQ(Exchange(port,
                     "POST /v1/check HTTP/1.1\r\nHost: t\r\n"
                     "Content-Length: 70000\r\n\r\n" +
                         std::string(70000, '{'))
                .status,
            413);
  ExpectServiceAnswers();
}

TEST_F(ServeHardeningTest, ExplainIsServedOnlyOnTheAdminListener) {
  Serve();
  const std::string explain =
      "/v1/explain?insz=" + std::string(kUser1) + "&app=ama-wvg";
  Reply gateway = Send("GET", explain);
  EXPECT_EQ(gateway.status, 404);
  EXPECT_EQ(gateway.body.find(kEmp2Ocmw), std::string::npos);
  serve_.Stop();

  Serve({"--admin-listen", "127.0.0.1:0"});
  EXPECT_EQ(Send("GET", explain).status, 404);
  Reply admin = Exchange(serve_.admin_port(), RawRequest("GET", explain));
  ASSERT_EQ(admin.status, 200) << admin.body;
  EXPECT_EQ(admin.Json()["allowed"], true);
}

// Each look at a metric is an HTTP request: poll them every 10 ms.
constexpr std::chrono::milliseconds kMetricPoll(10);

TEST_F(ServeHardeningTest, RequestsWaitingForARevisionHoldNoThread) {
  Serve();  // 2 threads; at-least waits up to 30 s
  const uint64_t future = fed_.engine().revision() + 1000;
  constexpr int kParked = 8;  // four times the threads
  std::vector<int> parked;
  for (int i = 0; i < kParked; ++i) {
    const int fd = Connect(serve_.port());
    ASSERT_GE(fd, 0);
    const Headers at_least = {{"X-Insz", kUser1},
                              {"X-Toegang-At-Least", std::to_string(future)}};
    ASSERT_TRUE(SendAll(
        fd, RawRequest(i % 2 ? "GET" : "HEAD",
                       i % 3 ? "/v1/auth" : "/v1/ext_authz/x", at_least)));
    parked.push_back(fd);
  }
  // The service says they wait (an older build has no such gauge: the
  // check below then shows why it matters).
  Eventually([&] { return Metric("toegang_waiting_requests") == kParked; },
             std::chrono::seconds(5), kMetricPoll);
  // Answered while all of them still wait (each would wait 30 s; the
  // client gives up after 10).
  ExpectServiceAnswers();
  EXPECT_EQ(Send("GET", "/v1/auth", {{"X-Insz", kUser1}}).status, 204);
  for (int fd : parked) EXPECT_FALSE(Readable(fd));
  EXPECT_EQ(Metric("toegang_waiting_requests"), kParked);
  for (int fd : parked) ::close(fd);
}

TEST_F(ServeHardeningTest, ParkedRequestsAreBoundedAndAnsweredWhenTheyCome) {
  Serve({"--max-waiting", "2"});
  const uint64_t next = fed_.engine().revision() + 1;
  const Headers at_least = {{"X-Insz", kUser1},
                            {"X-Toegang-At-Least", std::to_string(next)}};
  std::vector<int> parked;
  for (int i = 0; i < 2; ++i) {
    const int fd = Connect(serve_.port());
    ASSERT_GE(fd, 0);
    ASSERT_TRUE(SendAll(fd, RawRequest("GET", "/v1/auth", at_least)));
    parked.push_back(fd);
  }
  ASSERT_TRUE(
      Eventually([&] { return Metric("toegang_waiting_requests") == 2; },
                 std::chrono::seconds(5), kMetricPoll));
  // A third is refused at once.
  Reply third = Send("GET", "/v1/auth", at_least);
  EXPECT_EQ(third.status, 503);
  EXPECT_EQ(third.headers["retry-after"], "1");
  // The revision comes (a commit by another process): both are answered
  // at it.
  fed_.MustApply(M(Action::kRevokeRight, kEmp2Ocmw)
                     .Hco(kHcoOcmw)
                     .Insz(kUser1)
                     .App("ama-wvg"));
  for (int fd : parked) {
    std::string pending;
    Reply r = ReadReply(fd, &pending);
    EXPECT_EQ(r.status, 403);  // revoked
    EXPECT_EQ(r.headers["x-toegang-revision"], std::to_string(next));
    ::close(fd);
  }
  EXPECT_EQ(Metric("toegang_waiting_requests"), 0);
}

TEST_F(ServeHardeningTest, OutOfDescriptorsTheAcceptLoopBacksOff) {
  Serve();
  // The service settled first: its graph loaded and its follower past a
  // look (which takes the model's second instance in), so that what runs
  // out of descriptors below is the accept loop, not the start-up (under
  // the sanitizers, whose runtime needs descriptors of its own).
  const char* kLook = "toegang_follow_last_catch_up_timestamp_seconds";
  ASSERT_TRUE(Eventually([&] { return Metric("toegang_model_loaded") == 1; },
                         std::chrono::seconds(20), kMetricPoll));
  const long loaded_look = Metric(kLook);
  ASSERT_TRUE(Eventually([&] { return Metric(kLook) > loaded_look; },
                         std::chrono::seconds(20), kMetricPoll));
  // A keep-alive connection that is open before the descriptors run out.
  const int kept = Connect(serve_.port());
  ASSERT_GE(kept, 0);
  const std::string check = "GET /v1/check?insz=" + std::string(kUser1) +
                            "&app=ama-wvg HTTP/1.1\r\nHost: t\r\n\r\n";
  std::string pending;
  ASSERT_TRUE(SendAll(kept, check));
  ASSERT_EQ(ReadReply(kept, &pending).status, 200);

  // Lower the process's descriptor limit to a few above what it holds
  // (as `ulimit -n` would), then connect far more clients than fit.
  const int open = serve_.OpenDescriptors();
  ASSERT_GT(open, 0);
  rlimit low{static_cast<rlim_t>(open + 3), static_cast<rlim_t>(open + 3)};
  rlimit old{};
  ASSERT_EQ(::prlimit(serve_.pid(), RLIMIT_NOFILE, &low, &old), 0);
  std::vector<int> flood;
  for (int i = 0; i < 40; ++i) {
    const int fd = Connect(serve_.port());  // the backlog takes them all
    if (fd >= 0) flood.push_back(fd);
  }
  ASSERT_GE(flood.size(), 20u);
  ASSERT_TRUE(Eventually([&] { return serve_.OpenDescriptors() >= open + 2; },
                         std::chrono::seconds(5), kMetricPoll));
  // (While out of descriptors it closes connections that never sent a
  // request, one per pause, to make room.) Over a bounded window of one
  // second the process stays mostly idle;
  // an accept loop retrying EMFILE at once burns the whole second.
  const long ticks = sysconf(_SC_CLK_TCK);
  const long before = serve_.CpuTicks();
  const auto window_end = Clock::now() + std::chrono::seconds(1);
  while (Clock::now() < window_end) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const long used = serve_.CpuTicks() - before;
  RecordProperty("cpu_ticks_in_one_second", static_cast<int>(used));
  EXPECT_LT(used, ticks / 10) << "CPU ticks in one second: " << used;

  // The open connection is still answered.
  ASSERT_TRUE(SendAll(kept, check));
  EXPECT_EQ(ReadReply(kept, &pending).status, 200);

  // Once the clients leave, new connections are answered again.
  for (int fd : flood) ::close(fd);
  EXPECT_TRUE(Eventually(
      [&] {
        Reply r = Send(
            "GET", "/v1/check?insz=" + std::string(kUser1) + "&app=ama-wvg");
        return r.status == 200;
      },
      std::chrono::seconds(10), kMetricPoll));
  ::close(kept);
}

TEST_F(ServeHardeningTest, AtTheConnectionLimitIdleConnectionsCloseFirst) {
  // /metrics is read on the admin listener, which has connections of its
  // own.
  Serve({"--max-connections", "3", "--admin-listen", "127.0.0.1:0"});
  const std::string check = "GET /v1/check?insz=" + std::string(kUser1) +
                            "&app=ama-wvg HTTP/1.1\r\nHost: t\r\n\r\n";
  // Two busy connections (parked at a future revision) and an idle one.
  const Headers at_least = {
      {"X-Insz", kUser1},
      {"X-Toegang-At-Least", std::to_string(fed_.engine().revision() + 50)}};
  std::vector<int> busy;
  for (int i = 0; i < 2; ++i) {
    const int fd = Connect(serve_.port());
    ASSERT_GE(fd, 0);
    ASSERT_TRUE(SendAll(fd, RawRequest("GET", "/v1/auth", at_least)));
    busy.push_back(fd);
  }
  ASSERT_TRUE(
      Eventually([&] { return Metric("toegang_waiting_requests") == 2; },
                 std::chrono::seconds(5), kMetricPoll));
  const int idle = Connect(serve_.port());
  ASSERT_GE(idle, 0);
  std::string pending;
  ASSERT_TRUE(SendAll(idle, check));
  ASSERT_EQ(ReadReply(idle, &pending).status, 200);

  // A fourth connection: the idle one is closed for it, the busy ones
  // are not; it parks too.
  const int fourth = Connect(serve_.port());
  ASSERT_GE(fourth, 0);
  ASSERT_TRUE(SendAll(fourth, RawRequest("GET", "/v1/auth", at_least)));
  EXPECT_TRUE(ClosedByPeer(idle, std::chrono::seconds(5)));
  ASSERT_TRUE(
      Eventually([&] { return Metric("toegang_waiting_requests") == 3; },
                 std::chrono::seconds(5), kMetricPoll))
      << "waiting: " << Metric("toegang_waiting_requests")
      << ", fourth answered: " << ReadReply(fourth, &pending).status;
  for (int fd : busy) EXPECT_FALSE(Readable(fd));
  EXPECT_FALSE(Readable(fourth));

  // Nobody is idle now: a fifth gets 503 at once.
  Reply fifth = Exchange(serve_.port(), check);
  EXPECT_EQ(fifth.status, 503);
  EXPECT_EQ(fifth.headers["retry-after"], "1");
  for (int fd : busy) ::close(fd);
  ::close(fourth);
  ::close(idle);
}

}  // namespace
}  // namespace toegang::testing
