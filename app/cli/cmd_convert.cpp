// nnstudio-cli convert: between PyTorch .pth and .safetensors (formats chosen by extension).
#include "cli/commands.h"
#include "io/tensor_file.h"

#include <iostream>
#include <memory>

namespace nnstudio::cli {

void add_convert_command(CLI::App& app) {
    auto in = std::make_shared<std::string>();
    auto out = std::make_shared<std::string>();
    CLI::App* cmd = app.add_subcommand("convert", "Convert a tensor file between .pth and .safetensors");
    cmd->add_option("in", *in, "Input file (.pth, legacy .pth or .safetensors)")->required();
    cmd->add_option("out", *out, "Output file (.pth or .safetensors)")->required();
    cmd->callback([in, out] {
        io::format_from_path(*out);
        const io::TensorFile f = io::read_tensor_file(*in);
        io::write_tensor_file(*out, f);
        std::cout << "wrote " << *out << ": " << f.tensors.size() << (f.tensors.size() == 1 ? " tensor\n" : " tensors\n");
    });
}

}  // namespace nnstudio::cli
