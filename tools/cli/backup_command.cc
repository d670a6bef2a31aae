// backup FILE: a consistent copy of the database while services run
// (toegang/backup.h); restoring is putting the file back (docs/cli.md).
#include <fmt/format.h>

#include "cli_context.h"
#include "toegang/backup.h"

namespace toegang::cli {

namespace po = boost::program_options;

CommandOptions BackupCommandOptions() {
  CommandOptions spec;
  spec.options.add_options()("file",
                             po::value<std::string>()->value_name("FILE"),
                             "the new file to write (never overwritten)");
  spec.operands.add("file", 1);
  return spec;
}

int RunBackup(const Context& ctx) {
  po::variables_map vm = ParseArgs(ctx);
  const std::string file = vm["file"].as<std::string>();
  Result<BackupInfo> done = BackupDatabase(ctx.db_path, file);
  if (!done.ok()) return ctx.Fail(done.status());
  ctx.Print(
      {{"ok", true},
       {"file", file},
       {"revision", done->revision},
       {"bytes", done->bytes}},
      {fmt::format("ok: {} holds revision {} ({:.1f} MB)", file, done->revision,
                   static_cast<double>(done->bytes) / 1e6)});
  return kExitOk;
}

}  // namespace toegang::cli
