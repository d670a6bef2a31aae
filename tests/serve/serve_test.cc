// The HTTP decision service (tools/serve/) on a real socket, in-process:
// every endpoint's codes, headers and bodies, bad input, at-least, the
// follower picking up another engine's commit, keep-alive, and Stop().
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "decision_service.h"
#include "http_server.h"
#include "support/serve_client.h"
#include "support/test_federation.h"
#include "toegang/engine.h"

namespace toegang::testing {
namespace {

using nlohmann::json;
using serve::DecisionService;
using serve::HttpServer;

class ServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fed_.BuildOcmwChain();
    OpenOptions options;
    options.mode = OpenMode::kFollower;
    options.follow_interval = std::chrono::milliseconds(20);
    auto served = Engine::Open(fed_.db_path(), options);
    ASSERT_TRUE(served.ok()) << served.status().ToString();
    served_ = std::move(served).value();
    serve::ServiceOptions service_options;
    service_options.max_wait = std::chrono::milliseconds(2000);
    service_options.follow_interval = options.follow_interval;
    service_ =
        std::make_unique<DecisionService>(served_.get(), service_options);
    auto server = HttpServer::Start({"127.0.0.1", 0, 2}, service_.get());
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
    serve::ServerOptions admin_options;
    admin_options.admin = true;
    auto admin = HttpServer::Start(admin_options, service_.get());
    ASSERT_TRUE(admin.ok()) << admin.status().ToString();
    admin_ = std::move(admin).value();
  }

  void TearDown() override {
    if (admin_) admin_->Stop();
    if (server_) server_->Stop();
  }

  // One request on its own connection.
  Reply Request(const std::string& method, const std::string& target,
                const std::map<std::string, std::string>& headers = {},
                const std::string& body = "", HttpServer* server = nullptr) {
    const int fd = Connect((server ? server : server_.get())->port());
    EXPECT_GE(fd, 0);
    std::string request = method + " " + target + " HTTP/1.1\r\nHost: t\r\n";
    for (const auto& [name, value] : headers) {
      request += name + ": " + value + "\r\n";
    }
    if (!body.empty()) {
      request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    }
    request += "Connection: close\r\n\r\n" + body;
    SendAll(fd, request);
    std::string pending;
    Reply reply = ReadReply(fd, &pending);
    ::close(fd);
    return reply;
  }

  Reply Get(const std::string& target,
            const std::map<std::string, std::string>& headers = {}) {
    return Request("GET", target, headers);
  }
  // On the admin listener.
  Reply AdminGet(const std::string& target) {
    return Request("GET", target, {}, "", admin_.get());
  }

  static std::string CheckUrl(const std::string& insz,
                              const std::string& extra = "") {
    return "/v1/check?insz=" + insz + "&app=ama-wvg" + extra;
  }

  TestFederation fed_;  // its engine is the "other process" that writes
  std::unique_ptr<Engine> served_;
  std::unique_ptr<DecisionService> service_;
  std::unique_ptr<HttpServer> server_;
  std::unique_ptr<HttpServer> admin_;
};

TEST_F(ServeTest, CheckAnswersAllowedAndDeniedAsTheCliJson) {
  Reply allowed = Get(CheckUrl(kUser1));
  ASSERT_EQ(allowed.status, 200) << allowed.body;
  EXPECT_EQ(allowed.headers["content-type"], "application/json");
  json j = allowed.Json();
  EXPECT_EQ(j["allowed"], true);
  EXPECT_EQ(j["revision"], served_->revision());
  EXPECT_EQ(j["facilities"], json::array({kHcoOcmw}));
  EXPECT_EQ(j["insz"], kUser1);
  EXPECT_EQ(j["app"], "ama-wvg");
  EXPECT_FALSE(j.contains("hco"));

  // Display form in, canonical form out; a facility that does not grant.
  Reply at_other = Get("/v1/check?insz=81.05.00-035.52&app=ama-wvg&hco=" +
                       std::string(kHcoSociaalHuis));
  ASSERT_EQ(at_other.status, 200);
  EXPECT_EQ(at_other.Json()["allowed"], false);
  EXPECT_EQ(at_other.Json()["insz"], kUser1);
  EXPECT_EQ(at_other.Json()["hco"], kHcoSociaalHuis);
  EXPECT_EQ(at_other.Json()["facilities"], json::array());

  Reply outsider = Get(CheckUrl(kOutsider));
  ASSERT_EQ(outsider.status, 200);
  EXPECT_EQ(outsider.Json()["allowed"], false);
}

