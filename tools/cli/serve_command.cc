// serve: the HTTP decision service (tools/serve/) on the CLI's database,
// until SIGINT or SIGTERM.
#include <fmt/format.h>
#include <signal.h>

#include <charconv>
#include <cstdio>
#include <iostream>
#include <optional>

#include "cli_context.h"
#include "decision_service.h"
#include "http_server.h"
#include "toegang/error_codes.h"

namespace toegang::cli {
namespace {

namespace po = boost::program_options;

// "127.0.0.1:8080", "[::1]:8080", ":8080" (loopback) -> address and port.
void ParseListen(const std::string& text, serve::ServerOptions* options,
                 const std::string& option = "--listen") {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos) {
    throw UsageError{option + " is ADDRESS:PORT, e.g. 127.0.0.1:8080"};
  }
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  options->address = host.empty() ? "127.0.0.1" : host;
  const std::string port = text.substr(colon + 1);
  unsigned value = 0;
  auto [end, ec] =
      std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() ||
      value > 65535) {
    throw UsageError{option + ": `" + port + "` is not a port (0-65535)"};
  }
  options->port = static_cast<uint16_t>(value);
}

}  // namespace

CommandOptions ServeCommandOptions() {
  CommandOptions spec;
  // clang-format off
  spec.options.add_options()
      ("listen", po::value<std::string>()->value_name("ADDR:PORT")->default_value("127.0.0.1:8080"),
       "ADDRESS:PORT of the gateway listener (port 0: any free port): "
       "decisions, /healthz, /metrics")
      ("admin-listen", po::value<std::string>()->value_name("ADDR:PORT"), "ADDRESS:PORT of the admin "
       "listener, which also serves /v1/explain (personal data); off by "
       "default")
      ("threads", po::value<std::string>()->value_name("N"), "threads answering requests "
       "(default 2)")
      ("insz-header", po::value<std::string>()->value_name("NAME")->default_value("X-Insz"),
       "request header with the person's INSZ (/v1/auth, /v1/ext_authz)")
      ("app", po::value<std::string>()->value_name("APP")->default_value("ama-wvg"),
       "application of /v1/auth when its URI names none (?app=), and of "
       "/v1/ext_authz")
      ("app-header", po::value<std::string>()->value_name("NAME"), "request header naming the "
       "application of /v1/ext_authz; the proxy must set it, overwriting "
       "the client's (default: none, --app is used)")
      ("actor-header", po::value<std::string>()->value_name("NAME"), "request header in "
       "which the authenticating proxy in front of the admin listener "
       "asserts the acting person's INSZ; the web pages then offer the "
       "manual's steps for that person (read only on the admin listener; "
       "default: none, the pages only read)")
      ("max-connections", po::value<std::string>()->value_name("N"), "connections open at "
       "once (default 512; at most half the descriptor limit)")
      ("max-waiting", po::value<std::string>()->value_name("N"), "requests parked waiting "
       "for an at_least revision (default 1000; 503 beyond)")
      ("follow-ms", po::value<std::string>()->value_name("MS"), "look for other processes' "
       "commits this often (default 50; 0: never)")
      ("max-wait-ms", po::value<std::string>()->value_name("MS"), "longest wait for an "
       "at_least revision (default 1000)");
  // clang-format on
  return spec;
}

