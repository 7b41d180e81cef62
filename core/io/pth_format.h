// PyTorch's .pth zip format (torch.save since 1.6): <folder>/data.pkl names the tensors,
// <folder>/data/<key> holds each storage's raw little-endian bytes.
#pragma once
#include "io/tensor_file.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nnstudio::io {

bool looks_like_zip(const std::vector<uint8_t>& bytes);

// Reads any single top folder (torch names it after the file), as torch.load does.
TensorFile read_pth_zip(const std::vector<uint8_t>& bytes, const std::string& name_for_messages,
                        const ReadLimits& limits);

// Lays the file out as torch 2.x does: archive/data.pkl, archive/byteorder ("little"),
// archive/data/<n>, archive/version ("3"); loadable by torch.load(f, weights_only=True).
std::vector<uint8_t> write_pth_zip(const TensorFile& file);

}  // namespace nnstudio::io
