// nnstudio-cli command table and error handling: any bad input ends in one line on stderr.
#include "cli/cli.h"

#include "cli/commands.h"
#include "error.h"

#include <CLI/CLI.hpp>
#include <iostream>

namespace nnstudio::cli {
namespace {

// Multi-line engine messages (e.g. a state_dict report) become one line for scripts and logs.
std::string one_line(std::string text) {
    std::string out;
    for (char c : text) {
        if (c == '\n') out += ' ';
        else if (c != '\t') out += c;
    }
    return out;
}

}  // namespace

int run_cli(int argc, char** argv) {
    CLI::App app{"NN Studio headless engine: inspect, initialise, run and convert PyTorch-style models"};
    app.name("nnstudio-cli");
    app.require_subcommand(1);
    add_summary_command(app);
    add_init_command(app);
    add_forward_command(app);
    add_convert_command(app);
    add_export_command(app);
    add_train_command(app);
    add_bench_command(app);
    add_initlab_command(app);
    add_compare_modes_command(app);
    add_gradients_command(app);
    add_check_command(app);
    add_compare_runs_command(app);
    add_devices_command(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const nnstudio::Error& e) {
        std::cerr << "nnstudio-cli: error: " << one_line(e.what()) << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "nnstudio-cli: internal error: " << one_line(e.what()) << " (please report this)\n";
        return 2;
    }
    return 0;
}

}  // namespace nnstudio::cli