int RunServe(const Context& ctx) {
  po::variables_map vm = ParseArgs(ctx);
  serve::ServerOptions server_options;
  ParseListen(vm["listen"].as<std::string>(), &server_options);
  server_options.threads = static_cast<int>(
      std::min<uint64_t>(UnsignedOption(vm, "threads", 2), 1000));
  server_options.max_connections = static_cast<size_t>(std::max<uint64_t>(
      1,
      std::min<uint64_t>(UnsignedOption(vm, "max-connections", 512), 1000000)));
  server_options.max_waiting = static_cast<size_t>(std::max<uint64_t>(
      1, std::min<uint64_t>(UnsignedOption(vm, "max-waiting", 1000), 1000000)));
  std::optional<serve::ServerOptions> admin_options;
  if (vm.count("admin-listen")) {
    admin_options = server_options;
    admin_options->admin = true;
    admin_options->threads = 1;
    admin_options->max_connections = 16;
    ParseListen(vm["admin-listen"].as<std::string>(), &*admin_options,
                "--admin-listen");
  }
  serve::ServiceOptions service_options;
  if (vm.count("app-header")) {
    service_options.app_header = vm["app-header"].as<std::string>();
    if (service_options.app_header.empty()) {
      throw UsageError{"--app-header must name a header"};
    }
  }
  if (vm.count("actor-header")) {
    service_options.actor_header = vm["actor-header"].as<std::string>();
    if (service_options.actor_header.empty()) {
      throw UsageError{"--actor-header must name a header"};
    }
    if (!vm.count("admin-listen")) {
      throw UsageError{
          "--actor-header is read on the admin listener only: give "
          "--admin-listen too"};
    }
  }
  service_options.insz_header = vm["insz-header"].as<std::string>();
  service_options.default_app = vm["app"].as<std::string>();
  service_options.follow_interval = std::chrono::milliseconds(
      std::min<uint64_t>(UnsignedOption(vm, "follow-ms", 50), 3600000));
  service_options.max_wait = std::chrono::milliseconds(
      std::min<uint64_t>(UnsignedOption(vm, "max-wait-ms", 1000), 600000));
  if (service_options.insz_header.empty()) {
    throw UsageError{"--insz-header must name a header"};
  }

  // Every thread started from here on (the engine's follower, the server's
  // pool) inherits the blocked signals; this thread waits for them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  OpenOptions open_options;
  // The helpdesk pages search names: sort them with each load, not at the
  // first search after it.
  open_options.index_names = admin_options.has_value();
  // --follow-ms 0: a service that catches up only when asked.
  if (service_options.follow_interval.count() > 0) {
    open_options.mode = OpenMode::kFollower;
    open_options.follow_interval = service_options.follow_interval;
  }
  Result<std::unique_ptr<Engine>> engine =
      Engine::Open(ctx.db_path, open_options);
  if (!engine.ok()) return ctx.Fail(engine.status());

  serve::DecisionService service(engine->get(), service_options);
  Result<std::unique_ptr<serve::HttpServer>> server =
      serve::HttpServer::Start(server_options, &service);
  if (!server.ok()) return ctx.Fail(server.status());
  std::unique_ptr<serve::HttpServer> admin;
  if (admin_options) {
    Result<std::unique_ptr<serve::HttpServer>> started =
        serve::HttpServer::Start(*admin_options, &service);
    if (!started.ok()) {
      (*server)->Stop();
      return ctx.Fail(started.status());
    }
    admin = std::move(started).value();
  }

  auto url = [](const serve::ServerOptions& options, uint16_t port) {
    const std::string host = options.address.find(':') == std::string::npos
                                 ? options.address
                                 : "[" + options.address + "]";
    return fmt::format("http://{}:{}", host, port);
  };
  nlohmann::json printed = {
      {"listening", url(server_options, (*server)->port())},
      {"port", (*server)->port()},
      {"threads", server_options.threads},
      {"max_connections", (*server)->max_connections()},
      {"revision", (*engine)->revision()},
      {"follow_ms", service_options.follow_interval.count()}};
  std::vector<std::string> lines = {fmt::format(
      "toegang serve: listening on {} ({} threads, revision {}, following "
      "every {} ms)",
      url(server_options, (*server)->port()), server_options.threads,
      (*engine)->revision(), service_options.follow_interval.count())};
  if (admin) {
    printed["admin_listening"] = url(*admin_options, admin->port());
    printed["admin_port"] = admin->port();
    lines.push_back(
        fmt::format("toegang serve: admin listener (with /v1/explain) on {}",
                    url(*admin_options, admin->port())));
  }
  ctx.Print(printed, lines);
  std::cout.flush();

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  std::cerr << "toegang serve: "
            << (signal_number == SIGINT ? "SIGINT" : "SIGTERM")
            << ", stopping\n";
  if (admin) admin->Stop();
  (*server)->Stop();
  return kExitOk;
}

}  // namespace toegang::cli
