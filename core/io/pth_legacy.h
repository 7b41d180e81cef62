// Reader of PyTorch's legacy .pth format (torch.save before 1.6, or with
// _use_new_zipfile_serialization=False): five pickles in a row, then the raw storages.
#pragma once
#include "io/tensor_file.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nnstudio::io {

// True when the file starts with the legacy magic-number pickle.
bool looks_like_legacy_pth(const std::vector<uint8_t>& bytes);
// True for the even older tar-based format (PyTorch < 0.4), which we refuse.
bool looks_like_tar(const std::vector<uint8_t>& bytes);

TensorFile read_pth_legacy(const std::vector<uint8_t>& bytes, const std::string& name_for_messages,
                           const ReadLimits& limits);

}  // namespace nnstudio::io
