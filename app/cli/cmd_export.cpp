// nnstudio-cli export: PyTorch code for a model file (model.py), into which the weights NN Studio
// writes load with load_state_dict(strict=True), and optionally a training script (train.py) with
// the model file's training setup, overridable with the options `train` takes.
#include "cli/commands.h"
#include "cli/model_options.h"
#include "cli/train_options.h"
#include "error.h"
#include "export/pytorch_code.h"
#include "export/train_script.h"
#include "init/init_scheme.h"
#include "io/tensor_file.h"
#include "nn/import_weights.h"
#include "spec/model_builder.h"
#include "train/train_setup.h"
#include "util/atomic_file.h"
#include "util/json_options.h"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include "util/plural.h"

namespace nnstudio::cli {
namespace fs = std::filesystem;

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
        std::string script_code, data_path, weights_path;
        StateDict weights;
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
            if (!setup.weights.empty()) {
                // The weights as `train --weights` takes them (a checkpoint's entry, a wrapper's
                // prefix), checked against the model now and written as a plain state_dict.
                nn::Model start = spec::build_model(spec);
                const std::string note =
                    nn::load_weights_strict(start, io::read_tensor_file(setup.weights), {}, setup.weights);
                if (!note.empty()) std::cerr << "note: " << note << "\n";
                weights_path = (script_path.parent_path() / exporter::initial_weights_file_name(*script)).string();
                weights = start.state_dict();
            }
            script_code = exporter::generate_train_script(spec, setup, to_path.stem().string(), data_file,
                                                          weights_path.empty() ? std::string()
                                                                               : exporter::initial_weights_file_name(*script));
        }

        write_file_atomically(*to, module_code);
        std::cout << "wrote " << *to << ": class " << spec.name << "\n";
        if (script->empty()) return;
        if (!data_path.empty()) {
            exporter::write_synthetic_data_file(data_path, setup);
            std::cout << "wrote " << data_path << ": the " << setup.data << " samples NN Studio generates (train/test tensors)\n";
        }
        if (!weights_path.empty()) {
            io::write_tensor_file(weights_path, {weights, false});
            std::cout << "wrote " << weights_path << ": the weights training starts from (" << setup.weights << ")\n";
        }
        write_file_atomically(*script, script_code);
        std::cout << "wrote " << *script << ": " << setup.data << ", " << plural(setup.epochs, "epoch") << ", batch "
                  << setup.batch_size << ", " << setup.optimizer.name << " " << setup.optimizer.options.dump()
                  << (setup.scheduler ? ", " + setup.scheduler->name + " " + setup.scheduler->options.dump() : std::string())
                  << ", " << setup.loss.name << ", seed " << setup.seed << "\n"
                  << "run it with: python3 " << *script << "   or: torchrun --nproc_per_node=N " << *script << "\n";
    });
}

}  // namespace nnstudio::cli
