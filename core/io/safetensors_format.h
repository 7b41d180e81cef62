// The .safetensors format: an 8-byte little-endian header length, a JSON header naming each
// tensor's dtype, shape and byte range, then the tensors' bytes back to back.
#pragma once
#include "io/tensor_file.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nnstudio::io {

// A header that starts like JSON ('{' after the 8-byte length).
bool looks_like_safetensors(const std::vector<uint8_t>& bytes);

// Validates like the reference implementation: offsets in range, sorted, non-overlapping and
// covering the whole buffer, sizes matching dtype * numel. Tensors come back in header order.
TensorFile read_safetensors(const std::vector<uint8_t>& bytes, const std::string& name_for_messages,
                            const ReadLimits& limits);

// Tensors in the StateDict's order; a single tensor is stored under "tensor".
std::vector<uint8_t> write_safetensors(const TensorFile& file);

}  // namespace nnstudio::io