TEST_F(ServeTest, CheckByPostTakesAJsonBody) {
  Reply r = Request("POST", "/v1/check", {{"Content-Type", "application/json"}},
                    json({{"insz", kUser1}, {"app", "ama-wvg"}}).dump());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json()["allowed"], true);

  Reply not_object = Request("POST", "/v1/check", {}, "[1, 2]");
  EXPECT_EQ(not_object.status, 400);
  EXPECT_EQ(not_object.Json()["error"], "usage");
  Reply wrong_type = Request("POST", "/v1/check", {},
                             R"({"insz": 81050003552, "app": "ama-wvg"})");
  EXPECT_EQ(wrong_type.status, 400);
  Reply unknown = Request("POST", "/v1/check", {},
                          R"({"insz": "81050003552", "ap": "ama-wvg"})");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_NE(unknown.Json()["message"].get<std::string>().find("ap"),
            std::string::npos);
}

TEST_F(ServeTest, BadInputIs400WithTheEngineCode) {
  struct Case {
    std::string target, code;
  };
  const std::vector<Case> cases = {
      {CheckUrl("85073003329"), "invalid_insz"},  // checksum
      {"/v1/check?insz=" + std::string(kUser1) + "&app=no-such-app",
       "unknown_application"},
      {CheckUrl(kUser1, "&hco=12x"), "invalid_hco"},
      {"/v1/check?insz=" + std::string(kUser1), "usage"},  // no app
      {CheckUrl(kUser1, "&color=red"), "usage"},
      {CheckUrl(kUser1, "&insz=" + std::string(kUser1)), "duplicate_input"},
      {CheckUrl(kUser1, "&at_least=-1"), "usage"},
      {"/v1/check?insz=%zz&app=ama-wvg", "usage"},
      {"/v1/explain?insz=" + std::string(kUser1) + "&app=ama-wvg&lang=fr",
       "usage"},
  };
  for (const Case& c : cases) {
    Reply r = c.target.starts_with("/v1/explain") ? AdminGet(c.target)
                                                  : Get(c.target);
    EXPECT_EQ(r.status, 400) << c.target;
    EXPECT_EQ(r.Json()["error"], c.code) << c.target << " " << r.body;
    EXPECT_FALSE(r.Json()["message"].get<std::string>().empty());
  }
  EXPECT_EQ(Get("/v1/nothing").status, 404);
  Reply wrong_method = Request("DELETE", CheckUrl(kUser1));
  EXPECT_EQ(wrong_method.status, 405);
  EXPECT_EQ(wrong_method.headers["allow"], "GET, HEAD, POST");
}

