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

// The deepest subcommand the command line reached: its --help is the one to point to.
std::string command_path(const CLI::App& app) {
    std::string path = app.get_name();
    const CLI::App* at = &app;
    for (;;) {
        const std::vector<const CLI::App*> parsed = at->get_subcommands([](const CLI::App* s) { return s->parsed(); });
        if (parsed.empty()) return path;
        at = parsed.front();
        path += " " + at->get_name();
    }
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
    } catch (const CLI::Success& e) {  // --help: CLI11 prints it
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        // A usage error, as argparse reports one: the reason, where to read more, exit code 2.
        std::cerr << "nnstudio-cli: error: " << one_line(e.what()) << "\n"
                  << "nnstudio-cli: run '" << command_path(app) << " --help' for the options\n";
        return kExitUsage;
    } catch (const nnstudio::Error& e) {
        std::cerr << "nnstudio-cli: error: " << one_line(e.what()) << "\n";
        return kExitBadInput;
    } catch (const std::exception& e) {
        std::cerr << "nnstudio-cli: internal error: " << one_line(e.what()) << " (please report this)\n";
        return kExitInternal;
    }
    return 0;
}

}  // namespace nnstudio::cli
