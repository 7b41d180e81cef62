// nnstudio-cli convert: between PyTorch .pth and .safetensors (formats chosen by extension).
#include "cli/commands.h"
#include "cli/weight_options.h"
#include "error.h"
#include "io/tensor_file.h"
#include "io/torch_dtypes.h"
#include "io/weight_finder.h"

#include <iostream>
#include <memory>
#include "util/plural.h"

namespace nnstudio::cli {
namespace {

constexpr size_t kListed = 5;

// "'a' (float8_e4m3fn, PyTorch 2.1+), 'b' (uint32, PyTorch 2.3+), ... and 3 more".
std::string list_newer(const std::vector<StateDict::Entry>& newer) {
    std::string s;
    for (size_t i = 0; i < newer.size() && i < kListed; ++i)
        s += (i ? ", '" : "'") + newer[i].first + "' (" + dtype_name(newer[i].second.dtype) + ", PyTorch " +
             *io::min_torch_version(newer[i].second.dtype) + "+)";
    if (newer.size() > kListed) s += ", ... and " + std::to_string(newer.size() - kListed) + " more";
    return s;
}

}  // namespace

void add_convert_command(CLI::App& app) {
    auto in = std::make_shared<std::string>();
    auto out = std::make_shared<std::string>();
    auto drop_new = std::make_shared<bool>(false);
    auto where = std::make_shared<WeightOptions>();
    CLI::App* cmd = app.add_subcommand("convert", "Convert a tensor file between .pth and .safetensors");
    cmd->add_option("in", *in, "Input file (.pth, legacy .pth or .safetensors)")->required();
    cmd->add_option("out", *out, "Output file (.pth or .safetensors)")->required();
    cmd->add_flag("--drop-new-dtypes", *drop_new,
                  "Leave out the tensors whose dtype PyTorch 1.13 cannot load (float8, uint16/32/64, complex32), "
                  "so that the file loads in PyTorch 1.13");
    where->add_to(*cmd, false);
    cmd->callback([in, out, drop_new, where] {
        const io::TensorFileFormat format = io::format_from_path(*out);
        io::TensorFile f = io::read_tensor_file(*in);
        // A checkpoint: its weights (every dtype as it is), without the rest.
        io::FoundWeights found = io::find_weights(f, {}, where->choice(), *in);
        std::string note = found.note(*in);
        if (const std::string kept = io::wrapper_prefix(found.tensors); !kept.empty())
            note += (note.empty() ? "" : "; ") + std::string("keys keep their prefix '") + kept +
                    "' (a training wrapper's); --strip-prefix " + kept + " removes it";
        if (!note.empty()) std::cerr << note << "\n";
        std::vector<StateDict::Entry> newer;
        for (const auto& entry : found.tensors)
            if (io::min_torch_version(entry.second.dtype)) newer.push_back(entry);
        if (*drop_new && !newer.empty()) {
            if (newer.size() == found.tensors.size())
                throw Error(*in + ": every tensor has a dtype PyTorch 1.13 cannot load (" + list_newer(newer) +
                            "): --drop-new-dtypes would leave nothing to write");
            StateDict kept;
            kept.versions = found.tensors.versions;
            for (const auto& [key, t] : found.tensors)
                if (!io::min_torch_version(t.dtype)) kept.insert(key, t);
            found.tensors = std::move(kept);
            std::cerr << "left out " << plural(static_cast<int64_t>(newer.size()), "tensor")
                      << " (--drop-new-dtypes): " << list_newer(newer) << "\n";
        } else if (format == io::TensorFileFormat::Pth && !newer.empty()) {
            // torch.load of PyTorch < 2.1 fails on the whole file, float weights included.
            std::cerr << "note: " << *out << " holds dtypes PyTorch 1.13 cannot load (its torch.load then fails on "
                      << "the whole file, float weights included): " << list_newer(newer)
                      << "; --drop-new-dtypes leaves these tensors out\n";
        }
        const io::TensorFile weights(std::move(found.tensors), f.single_tensor);
        io::write_tensor_file(*out, weights);
        const size_t n = weights.tensors.size();
        std::cout << "wrote " << *out << ": " << plural(static_cast<int64_t>(n), "tensor") << "\n";
    });
}

}  // namespace nnstudio::cli
