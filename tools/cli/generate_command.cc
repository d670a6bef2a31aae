// generate: a synthetic federation for benchmarks and demos (SPEC 7, 8).
//
//   toegang generate --persons N [--seed S] --out FILE.db [--force]
//   toegang generate --persons N [--seed S] --out postgresql://...
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <iostream>

#include "cli_context.h"
#include "federation_generator.h"

namespace toegang::cli {

namespace po = boost::program_options;

CommandOptions GenerateCommandOptions() {
  CommandOptions spec;
  // clang-format off
  spec.options.add_options()
      ("persons", po::value<std::string>()->value_name("N"),
       "number of persons (1 to 15000000)")
      ("seed", po::value<std::string>()->value_name("S"),
       "random seed (default 1): the same seed, the same federation")
      ("out", po::value<std::string>()->value_name("FILE"),
       "the database file to write, or a postgresql:// URI of a new or "
       "empty PostgreSQL database")
      ("force", "replace FILE when it exists");
  // clang-format on
  return spec;
}

int RunGenerate(const Context& ctx) {
  po::variables_map vm = ParseArgs(ctx);
  GenerateOptions options;
  options.persons = UnsignedOption(vm, "persons", 0);
  options.seed = UnsignedOption(vm, "seed", 1);
  options.out_path = vm["out"].as<std::string>();
  options.overwrite = vm.count("force") > 0;
  auto bar = ProgressBar(ctx, "generate");
  if (bar) {
    options.progress = [bar](std::string_view, uint64_t done, uint64_t total) {
      if (total > 0) bar(done, total);
    };
  }
  const auto start = std::chrono::steady_clock::now();
  GenerateSummary s;
  Status status = GenerateFederation(options, &s);
  if (!status.ok()) return ctx.Fail(status);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  nlohmann::json j = {
      {"ok", true},
      {"out", options.out_path},
      {"seed", options.seed},
      {"seconds", std::round(seconds * 100) / 100},
      {"file_bytes", s.file_bytes},
      {"revision", s.revision},
      {"persons", s.persons},
      {"enterprises", s.enterprises},
      {"ocmws", s.ocmws},
      {"stopped_enterprises", s.stopped_enterprises},
      {"enterprises_without_htb", s.enterprises_without_htb},
      {"enterprises_without_capacity", s.enterprises_without_capacity},
      {"legal_representatives", s.legal_representatives},
      {"employees", s.employees},
      {"facilities", s.facilities},
      {"closed_facilities", s.closed_facilities},
      {"htbs", s.htbs},
      {"active_capacities", s.active_capacities},
      {"domain_managers", s.domain_managers},
      {"subafdelingen", s.subafdelingen},
      {"unauthorized_subafdelingen", s.unauthorized_subafdelingen},
      {"closed_subafdelingen", s.closed_subafdelingen},
      {"subafdeling_managers", s.subafdeling_managers},
      {"authorizations", s.authorizations},
      {"users", s.users},
      {"rights", s.rights},
      {"revoked_rights", s.revoked_rights},
      {"audit_rows", s.audit_rows}};
  ctx.Print(
      j,
      {s.file_bytes > 0
           ? fmt::format(
                 "generated {} (seed {}) in {:.1f} s: {:.1f} MB, revision {}",
                 options.out_path, options.seed, seconds,
                 static_cast<double>(s.file_bytes) / 1e6, s.revision)
           : fmt::format("generated {} (seed {}) in {:.1f} s, revision {}",
                         options.out_path, options.seed, seconds, s.revision),
       fmt::format("  {} persons, {} enterprises ({} OCMWs, {} stopped, {} "
                   "without HTB, {} without active hoedanigheid)",
                   s.persons, s.enterprises, s.ocmws, s.stopped_enterprises,
                   s.enterprises_without_htb, s.enterprises_without_capacity),
       fmt::format("  {} facilities ({} closed), {} HTBs, {} TB/co-TBs",
                   s.facilities, s.closed_facilities, s.htbs,
                   s.domain_managers),
       fmt::format("  {} subafdelingen ({} unauthorized, {} at a closed "
                   "facility), {} named managers, {} authorizations",
                   s.subafdelingen, s.unauthorized_subafdelingen,
                   s.closed_subafdelingen, s.subafdeling_managers,
                   s.authorizations),
       fmt::format("  {} users with {} rights ({} with ama-wvg revoked)",
                   s.users, s.rights, s.revoked_rights)});
  return kExitOk;
}

}  // namespace toegang::cli
