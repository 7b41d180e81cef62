// Format detection and dispatch for tensor files; reading whole files into memory first keeps
// every reader a pure function of bytes (and so fuzzable).
#include "io/tensor_file.h"

#include "error.h"
#include "io/pth_format.h"
#include "io/pth_legacy.h"
#include "io/safetensors_format.h"
#include "io/strided_copy.h"
#include "util/atomic_file.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace nnstudio::io {
namespace {

constexpr const char* kSupported = ".pth, .pt, .bin (PyTorch) or .safetensors";

std::string lower_extension(const std::string& path) {
    const size_t slash = path.find_last_of('/');
    const size_t dot = path.find_last_of('.');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
    std::string ext = path.substr(dot);
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext;
}

std::vector<uint8_t> read_whole_file(const std::string& path) {
    std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!f) throw FileFormatError("cannot open '" + path + "': " + std::strerror(errno));
    std::vector<uint8_t> bytes;
    uint8_t chunk[1 << 16];
    while (true) {
        const size_t n = std::fread(chunk, 1, sizeof chunk, f.get());
        bytes.insert(bytes.end(), chunk, chunk + n);
        if (n < sizeof chunk) break;
    }
    if (std::ferror(f.get())) throw FileFormatError("cannot read '" + path + "': " + std::strerror(errno));
    return bytes;
}

// Writers take what the engine made; a mismatch is a bug upstream, reported before touching disk.
void check_writable(const TensorFile& file, const std::string& path) {
    if (file.single_tensor && file.tensors.size() != 1)
        throw Error("cannot save '" + path + "': a single-tensor file needs exactly one tensor, got " +
                    std::to_string(file.tensors.size()));
    for (const auto& [key, t] : file.tensors) {
        const uint64_t needed = contiguous_bytes(t.shape, t.dtype, "cannot save '" + path + "': tensor '" + key + "'");
        if (needed != t.bytes.size())
            throw Error("cannot save '" + path + "': tensor '" + key + "' has " + std::to_string(t.bytes.size()) +
                        " bytes but its shape " + shape_to_string(t.shape) + " and dtype " + dtype_name(t.dtype) +
                        " need " + std::to_string(needed));
    }
}

}  // namespace

TensorFileFormat format_from_path(const std::string& path) {
    const std::string ext = lower_extension(path);
    if (ext == ".pth" || ext == ".pt" || ext == ".bin") return TensorFileFormat::Pth;
    if (ext == ".safetensors") return TensorFileFormat::Safetensors;
    throw FileFormatError("'" + path + "': " +
                          (ext.empty() ? std::string("no file extension") : "unknown tensor file extension '" + ext + "'") +
                          ": name it " + kSupported);
}

TensorFile read_tensor_file(const std::string& path, const ReadLimits& limits) {
    return read_tensor_file_from_bytes(read_whole_file(path), path, limits);
}

TensorFile read_tensor_file_from_bytes(const std::vector<uint8_t>& bytes, const std::string& name,
                                       const ReadLimits& limits) {
    if (bytes.empty()) throw FileFormatError(name + ": the file is empty: save the tensors again");
    if (looks_like_zip(bytes)) return read_pth_zip(bytes, name, limits);
    if (looks_like_legacy_pth(bytes)) return read_pth_legacy(bytes, name, limits);
    if (looks_like_tar(bytes))
        throw FileFormatError(name + ": a PyTorch file from before version 0.4 (tar format), which NN Studio does "
                              "not read: re-save it with a current PyTorch, torch.save(torch.load(f), f)");
    if (looks_like_safetensors(bytes)) return read_safetensors(bytes, name, limits);
    if (bytes.size() >= 2 && bytes[0] == 0x80)
        throw FileFormatError(name + ": a bare pickle without PyTorch's zip container (not written by torch.save?): "
                              "save the tensors with torch.save(model.state_dict(), path)");
    throw FileFormatError(name + ": neither a PyTorch .pth file nor a safetensors file (unknown content): NN Studio "
                          "reads files written by torch.save or safetensors");
}

std::vector<uint8_t> tensor_file_to_bytes(const TensorFile& file, TensorFileFormat format) {
    check_writable(file, "the file");
    return format == TensorFileFormat::Pth ? write_pth_zip(file) : write_safetensors(file);
}

void write_tensor_file(const std::string& path, const TensorFile& file) {
    const TensorFileFormat format = format_from_path(path);
    check_writable(file, path);
    write_file_atomically(path, format == TensorFileFormat::Pth ? write_pth_zip(file) : write_safetensors(file));
}

}  // namespace nnstudio::io
