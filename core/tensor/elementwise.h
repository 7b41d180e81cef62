// Elementwise tensor arithmetic on the engine's threads (vectorised, split over the ThreadTeam).
#pragma once
#include "tensor/tensor.h"

namespace nnstudio {

// out = a + b; a and b have the same number of elements; out is resized to a's shape.
void add_elementwise(const Tensor& a, const Tensor& b, Tensor& out);

}  // namespace nnstudio
