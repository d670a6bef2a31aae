#include "cli_context.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdint>
#include <iostream>
#include <string>
#include <string_view>

#include "toegang/identifiers.h"
#include "toegang/text.h"

namespace toegang::cli {

namespace po = boost::program_options;

int ExitCodeFor(const Status& status) {
  switch (status.kind()) {
    case Status::Kind::kOk:
      return kExitOk;
    case Status::Kind::kInvalidInput:
      return kExitUsage;
    case Status::Kind::kRefused:
      return kExitRefused;
    case Status::Kind::kStorage:
      return kExitStorage;
  }
  return kExitStorage;
}

std::unique_ptr<Engine> Context::OpenEngine(bool create, int* exit_code) const {
  OpenOptions options;
  options.create_if_missing = create;
  // One command, then exit: with a current index snapshot a check needs no
  // graph, and a query needs no second model instance.
  options.mode = OpenMode::kOneShot;
  Result<std::unique_ptr<Engine>> engine = Engine::Open(db_path, options);
  if (!engine.ok()) {
    *exit_code = Fail(engine.status());
    return nullptr;
  }
  return std::move(engine).value();
}

std::string JsonLine(const nlohmann::json& object) {
  return JsonDisplaySafe(object.dump(
             -1, ' ', false, nlohmann::json::error_handler_t::replace)) +
         "\n";
}

std::string TextLine(std::string_view line) {
  DisplayOptions layout;
  layout.keep_layout = true;
  return DisplayText(line, layout) + "\n";
}

int Context::Fail(const Status& status, const nlohmann::json& extra) const {
  if (json) {
    nlohmann::json j = {{"error", status.code()},
                        {"message", status.message()}};
    j.update(extra);
    std::cout << JsonLine(j);
  } else {
    std::cerr << TextLine("toegang: " + status.code() + ": " +
                          status.message());
  }
  return ExitCodeFor(status);
}

void Context::Print(const nlohmann::json& object,
                    const std::vector<std::string>& text) const {
  if (json) {
    std::cout << JsonLine(object);
    return;
  }
  for (const std::string& line : text) std::cout << TextLine(line);
}

std::function<void(uint64_t, uint64_t)> ProgressBar(const Context& ctx,
                                                    const std::string& label) {
  if (ctx.json || !::isatty(STDERR_FILENO)) return nullptr;
  return [label](uint64_t done, uint64_t total) {
    const int pct = total == 0 ? 100 : static_cast<int>(done * 100 / total);
    const int width = 30;
    const int filled = pct * width / 100;
    std::cerr << fmt::format(
                     "\r{:<24} [{}{}] {:3}%", label,
                     std::string(static_cast<size_t>(filled), '#'),
                     std::string(static_cast<size_t>(width - filled), ' '), pct)
              << (done >= total ? "\n" : "") << std::flush;
  };
}

po::variables_map ParseArgs(const Context& ctx,
                            const po::options_description& options,
                            const po::positional_options_description* pos) {
  po::variables_map vm;
  try {
    po::command_line_parser parser(ctx.args);
    parser.options(options);
    // Always give a positional description (empty when the command takes
    // no operands): without one, Boost silently drops stray words, so
    // `user grant ... --right ama-wvg vipa` would ignore "vipa".
    static const po::positional_options_description kNone;
    parser.positional(pos != nullptr ? *pos : kNone);
    po::store(parser.run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError{e.what()};
  }
  return vm;
}

uint64_t UnsignedOption(const po::variables_map& vm, const std::string& name,
                        uint64_t fallback) {
  if (!vm.count(name)) return fallback;
  const std::string& text = vm[name].as<std::string>();
  const std::optional<uint64_t> value = ParseWholeNumber(text);
  if (!value) {
    throw UsageError{"--" + name + " takes a whole number 0 or more, not `" +
                     text + "`"};
  }
  return *value;
}

}  // namespace toegang::cli
