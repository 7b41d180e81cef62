// Turns a strided view of a storage (offset, sizes, strides, as PyTorch pickles tensors) into a
// contiguous TypedTensor, after proving every element it touches lies inside the storage.
#pragma once
#include "tensor/typed_tensor.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace nnstudio::io {

// Bytes a tensor of this shape and dtype takes when contiguous; throws FileFormatError (starting
// with `what`) when the shape is negative or the product overflows.
uint64_t contiguous_bytes(const Shape& size, DType dtype, const std::string& what);

// `storage` holds `storage_bytes` bytes (elements of `dtype`). Throws FileFormatError starting
// with `what` if any element of the view falls outside it.
TypedTensor copy_strided(const uint8_t* storage, size_t storage_bytes, DType dtype, int64_t offset,
                         const Shape& size, const std::vector<int64_t>& stride, const std::string& what);

}  // namespace nnstudio::io
