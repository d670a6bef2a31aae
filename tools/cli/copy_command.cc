// copy --from SRC --to DST: a federation with its whole audit log and
// history copied between SQLite and PostgreSQL (toegang/copy.h), verified
// after.
#include <fmt/format.h>

#include "cli_context.h"
#include "toegang/copy.h"

namespace toegang::cli {

namespace po = boost::program_options;

CommandOptions CopyCommandOptions() {
  CommandOptions spec;
  spec.options.add_options()(
      "from", po::value<std::string>()->value_name("DB"),
      "the database to copy: a file or a postgresql:// URI (default: --db)")(
      "to", po::value<std::string>()->value_name("DB"),
      "the database to copy into: a new file, or an empty or new PostgreSQL "
      "database");
  return spec;
}

int RunCopy(const Context& ctx) {
  po::variables_map vm = ParseArgs(ctx);
  const std::string from =
      vm.count("from") ? vm["from"].as<std::string>() : ctx.db_path;
  const std::string to = vm["to"].as<std::string>();
  Result<CopyInfo> done = CopyFederation(from, to);
  if (!done.ok()) return ctx.Fail(done.status());
  ctx.Print({{"ok", true},
             {"revision", done->revision},
             {"tables", done->tables},
             {"rows", done->rows},
             {"verified", true}},
            {fmt::format("ok: copied revision {} ({} rows in {} tables, the "
                         "audit log included); read back equal",
                         done->revision, done->rows, done->tables)});
  return kExitOk;
}

}  // namespace toegang::cli
