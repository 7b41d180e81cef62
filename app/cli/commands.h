// The nnstudio-cli subcommands. Each add_* registers one subcommand and its action on `app`;
// actions throw nnstudio::Error for bad input, which run_cli turns into a one-line message.
#pragma once
#include <CLI/CLI.hpp>

namespace nnstudio::cli {

void add_summary_command(CLI::App& app);
void add_init_command(CLI::App& app);
void add_forward_command(CLI::App& app);
void add_convert_command(CLI::App& app);
void add_export_command(CLI::App& app);
void add_train_command(CLI::App& app);
void add_bench_command(CLI::App& app);
void add_initlab_command(CLI::App& app);
void add_compare_modes_command(CLI::App& app);
void add_gradients_command(CLI::App& app);
void add_check_command(CLI::App& app);
void add_compare_runs_command(CLI::App& app);
void add_devices_command(CLI::App& app);

}  // namespace nnstudio::cli
