// init and the registry imports.
#include <fmt/format.h>

#include <iostream>
#include <regex>
#include <string>
#include <vector>

#include "cli_context.h"

namespace toegang::cli {
namespace {

namespace po = boost::program_options;

// An INSZ as an operator's terminal shows it in an impact report: the
// birth date part only, e.g. 85.07.30-***.** (the whole number is in
// --json, which is for programs).
std::string MaskInsz(const std::string& digits) {
  if (digits.size() != 11) return "***";
  return fmt::format("{}.{}.{}-***.**", digits.substr(0, 2),
                     digits.substr(2, 2), digits.substr(4, 2));
}

std::string MaskedList(const std::vector<std::string>& inszs, size_t total) {
  std::string out;
  for (const std::string& i : inszs) {
    if (!out.empty()) out += ", ";
    out += MaskInsz(i);
  }
  if (total > inszs.size()) {
    out += fmt::format(" and {} more", total - inszs.size());
  }
  return out;
}

int Report(const Context& ctx, const std::string& what, const Status& status,
           const ImportReport& r) {
  nlohmann::json errors = nlohmann::json::array();
  for (const RowError& e : r.errors) {
    errors.push_back({{"file", e.file},
                      {"line", e.line},
                      {"code", e.code},
                      {"message", e.message}});
  }
  nlohmann::json counts = {{"rows", r.rows},         {"inserted", r.inserted},
                           {"updated", r.updated},   {"unchanged", r.unchanged},
                           {"ignored", r.ignored},   {"invalid", r.invalid},
                           {"revision", r.revision}, {"errors", errors}};
  const RegistryChanges& c = r.changes;
  counts["changes"] = {{"enterprises_stopped", c.enterprises_stopped},
                       {"enterprises_reactivated", c.enterprises_reactivated},
                       {"functions_added", c.functions_added},
                       {"functions_ended", c.functions_ended},
                       {"facilities_closed", c.facilities_closed},
                       {"facilities_reopened", c.facilities_reopened},
                       {"facilities_moved", c.facilities_moved}};
  nlohmann::json impact = nlohmann::json::array();
  for (const AccessImpact& i : r.impact) {
    impact.push_back({{"application", i.application},
                      {"lose", i.lose},
                      {"gain", i.gain},
                      {"losing", i.losing},
                      {"gaining", i.gaining}});
  }
  counts["impact"] = std::move(impact);
  counts["dry_run"] = r.dry_run;
  if (!r.extract_type.empty()) {
    counts["extract"] = {{"number", r.extract_number},
                         {"type", r.extract_type},
                         {"already_applied", r.already_applied},
                         {"other_files", r.other_files}};
  }
  if (!ctx.json) {
    const size_t shown = std::min<size_t>(r.errors.size(), 50);
    for (size_t i = 0; i < shown; ++i) {
      const RowError& e = r.errors[i];
      std::cerr << TextLine(
          fmt::format("{}:{}: {}: {}", e.file, e.line, e.code, e.message));
    }
    if (r.invalid > shown) {
      std::cerr << fmt::format(
          "... and {} more bad rows (--json lists up to "
          "{})\n",
          r.invalid - shown, ImportReport::kMaxListedErrors);
    }
  }
  if (!status.ok()) return ctx.Fail(status, counts);
  counts["ok"] = true;
  std::vector<std::string> text = {
      r.dry_run
          ? fmt::format("dry run of import {}: {} rows, {} would be "
                        "inserted, {} updated, {} unchanged, {} ignored, {} "
                        "invalid; nothing was written",
                        what, r.rows, r.inserted, r.updated, r.unchanged,
                        r.ignored, r.invalid)
          : fmt::format("imported {}: {} rows, {} inserted, {} updated, {} "
                        "unchanged, {} ignored, {} invalid{}",
                        what, r.rows, r.inserted, r.updated, r.unchanged,
                        r.ignored, r.invalid,
                        r.revision ? fmt::format("; revision {}", r.revision)
                                   : std::string("; nothing changed"))};
  if (!r.extract_type.empty()) {
    text.push_back(fmt::format(
        "KBO Open Data {} extract {}{}; {} other files ignored", r.extract_type,
        r.extract_number,
        r.already_applied ? " was applied before: nothing to do" : "",
        r.other_files));
  }
  if (c.total() > 0) {
    text.push_back(fmt::format(
        "registry changes: {} enterprises stopped, {} active again; {} "
        "functions added, {} ended; {} facilities closed, {} reopened, {} "
        "moved (each in the audit log)",
        c.enterprises_stopped, c.enterprises_reactivated, c.functions_added,
        c.functions_ended, c.facilities_closed, c.facilities_reopened,
        c.facilities_moved));
  }
  for (const AccessImpact& i : r.impact) {
    text.push_back(fmt::format("impact on {}: {} persons lose access, {} gain",
                               i.application, i.lose, i.gain));
    if (i.lose > 0) {
      text.push_back("  losing: " + MaskedList(i.losing, i.lose));
    }
    if (i.gain > 0) {
      text.push_back("  gaining: " + MaskedList(i.gaining, i.gain));
    }
  }
  ctx.Print(counts, text);
  return kExitOk;
}

// The database as init names it back: a PostgreSQL connection URI with
// its password (in user:PASSWORD@ or a password=... parameter) as ***, so
// that a terminal, a log or a CI transcript never shows it.
std::string DbForDisplay(const std::string& db) {
  static const std::regex kUserinfo(R"(^(postgres(?:ql)?://[^:@/]*:)[^@/]*@)");
  static const std::regex kParameter(R"(([?&]password=)[^&]*)");
  return std::regex_replace(std::regex_replace(db, kUserinfo, "$1***@"),
                            kParameter, "$1***");
}

}  // namespace

int RunInit(const Context& ctx) {
  ParseArgs(ctx);
  int code = kExitOk;
  std::unique_ptr<Engine> engine = ctx.OpenEngine(true, &code);
  if (!engine) return code;
  ctx.Print({{"ok", true},
             {"db", DbForDisplay(ctx.db_path)},
             {"revision", engine->revision()}},
            {fmt::format("ok: {} is ready (revision {})",
                         DbForDisplay(ctx.db_path), engine->revision())});
  return kExitOk;
}

CommandOptions ImportCommandOptions(const std::string& what) {
  CommandOptions spec;
  po::options_description& desc = spec.options;
  if (what == "kbo") {
    desc.add_options()("enterprises",
                       po::value<std::string>()->value_name("FILE"),
                       "the KBO's enterprise.csv")(
        "denominations", po::value<std::string>()->value_name("FILE"),
        "the KBO's denomination.csv (the enterprises' names)");
  } else if (what == "kbo-open-data") {
    desc.add_options()("path", po::value<std::string>()->value_name("PATH"),
                       "the extract: its zip, or the folder it was unpacked "
                       "into")(
        "force", "apply an update extract although earlier ones are missing");
    spec.operands.add("path", 1);
  } else {
    desc.add_options()("file", po::value<std::string>()->value_name("FILE"),
                       "the CSV file");
    spec.operands.add("file", 1);
    if (what != "persons") {
      desc.add_options()("full",
                         what == "functions"
                             ? "the file is the whole registry: a function it "
                               "does not list ends"
                             : "the file is the whole registry: a facility it "
                               "does not list closes");
    }
  }
  desc.add_options()("skip-invalid", "load the good rows, report the bad ones")(
      "dry-run",
      "validate and report what would change and who would lose or gain "
      "access; write nothing");
  return spec;
}

int RunImport(const Context& ctx, const std::string& what) {
  po::variables_map vm = ParseArgs(ctx);
  ImportOptions options;
  options.skip_invalid = vm.count("skip-invalid") > 0;
  options.full = vm.count("full") > 0;
  options.dry_run = vm.count("dry-run") > 0;
  int code = kExitOk;
  ImportReport report;
  Status status;
  options.force = vm.count("force") > 0;
  if (what == "kbo-open-data") {
    std::unique_ptr<Engine> engine = ctx.OpenEngine(false, &code);
    if (!engine) return code;
    options.progress = ProgressBar(ctx, "KBO Open Data");
    status = engine->ImportKboOpenData(vm["path"].as<std::string>(), options,
                                       &report);
  } else if (what == "kbo") {
    std::unique_ptr<Engine> engine = ctx.OpenEngine(false, &code);
    if (!engine) return code;
    options.progress = ProgressBar(ctx, "KBO");
    status =
        engine->ImportKbo(vm["enterprises"].as<std::string>(),
                          TextOption(vm, "denominations"), options, &report);
  } else {
    std::unique_ptr<Engine> engine = ctx.OpenEngine(false, &code);
    if (!engine) return code;
    const std::string file = vm["file"].as<std::string>();
    options.progress = ProgressBar(ctx, what);
    if (what == "persons") {
      status = engine->ImportPersons(file, options, &report);
    } else if (what == "functions") {
      status = engine->ImportFunctions(file, options, &report);
    } else {
      status = engine->ImportFacilities(file, options, &report);
    }
  }
  return Report(ctx, what, status, report);
}

}  // namespace toegang::cli
