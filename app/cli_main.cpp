// nnstudio-cli entry point.
#include "cli/cli.h"
#include "register_backends.h"

int main(int argc, char** argv) {
    nnstudio::register_builtin_backends();
    return nnstudio::cli::run_cli(argc, argv);
}
