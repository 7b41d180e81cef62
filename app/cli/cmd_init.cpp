// nnstudio-cli init: initialise a model's weights with a scheme and save the state_dict.
#include "cli/commands.h"
#include "cli/model_options.h"
#include "cli/weight_options.h"
#include "error.h"
#include "init/init_scheme.h"
#include "io/tensor_file.h"
#include "nn/import_weights.h"
#include "spec/model_init.h"
#include "util/json_options.h"

#include <iostream>
#include <memory>
#include "util/plural.h"

namespace nnstudio::cli {
namespace {

struct InitArgs {
    ModelOptions model;
    std::string scheme;
    uint64_t seed = 0;
    std::string out;
    std::string from;
    WeightOptions weights;
};

// "--scheme kaiming_normal" or a JSON object such as '{"scheme": "kaiming_normal", "mode": "fan_out"}'.
init::InitScheme parse_scheme_argument(const std::string& text) {
    nlohmann::json j;
    if (!text.empty() && text.front() == '{') {
        try {
            j = nlohmann::json::parse(text);
        } catch (const nlohmann::json::exception& e) {  // syntax errors, and numbers out of range
            throw SpecError(std::string("--scheme: not valid JSON: ") + e.what());
        }
    } else {
        j = text;
    }
    return init::parse_init_scheme(j, "--scheme");
}

}  // namespace

void add_init_command(CLI::App& app) {
    auto a = std::make_shared<InitArgs>();
    CLI::App* cmd = app.add_subcommand("init", "Initialise a model's weights (or import those that fit from --from) and write its state_dict (.pth or .safetensors)");
    a->model.add_to(*cmd);
    cmd->add_option("--scheme", a->scheme,
                    "Initializer: a name (" + join_names(init::init_scheme_names()) +
                        ") or a JSON object with options; default: the model file's \"init\"");
    cmd->add_option("--seed", a->seed, "Random seed (default 0)");
    cmd->add_option("--out", a->out, "Output weights file: W.pth or W.safetensors")->required();
    cmd->add_option("--from", a->from,
                    "Import the tensors of this .pth/.safetensors that fit the model (the rest keep their "
                    "initial values) and print what did not fit");
    a->weights.add_to(*cmd);
    cmd->callback([a] {
        const io::TensorFileFormat format = io::format_from_path(a->out);  // fail before any work
        (void)format;
        nn::Model model = a->model.build();
        std::optional<init::InitScheme> scheme;
        if (!a->scheme.empty()) scheme = parse_scheme_argument(a->scheme);
        spec::initialize_model(model, a->seed, scheme);
        if (!a->from.empty()) {
            const nn::WeightImport imported =
                nn::import_weights(model, io::read_tensor_file(a->from), a->weights.choice(), a->from);
            std::cout << imported.summary(a->from) << "\n";
        }
        io::write_tensor_file(a->out, {model.state_dict(), false});
        std::cout << "wrote " << a->out << ": " << plural(static_cast<int64_t>(model.state_dict().size()), "tensor")
                  << ", " << plural(model.parameter_count(), "parameter") << "\n";
    });
}

}  // namespace nnstudio::cli
