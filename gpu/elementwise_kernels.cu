// Elementwise kernels: grid-stride loops over n elements (activation_math.cuh has the formulas).
#include "activation_math.cuh"
#include "backend/dropout_mask.h"
#include "block_reduce.cuh"
#include "cuda_check.h"
#include "elementwise_kernels.h"
#include "launch_config.cuh"

namespace nnstudio::gpu {
namespace {

__global__ void fill_kernel(float* x, int64_t n, float value) {
    NN_GRID_STRIDE(i, n) x[i] = value;
}

__global__ void add_kernel(const float* a, const float* b, float* out, int64_t n) {
    NN_GRID_STRIDE(i, n) out[i] = a[i] + b[i];
}

__global__ void mul_kernel(const float* a, const float* b, float* out, int64_t n) {
    NN_GRID_STRIDE(i, n) out[i] = a[i] * b[i];
}

__global__ void activation_forward_kernel(DeviceActivation a, const float* x, float* y, int64_t n) {
    NN_GRID_STRIDE(i, n) y[i] = activation_value(a, x[i]);
}

__global__ void activation_backward_kernel(DeviceActivation a, const float* x, const float* y, const float* g,
                                           float* dx, int64_t n) {
    NN_GRID_STRIDE(i, n) dx[i] = activation_grad(a, x ? x[i] : 0.f, y ? y[i] : 0.f, g[i]);
}

__device__ inline int64_t prelu_channel(int64_t i, int64_t weight_size, int64_t channels, int64_t inner) {
    return weight_size == 1 ? 0 : (i / inner) % channels;
}

__global__ void prelu_forward_kernel(const float* x, const float* w, int64_t weight_size, float* y, int64_t n,
                                     int64_t channels, int64_t inner) {
    NN_GRID_STRIDE(i, n) {
        const float v = x[i];
        y[i] = v > 0.f ? v : w[prelu_channel(i, weight_size, channels, inner)] * v;
    }
}

__global__ void prelu_input_grad_kernel(const float* x, const float* w, int64_t weight_size, const float* g,
                                        float* dx, int64_t n, int64_t channels, int64_t inner) {
    NN_GRID_STRIDE(i, n) {
        dx[i] = x[i] > 0.f ? g[i] : w[prelu_channel(i, weight_size, channels, inner)] * g[i];
    }
}

// One block per weight: Σ over the elements that weight scales, in a fixed order.
constexpr int reduce_threads = 256;
__global__ void prelu_weight_grad_kernel(const float* x, const float* g, float* dweight, int64_t outer,
                                         int64_t channels, int64_t inner, bool shared_weight) {
    __shared__ double scratch[reduce_threads];
    const int64_t c = blockIdx.x;
    const int64_t per_weight = shared_weight ? outer * channels * inner : outer * inner;
    double sum = 0.0;
    for (int64_t j = threadIdx.x; j < per_weight; j += reduce_threads) {
        const int64_t i = shared_weight ? j : (j / inner) * channels * inner + c * inner + j % inner;
        const float v = x[i];
        if (v <= 0.f) sum += static_cast<double>(g[i] * v);
    }
    sum = block_sum<reduce_threads>(sum, scratch);
    if (threadIdx.x == 0) dweight[c] += static_cast<float>(sum);
}

__global__ void dropout_kernel(uint64_t key, uint64_t keep_below, float scale, const float* x, float* y, float* mask,
                               int64_t n) {
    const int64_t pairs = (n + 1) / 2;
    NN_GRID_STRIDE(k, pairs) {
        const uint64_t bits = dropout_pair_bits(key, static_cast<uint64_t>(k));
        const int64_t i = 2 * k;
        const float m0 = (bits & 0xffffffffu) < keep_below ? scale : 0.f;
        mask[i] = m0;
        y[i] = x[i] * m0;
        if (i + 1 < n) {
            const float m1 = (bits >> 32) < keep_below ? scale : 0.f;
            mask[i + 1] = m1;
            y[i + 1] = x[i + 1] * m1;
        }
    }
}

}  // namespace

void launch_fill(float* x, int64_t n, float value, cudaStream_t stream) {
    if (n <= 0) return;
    fill_kernel<<<grid_for(n), 256, 0, stream>>>(x, n, value);
    NNSTUDIO_CUDA_CHECK_LAUNCH();
}

void launch_add(const float* a, const float* b, float* out, int64_t n, cudaStream_t stream) {
    if (n <= 0) return;
    add_kernel<<<grid_for(n), 256, 0, stream>>>(a, b, out, n);
    NNSTUDIO_CUDA_CHECK_LAUNCH();
}

void launch_mul(const float* a, const float* b, float* out, int64_t n, cudaStream_t stream) {
    if (n <= 0) return;
    mul_kernel<<<grid_for(n), 256, 0, stream>>>(a, b, out, n);
    NNSTUDIO_CUDA_CHECK_LAUNCH();
}

void launch_activation_forward(Activation a, const ActivationParams& p, const float* x, float* y, int64_t n,
                               cudaStream_t stream) {
    if (n <= 0) return;
    activation_forward_kernel<<<grid_for(n), 256, 0, stream>>>(to_device_activation(a, p), x, y, n);
    NNSTUDIO_CUDA_CHECK_LAUNCH();
}

void launch_activation_backward(Activation a, const ActivationParams& p, const float* x, const float* y,
                                const float* g, float* dx, int64_t n, cudaStream_t stream) {
    if (n <= 0) return;
    activation_backward_kernel<<<grid_for(n), 256, 0, stream>>>(to_device_activation(a, p), x, y, g, dx, n);
    NNSTUDIO_CUDA_CHECK_LAUNCH();
}

void launch_prelu_forward(const float* x, const float* weight, int64_t weight_size, float* y, int64_t outer,
                          int64_t channels, int64_t inner, cudaStream_t stream) {
    const int64_t n = outer * channels * inner;
    if (n <= 0) return;
    prelu_forward_kernel<<<grid_for(n), 256, 0, stream>>>(x, weight, weight_size, y, n, channels, inner);
    NNSTUDIO_CUDA_CHECK_LAUNCH();
}

void launch_prelu_backward(const float* x, const float* weight, int64_t weight_size, const float* g, float* dx,
                           float* dweight, int64_t outer, int64_t channels, int64_t inner, cudaStream_t stream) {
    const int64_t n = outer * channels * inner;
    if (n <= 0) return;
    prelu_input_grad_kernel<<<grid_for(n), 256, 0, stream>>>(x, weight, weight_size, g, dx, n, channels, inner);
    NNSTUDIO_CUDA_CHECK_LAUNCH();
    if (!dweight) return;
    prelu_weight_grad_kernel<<<static_cast<unsigned>(weight_size), reduce_threads, 0, stream>>>(
        x, g, dweight, outer, channels, inner, weight_size == 1);
    NNSTUDIO_CUDA_CHECK_LAUNCH();
}

void launch_dropout(uint64_t key, float p, const float* x, float* y, float* mask, int64_t n, cudaStream_t stream) {
    if (n <= 0) return;
    dropout_kernel<<<grid_for((n + 1) / 2), 256, 0, stream>>>(key, dropout_keep_below(p), dropout_scale(p), x, y,
                                                               mask, n);
    NNSTUDIO_CUDA_CHECK_LAUNCH();
}

}  // namespace nnstudio::gpu
