// init and the registry imports.
#include <fmt/format.h>

#include <iostream>

#include "cli_context.h"

namespace toegang::cli {
namespace {

namespace po = boost::program_options;

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
  ctx.Print(counts,
            {fmt::format("imported {}: {} rows, {} inserted, {} updated, {} "
                         "unchanged, {} ignored, {} invalid{}",
                         what, r.rows, r.inserted, r.updated, r.unchanged,
                         r.ignored, r.invalid,
                         r.revision ? fmt::format("; revision {}", r.revision)
                                    : std::string("; nothing changed"))});
  return kExitOk;
}

}  // namespace

int RunInit(const Context& ctx) {
  ParseArgs(ctx, po::options_description("init"));
  int code = kExitOk;
  std::unique_ptr<Engine> engine = ctx.OpenEngine(true, &code);
  if (!engine) return code;
  ctx.Print(
      {{"ok", true}, {"db", ctx.db_path}, {"revision", engine->revision()}},
      {fmt::format("ok: {} is ready (revision {})", ctx.db_path,
                   engine->revision())});
  return kExitOk;
}

int RunImport(const Context& ctx, const std::string& what) {
  po::options_description desc("import options");
  desc.add_options()("skip-invalid", "load the good rows, report the bad ones");
  po::positional_options_description pos;
  if (what == "kbo") {
    desc.add_options()("enterprises", po::value<std::string>(),
                       "KBO enterprise.csv")(
        "denominations", po::value<std::string>(), "KBO denomination.csv");
  } else if (what == "persons" || what == "functions" || what == "facilities") {
    desc.add_options()("file", po::value<std::string>(), "the CSV file");
    pos.add("file", 1);
  } else {
    throw UsageError{
        "import what? kbo, persons, functions or facilities (not `" + what +
        "`)"};
  }
  po::variables_map vm = ParseArgs(ctx, desc, &pos);
  ImportOptions options;
  options.skip_invalid = vm.count("skip-invalid") > 0;
  int code = kExitOk;
  ImportReport report;
  Status status;
  if (what == "kbo") {
    if (!vm.count("enterprises")) {
      throw UsageError{"import kbo needs --enterprises FILE"};
    }
    std::unique_ptr<Engine> engine = ctx.OpenEngine(false, &code);
    if (!engine) return code;
    options.progress = ProgressBar(ctx, "KBO");
    status = engine->ImportKbo(
        vm["enterprises"].as<std::string>(),
        vm.count("denominations") ? vm["denominations"].as<std::string>() : "",
        options, &report);
  } else {
    if (!vm.count("file")) throw UsageError{"import " + what + " needs FILE"};
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
