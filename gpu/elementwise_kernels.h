// Launchers of the elementwise kernels (elementwise_kernels.cu): fill, add, mul, the activations,
// PReLU and Dropout. Shapes as in backend.h; every pointer is device memory; all run on `stream`
// without synchronising. Launch failures throw DeviceError.
#pragma once
#include "backend/ops.h"

#include <cuda_runtime_api.h>

#include <cstdint>

namespace nnstudio::gpu {

void launch_fill(float* x, int64_t n, float value, cudaStream_t stream);
void launch_add(const float* a, const float* b, float* out, int64_t n, cudaStream_t stream);
void launch_mul(const float* a, const float* b, float* out, int64_t n, cudaStream_t stream);
void launch_activation_forward(Activation a, const ActivationParams& p, const float* x, float* y, int64_t n,
                               cudaStream_t stream);
void launch_activation_backward(Activation a, const ActivationParams& p, const float* x, const float* y,
                                const float* g, float* dx, int64_t n, cudaStream_t stream);
// x, y: (outer, channels, inner); weight: (channels) or (1)
void launch_prelu_forward(const float* x, const float* weight, int64_t weight_size, float* y, int64_t outer,
                          int64_t channels, int64_t inner, cudaStream_t stream);
// dweight += Σ_{x<=0} g·x per weight (double sums in a fixed order, one block per weight)
void launch_prelu_backward(const float* x, const float* weight, int64_t weight_size, const float* g, float* dx,
                           float* dweight, int64_t outer, int64_t channels, int64_t inner, cudaStream_t stream);
// The mask of core/backend/dropout_mask.h: equal bit for bit to the CPU's.
void launch_dropout(uint64_t key, float p, const float* x, float* y, float* mask, int64_t n, cudaStream_t stream);

}  // namespace nnstudio::gpu
