// nnstudio-cli convert: between PyTorch .pth and .safetensors (formats chosen by extension).
#include "cli/commands.h"
#include "cli/weight_options.h"
#include "io/tensor_file.h"
#include "io/weight_finder.h"

#include <iostream>
#include <memory>
#include "util/plural.h"

namespace nnstudio::cli {

void add_convert_command(CLI::App& app) {
    auto in = std::make_shared<std::string>();
    auto out = std::make_shared<std::string>();
    auto where = std::make_shared<WeightOptions>();
    CLI::App* cmd = app.add_subcommand("convert", "Convert a tensor file between .pth and .safetensors");
    cmd->add_option("in", *in, "Input file (.pth, legacy .pth or .safetensors)")->required();
    cmd->add_option("out", *out, "Output file (.pth or .safetensors)")->required();
    where->add_to(*cmd, false);
    cmd->callback([in, out, where] {
        io::format_from_path(*out);
        io::TensorFile f = io::read_tensor_file(*in);
        // A checkpoint: its weights (every dtype as it is), without the rest.
        io::FoundWeights found = io::find_weights(f, {}, where->choice(), *in);
        if (const std::string note = found.note(*in); !note.empty()) std::cerr << note << "\n";
        const io::TensorFile weights(std::move(found.tensors), f.single_tensor);
        io::write_tensor_file(*out, weights);
        const size_t n = weights.tensors.size();
        std::cout << "wrote " << *out << ": " << plural(static_cast<int64_t>(n), "tensor") << "\n";
    });
}

}  // namespace nnstudio::cli
