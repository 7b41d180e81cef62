// Turns an unpickled state_dict, checkpoint or single tensor into a TensorFile, given where each storage's
// bytes are; shared by the zip and the legacy .pth readers.
#pragma once
#include "io/pickle_reader.h"
#include "io/tensor_file.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace nnstudio::io {

struct StorageSpan {
    const uint8_t* data = nullptr;
    size_t size = 0;  // bytes that belong to the storage (view): the tensor may not reach past them
};

// Called once per persistent id; returns that storage's bytes or throws FileFormatError. The
// bytes must stay valid until tensors_from_pickle returns.
using StorageResolver = std::function<StorageSpan(const PickledStorage&)>;

TensorFile tensors_from_pickle(const Pickle& pickle, const StorageResolver& resolve, const ReadLimits& limits,
                               const std::string& name_for_messages);

}  // namespace nnstudio::io
