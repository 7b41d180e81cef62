// BatchNorm1d and LayerNorm kernels (see the header). Column statistics use blocks of 32 channels x
// 8 row lanes: lane l adds rows l, l+8, ... in double, then the 8 lanes are added in order.
#include "block_reduce.cuh"
#include "cuda_check.h"
#include "launch_config.cuh"
#include "normalization_kernels.h"

namespace nnstudio::gpu {
namespace {

constexpr int cols_per_block = 32, row_lanes = 8;

// Σ over the 8 lanes of column threadIdx.x, in lane order; every lane gets the result.
__device__ inline double lane_sum(double v, double (*shared)[cols_per_block]) {
    shared[threadIdx.y][threadIdx.x] = v;
    __syncthreads();
    double total = 0.0;
    for (int l = 0; l < row_lanes; ++l) total += shared[l][threadIdx.x];
    __syncthreads();
    return total;
}

// Mean and biased variance per channel (the variance around the float-rounded mean, as the CPU
// backend), invstd from the unrounded variance, and the running update when asked.
__global__ void batch_norm_statistics_kernel(const float* x, int64_t n, int64_t c, double eps, double momentum,
                                             float* mean_out, float* var_out, float* invstd_out, float* running_mean,
                                             float* running_var) {
    __shared__ double shared[row_lanes][cols_per_block];
    const int64_t col = blockIdx.x * int64_t(cols_per_block) + threadIdx.x;
    const bool active = col < c;
    double sum = 0.0;
    if (active)
        for (int64_t r = threadIdx.y; r < n; r += row_lanes) sum += x[r * c + col];
    const float mean = static_cast<float>(lane_sum(sum, shared) / static_cast<double>(n));
    double sq = 0.0;
    if (active)
        for (int64_t r = threadIdx.y; r < n; r += row_lanes) {
            const double d = static_cast<double>(x[r * c + col]) - mean;
            sq += d * d;
        }
    const double var = lane_sum(sq, shared) / static_cast<double>(n);
    if (!active || threadIdx.y != 0) return;
    mean_out[col] = mean;
    var_out[col] = static_cast<float>(var);
    invstd_out[col] = static_cast<float>(1.0 / sqrt(var + eps));
    if (running_mean && running_var) {
        const double unbias = static_cast<double>(n) / static_cast<double>(n - 1);
        running_mean[col] = static_cast<float>((1.0 - momentum) * running_mean[col] + momentum * mean);
        running_var[col] = static_cast<float>((1.0 - momentum) * running_var[col] + momentum * var * unbias);
    }
}

// Per column: Σ g and Σ g·x̂ (double). Written to sums[0..c) / sums[c..2c) when given, and added to
// dβ / dγ when given.
__global__ void column_grad_sums_kernel(const float* g, const float* xhat, int64_t rows, int64_t c, double* sums,
                                        float* dgamma, float* dbeta) {
    __shared__ double shared[row_lanes][cols_per_block];
    const int64_t col = blockIdx.x * int64_t(cols_per_block) + threadIdx.x;
    const bool active = col < c;
    double sg = 0.0, sgx = 0.0;
    if (active)
        for (int64_t r = threadIdx.y; r < rows; r += row_lanes) {
            const float gv = g[r * c + col];
            sg += gv;
            sgx += static_cast<double>(gv) * xhat[r * c + col];
        }
    sg = lane_sum(sg, shared);
    sgx = lane_sum(sgx, shared);
    if (active && threadIdx.y == 0) {
        if (sums) {
            sums[col] = sg;
            sums[c + col] = sgx;
        }
        if (dbeta) dbeta[col] += static_cast<float>(sg);
        if (dgamma) dgamma[col] += static_cast<float>(sgx);
    }
}

__global__ void batch_norm_invstd_kernel(const float* var, int64_t c, double eps, float* invstd) {
    const int64_t col = blockIdx.x * int64_t(blockDim.x) + threadIdx.x;
    if (col < c) invstd[col] = static_cast<float>(1.0 / sqrt(static_cast<double>(var[col]) + eps));
}

__global__ void batch_norm_apply_kernel(const float* x, int64_t n, int64_t c, const float* mean, const float* invstd,
                                        const float* gamma, const float* beta, float* y, float* xhat) {
    NN_GRID_STRIDE(i, n * c) {
        const int64_t col = i % c;
        const float h = (x[i] - mean[col]) * invstd[col];
        if (xhat) xhat[i] = h;
        y[i] = gamma ? h * gamma[col] + beta[col] : h;
    }
}

// dx as the CPU backend rounds it: scale = float(γ·invstd), dx = scale·float(g - mean(g) - x̂·mean(g·x̂)).
__global__ void batch_norm_input_grad_kernel(const float* g, const float* xhat, const float* invstd,
                                             const float* gamma, int64_t n, int64_t c, bool batch_stats,
                                             const double* sums, float* dx) {
    const double inv_n = 1.0 / static_cast<double>(n);
    NN_GRID_STRIDE(i, n * c) {
        const int64_t col = i % c;
        const float scale = static_cast<float>((gamma ? static_cast<double>(gamma[col]) : 1.0) * invstd[col]);
        if (!batch_stats) {
            dx[i] = scale * g[i];
            continue;
        }
        const double mean_g = sums[col] * inv_n, mean_gx = sums[c + col] * inv_n;
        dx[i] = scale * static_cast<float>(static_cast<double>(g[i]) - mean_g - static_cast<double>(xhat[i]) * mean_gx);
    }
}

constexpr int row_threads = 256;

__global__ void layer_norm_forward_kernel(const float* x, int64_t width, double eps, const float* gamma,
                                          const float* beta, float* y, float* xhat, float* invstd_out) {
    __shared__ double shared[row_threads];
    const int64_t row = blockIdx.x;
    const float* xr = x + row * width;
    double sum = 0.0;
    for (int64_t j = threadIdx.x; j < width; j += row_threads) sum += xr[j];
    const double mean = block_sum<row_threads>(sum, shared) / static_cast<double>(width);
    double sq = 0.0;
    for (int64_t j = threadIdx.x; j < width; j += row_threads) {
        const double d = static_cast<double>(xr[j]) - mean;
        sq += d * d;
    }
    const double var = block_sum<row_threads>(sq, shared) / static_cast<double>(width);
    const float invstd = static_cast<float>(1.0 / sqrt(var + eps));
    const float mean_f = static_cast<float>(mean);
    for (int64_t j = threadIdx.x; j < width; j += row_threads) {
        const float h = (xr[j] - mean_f) * invstd;
        if (xhat) xhat[row * width + j] = h;
        y[row * width + j] = gamma ? h * gamma[j] + beta[j] : h;
    }
    if (threadIdx.x == 0 && invstd_out) invstd_out[row] = invstd;
}

__global__ void layer_norm_input_grad_kernel(const float* g, const float* xhat, const float* invstd, int64_t width,
                                             const float* gamma, float* dx) {
    __shared__ double shared[row_threads];
    const int64_t row = blockIdx.x;
    const float* gr = g + row * width;
    const float* hr = xhat + row * width;
    double sg = 0.0, sgx = 0.0;
    for (int64_t j = threadIdx.x; j < width; j += row_threads) {
        const float gh = gamma ? gr[j] * gamma[j] : gr[j];
        sg += gh;
        sgx += static_cast<double>(gh * hr[j]);
    }
    const float mean_g = static_cast<float>(block_sum<row_threads>(sg, shared) / width);
    const float mean_gx = static_cast<float>(block_sum<row_threads>(sgx, shared) / width);
    const float s = invstd[row];
    for (int64_t j = threadIdx.x; j < width; j += row_threads) {
        const float gh = gamma ? gr[j] * gamma[j] : gr[j];
        dx[row * width + j] = s * (gh - mean_g - hr[j] * mean_gx);
    }
}

unsigned column_blocks(int64_t c) { return static_cast<unsigned>((c + cols_per_block - 1) / cols_per_block); }

}  // namespace

void launch_batch_norm_statistics(const float* x, int64_t n, int64_t c, double eps, double momentum, float* mean,
                                  float* var, float* invstd, float* running_mean, float* running_var,
                                  cudaStream_t stream) {
    if (c <= 0) return;
    batch_norm_statistics_kernel<<<column_blocks(c), dim3(cols_per_block, row_lanes), 0, stream>>>(
        x, n, c, eps, momentum, mean, var, invstd, running_mean, running_var);
    NNSTUDIO_CUDA_CHECK_LAUNCH();
}

void launch_batch_norm_invstd(const float* var, int64_t c, double eps, float* invstd, cudaStream_t stream) {
    if (c <= 0) return;
    batch_norm_invstd_kernel<<<blocks_of_256(c), 256, 0, stream>>>(var, c, eps, invstd);
    NNSTUDIO_CUDA_CHECK_LAUNCH();
}

void launch_batch_norm_apply(const float* x, int64_t n, int64_t c, const float* mean, const float* invstd,
                             const float* gamma, const float* beta, float* y, float* xhat, cudaStream_t stream) {
    if (n * c <= 0) return;
    batch_norm_apply_kernel<<<grid_for(n * c), 256, 0, stream>>>(x, n, c, mean, invstd, gamma, beta, y,
                                                                          xhat);
    NNSTUDIO_CUDA_CHECK_LAUNCH();
}

void launch_batch_norm_backward(const float* g, const float* xhat, const float* invstd, const float* gamma,
                                int64_t n, int64_t c, bool batch_stats, float* dgamma, float* dbeta, float* dx,
                                double* sums, cudaStream_t stream) {
    if (n * c <= 0) return;
    if (batch_stats || dgamma || dbeta) {
        column_grad_sums_kernel<<<column_blocks(c), dim3(cols_per_block, row_lanes), 0, stream>>>(
            g, xhat, n, c, batch_stats ? sums : nullptr, dgamma, dbeta);
        NNSTUDIO_CUDA_CHECK_LAUNCH();
    }
    if (!dx) return;
    batch_norm_input_grad_kernel<<<grid_for(n * c), 256, 0, stream>>>(g, xhat, invstd, gamma, n, c,
                                                                               batch_stats, sums, dx);
    NNSTUDIO_CUDA_CHECK_LAUNCH();
}

void launch_layer_norm_forward(const float* x, int64_t rows, int64_t width, double eps, const float* gamma,
                               const float* beta, float* y, float* xhat, float* invstd, cudaStream_t stream) {
    if (rows <= 0 || width <= 0) return;
    layer_norm_forward_kernel<<<static_cast<unsigned>(rows), row_threads, 0, stream>>>(x, width, eps, gamma, beta, y,
                                                                                       xhat, invstd);
    NNSTUDIO_CUDA_CHECK_LAUNCH();
}

void launch_layer_norm_backward(const float* g, const float* xhat, const float* invstd, int64_t rows, int64_t width,
                                const float* gamma, float* dgamma, float* dbeta, float* dx, cudaStream_t stream) {
    if (rows <= 0 || width <= 0) return;
    if (dgamma || dbeta) {
        column_grad_sums_kernel<<<column_blocks(width), dim3(cols_per_block, row_lanes), 0, stream>>>(
            g, xhat, rows, width, nullptr, dgamma, dbeta);
        NNSTUDIO_CUDA_CHECK_LAUNCH();
    }
    if (!dx) return;
    layer_norm_input_grad_kernel<<<static_cast<unsigned>(rows), row_threads, 0, stream>>>(g, xhat, invstd, width, gamma,
                                                                                         dx);
    NNSTUDIO_CUDA_CHECK_LAUNCH();
}

}  // namespace nnstudio::gpu
