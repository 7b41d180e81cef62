// nnstudio-cli entry point.
#include "cli/cli.h"

int main(int argc, char** argv) { return nnstudio::cli::run_cli(argc, argv); }
