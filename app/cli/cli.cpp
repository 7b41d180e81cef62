// nnstudio-cli command table (subcommands are added as core grows).
#include "cli/cli.h"

#include <CLI/CLI.hpp>
#include <iostream>

namespace nnstudio::cli {

int run_cli(int argc, char** argv) {
    CLI::App app{"NN Studio headless engine"};
    app.require_subcommand(1);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    return 0;
}

}  // namespace nnstudio::cli
