// nnstudio-cli command table and error handling: any bad input ends in one line on stderr.
#include "cli/cli.h"

#include "cli/commands.h"
#include "error.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <vector>

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

// Levenshtein distance, for "did you mean" on a mistyped command.
size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            const size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = up;
        }
    }
    return row[b.size()];
}

// "summary, init, ..." and, for `word`, " (did you mean 'train'?)" when a command is 2 edits away or fewer.
std::string commands_and_nearest(const CLI::App& app, const std::string& word) {
    std::string list, nearest;
    size_t best = 3;
    for (const CLI::App* sub : app.get_subcommands({})) {
        list += (list.empty() ? "" : ", ") + sub->get_name();
        if (const size_t d = edit_distance(word, sub->get_name()); d < best) best = d, nearest = sub->get_name();
    }
    return list + (nearest.empty() ? "" : "; did you mean '" + nearest + "'?");
}

// CLI11's wording where it says less than it knows: a missing value ("--epochs: 1 required
// INT:INT in [1 - 100000] missing"), a missing positional ("out is required"), no command.
std::string usage_message(const CLI::App& app, const CLI::ParseError& e) {
    const std::string what = e.what();
    const std::string name = what.substr(0, what.find(':'));
    if (dynamic_cast<const CLI::ArgumentMismatch*>(&e) && what.find(" required ") != std::string::npos &&
        what.ends_with(" missing"))
        return name + " needs a value";
    if (dynamic_cast<const CLI::RequiredError*>(&e)) {
        if (what == "A subcommand is required") return "give a command: " + commands_and_nearest(app, "");
        const std::string missing = what.substr(0, what.size() - std::string(" is required").size());
        if (what.ends_with(" is required") && !missing.starts_with('-')) {
            const CLI::App* at = &app;
            for (std::vector<const CLI::App*> p; !(p = at->get_subcommands([](const CLI::App* s) { return s->parsed(); })).empty();)
                at = p.front();
            const CLI::Option* o = at->get_option_no_throw(missing);
            return "missing the argument '" + missing + "'" + (o ? " (" + o->get_description() + ")" : "");
        }
    }
    return what;
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
        // A mistyped command would otherwise read as none at all ("A subcommand is required").
        const auto named = [&](const CLI::App* sub) { return sub->check_name(argv[1]); };
        if (argc > 1 && argv[1][0] != '-' && app.get_subcommands(named).empty())
            throw CLI::ExtrasError("unknown command '" + std::string(argv[1]) + "'; the commands are " +
                                   commands_and_nearest(app, argv[1]),
                                 CLI::ExitCodes::ExtrasError);
        app.parse(argc, argv);
    } catch (const CLI::Success& e) {  // --help: CLI11 prints it
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        // A usage error, as argparse reports one: the reason, where to read more, exit code 2.
        std::cerr << "nnstudio-cli: error: " << one_line(usage_message(app, e)) << "\n"
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
