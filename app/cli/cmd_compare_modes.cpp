// nnstudio-cli compare-modes: one batch through the model in train mode and in eval mode, side by
// side (loss, accuracy, output difference, BatchNorm statistics, Dropout masks).
#include "cli/commands.h"
#include "cli/teach_batch_options.h"
#include "teach/mode_compare.h"
#include "teach/pitfalls.h"
#include "teach/teach_json.h"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>

namespace nnstudio::cli {
namespace {

struct CompareArgs {
    TeachBatchOptions batch{64};
    bool json = false;
};

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", v);
    return buf;
}

void print_comparison(const teach::ModeComparison& c) {
    std::cout << "            train mode   eval mode\n"
              << "loss        " << num(c.train.loss) << std::string(13 - std::min<size_t>(12, num(c.train.loss).size()), ' ')
              << num(c.eval.loss) << "\n"
              << "accuracy    " << num(c.train.accuracy) << std::string(13 - std::min<size_t>(12, num(c.train.accuracy).size()), ' ')
              << num(c.eval.accuracy) << "\n"
              << "output |train - eval|: max " << num(c.max_abs_output_diff) << ", mean " << num(c.mean_abs_output_diff) << "\n";
    for (const auto& bn : c.batch_norms)
        std::cout << "BatchNorm1d " << bn.path << " (" << bn.batch_mean.size() << " features): |batch mean - running mean| "
                  << "mean " << num(bn.mean_abs_mean_diff) << " max " << num(bn.max_abs_mean_diff)
                  << "; |batch var - running var| mean " << num(bn.mean_abs_var_diff) << " max " << num(bn.max_abs_var_diff) << "\n";
    for (const auto& d : c.dropouts)
        std::cout << "Dropout " << d.path << " (p=" << num(d.p) << "): dropped " << num(100 * d.dropped_fraction)
                  << "% of the units in train mode, none in eval mode\n";
    if (c.batch_norms.empty() && c.dropouts.empty())
        std::cout << "no BatchNorm1d or Dropout: train and eval mode compute the same function\n";
}

}  // namespace

void add_compare_modes_command(CLI::App& app) {
    auto a = std::make_shared<CompareArgs>();
    CLI::App* cmd = app.add_subcommand("compare-modes", "Run one batch in train mode and in eval mode and compare");
    a->batch.add_to(*cmd, "Samples in the batch (default 64; 1 shows BatchNorm's refusal)");
    cmd->add_flag("--json", a->json, "Print the whole comparison as JSON");
    cmd->callback([a] {
        TeachBatchOptions::Prepared p = a->batch.prepare();
        const teach::ModeComparison c =
            teach::compare_modes(p.model, p.data.batches.front(), teach::training_setup_of(a->batch.model.load_spec()).loss);
        if (a->json) std::cout << teach::to_json(c).dump(2) << "\n";
        else {
            std::cout << p.model.name() << " on " << p.data.description << "\n";
            print_comparison(c);
        }
    });
}

}  // namespace nnstudio::cli
