// nnstudio-cli forward: run a model with given weights on an input tensor file.
#include "cli/commands.h"
#include "cli/model_options.h"
#include "cli/weight_options.h"
#include "error.h"
#include "io/tensor_file.h"
#include "io/weight_finder.h"
#include "nn/import_weights.h"
#include "util/plural.h"

#include <iostream>
#include <memory>

namespace nnstudio::cli {
namespace {

struct ForwardArgs {
    ModelOptions model;
    std::string weights, input, output, mode = "eval";
    uint64_t seed = 0;
    WeightOptions where;
};

// The input file holds one tensor, or a dict with exactly one tensor.
Tensor single_input(const std::string& path) {
    const io::TensorFile f = io::read_tensor_file(path);
    if (f.tensors.empty() && !f.nested.empty())  // a checkpoint: say what it holds, as --weights would find it
        throw Error(path + ": expected one input tensor but the file is a checkpoint holding dicts of tensors: " +
                    io::describe_entries(f) + "; is it meant for --weights? Save the input with torch.save(x, path)");
    if (f.tensors.size() != 1)
        throw Error(path + ": expected one input tensor but the file holds " +
                    plural(static_cast<int64_t>(f.tensors.size()), "tensor") +
                    (f.tensors.empty() ? "" : " (first key '" + f.tensors.entries().front().first + "')") +
                    ": save a single tensor with torch.save(x, path)");
    return f.tensors.entries().front().second.to_float();
}

}  // namespace

void add_forward_command(CLI::App& app) {
    auto a = std::make_shared<ForwardArgs>();
    CLI::App* cmd = app.add_subcommand("forward", "Run a model on an input tensor and write the output tensor");
    a->model.add_to(*cmd);
    cmd->add_option("--weights", a->weights, "state_dict or checkpoint file (.pth or .safetensors)")->required();
    a->where.add_to(*cmd);
    cmd->add_option("--input", a->input, "Input tensor file (.pth or .safetensors), shape (batch, features)")->required();
    cmd->add_option("--output", a->output, "Output tensor file (.pth or .safetensors)")->required();
    cmd->add_option("--mode", a->mode, "eval (default: running BatchNorm stats, no Dropout) or train")
        ->check(CLI::IsMember({"eval", "train"}));
    cmd->add_option("--seed", a->seed, "Dropout seed in train mode (default 0)");
    cmd->callback([a] {
        io::format_from_path(a->output);  // reject an unknown extension before any work
        nn::Model model = a->model.build();
        const std::string note = nn::load_weights_strict(model, io::read_tensor_file(a->weights), a->where.choice(), a->weights);
        if (!note.empty()) std::cerr << note << "\n";
        model.seed_dropout(a->seed);
        model.train(a->mode == "train");
        const Tensor x = single_input(a->input);
        nn::NoGradGuard no_grad;
        const Tensor y = model.forward(x);
        StateDict out;
        out.insert("tensor", TypedTensor::from_float(y));
        io::write_tensor_file(a->output, {std::move(out), true});
        std::cout << "wrote " << a->output << ": output " << shape_to_string(y.shape()) << " (" << a->mode << " mode)\n";
    });
}

}  // namespace nnstudio::cli
