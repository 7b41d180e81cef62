// nnstudio-cli gradients: the gradient inspector — per-parameter gradient statistics after one
// backward pass, ReLU activity, and vanishing/exploding/dead-ReLU flags with explanations.
#include "cli/commands.h"
#include "cli/model_options.h"
#include "teach/gradient_report.h"
#include "teach/teach_json.h"
#include "teach/teach_model.h"

#include <cstdio>
#include <iostream>
#include <memory>

namespace nnstudio::cli {
namespace {

struct GradientArgs {
    ModelOptions model;
    teach::ModelSource source;
    std::string data;
    int64_t batch_size = 128;
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
    a->model.add_to(*cmd);
    cmd->add_option("--weights", a->source.weights, "state_dict file (.pth or .safetensors); default: initialise");
    cmd->add_option("--init", a->source.scheme, "Init lab scheme instead of the file's init (see initlab --schemes)");
    cmd->add_option("--seed", a->source.seed, "Seed of the initialisation, Dropout and the batch (default 0)");
    cmd->add_option("--data", a->data, "Data source (fashion-mnist, spirals, PATH.csv, ...); default: N(0,1) inputs");
    cmd->add_option("--batch-size", a->batch_size, "Samples in the batch (default 128)");
    cmd->add_flag("--json", a->json, "Print the whole report as JSON");
    cmd->callback([a] {
        spec::FlagValues flags;
        for (const auto& f : a->model.flags) flags.insert(spec::parse_flag_assignment(f));
        nn::Model model = teach::prepare_model(a->model.load_spec(), flags, a->source);
        const teach::TeachData data = teach::load_teach_data(model, a->data, a->batch_size, 1, a->source.seed);
        const teach::GradientReport r = teach::gradient_report(model, data.batches.front());
        if (a->json) std::cout << teach::to_json(r).dump(2) << "\n";
        else print_report(r);
    });
}

}  // namespace nnstudio::cli