TEST_F(ServeTest, AuthRequestAnswers204Or403WithTheFacilities) {
  Reply allowed = Get("/v1/auth", {{"X-Insz", kUser1}});
  EXPECT_EQ(allowed.status, 204);
  EXPECT_EQ(allowed.headers["x-toegang-facilities"], kHcoOcmw);
  EXPECT_EQ(allowed.headers["x-toegang-revision"],
            std::to_string(served_->revision()));
  EXPECT_TRUE(allowed.body.empty());

  Reply denied = Get("/v1/auth", {{"X-Insz", kOutsider}});
  EXPECT_EQ(denied.status, 403);
  EXPECT_EQ(denied.headers.count("x-toegang-facilities"), 0u);

  // The facility and the application may come from headers or the query.
  EXPECT_EQ(
      Get("/v1/auth", {{"X-Insz", kUser1}, {"X-Toegang-Hco", kHcoOcmw}}).status,
      204);
  EXPECT_EQ(Get("/v1/auth?hco=45678", {{"X-Insz", kUser1}}).status, 403);
  EXPECT_EQ(Get("/v1/auth?app=vipa", {{"X-Insz", kUser1}}).status, 403);

  Reply no_header = Get("/v1/auth");
  EXPECT_EQ(no_header.status, 401);
  EXPECT_EQ(no_header.headers["x-toegang-error"], "missing_insz");
  // The query is the operator's: it cannot name the person.
  Reply insz_in_query = Get("/v1/auth?insz=" + std::string(kUser1));
  EXPECT_EQ(insz_in_query.status, 403);
  EXPECT_EQ(insz_in_query.headers["x-toegang-error"], "usage");
  Reply bad_insz = Get("/v1/auth", {{"X-Insz", "12345678901"}});
  EXPECT_EQ(bad_insz.status, 403);
  EXPECT_EQ(bad_insz.headers["x-toegang-error"], "invalid_insz");
}

TEST_F(ServeTest, AuthReadsTheConfiguredInszHeader) {
  server_->Stop();
  serve::ServiceOptions options;
  options.insz_header = "X-Person";
  options.default_app = "vipa";
  service_ = std::make_unique<DecisionService>(served_.get(), options);
  auto server = HttpServer::Start({"127.0.0.1", 0, 1}, service_.get());
  ASSERT_TRUE(server.ok());
  server_ = std::move(server).value();
  EXPECT_EQ(Get("/v1/auth", {{"X-Insz", kUser1}}).status, 401);
  // The default application is now vipa, which kUser1 does not hold.
  EXPECT_EQ(Get("/v1/auth", {{"X-Person", kUser1}}).status, 403);
  // Only the operator's URI names another application.
  EXPECT_EQ(
      Get("/v1/auth", {{"X-Person", kUser1}, {"X-Toegang-App", "ama-wvg"}})
          .status,
      403);
  EXPECT_EQ(Get("/v1/auth?app=ama-wvg", {{"X-Person", kUser1}}).status, 204);
}

TEST_F(ServeTest, ExtAuthzAllowsWith200AndIgnoresTheOriginalQuery) {
  Reply allowed = Request("POST", "/v1/ext_authz/eloket/aanvraag?x=1",
                          {{"X-Insz", kUser1}});
  EXPECT_EQ(allowed.status, 200);
  EXPECT_EQ(allowed.headers["x-toegang-facilities"], kHcoOcmw);

  Reply denied = Get("/v1/ext_authz/eloket", {{"X-Insz", kOutsider}});
  EXPECT_EQ(denied.status, 403);
  EXPECT_EQ(denied.Json()["allowed"], false);

  // The client's own query cannot name the person, the app or the facility.
  EXPECT_EQ(Get("/v1/ext_authz/?insz=" + std::string(kUser1)).status, 401);
  EXPECT_EQ(
      Get("/v1/ext_authz/x?hco=45678&app=vipa", {{"X-Insz", kUser1}}).status,
      200);
}

TEST_F(ServeTest, ExplainGivesTheCliJsonInBothLanguages) {
  Reply en =
      AdminGet("/v1/explain?insz=" + std::string(kOutsider) + "&app=ama-wvg");
  ASSERT_EQ(en.status, 200) << en.body;
  json e = en.Json();
  EXPECT_EQ(e["allowed"], false);
  EXPECT_EQ(e["reason"], "not_a_user");
  Reply nl = AdminGet("/v1/explain?insz=" + std::string(kOutsider) +
                      "&app=ama-wvg&lang=nl");
  ASSERT_EQ(nl.status, 200);
  EXPECT_NE(nl.Json()["summary"], e["summary"]);

  Reply chain =
      AdminGet("/v1/explain?insz=" + std::string(kUser1) + "&app=ama-wvg");
  ASSERT_EQ(chain.status, 200);
  EXPECT_EQ(chain.Json()["allowed"], true);
  EXPECT_FALSE(chain.Json()["chain"].empty());
}

