// nnstudio-cli export: PyTorch code for a model file (model.py), into which the weights NN Studio
// writes load with load_state_dict(strict=True), and optionally a training script (train.py) with
// the model file's training setup, overridable with the options `train` takes.
#include "cli/commands.h"
#include "cli/model_options.h"
#include "error.h"
#include "export/pytorch_code.h"
#include "export/train_script.h"
#include "init/init_scheme.h"
#include "spec/model_builder.h"
#include "train/train_setup.h"
#include "util/atomic_file.h"
#include "util/json_options.h"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>

namespace nnstudio::cli {
namespace {

namespace fs = std::filesystem;

// The training-setup options, as `nnstudio-cli train` takes them; each applies only when given.
struct TrainOverrides {
    std::string data, optimizer, scheduler, init;
    int epochs = 0;
    int64_t batch_size = 0, samples = 0, max_train_samples = 0;
    uint64_t seed = 0;
    double lr = 0, weight_decay = 0, momentum = 0, val_split = 0, noise = 0;
    std::vector<std::pair<std::string, CLI::Option*>> options;  // "--epochs" -> its option

    bool given(const std::string& name) const {
        for (const auto& [n, o] : options)
            if (n == name) return o->count() > 0;
        return false;
    }
    std::vector<std::string> given_names() const {
        std::vector<std::string> out;
        for (const auto& [n, o] : options)
            if (o->count() > 0) out.push_back(n);
        return out;
    }
};

void add_train_options(CLI::App& cmd, TrainOverrides& t) {
    const auto add = [&](const std::string& name, auto& value, const std::string& help) {
        CLI::Option* o = cmd.add_option(name, value, help);
        t.options.emplace_back(name, o);
        return o;
    };
    add("--data", t.data, "Training data: fashion-mnist, spirals, moons, circles, xor, blobs, FILE.csv or an IDX prefix");
    add("--epochs", t.epochs, "Epochs")->check(CLI::Range(1, 100000));
    add("--batch-size", t.batch_size, "Mini-batch size (the global batch under torchrun)")->check(CLI::PositiveNumber);
    add("--optimizer", t.optimizer, "sgd, adam or adamw");
    add("--lr", t.lr, "Learning rate")->check(CLI::NonNegativeNumber);
    add("--weight-decay", t.weight_decay, "Weight decay")->check(CLI::NonNegativeNumber);
    add("--momentum", t.momentum, "SGD momentum")->check(CLI::Range(0.0, 1.0));
    add("--scheduler", t.scheduler, "Learning-rate schedule: none, step or cosine");
    add("--init", t.init,
        "Initializer for every Linear: a name (" + join_names(init::init_scheme_names()) + ") or a JSON object with options");
    add("--seed", t.seed, "Random seed of the run");
    add("--val-split", t.val_split, "Share of the training set held out for validation, in [0, 1)")
        ->check(CLI::Range(0.0, 0.999999));
    add("--samples", t.samples, "Synthetic data: number of samples")->check(CLI::PositiveNumber);
    add("--noise", t.noise, "Synthetic data: noise level")->check(CLI::NonNegativeNumber);
    add("--max-train-samples", t.max_train_samples, "Train on a seeded subset of this many samples (0: all)")
        ->check(CLI::NonNegativeNumber);
}

// The model file's "training" section (or the defaults), then the command-line overrides, with the
// rules of `nnstudio-cli train` (cmd_train.cpp's make_setup), so both run the same setup.
train::TrainSetup training_setup(const spec::ModelSpec& spec, const std::string& model_path, const TrainOverrides& t) {
    train::TrainSetup s;
    if (spec.extra.contains("training")) {
        try {
            s = train::parse_train_setup(spec.extra["training"], "training");
        } catch (const SpecError& e) {
            throw SpecError(model_path + ": " + e.what());
        }
    }
    if (t.given("--data")) s.data = t.data;
    if (t.given("--epochs")) s.epochs = t.epochs;
    if (t.given("--batch-size")) s.batch_size = t.batch_size;
    if (t.given("--seed")) s.seed = t.seed;
    if (t.given("--val-split")) s.val_split = t.val_split;
    if (t.given("--samples")) s.synthetic.samples = t.samples;
    if (t.given("--noise")) s.synthetic.noise = t.noise;
    if (t.given("--max-train-samples")) s.max_train_samples = t.max_train_samples;
    if (t.given("--optimizer")) {
        // Another optimizer's options (lr, betas, momentum, ...) do not carry over.
        const std::string name = train::optimizer_name_from_cli(t.optimizer);
        if (name != s.optimizer.name) s.optimizer = {name, nlohmann::json::object()};
    }
    if (t.given("--lr")) s.optimizer.options["lr"] = t.lr;
    if (t.given("--weight-decay")) s.optimizer.options["weight_decay"] = t.weight_decay;
    if (t.given("--momentum")) {
        if (s.optimizer.name != "SGD")
            throw SpecError("--momentum applies to SGD only (" + s.optimizer.name +
                            " has betas instead); add --optimizer sgd, or drop --momentum");
        s.optimizer.options["momentum"] = t.momentum;
    }
    if (s.optimizer.name == "SGD" && !s.optimizer.options.contains("lr")) s.optimizer.options["lr"] = 0.01;
    if (t.given("--scheduler")) {
        // Over the run's length: cosine anneals to eta_min 0 at the last epoch; step divides the
        // learning rate by 10 after each third of the epochs.
        const std::string name = train::scheduler_name_from_cli(t.scheduler);
        if (name.empty()) s.scheduler.reset();
        else if (name == "StepLR") s.scheduler = train::NamedOptions{name, {{"step_size", std::max(1, s.epochs / 3)}, {"gamma", 0.1}}};
        else s.scheduler = train::NamedOptions{name, {{"T_max", s.epochs}}};
    }
    if (t.given("--init")) {
        nlohmann::json j = t.init;
        if (!t.init.empty() && t.init.front() == '{') {
            try {
                j = nlohmann::json::parse(t.init);
            } catch (const nlohmann::json::parse_error& e) {
                throw SpecError(std::string("--init: not valid JSON: ") + e.what());
            }
        }
        init::parse_init_scheme(j, "--init");  // checks it, naming the option
        s.init = j;
    }
    return s;
}

}  // namespace

void add_export_command(CLI::App& app) {
    auto model = std::make_shared<ModelOptions>();
    auto to = std::make_shared<std::string>();
    auto script = std::make_shared<std::string>();
    auto overrides = std::make_shared<TrainOverrides>();
    CLI::App* cmd = app.add_subcommand(
        "export", "Write a PyTorch module class (model.py) reproducing a model file, and optionally a training script");
    model->add_to(*cmd);
    cmd->add_option("--to", *to, "Output Python file, e.g. model.py")->required();
    cmd->add_option("--train-script", *script,
                    "Also write a training script (e.g. train.py, next to model.py) for `python3 train.py` or "
                    "`torchrun --nproc_per_node=N train.py`, with the model file's \"training\" setup and the options below");
    add_train_options(*cmd, *overrides);
    cmd->callback([model, to, script, overrides] {
        spec::ModelSpec spec = model->load_spec();
        // --flag fixes a flag's value: it stops being a constructor argument.
        for (const auto& f : model->flags) {
            const auto [name, value] = spec::parse_flag_assignment(f);
            if (!spec.has_flag(name)) throw SpecError("unknown flag '" + name + "' for model " + spec.name);
            for (auto& [k, v] : spec.flags)
                if (k == name) v = value;
        }
        if (script->empty()) {
            const std::vector<std::string> given = overrides->given_names();
            if (!given.empty())
                throw Error(given.front() + " sets up the training script; add --train-script train.py");
        }
        const std::string module_code = exporter::generate_pytorch_module(spec);

        // Everything is generated (and checked) before the first file is written.
        std::string script_code, data_path;
        train::TrainSetup setup;
        if (!script->empty()) {
            const fs::path to_path(*to), script_path(*script);
            if (to_path.extension() != ".py")
                throw Error("--to " + *to + ": the training script imports the model as a Python module; name it like model.py");
            if (fs::absolute(to_path).parent_path().lexically_normal() != fs::absolute(script_path).parent_path().lexically_normal())
                throw Error("--train-script " + *script + " imports " + to_path.filename().string() +
                            ", so it must be in the same folder as --to " + *to);
            if (fs::absolute(to_path).lexically_normal() == fs::absolute(script_path).lexically_normal())
                throw Error("--train-script and --to name the same file; use e.g. --to model.py --train-script train.py");
            setup = training_setup(spec, model->model_path, *overrides);
            const bool synthetic = data::parse_data_source(setup.data).kind == data::DataSourceKind::Synthetic;
            const std::string data_file = synthetic ? exporter::synthetic_data_file_name(*script) : std::string();
            if (synthetic) data_path = (script_path.parent_path() / data_file).string();
            script_code = exporter::generate_train_script(spec, setup, to_path.stem().string(), data_file);
        }

        write_file_atomically(*to, module_code);
        std::cout << "wrote " << *to << ": class " << spec.name << "\n";
        if (script->empty()) return;
        if (!data_path.empty()) {
            exporter::write_synthetic_data_file(data_path, setup);
            std::cout << "wrote " << data_path << ": the " << setup.data << " samples NN Studio generates (train/test tensors)\n";
        }
        write_file_atomically(*script, script_code);
        std::cout << "wrote " << *script << ": " << setup.data << ", " << setup.epochs << " epochs, batch "
                  << setup.batch_size << ", " << setup.optimizer.name << " " << setup.optimizer.options.dump()
                  << (setup.scheduler ? ", " + setup.scheduler->name + " " + setup.scheduler->options.dump() : std::string())
                  << ", " << setup.loss.name << ", seed " << setup.seed << "\n"
                  << "run it with: python3 " << *script << "   or: torchrun --nproc_per_node=N " << *script << "\n";
    });
}

}  // namespace nnstudio::cli
