// The `toegang` executable: the CLI of main.cc behind main().
#include <csignal>

#include "cli_context.h"

int main(int argc, char** argv) {
  // A write past the file-size limit (ulimit -f, RLIMIT_FSIZE) then fails
  // with EFBIG, which SQLite and the generator report as io_error (exit 4),
  // instead of SIGXFSZ killing the process halfway through a write.
  std::signal(SIGXFSZ, SIG_IGN);
  return toegang::cli::RunToegang(argc, argv);
}
