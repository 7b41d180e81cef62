// Loss and moments kernels (see the header). Class losses: one warp per row computes the row's
// terms (log-sum-exp in double), one block adds the rows in order and writes the value and the
// gradient's scale, then one warp per row writes dL/dx. Elementwise losses and moments: a fixed
// grid of 256 blocks writes per-block partial sums, one block adds them.
#include "block_reduce.cuh"
#include "cuda_check.h"
#include "launch_config.cuh"
#include "loss_kernels.h"

namespace nnstudio::gpu {
namespace {

constexpr int threads = 256, warps_per_block = threads / 32, partial_blocks = 256;

__device__ inline double warp_sum(double v) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}
__device__ inline float warp_max(float v) {
    for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
    return v;
}

struct ClassLossArgs {
    bool log_softmax;  // CrossEntropy: the input is logits
    int64_t batch, classes;
    const float* input;
    const float* target;
    const float* weight;
    int64_t ignore_index;
    double smoothing;
    bool mean;
};

// Row scratch layout: [0,B) target weight, [B,2B) NLL term, [2B,3B) smoothing term, [3B,4B) log-sum-exp,
// [4B] the gradient's scale (1/Σw for mean, 1 for sum).
__global__ void class_loss_rows_kernel(ClassLossArgs a, double* s) {
    const int64_t row = blockIdx.x * int64_t(warps_per_block) + threadIdx.x / 32;
    const int lane = threadIdx.x % 32;
    if (row >= a.batch) return;
    const float* x = a.input + row * a.classes;
    const int64_t t = static_cast<int64_t>(a.target[row]);
    const bool ignored = t == a.ignore_index;
    double lse = 0.0;
    if (a.log_softmax) {
        float mx = -INFINITY;
        for (int64_t c = lane; c < a.classes; c += 32) mx = fmaxf(mx, x[c]);
        mx = warp_max(mx);
        double sum = 0.0;
        for (int64_t c = lane; c < a.classes; c += 32) sum += exp(static_cast<double>(x[c]) - mx);
        lse = mx + log(warp_sum(sum));
    }
    double smooth = 0.0;
    if (a.smoothing > 0 && !ignored) {
        for (int64_t c = lane; c < a.classes; c += 32)
            smooth -= (static_cast<double>(x[c]) - lse) * (a.weight ? a.weight[c] : 1.f);
        smooth = warp_sum(smooth);
    }
    if (lane == 0) {
        const double wt = ignored ? 0.0 : (a.weight ? a.weight[t] : 1.0);
        s[row] = wt;
        s[a.batch + row] = ignored ? 0.0 : -wt * (static_cast<double>(x[t]) - lse);
        s[2 * a.batch + row] = smooth;
        s[3 * a.batch + row] = lse;
    }
}

__global__ void class_loss_reduce_kernel(ClassLossArgs a, double* s, double* value) {
    __shared__ double shared[threads];
    double w = 0.0, nll = 0.0, smooth = 0.0;
    for (int64_t r = threadIdx.x; r < a.batch; r += threads) {
        w += s[r];
        nll += s[a.batch + r];
        smooth += s[2 * a.batch + r];
    }
    w = block_sum<threads>(w, shared);
    nll = block_sum<threads>(nll, shared);
    smooth = block_sum<threads>(smooth, shared);
    if (threadIdx.x != 0) return;
    const double eps = a.smoothing;
    double loss = (1 - eps) * nll + (eps > 0 ? eps / a.classes * smooth : 0.0);
    if (a.mean) loss /= w;  // all targets ignored: 0/0 = nan, as PyTorch
    *value = loss;
    s[4 * a.batch] = a.mean ? 1.0 / w : 1.0;
}

__global__ void class_loss_grad_kernel(ClassLossArgs a, const double* s, float* grad) {
    const int64_t row = blockIdx.x * int64_t(warps_per_block) + threadIdx.x / 32;
    const int lane = threadIdx.x % 32;
    if (row >= a.batch) return;
    const float* x = a.input + row * a.classes;
    float* g = grad + row * a.classes;
    const int64_t t = static_cast<int64_t>(a.target[row]);
    if (t == a.ignore_index) {
        for (int64_t c = lane; c < a.classes; c += 32) g[c] = 0.f;
        return;
    }
    const double scale = s[4 * a.batch], wt = s[row], lse = s[3 * a.batch + row];
    const double eps = a.smoothing, eps_c = eps / a.classes;
    if (!a.log_softmax) {  // NLL: only the target's entry
        for (int64_t c = lane; c < a.classes; c += 32) g[c] = c == t ? static_cast<float>(-wt * scale) : 0.f;
        return;
    }
    double sum_w = 0.0;
    for (int64_t c = lane; c < a.classes; c += 32) sum_w += a.weight ? a.weight[c] : 1.f;
    sum_w = warp_sum(sum_w);
    // dL/dlogp_c = -scale·((1-ε)·w_t·[c = t] + ε/C·w_c); dx = dlogp - softmax·Σ_c dlogp
    const double sum_dlogp = -scale * ((1 - eps) * wt + eps_c * sum_w);
    for (int64_t c = lane; c < a.classes; c += 32) {
        const double dlogp = -scale * ((c == t ? (1 - eps) * wt : 0.0) + eps_c * (a.weight ? a.weight[c] : 1.f));
        const double p = exp(static_cast<double>(x[c]) - lse);
        g[c] = static_cast<float>(dlogp - p * sum_dlogp);
    }
}

struct ElementwiseArgs {
    ElementwiseLoss kind;
    int64_t n, last_dim;
    const float* input;
    const float* target;
    const float* weight;
    int64_t weight_size;
    const float* pos_weight;
    int64_t pos_weight_size;
    float grad_scale;  // 1/n for mean, 1 for sum
    float* grad;
};

__device__ inline float broadcast(const float* v, int64_t size, int64_t i, int64_t last_dim) {
    return v ? v[size == 1 ? 0 : i % last_dim] : 1.f;
}

// Loss per element (ATen's formulas) into per-block partials; the gradient beside it.
__global__ void elementwise_loss_kernel(ElementwiseArgs a, double* partials) {
    __shared__ double shared[threads];
    double sum = 0.0;
    NN_GRID_STRIDE(i, a.n) {
        const float x = a.input[i], t = a.target[i];
        float loss = 0.f, grad = 0.f;
        switch (a.kind) {
            case ElementwiseLoss::Mse: {
                const float d = x - t;
                loss = d * d;
                grad = (2.f * a.grad_scale) * d;
                break;
            }
            case ElementwiseLoss::L1: {
                const float d = x - t;
                loss = fabsf(d);
                grad = (d > 0.f ? 1.f : (d < 0.f ? -1.f : 0.f)) * a.grad_scale;
                break;
            }
            case ElementwiseLoss::BceWithLogits: {
                // ATen binary_cross_entropy_with_logits: max_val = clamp_min(-x, 0);
                // loss = (1-t)·x + lw·(log(e^-max + e^(-x-max)) + max), lw = 1 + (pw-1)·t
                const float max_val = fmaxf(-x, 0.f);
                const float log_term = logf(expf(-max_val) + expf(-x - max_val)) + max_val;
                const float w = broadcast(a.weight, a.weight_size, i, a.last_dim);
                if (a.pos_weight) {
                    const float pw = broadcast(a.pos_weight, a.pos_weight_size, i, a.last_dim);
                    const float log_weight = (pw - 1.f) * t + 1.f;
                    loss = ((1.f - t) * x + log_weight * log_term) * w;
                    const float pt = pw * t;
                    grad = ((pt + 1.f - t) * (1.f / (1.f + expf(-x))) - pt) * a.grad_scale * w;
                } else {
                    loss = ((1.f - t) * x + log_term) * w;
                    grad = ((1.f / (1.f + expf(-x))) - t) * a.grad_scale * w;
                }
                break;
            }
        }
        if (a.grad) a.grad[i] = grad;
        sum += loss;
    }
    sum = block_sum<threads>(sum, shared);
    if (threadIdx.x == 0) partials[blockIdx.x] = sum;
}

// out[k] = Σ partials[k·partial_blocks ...] (·divisor) for k < count; the blocks' partials in order.
__global__ void sum_partials_kernel(const double* partials, int count, double divisor, double* out) {
    __shared__ double shared[threads];
    for (int k = 0; k < count; ++k) {
        const double v = block_sum<threads>(partials[k * partial_blocks + threadIdx.x], shared);
        if (threadIdx.x == 0) out[k] = v / divisor;
    }
}

__global__ void moments_kernel(const float* x, int64_t n, double* partials) {
    __shared__ double shared[threads];
    double s = 0.0, s2 = 0.0;
    NN_GRID_STRIDE(i, n) {
        const double v = x[i];
        s += v;
        s2 += v * v;
    }
    s = block_sum<threads>(s, shared);
    s2 = block_sum<threads>(s2, shared);
    if (threadIdx.x == 0) {
        partials[blockIdx.x] = s;
        partials[partial_blocks + blockIdx.x] = s2;
    }
}

static_assert(partial_blocks == threads, "sum_partials_kernel gives each thread one partial");

}  // namespace

