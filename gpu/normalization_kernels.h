// Launchers of BatchNorm1d and LayerNorm on the GPU (normalization_kernels.cu). Own kernels rather
// than cuDNN's cudnnBatchNormalizationForwardTraining: the operation table splits statistics (with
// PyTorch's unbiased N/(N-1) running-variance rule), apply and backward, and the statistics are
// double sums in a fixed order rounded as the CPU backend rounds them, which cuDNN's fused call
// does not give. Shapes as in backend.h; pointers are device memory; nothing synchronises.
#pragma once
#include <cuda_runtime_api.h>

#include <cstdint>

namespace nnstudio::gpu {

// x: (n, c) -> mean, var, invstd (c): batch mean, biased variance (two double passes per channel),
// 1/sqrt(var + eps); and, when running_mean/var are not null, running = (1-momentum)·running +
// momentum·batch with the variance unbiased by n/(n-1)
void launch_batch_norm_statistics(const float* x, int64_t n, int64_t c, double eps, double momentum, float* mean,
                                  float* var, float* invstd, float* running_mean, float* running_var,
                                  cudaStream_t stream);
// invstd (c) = 1/sqrt(var + eps) from stored (running) variances
void launch_batch_norm_invstd(const float* var, int64_t c, double eps, float* invstd, cudaStream_t stream);
// xhat = (x - mean)·invstd (when xhat is not null); y = xhat·γ + β (γ, β null: 1, 0)
void launch_batch_norm_apply(const float* x, int64_t n, int64_t c, const float* mean, const float* invstd,
                             const float* gamma, const float* beta, float* y, float* xhat, cudaStream_t stream);
// dγ += Σ g·x̂, dβ += Σ g; dx as backend.h. `sums`: 2c doubles of scratch.
void launch_batch_norm_backward(const float* g, const float* xhat, const float* invstd, const float* gamma,
                                int64_t n, int64_t c, bool batch_stats, float* dgamma, float* dbeta, float* dx,
                                double* sums, cudaStream_t stream);
// x, y, xhat: (rows, width); invstd: (rows)
void launch_layer_norm_forward(const float* x, int64_t rows, int64_t width, double eps, const float* gamma,
                               const float* beta, float* y, float* xhat, float* invstd, cudaStream_t stream);
void launch_layer_norm_backward(const float* g, const float* xhat, const float* invstd, int64_t rows, int64_t width,
                                const float* gamma, float* dgamma, float* dbeta, float* dx, cudaStream_t stream);

}  // namespace nnstudio::gpu
