#include "cli_context.h"

#include <iostream>

namespace toegang::cli {

namespace po = boost::program_options;

int ExitCodeFor(const Status& status) {
  switch (status.kind()) {
    case Status::Kind::kOk: return kExitOk;
    case Status::Kind::kInvalidInput: return kExitUsage;
    case Status::Kind::kRefused: return kExitRefused;
    case Status::Kind::kStorage: return kExitStorage;
  }
  return kExitStorage;
}

std::unique_ptr<Engine> Context::OpenEngine(bool create, int* exit_code) const {
  OpenOptions options;
  options.create_if_missing = create;
  Result<std::unique_ptr<Engine>> engine = Engine::Open(db_path, options);
  if (!engine.ok()) {
    *exit_code = Fail(engine.status());
    return nullptr;
  }
  return std::move(engine).value();
}

int Context::Fail(const Status& status, const nlohmann::json& extra) const {
  if (json) {
    nlohmann::json j = {{"error", status.code()}, {"message", status.message()}};
    j.update(extra);
    std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
              << "\n";
  } else {
    std::cerr << "toegang: " << status.code() << ": " << status.message()
              << "\n";
  }
  return ExitCodeFor(status);
}

void Context::Print(const nlohmann::json& object,
                    const std::vector<std::string>& text) const {
  if (json) {
    std::cout << object.dump(-1, ' ', false,
                             nlohmann::json::error_handler_t::replace)
              << "\n";
    return;
  }
  for (const std::string& line : text) std::cout << line << "\n";
}

po::variables_map ParseArgs(const Context& ctx,
                            const po::options_description& options,
                            const po::positional_options_description* pos) {
  po::variables_map vm;
  try {
    po::command_line_parser parser(ctx.args);
    parser.options(options);
    if (pos != nullptr) parser.positional(*pos);
    po::store(parser.run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError{e.what()};
  }
  return vm;
}

}  // namespace toegang::cli