TEST_F(ServeTest, AtLeastBeyondTheDatabaseIsNeverServedStale) {
  const uint64_t future = served_->revision() + 5;
  Reply check =
      Get(CheckUrl(kUser1, "&wait_ms=30&at_least=" + std::to_string(future)));
  EXPECT_EQ(check.status, 503);
  EXPECT_EQ(check.Json()["error"], "revision_not_reached");
  EXPECT_EQ(check.headers["retry-after"], "1");
  Reply header = Get(CheckUrl(kUser1, "&wait_ms=30"),
                     {{"X-Toegang-At-Least", std::to_string(future)}});
  EXPECT_EQ(header.status, 503);
  Reply auth =
      Get("/v1/auth",
          {{"X-Insz", kUser1}, {"X-Toegang-At-Least", std::to_string(future)}});
  EXPECT_EQ(auth.status, 503);
  EXPECT_EQ(auth.headers["x-toegang-error"], "revision_not_reached");
  // At or below the current revision: answered.
  EXPECT_EQ(
      Get(CheckUrl(kUser1, "&at_least=" + std::to_string(served_->revision())))
          .status,
      200);
}

TEST_F(ServeTest, AChangeByAnotherEngineIsServedAtTheDemandedRevision) {
  ASSERT_EQ(Get("/v1/auth", {{"X-Insz", kUser1}}).status, 204);
  CommitInfo revoked = fed_.MustApply(M(Action::kRevokeRight, kEmp2Ocmw)
                                          .Hco(kHcoOcmw)
                                          .Insz(kUser1)
                                          .App("ama-wvg"));
  // Read your writes: demanding the commit's revision gets the new answer
  // on the first request, follower or not.
  Reply r =
      Get(CheckUrl(kUser1, "&at_least=" + std::to_string(revoked.revision)));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json()["allowed"], false);
  EXPECT_GE(r.Json()["revision"].get<uint64_t>(), revoked.revision);

  // A grant made elsewhere reaches the service through the follower alone.
  CommitInfo granted = fed_.MustApply(M(Action::kGrantRight, kEmp2Ocmw)
                                          .Hco(kHcoOcmw)
                                          .Insz(kUser1)
                                          .App("ama-wvg"));
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(5);
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    status = Get("/v1/auth", {{"X-Insz", kUser1}}).status;
    if (status == 204) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(status, 204);
  EXPECT_GE(served_->revision(), granted.revision);
}

TEST_F(ServeTest, HealthAndMetricsReportTheDecisions) {
  Reply health = Get("/healthz");
  ASSERT_EQ(health.status, 200);
  EXPECT_EQ(health.Json()["status"], "ok");
  EXPECT_EQ(health.Json()["revision"], served_->revision());

  Get(CheckUrl(kUser1));
  Get(CheckUrl(kUser1));
  Get(CheckUrl(kOutsider));
  Get(CheckUrl("1"));
  Get("/v1/auth", {{"X-Insz", kUser1}});
  Get("/v1/ext_authz/", {{"X-Insz", kOutsider}});
  Reply metrics = Get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_EQ(
      metrics.headers["content-type"].rfind("text/plain; version=0.0.4", 0),
      0u);
  const std::string& m = metrics.body;
  auto has = [&](const std::string& line) {
    return m.find("\n" + line + "\n") != std::string::npos;
  };
  EXPECT_TRUE(
      has(R"(toegang_decisions_total{endpoint="check",outcome="allowed"} 2)"))
      << m;
  EXPECT_TRUE(
      has(R"(toegang_decisions_total{endpoint="check",outcome="denied"} 1)"));
  EXPECT_TRUE(
      has(R"(toegang_decisions_total{endpoint="check",outcome="invalid"} 1)"));
  EXPECT_TRUE(
      has(R"(toegang_decisions_total{endpoint="auth",outcome="allowed"} 1)"));
  EXPECT_TRUE(has(
      R"(toegang_decisions_total{endpoint="ext_authz",outcome="denied"} 1)"));
  EXPECT_TRUE(has(
      R"(toegang_decision_duration_seconds_bucket{endpoint="check",le="+Inf"} 4)"));
  EXPECT_TRUE(
      has(R"(toegang_decision_duration_seconds_count{endpoint="check"} 4)"));
  EXPECT_TRUE(has("toegang_revision " + std::to_string(served_->revision())));
  EXPECT_TRUE(has("toegang_model_loaded 1"));
  EXPECT_TRUE(has("toegang_model_compactions_total " +
                  std::to_string(served_->follow_state().compactions)));
  EXPECT_TRUE(has(std::string("toegang_started_from_snapshot ") +
                  (served_->startup().from_snapshot ? "1" : "0")));
  EXPECT_NE(m.find("# TYPE toegang_decision_duration_seconds histogram"),
            std::string::npos);
  EXPECT_NE(m.find("toegang_follow_last_catch_up_timestamp_seconds "),
            std::string::npos);
  // The invalid check (400) and the ext_authz denial (403).
  EXPECT_TRUE(has(R"(toegang_http_requests_total{code="4xx"} 2)"));
}

