// nnstudio-cli compare-runs: several run folders side by side — the settings that differ, the
// validation loss/accuracy of every epoch, and the final test metrics.
#include "cli/commands.h"
#include "train/run_history.h"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include "util/plural.h"

namespace nnstudio::cli {
namespace {

struct CompareRunsArgs {
    std::vector<std::string> runs;
    bool json = false;
};

constexpr int kKeyWidth = 28, kColumnWidth = 20;

std::string cell(const std::string& text, int width) {
    return text.size() >= static_cast<size_t>(width) ? text + " " : text + std::string(width - text.size(), ' ');
}

std::string num(double v, const char* format = "%.4f") {
    char buf[32];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

std::string percent(const train::EvalMetrics& m) { return m.has_accuracy ? num(100 * m.accuracy, "%.1f%%") : "-"; }  // "-": regression

void print_header(const std::vector<train::RunHistory>& runs, const std::string& first) {
    std::cout << cell(first, kKeyWidth);
    for (size_t i = 0; i < runs.size(); ++i) std::cout << cell("run " + std::to_string(i + 1), kColumnWidth);
    std::cout << "\n";
}

void print_comparison(const std::vector<train::RunHistory>& runs) {
    for (size_t i = 0; i < runs.size(); ++i) {
        const auto& r = runs[i];
        std::cout << "run " << i + 1 << ": " << r.path << " (" << r.model_name << ", " << plural(static_cast<int64_t>(r.epochs.size()), "epoch") << ", "
                  << (r.final ? r.final->status : "unfinished") << ")\n";
    }
    const auto diffs = train::differing_settings(runs);
    std::cout << "\n";
    if (diffs.empty()) std::cout << "settings: all equal\n";
    else {
        print_header(runs, "setting");
        for (const auto& d : diffs) {
            std::cout << cell(d.key, kKeyWidth);
            for (const auto& v : d.values) std::cout << cell(v, kColumnWidth);
            std::cout << "\n";
        }
    }
    size_t epochs = 0;
    for (const auto& r : runs)
        for (const auto& e : r.epochs) epochs = std::max(epochs, static_cast<size_t>(e.epoch) + 1);
    std::cout << "\n";
    print_header(runs, "epoch: val loss / accuracy");
    for (size_t e = 0; e < epochs; ++e) {
        std::cout << cell(std::to_string(e + 1), kKeyWidth);
        for (const auto& r : runs) {
            const auto it = std::find_if(r.epochs.begin(), r.epochs.end(), [&](const auto& x) { return x.epoch == static_cast<int>(e); });
            std::cout << cell(it == r.epochs.end() ? "-" : num(it->val.loss) + " / " + percent(it->val), kColumnWidth);
        }
        std::cout << "\n";
    }
    std::cout << cell("test loss / accuracy", kKeyWidth);
    for (const auto& r : runs)
        std::cout << cell(r.final ? num(r.final->test.loss) + " / " + percent(r.final->test) : "-", kColumnWidth);
    std::cout << "\n";
    for (const auto& r : runs)
        for (const auto& note : r.notes) std::cout << "note: " << note << "\n";
}

}  // namespace

void add_compare_runs_command(CLI::App& app) {
    auto a = std::make_shared<CompareRunsArgs>();
    CLI::App* cmd = app.add_subcommand("compare-runs", "Compare training runs: differing settings, per-epoch validation, test metrics");
    cmd->add_option("runs", a->runs, "Run folders written by train --out (two or more)")->required()->expected(2, -1);
    cmd->add_flag("--json", a->json, "Print the runs and their differing settings as JSON");
    cmd->callback([a] {
        std::vector<train::RunHistory> runs;
        for (const auto& path : a->runs) runs.push_back(train::read_run_history(path));
        if (!a->json) return print_comparison(runs);
        nlohmann::json out = {{"runs", nlohmann::json::array()}, {"differing_settings", nlohmann::json::array()}};
        for (const auto& r : runs) out["runs"].push_back(train::to_json(r));
        for (const auto& d : train::differing_settings(runs)) out["differing_settings"].push_back({{"key", d.key}, {"values", d.values}});
        std::cout << out.dump(2) << "\n";
    });
}

}  // namespace nnstudio::cli
