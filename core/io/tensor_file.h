// The public entry for tensor files users exchange with PyTorch: .pth/.pt/.bin (torch.save's zip
// format, and the legacy pre-1.6 format for reading) and .safetensors.
#pragma once
#include "tensor/typed_tensor.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace nnstudio::io {

enum class TensorFileFormat { Pth, Safetensors };

// A dict of name -> tensor found below the top level of a checkpoint, and where: the entries'
// keys joined by '.', e.g. "model_state_dict", "state_dict", "optimizer_state_dict.state.0".
struct NestedStateDict {
    std::string path;
    StateDict tensors;
};

// What a tensor file holds: a state_dict, or one tensor (torch.save(tensor)), which is stored
// under the key "tensor", or a checkpoint: a dict that holds other things besides tensors.
struct TensorFile {
    TensorFile() = default;
    TensorFile(StateDict state_dict, bool one_tensor) : tensors(std::move(state_dict)), single_tensor(one_tensor) {}

    StateDict tensors;  // the top level when it is a state_dict, or the one tensor
    bool single_tensor = false;
    // A checkpoint's dicts of tensors at any depth, in file order (`tensors` is then empty);
    // io/weight_finder.h chooses among them. Writers ignore them.
    std::vector<NestedStateDict> nested;
};

// Bounds on what reading may cost beyond the file itself.
struct ReadLimits {
    // Tensors may take more bytes than the data stored for them when several views share one
    // storage (tied weights) or a view repeats elements with stride 0. Reading allows twice the
    // stored bytes plus this much, so a tiny hostile file cannot demand gigabytes.
    uint64_t max_expanded_bytes = uint64_t{1} << 30;
    uint64_t max_pickle_bytes = uint64_t{1} << 30;   // data.pkl
    uint64_t max_header_bytes = 100'000'000;          // safetensors JSON header, as the Rust crate
};

// By extension (case-insensitive): .pth, .pt, .bin -> Pth; .safetensors -> Safetensors. Throws
// FileFormatError naming the supported extensions otherwise.
TensorFileFormat format_from_path(const std::string& path);

// Reads a file; the format is detected from its content, not its name. Throws FileFormatError
// (UnsafeFileError for refused pickles) with a message that names the file, says what is wrong
// and what to do.
TensorFile read_tensor_file(const std::string& path, const ReadLimits& limits = {});
TensorFile read_tensor_file_from_bytes(const std::vector<uint8_t>& bytes, const std::string& name_for_messages,
                                       const ReadLimits& limits = {});

// Writes in the format of the path's extension, atomically (see util/atomic_file.h).
void write_tensor_file(const std::string& path, const TensorFile& file);
std::vector<uint8_t> tensor_file_to_bytes(const TensorFile& file, TensorFileFormat format);

}  // namespace nnstudio::io
