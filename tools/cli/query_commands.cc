// check, audit, changes, verify, stats.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <iostream>

#include "cli_context.h"
#include "toegang/answer_json.h"
#include "toegang/error_codes.h"

namespace toegang::cli {
namespace {

namespace po = boost::program_options;

nlohmann::json AuditJson(const AuditRecord& r) {
  nlohmann::json j = {{"seq", r.seq},        {"at", r.at},
                      {"actor", r.actor},    {"action", r.action},
                      {"kbo", r.kbo},        {"outcome", r.outcome},
                      {"message", r.message}};
  j["revision"] =
      r.revision == 0 ? nlohmann::json(nullptr) : nlohmann::json(r.revision);
  if (!r.code.empty()) j["code"] = r.code;
  nlohmann::json detail = nlohmann::json::parse(r.detail, nullptr, false);
  if (!detail.is_discarded()) j["detail"] = detail;
  return j;
}

}  // namespace

CommandOptions CheckCommandOptions() {
  CommandOptions spec;
  // clang-format off
  spec.options.add_options()
      ("insz", po::value<std::string>()->value_name("INSZ"),
       "the person's INSZ, in any form (85073003328, 85.07.30-033.28)")
      ("app", po::value<std::string>()->value_name("APP"),
       "the application: code, name or alias (ama-wvg, \"e-loket AMA WVG\")")
      ("hco", po::value<std::string>()->value_name("HCO"),
       "only through this facility")
      ("at-least", po::value<std::string>()->value_name("REV"),
       "first wait until the database reaches this revision")
      ("wait-ms", po::value<std::string>()->value_name("MS"),
       "with --at-least: how long to wait for it (default 1000)");
  // clang-format on
  return spec;
}

int RunCheck(const Context& ctx) {
  po::variables_map vm = ParseArgs(ctx);
  const uint64_t at_least = UnsignedOption(vm, "at-least", 0);
  const uint64_t wait_ms = UnsignedOption(vm, "wait-ms", 1000);
  int code = kExitOk;
  std::unique_ptr<Engine> engine = ctx.OpenEngine(false, &code);
  if (!engine) return code;
  const std::string insz = vm["insz"].as<std::string>();
  const std::string app = vm["app"].as<std::string>();
  const std::string hco = TextOption(vm, "hco");
  if (at_least > 0) {
    Status caught = engine->CatchUp(
        at_least,
        std::chrono::milliseconds(std::min<uint64_t>(wait_ms, 600000)));
    if (!caught.ok()) return ctx.Fail(caught);
  }
  Result<Decision> d = engine->Check(insz, app, hco);
  if (!d.ok()) return ctx.Fail(d.status());
  // The CLI prints its objects with sorted keys.
  const nlohmann::json j = DecisionJson(*d);
  const bool nl = ctx.lang == "nl";
  std::string line;
  if (d->allowed) {
    std::string via;
    for (const std::string& f : d->facilities)
      via += (via.empty() ? "" : ", ") + f;
    line = fmt::format(
        fmt::runtime(nl ? "TOEGESTAAN: {} mag {} gebruiken via HCO {} "
                          "(revisie {})"
                        : "ALLOWED: {} may use {} through HCO {} "
                          "(revision {})"),
        d->insz, d->application, via, d->revision);
  } else {
    line = fmt::format(
        fmt::runtime(nl ? "GEWEIGERD: {} mag {} niet gebruiken{} (revisie {})"
                        : "DENIED: {} may not use {}{} (revision {})"),
        d->insz, d->application,
        d->hco.empty() ? std::string() : " (HCO " + d->hco + ")", d->revision);
  }
  ctx.Print(j, {line});
  return d->allowed ? kExitOk : kExitDenied;
}

CommandOptions AuditCommandOptions(bool changes_only) {
  CommandOptions spec;
  // clang-format off
  spec.options.add_options()
      ("since", po::value<std::string>()->value_name("REV"),
       changes_only ? "the changes after this revision"
                    : "only changes after this revision (leaves refusals "
                      "out)")
      ("kbo", po::value<std::string>()->value_name("KBO"),
       "only rows about this enterprise")
      ("insz", po::value<std::string>()->value_name("INSZ"),
       "only rows this person made or is named in (a scan of the log)")
      ("hco", po::value<std::string>()->value_name("HCO"),
       "only rows that name this facility (a scan of the log)")
      ("limit", po::value<std::string>()->value_name("N"),
       "rows per page (default 100, at most 10000)")
      ("after", po::value<std::string>()->value_name("SEQ"),
       "the next page: rows after this sequence number");
  // clang-format on
  return spec;
}

int RunAudit(const Context& ctx, bool changes_only) {
  po::variables_map vm = ParseArgs(ctx);
  AuditQuery q;
  q.since_revision = UnsignedOption(vm, "since", 0);
  q.limit = static_cast<size_t>(
      std::min<uint64_t>(UnsignedOption(vm, "limit", 100), 10000));
  q.after_seq = UnsignedOption(vm, "after", 0);
  q.kbo = TextOption(vm, "kbo");
  q.insz = TextOption(vm, "insz");
  q.hco = TextOption(vm, "hco");
  int code = kExitOk;
  std::unique_ptr<Engine> engine = ctx.OpenEngine(false, &code);
  if (!engine) return code;
  Result<std::vector<AuditRecord>> rows = engine->Audit(q);
  if (!rows.ok()) return ctx.Fail(rows.status());
  nlohmann::json list = nlohmann::json::array();
  std::vector<std::string> text;
  for (const AuditRecord& r : *rows) {
    if (changes_only && r.outcome != "ok") continue;
    list.push_back(AuditJson(r));
    text.push_back(
        fmt::format("#{} {} {} {}{}{}{}: {}", r.seq,
                    r.revision == 0 ? std::string("refused")
                                    : fmt::format("r{}", r.revision),
                    r.at, r.action, r.actor.empty() ? "" : " by " + r.actor,
                    r.kbo.empty() ? "" : " kbo " + r.kbo,
                    r.code.empty() ? "" : " [" + r.code + "]", r.message));
  }
  nlohmann::json j = {{"rows", list}, {"revision", engine->revision()}};
  if (!rows->empty() && rows->size() == q.limit) {
    j["next"] = rows->back().seq;
    text.push_back(fmt::format("(more: --after {})", rows->back().seq));
  } else {
    j["next"] = nullptr;
  }
  ctx.Print(j, text);
  return kExitOk;
}

CommandOptions VerifyCommandOptions() {
  CommandOptions spec;
  spec.options.add_options()(
      "thorough",
      "also check every index of the database against its table (SQLite's "
      "integrity_check: 17 s instead of 6 s at a million persons)");
  return spec;
}

int RunVerify(const Context& ctx) {
  po::variables_map vm = ParseArgs(ctx);
  int code = kExitOk;
  std::unique_ptr<Engine> engine = ctx.OpenEngine(false, &code);
  if (!engine) return code;
  VerifyOptions options;
  options.thorough = vm.count("thorough") > 0;
  if (!ctx.json && ::isatty(STDERR_FILENO)) {
    // On a terminal, each step as it begins, with the seconds since the
    // start.
    const auto started = std::chrono::steady_clock::now();
    options.progress = [started](std::string_view step, int number, int steps) {
      const double s = std::chrono::duration<double>(
                           std::chrono::steady_clock::now() - started)
                           .count();
      std::cerr << fmt::format("verify [{}/{}] {} ({:.1f} s)\n", number, steps,
                               step, s)
                << std::flush;
    };
  }
  Result<std::vector<std::string>> problems = engine->Verify(options);
  if (!problems.ok()) return ctx.Fail(problems.status());
  if (!problems->empty()) {
    std::string all;
    for (const std::string& p : *problems) all += "\n  " + p;
    return ctx.Fail(
        Status::Storage(code::kVerifyFailed,
                        fmt::format("{} problem(s):{}", problems->size(), all)),
        {{"problems", *problems}});
  }
  ctx.Print({{"ok", true},
             {"revision", engine->revision()},
             {"problems", nlohmann::json::array()}},
            {fmt::format("ok: database and graph agree at revision {}",
                         engine->revision())});
  return kExitOk;
}

CommandOptions StatsCommandOptions() {
  CommandOptions spec;
  spec.options.add_options()(
      "graph",
      "also the graph's figures (vertices, edges, overlay), which load the "
      "whole federation first (seconds at a million persons)");
  return spec;
}

int RunStats(const Context& ctx) {
  const po::variables_map vm = ParseArgs(ctx);
  int code = kExitOk;
  std::unique_ptr<Engine> engine = ctx.OpenEngine(false, &code);
  if (!engine) return code;
  if (vm.count("graph")) {
    Status loaded = engine->Refresh();
    if (!loaded.ok()) return ctx.Fail(loaded);
  }
  Result<Stats> s = engine->GetStats();
  if (!s.ok()) return ctx.Fail(s.status());
  nlohmann::json j = {{"revision", s->revision},
                      {"enterprises", s->enterprises},
                      {"active_enterprises", s->active_enterprises},
                      {"persons", s->persons},
                      {"facilities", s->facilities},
                      {"htbs", s->htbs},
                      {"domain_managers", s->domain_managers},
                      {"subafdelingen", s->subafdelingen},
                      {"users", s->users},
                      {"rights", s->rights},
                      {"audit_rows", s->audit_rows},
                      {"graph_loaded", s->graph_loaded}};
  if (s->graph_loaded) {
    j["graph_vertices"] = s->graph_vertices;
    j["graph_edges"] = s->graph_edges;
    j["graph_base_edges"] = s->graph_base_edges;
    j["graph_overlay_edges"] = s->graph_overlay_edges;
    j["overlay_persons"] = s->overlay_persons;
  }
  std::vector<std::string> text;
  for (const auto& [k, v] : j.items()) {
    if (k != "graph_loaded")
      text.push_back(fmt::format("{:<20} {}", k, v.dump()));
  }
  if (!s->graph_loaded) {
    text.push_back("(the graph's figures: toegang stats --graph)");
  }
  ctx.Print(j, text);
  return kExitOk;
}

}  // namespace toegang::cli
