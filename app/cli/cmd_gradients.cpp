// nnstudio-cli gradients: the gradient inspector — per-parameter gradient statistics after one
// backward pass, ReLU activity, and vanishing/exploding/dead-ReLU flags with explanations.
#include "cli/commands.h"
#include "cli/teach_batch_options.h"
#include "teach/gradient_report.h"
#include "teach/pitfalls.h"
#include "teach/teach_json.h"

#include <cstdio>
#include <iostream>
#include <memory>

namespace nnstudio::cli {
namespace {

struct GradientArgs {
    TeachBatchOptions batch{128};
    bool json = false;
};

void print_report(const teach::GradientReport& r) {
    std::printf("loss %.6g\n%-28s %-12s %12s %12s %12s %12s\n", r.loss, "parameter", "shape", "grad mean", "grad std",
                "grad norm", "weight norm");
    for (const auto& p : r.params)
        std::printf("%-28s %-12s %12.4g %12.4g %12.4g %12.4g\n", p.name.c_str(), shape_to_string(p.shape).c_str(),
                    p.grad.mean, p.grad.std, p.grad_norm, p.weight_norm);
    for (const auto& a : r.relus)
        std::printf("ReLU %s: %.1f%% of %lld units never active on the batch\n", a.path.c_str(), 100 * a.dead_fraction,
                    static_cast<long long>(a.units));
    if (r.flags.empty()) std::printf("no gradient problems found\n");
    for (const auto& f : r.flags)
        std::printf("[%s] %s: %s\n  fix: %s\n", teach::to_string(f.kind).c_str(), f.target.c_str(), f.explanation.c_str(),
                    f.fix.c_str());
    std::fflush(stdout);
}

}  // namespace

void add_gradients_command(CLI::App& app) {
    auto a = std::make_shared<GradientArgs>();
    CLI::App* cmd = app.add_subcommand("gradients", "Inspect every parameter's gradient after one backward pass");
    a->batch.add_to(*cmd, "Samples in the batch (default 128)");
    cmd->add_flag("--json", a->json, "Print the whole report as JSON");
    cmd->callback([a] {
        TeachBatchOptions::Prepared p = a->batch.prepare();
        const teach::GradientReport r =
            teach::gradient_report(p.model, p.data.batches.front(), {}, teach::training_setup_of(a->batch.model.load_spec()).loss);
        if (a->json) std::cout << teach::to_json(r).dump(2) << "\n";
        else print_report(r);
    });
}

}  // namespace nnstudio::cli
