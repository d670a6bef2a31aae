// The `toegang` executable: the CLI of main.cc behind main().
#include "cli_context.h"

int main(int argc, char** argv) { return toegang::cli::RunToegang(argc, argv); }
