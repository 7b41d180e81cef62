// Backend: the one seam between what a layer means (core/nn, loss, optim: PyTorch semantics,
// shape checks, train/eval) and where its arithmetic runs. A backend is a table of operations
// (ggml's manner: supports(op, type) says which it has), each a forward/backward pair over raw
// pointers into its own device's memory (llm.c's manner), with the shapes beside it.
//
// Rules every implementation keeps:
// - No operation throws for a shape: the caller (the module) checked shapes; errors it can throw
//   are DeviceError (out of memory, a failed kernel launch, a lost device).
// - An operation may run asynchronously on the backend's stream; a host read goes through
//   copy_to_host(), which waits for what came before it. Nothing else synchronises, so a GPU
//   training step can be captured and replayed.
// - Results are deterministic for a given backend and options: the same inputs give the same bits
//   on every run (the CPU backend also for every thread count).
// Formulas follow PyTorch's documentation and ATen's kernels, named at each operation.
#pragma once
#include "backend/device.h"
#include "backend/ops.h"

#include <cstddef>
#include <cstdint>

namespace nnstudio {

class Backend {
public:
    virtual ~Backend() = default;
    Backend() = default;
    Backend(const Backend&) = delete;
    Backend& operator=(const Backend&) = delete;

    virtual Device device() const = 0;
    virtual DeviceInfo info() const = 0;
    virtual bool supports(Op op, ComputeType type) const = 0;

    // ---- Memory. Buffers come from a pool: steady-state training allocates nothing new.
    // allocate(0) returns nullptr. Throws DeviceError when the device is out of memory.
    virtual void* allocate(size_t bytes) = 0;
    virtual void deallocate(void* ptr, size_t bytes) = 0;
    // Copies between host memory and this device; copy_to_host waits for the work before it.
    virtual void copy_from_host(void* device_dst, const void* host_src, size_t bytes) = 0;
    virtual void copy_to_host(void* host_dst, const void* device_src, size_t bytes) = 0;
    virtual void copy(void* dst, const void* src, size_t bytes) = 0;  // both on this device
    // Waits until all queued work is done (a no-op on the CPU).
    virtual void synchronize() = 0;

    // ---- Elementwise basics.
    // x: (n) -> x[i] = value
    virtual void fill(float* x, int64_t n, float value) = 0;
    // a, b, out: (n); out = a + b (out may alias a or b: the residual add and gradient sums)
    virtual void add(const float* a, const float* b, float* out, int64_t n) = 0;
    // a, b, out: (n); out = a · b
    virtual void mul(const float* a, const float* b, float* out, int64_t n) = 0;

    // ---- GEMM (Linear). See GemmDesc: C (m, n) = op(A)·op(B) + beta·C, + bias, then activation.
    virtual void gemm(const GemmDesc& g) = 0;
    // g: (rows, n), db: (n); db += Σ_rows g   (Linear's bias gradient)
    virtual void bias_grad(const float* g, int64_t rows, int64_t n, float* db) = 0;

    // ---- Activations (torch.nn.ReLU, ..., see Activation for each formula).
    // x, y: (n); y = f(x)
    virtual void activation_forward(Activation a, const ActivationParams& p, const float* x, float* y, int64_t n) = 0;
    // x, y (the recorded forward's input and output), g, dx: (n); dx = g · f'(x)
    virtual void activation_backward(Activation a, const ActivationParams& p, const float* x, const float* y,
                                     const float* g, float* dx, int64_t n) = 0;
    // torch.nn.PReLU: x, y: (outer, channels, inner); weight: (channels) or (1) when weight_size=1.
    // y = x > 0 ? x : w_c·x
    virtual void prelu_forward(const float* x, const float* weight, int64_t weight_size, float* y, int64_t outer,
                               int64_t channels, int64_t inner) = 0;
    // dx = x > 0 ? g : w_c·g; dw_c += Σ_{x<=0} g·x (summed over outer and inner)
    virtual void prelu_backward(const float* x, const float* weight, int64_t weight_size, const float* g, float* dx,
                                float* dweight, int64_t outer, int64_t channels, int64_t inner) = 0;

    // ---- Softmax / LogSoftmax along one axis of an (outer, n, inner) view (torch.softmax(dim)).
    // x, y: (outer, n, inner); y = softmax (or log_softmax) over the middle axis
    virtual void softmax_forward(const float* x, float* y, int64_t outer, int64_t n, int64_t inner, bool log) = 0;
    // y: the forward's output; g, dx: (outer, n, inner).
    // softmax: dx = y·(g - Σ g·y); log_softmax: dx = g - e^y·Σ g
    virtual void softmax_backward(const float* y, const float* g, float* dx, int64_t outer, int64_t n,
                                  int64_t inner, bool log) = 0;

