// nnstudio-cli export: PyTorch code for a model file (model.py), into which the weights NN Studio
// writes load with load_state_dict(strict=True).
#include "cli/commands.h"
#include "cli/model_options.h"
#include "error.h"
#include "spec/model_builder.h"
#include "export/pytorch_code.h"
#include "util/atomic_file.h"

#include <iostream>
#include <memory>

namespace nnstudio::cli {

void add_export_command(CLI::App& app) {
    auto model = std::make_shared<ModelOptions>();
    auto to = std::make_shared<std::string>();
    CLI::App* cmd = app.add_subcommand("export", "Write a PyTorch module class (model.py) reproducing a model file");
    model->add_to(*cmd);
    cmd->add_option("--to", *to, "Output Python file, e.g. model.py")->required();
    cmd->callback([model, to] {
        spec::ModelSpec spec = model->load_spec();
        // --flag fixes a flag's value: it stops being a constructor argument.
        for (const auto& f : model->flags) {
            const auto [name, value] = spec::parse_flag_assignment(f);
            if (!spec.has_flag(name)) throw SpecError("unknown flag '" + name + "' for model " + spec.name);
            for (auto& [k, v] : spec.flags)
                if (k == name) v = value;
        }
        write_file_atomically(*to, exporter::generate_pytorch_module(spec));
        std::cout << "wrote " << *to << ": class " << spec.name << "\n";
    });
}

}  // namespace nnstudio::cli
