#include "cli_context.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdint>
#include <iostream>
#include <string>
#include <string_view>

#include "command_table.h"
#include "toegang/error_text.h"
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

std::string Context::ErrorText(const Status& status) const {
  const std::string_view dutch =
      lang == "nl" ? DutchErrorText(status.code()) : std::string_view();
  if (dutch.empty()) return status.code() + ": " + status.message();
  return status.code() + ": " + std::string(dutch) +
         "\n  details: " + status.message();
}

int Context::Fail(const Status& status, const nlohmann::json& extra) const {
  if (json) {
    nlohmann::json j = {{"error", status.code()},
                        {"message", status.message()}};
    const std::string_view dutch = DutchErrorText(status.code());
    if (lang == "nl" && !dutch.empty()) j["message_nl"] = dutch;
    j.update(extra);
    std::cout << JsonLine(j);
  } else {
    std::cerr << TextLine("toegang: " + ErrorText(status));
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

namespace {

// The name under which ParseArgs collects the words that stand without an
// option name beyond the command's operands (no command has an option of
// this name; typed as an option it is unknown).
constexpr const char* kStray = "(stray)";

std::vector<std::string> LongNames(const po::options_description& options) {
  std::vector<std::string> names;
  for (const auto& o : options.options()) names.push_back(o->long_name());
  return names;
}

std::string HelpHint(const Context& ctx) {
  return " (toegang " + ctx.command_path + " --help)";
}

// A word without an option name: probably the value of a required option
// that was left out ("import kbo ent.csv": --enterprises).
[[noreturn]] void StrayWord(const Context& ctx, const CommandOptions& spec,
                            const po::variables_map& vm,
                            const std::string& word) {
  std::string message = "`" + word + "` stands without an option name";
  std::string missing;
  if (ctx.command != nullptr) {
    for (const std::string& r : ctx.command->required) {
      const po::option_description* o = spec.options.find_nothrow(r, false);
      if (!vm.count(r) && o != nullptr && o->semantic()->max_tokens() > 0) {
        missing = r;
        break;
      }
    }
  }
  if (!missing.empty()) {
    message += "; did you mean `--" + missing + " " + word + "`?";
  } else if (spec.operands.max_total_count() == 0) {
    message += ", and `" + ctx.command_path +
               "` takes every value after the name of its option";
  } else {
    message += ", and `" + ctx.command_path + "` takes no more operands";
  }
  throw UsageError{message + HelpHint(ctx)};
}

}  // namespace

po::variables_map ParseArgs(const Context& ctx, const CommandOptions& spec) {
  po::options_description all("");
  all.add(spec.options);
  all.add_options()(kStray, po::value<std::vector<std::string>>());
  po::positional_options_description operands = spec.operands;
  operands.add(kStray, -1);
  po::variables_map vm;
  try {
    po::parsed_options parsed = po::command_line_parser(ctx.args)
                                    .options(all)
                                    .positional(operands)
                                    .run();
    std::vector<std::string> stray;
    for (const po::option& o : parsed.options) {
      if (o.string_key != kStray) continue;
      if (o.position_key < 0) {
        throw po::unknown_option(o.original_tokens.empty()
                                     ? std::string(kStray)
                                     : o.original_tokens.front());
      }
      stray.insert(stray.end(), o.value.begin(), o.value.end());
    }
    std::erase_if(parsed.options,
                  [](const po::option& o) { return o.string_key == kStray; });
    po::store(parsed, vm);
    po::notify(vm);
    if (!stray.empty()) StrayWord(ctx, spec, vm, stray.front());
  } catch (const po::unknown_option& e) {
    const std::string name = e.get_option_name();
    std::string bare = name;
    while (!bare.empty() && bare.front() == '-') bare.erase(0, 1);
    const std::string suggestion =
        Suggest(bare.substr(0, bare.find('=')), LongNames(spec.options));
    throw UsageError{
        "`" + name + "` is not an option of `" + ctx.command_path + "`" +
        (suggestion.empty() ? "" : "; did you mean `--" + suggestion + "`?") +
        HelpHint(ctx)};
  } catch (const po::ambiguous_option& e) {
    std::string choices;
    for (const std::string& a : e.alternatives()) {
      choices += (choices.empty() ? "--" : ", --") + a;
    }
    throw UsageError{"`" + e.get_option_name() + "` could be " + choices +
                     ": write the option in full" + HelpHint(ctx)};
  } catch (const po::multiple_occurrences& e) {
    throw UsageError{"`" + e.get_option_name() +
                     "` is given more than once: give it once" + HelpHint(ctx)};
  } catch (const po::invalid_command_line_syntax& e) {
    if (e.kind() == po::invalid_syntax::missing_parameter) {
      throw UsageError{"`" + e.get_option_name() + "` needs a value" +
                       HelpHint(ctx)};
    }
    throw UsageError{"`" + e.get_option_name() + "`: " + e.what() +
                     HelpHint(ctx)};
  } catch (const po::error& e) {
    throw UsageError{std::string("cannot read the options of `") +
                     ctx.command_path + "`: " + e.what() + HelpHint(ctx)};
  }
  return vm;
}

po::variables_map ParseArgs(const Context& ctx) {
  const Command& command = *ctx.command;
  const CommandOptions spec =
      command.options ? command.options() : CommandOptions();
  po::variables_map vm = ParseArgs(ctx, spec);
  std::string missing;
  for (const std::string& r : command.required) {
    if (vm.count(r)) continue;
    const bool operand = [&] {
      for (unsigned i = 0; i < spec.operands.max_total_count() && i < 16; ++i) {
        if (spec.operands.name_for_position(i) == r) return true;
      }
      return false;
    }();
    std::string what = "--" + r;
    if (operand) {
      const po::option_description* o = spec.options.find_nothrow(r, false);
      what = o != nullptr ? o->semantic()->name() : r;
    }
    missing += (missing.empty() ? "" : " and ") + what;
  }
  if (!missing.empty()) {
    throw UsageError{ctx.command_path + " needs " + missing + HelpHint(ctx)};
  }
  return vm;
}

CommandOptions NoCommandOptions() { return {}; }

std::string TextOption(const po::variables_map& vm, const std::string& name) {
  return vm.count(name) ? vm[name].as<std::string>() : std::string();
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
