// gather_batch: copies the samples at a batch's indices into reusable x/y tensors, converting
// bytes to float and applying the normalisation on the way (no allocation in steady state).
#pragma once
#include "data/dataset.h"
#include "data/normalization.h"
#include "tensor/tensor.h"

#include <span>

namespace nnstudio::data {

// x: (B, *feature_shape) float32, normalised; y: (B,) class indices stored as floats (what the
// losses take), or with float targets (dataset.has_targets()) the (B, T) target rows as stored:
// targets are never normalised. Both keep their capacity: with the same B nothing is reallocated.
// Throws DataError for an index outside the data set or a normalisation of the wrong size.
void gather_batch(const Dataset& dataset, std::span<const int64_t> indices, const Normalization& normalization,
                  Tensor& x, Tensor& y);

}  // namespace nnstudio::data