size_t class_loss_scratch(int64_t batch) { return static_cast<size_t>(4 * batch + 1); }
size_t reduction_scratch() { return 2 * partial_blocks; }

void launch_class_loss(ClassLoss kind, const ClassLossDesc& d, double* scratch, cudaStream_t stream) {
    if (d.batch <= 0) return;
    const ClassLossArgs a{kind == ClassLoss::CrossEntropy,
                          d.batch,
                          d.classes,
                          d.input,
                          d.target,
                          d.weight,
                          d.ignore_index,
                          kind == ClassLoss::CrossEntropy ? d.label_smoothing : 0.0,
                          d.reduction == LossReduction::Mean};
    const unsigned row_blocks = static_cast<unsigned>((d.batch + warps_per_block - 1) / warps_per_block);
    class_loss_rows_kernel<<<row_blocks, threads, 0, stream>>>(a, scratch);
    NNSTUDIO_CUDA_CHECK_LAUNCH();
    class_loss_reduce_kernel<<<1, threads, 0, stream>>>(a, scratch, d.value);
    NNSTUDIO_CUDA_CHECK_LAUNCH();
    if (!d.grad) return;
    class_loss_grad_kernel<<<row_blocks, threads, 0, stream>>>(a, scratch, d.grad);
    NNSTUDIO_CUDA_CHECK_LAUNCH();
}