TEST(MetricsTest, RendersTheEngineCountersItIsGiven) {
  serve::Metrics metrics;
  FollowState follow;
  follow.revision = 12;
  follow.catch_ups = 4;
  follow.failures = 1;
  follow.skipped = 7;
  follow.compactions = 3;
  const std::string m = metrics.Render(follow, StartupInfo(), 2.5);
  for (const char* line :
       {"\ntoegang_revision 12\n", "\ntoegang_follow_catch_ups_total 4\n",
        "\ntoegang_follow_stale_seconds 2.500\n",
        "\ntoegang_follow_failures_total 1\n",
        "\ntoegang_follow_skipped_total 7\n",
        "\ntoegang_model_compactions_total 3\n",
        "\n# TYPE toegang_model_compactions_total counter\n"}) {
    EXPECT_NE(m.find(line), std::string::npos) << line << " in\n" << m;
  }
}

TEST_F(ServeTest, KeepAliveAnswersSeveralRequestsOnOneConnection) {
  const int fd = Connect(server_->port());
  ASSERT_GE(fd, 0);
  std::string pending;
  for (int i = 0; i < 3; ++i) {
    SendAll(fd, "GET " + CheckUrl(kUser1) + " HTTP/1.1\r\nHost: t\r\n\r\n");
    Reply r = ReadReply(fd, &pending);
    EXPECT_EQ(r.status, 200) << i;
    EXPECT_EQ(r.Json()["allowed"], true);
  }
  ::close(fd);
}

TEST_F(ServeTest, StopClosesTheListeningSocket) {
  const uint16_t port = server_->port();
  ASSERT_EQ(Get("/healthz").status, 200);
  server_->Stop();
  server_->Stop();  // twice is fine
  const int fd = Connect(port);
  EXPECT_LT(fd, 0);
  if (fd >= 0) ::close(fd);
}

TEST(ServeStartTest, RefusesABadAddressAndThreadCount) {
  TestFederation fed;
  DecisionService service(&fed.engine(), {});
  auto bad_address = HttpServer::Start({"not-an-ip", 0, 1}, &service);
  ASSERT_FALSE(bad_address.ok());
  EXPECT_EQ(bad_address.status().code(), "usage");
  auto no_threads = HttpServer::Start({"127.0.0.1", 0, 0}, &service);
  ASSERT_FALSE(no_threads.ok());
  auto first = HttpServer::Start({"127.0.0.1", 0, 1}, &service);
  ASSERT_TRUE(first.ok());
  auto taken = HttpServer::Start({"127.0.0.1", (*first)->port(), 1}, &service);
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.status().code(), "io_error");
}

}  // namespace
}  // namespace toegang::testing
