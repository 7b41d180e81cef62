// nnstudio-cli initlab: the init lab — per-layer activation statistics of a model under several
// initialisation schemes side by side, optional loss curves, and a long-format CSV.
#include "cli/commands.h"
#include "cli/number_checks.h"
#include "cli/model_options.h"
#include "error.h"
#include "teach/init_lab.h"
#include "teach/init_lab_csv.h"
#include "teach/teach_json.h"
#include "util/atomic_file.h"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include "util/plural.h"

namespace nnstudio::cli {
namespace {

struct InitLabArgs {
    ModelOptions model;
    std::string schemes, data, csv, optimizer = "adam";
    int64_t batch_size = 128;
    uint64_t seed = 0;
    int train_steps = 0;
    double lr = 1e-3;
    bool json = false;
};

std::string cell(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%12.4g", v);
    return buf;
}

std::string padded(std::string s, size_t width) {
    if (s.size() < width) s.append(width - s.size(), ' ');
    return s;
}

// One column per scheme, one row per layer; `value` gives the cell text for a layer.
template <typename F>
void print_table(const teach::InitLabResult& r, const std::string& title, F value) {
    std::cout << "\n" << title << "\n" << padded("depth layer", 28);
    for (const auto& run : r.runs) std::cout << " " << padded(run.scheme.id.substr(0, 12), 12);
    std::cout << "\n";
    const auto& layers = r.runs.front().at_init.layers;
    for (size_t i = 0; i < layers.size(); ++i) {
        std::cout << padded(std::to_string(layers[i].depth) + "  " + layers[i].path + " " + layers[i].type, 28);
        for (const auto& run : r.runs) std::cout << " " << value(run.at_init.layers[i]);
        std::cout << "\n";
    }
}

void print_result(const teach::InitLabResult& r) {
    std::cout << "init lab: " << r.model_name << ", " << r.data_description << ", batch " << r.batch_size << "\n";
    print_table(r, "activation std (per layer output)", [](const teach::LayerStats& l) { return cell(l.activation.std); });
    print_table(r, "saturated share (Tanh/Sigmoid: |a| near the bounds) or zero share (other layers)",
                [](const teach::LayerStats& l) { return cell(l.saturated ? *l.saturated : l.zero_fraction); });
    print_table(r, "weight-gradient std (Linear)", [](const teach::LayerStats& l) {
        return l.weight_grad ? cell(l.weight_grad->std) : padded("", 12);
    });
    std::cout << "\n" << padded("loss at init", 28);
    for (const auto& run : r.runs) std::cout << " " << cell(run.at_init.loss);
    std::cout << "\n";
    if (!r.runs.front().loss_curve.empty()) {
        std::cout << padded("loss after " + plural(static_cast<int64_t>(r.runs.front().loss_curve.size()), "step"), 28);
        for (const auto& run : r.runs) std::cout << " " << cell(run.loss_curve.back());
        std::cout << "\n";
    }
    std::cout << "units identical (symmetry unbroken) in hidden layers:";
    for (const auto& run : r.runs) {
        const auto& layers = run.at_init.layers;
        bool identical = layers.size() > 1;
        for (size_t i = 0; i + 1 < layers.size(); ++i) identical = identical && layers[i].units_identical;
        if (identical) std::cout << " " << run.scheme.id;
    }
    std::cout << "\n";
}

}  // namespace

void add_initlab_command(CLI::App& app) {
    auto a = std::make_shared<InitLabArgs>();
    CLI::App* cmd = app.add_subcommand("initlab", "Compare initialisation schemes layer by layer on one batch");
    a->model.add_to(*cmd);
    cmd->add_option("--schemes", a->schemes,
                    "Comma-separated: default, xavier_uniform, xavier_normal, xavier_tanh, kaiming_uniform, kaiming_normal, "
                    "orthogonal, normal, small_normal, zeros (default: all)");
    cmd->add_option("--data", a->data, "Data source (fashion-mnist, spirals, PATH.csv, ...); default: N(0,1) inputs");
    cmd->add_option("--batch-size", a->batch_size, "Samples per batch (default 128)");
    cmd->add_option("--seed", a->seed, "Seed of every scheme's initialisation and of the batches (default 0)");
    cmd->add_option("--train-steps", a->train_steps, "Then train each scheme for N steps and report the losses (default 0)")
        ->check(number_in(0, std::numeric_limits<double>::infinity(), true));
    cmd->add_option("--optimizer", a->optimizer, "Optimizer of the training steps: sgd, adam (default), adamw");
    cmd->add_option("--lr", a->lr, "Learning rate of the training steps (default 0.001)");
    cmd->add_option("--csv", a->csv, "Write the per-layer numbers as a long-format CSV");
    cmd->add_flag("--json", a->json, "Print the whole result as JSON");
    cmd->callback([a] {
        spec::FlagValues flags;
        for (const auto& f : a->model.flags) flags.insert(spec::parse_flag_assignment(f));
        const spec::ModelSpec spec = a->model.load_spec();
        teach::InitLabOptions options;
        options.schemes = teach::parse_lab_schemes(a->schemes);
        options.seed = a->seed;
        options.training = {a->train_steps, train::optimizer_name_from_cli(a->optimizer), a->lr,
                            teach::training_setup_of(spec).loss};
        const nn::Model shape_only = spec::build_model(spec, flags);
        // Training cycles through at most 50 distinct batches.
        const int64_t batches = std::max<int64_t>(1, std::min<int64_t>(a->train_steps, 50));
        const teach::TeachData data = teach::load_teach_data(shape_only, a->data, a->batch_size, batches, a->seed);
        const teach::InitLabResult result = teach::run_init_lab(spec, flags, data, options);
        if (!a->csv.empty()) write_file_atomically(a->csv, teach::init_lab_csv(result));
        if (a->json) std::cout << teach::to_json(result).dump(2) << "\n";
        else print_result(result);
        if (!a->csv.empty() && !a->json) std::cout << "wrote " << a->csv << "\n";
    });
}

}  // namespace nnstudio::cli