void launch_elementwise_loss(ElementwiseLoss kind, const ElementwiseLossDesc& d, double* scratch, cudaStream_t stream) {
    const bool mean = d.reduction == LossReduction::Mean;
    const ElementwiseArgs a{kind,         d.n,         d.last_dim > 0 ? d.last_dim : 1,
                            d.input,      d.target,    d.weight,
                            d.weight_size, d.pos_weight, d.pos_weight_size,
                            mean ? static_cast<float>(1.0 / static_cast<double>(d.n)) : 1.f,
                            d.grad};
    elementwise_loss_kernel<<<partial_blocks, threads, 0, stream>>>(a, scratch);
    NNSTUDIO_CUDA_CHECK_LAUNCH();
    sum_partials_kernel<<<1, threads, 0, stream>>>(scratch, 1, mean ? static_cast<double>(d.n) : 1.0, d.value);
    NNSTUDIO_CUDA_CHECK_LAUNCH();
}

void launch_moments(const float* x, int64_t n, double* out, double* scratch, cudaStream_t stream) {
    moments_kernel<<<partial_blocks, threads, 0, stream>>>(x, n, scratch);
    NNSTUDIO_CUDA_CHECK_LAUNCH();
    sum_partials_kernel<<<1, threads, 0, stream>>>(scratch, 2, 1.0, out);
    NNSTUDIO_CUDA_CHECK_LAUNCH();
}

}  // namespace nnstudio::gpu