    // ---- BatchNorm1d (torch.nn.BatchNorm1d) over x: (N, C).
    // Batch statistics: mean (C) and biased var (C), accumulated in double in a fixed order of
    // 16-row blocks (the same numbers for any thread count), and invstd (C) = 1/sqrt(var + eps).
    // When running_mean/running_var (C) are not null, also the running update
    // running = (1-d.momentum)·running + d.momentum·batch, with var unbiased by N/(N-1).
    // invstd and the running update use the variance before its rounding to float (PyTorch's
    // kernels keep it in the accumulation type too), which is why they are one operation.
    virtual void batch_norm_statistics(const BatchNormDesc& d, const float* x, float* mean, float* var,
                                       float* invstd, float* running_mean, float* running_var) = 0;
    // invstd (C) = 1/sqrt(var + eps) from stored (running) variances: eval mode
    virtual void batch_norm_invstd(const BatchNormDesc& d, const float* var, float* invstd) = 0;
    // x, y, xhat: (N, C); xhat = (x - mean)·invstd (skipped when xhat is null); y = xhat·γ + β
    // (γ, β: (C), null when affine=False)
    virtual void batch_norm_apply(const BatchNormDesc& d, const float* x, const float* mean, const float* invstd,
                                  const float* gamma, const float* beta, float* y, float* xhat) = 0;
    // g, xhat, dx: (N, C); dγ += Σ g·x̂, dβ += Σ g (both null when affine=False);
    // batch statistics: dx = γ·invstd·(g - mean(g) - x̂·mean(g·x̂)); running ones: dx = γ·invstd·g
    virtual void batch_norm_backward(const BatchNormDesc& d, const float* g, const float* xhat, const float* invstd,
                                     const float* gamma, bool batch_stats, float* dgamma, float* dbeta,
                                     float* dx) = 0;

    // ---- LayerNorm (torch.nn.LayerNorm) over the last `width` elements of each of `rows` rows.
    // x, y, xhat: (rows, width); mean, invstd: (rows) saved for backward; γ, β: (width) or null.
    // y = (x - mean)/sqrt(var_biased + eps)·γ + β
    virtual void layer_norm_forward(const float* x, int64_t rows, int64_t width, double eps, const float* gamma,
                                    const float* beta, float* y, float* xhat, float* invstd) = 0;
    // dx = invstd·(ĝ - mean(ĝ) - x̂·mean(ĝ·x̂)), ĝ = g·γ; dγ += Σ_rows g·x̂; dβ += Σ_rows g
    virtual void layer_norm_backward(const float* g, const float* xhat, const float* invstd, int64_t rows,
                                     int64_t width, const float* gamma, float* dgamma, float* dbeta,
                                     float* dx) = 0;

    // ---- Dropout (torch.nn.Dropout in train mode) with a counter-based mask: element pair k uses
    // the 64 bits of splitmix64(key + k·0x9E3779B97F4A7C15), low half for element 2k, high half for
    // 2k+1; an element is kept when its 32 bits < (1-p)·2^32 and then scaled by 1/(1-p) (0 for p=1).
    // The same key gives the same mask on every backend.
    // x, y, mask: (n); mask[i] ∈ {0, 1/(1-p)}; y = x·mask
    virtual void dropout_forward(uint64_t key, float p, const float* x, float* y, float* mask, int64_t n) = 0;

    // ---- Losses: value (one double, device memory) and dL/dinput in one pass.
    // CrossEntropyLoss as ATen's cross_entropy_loss_label_smoothing (weights, ignore_index,
    // smoothing normalised by Σ target weights for mean).
    virtual void cross_entropy_loss(const ClassLossDesc& d) = 0;
    virtual void nll_loss(const ClassLossDesc& d) = 0;
    // torch.nn.MSELoss: mean/sum of (x - t)^2; grad 2(x - t)/D
    virtual void mse_loss(const ElementwiseLossDesc& d) = 0;
    // torch.nn.L1Loss: |x - t|; grad sign(x - t)/D (0 at x = t)
    virtual void l1_loss(const ElementwiseLossDesc& d) = 0;
    // torch.nn.BCEWithLogitsLoss: -w·[p·t·log σ(x) + (1-t)·log(1-σ(x))], the log-sum-exp form
    virtual void bce_with_logits_loss(const ElementwiseLossDesc& d) = 0;

    // ---- Reductions behind gradient and weight statistics.
    // x: (n); out[0] = Σx, out[1] = Σx² (double accumulation; out in device memory)
    virtual void moments(const float* x, int64_t n, double* out) = 0;

    // ---- Optimizer steps over every parameter at once (torch.optim, PyTorch 1.13 single-tensor).
    // slots: a host array of `count` entries whose pointers point into this device's memory.
    virtual void sgd_step(const SgdStepDesc& d, const ParamSlot* slots, int64_t count) = 0;
    virtual void adam_step(const AdamStepDesc& d, const ParamSlot* slots, int64_t count) = 0;
};

}  // namespace nnstudio
