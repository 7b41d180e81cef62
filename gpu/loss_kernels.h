// Launchers of the losses and the moments reduction (loss_kernels.cu). Each reduces to doubles in
// device memory in a fixed order (deterministic, no atomics) and never waits for the GPU, so the
// loss value stays on the device until someone copies it.
#pragma once
#include "backend/ops.h"

#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>

namespace nnstudio::gpu {

enum class ClassLoss { CrossEntropy, Nll };
enum class ElementwiseLoss { Mse, L1, BceWithLogits };

// Scratch the launchers below need, in doubles.
size_t class_loss_scratch(int64_t batch);
size_t reduction_scratch();

// CrossEntropyLoss (log-softmax, then ATen's label-smoothing rule) or NLLLoss on (B, C).
void launch_class_loss(ClassLoss kind, const ClassLossDesc& d, double* scratch, cudaStream_t stream);
// MSELoss, L1Loss, BCEWithLogitsLoss over n elements.
void launch_elementwise_loss(ElementwiseLoss kind, const ElementwiseLossDesc& d, double* scratch, cudaStream_t stream);
// x: (n) -> out[0] = Σx, out[1] = Σx²
void launch_moments(const float* x, int64_t n, double* out, double* scratch, cudaStream_t stream);

}  // namespace nnstudio::gpu
