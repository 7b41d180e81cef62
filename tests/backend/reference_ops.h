// The float64 reference of every Backend operation (core/backend/backend.h), for tst_backend_ops:
// written for clarity, not speed, one loop per formula, each from the PyTorch doc/ATen kernel named.
#pragma once
#include "backend/ops.h"

#include <cstdint>
#include <vector>

namespace nnstudio::test::ref {

using Vec = std::vector<double>;

// ---- GEMM: row-major C (m, n) = op(A)·op(B) + beta·C, + bias[col], then the activation.
// a, b, c as stored with their row strides (c updated in place, its padding untouched);
// magnitude (m·n, optional): Σ_l |a_il b_lj| + |beta c_ij| + |bias_j|, the size of what was summed.
void gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const Vec& a, int64_t lda, const Vec& b,
          int64_t ldb, double beta, Vec& c, int64_t ldc, const Vec* bias, Activation act, const ActivationParams& p,
          Vec* magnitude = nullptr);

// g: (rows, n); db (n) += Σ_rows g
void bias_grad(const Vec& g, int64_t rows, int64_t n, Vec& db);

// ---- Activations (torch.nn.<Name> forward; ATen's <name>_backward for dx = g·f'(x), with the
// recorded x or y exactly as PyTorch's derivatives.yaml uses them).
double activation(Activation a, const ActivationParams& p, double x);
double activation_grad(Activation a, const ActivationParams& p, double x, double y, double g);
// The Lipschitz constant of f (how far an input error can move the output; tolerances use it).
double activation_lipschitz(Activation a, const ActivationParams& p);

// torch.nn.PReLU over (outer, channels, inner); weight (1) or (channels).
void prelu_forward(const Vec& x, const Vec& w, int64_t outer, int64_t channels, int64_t inner, Vec& y);
// dx = x > 0 ? g : w·g; dw += Σ_{x<=0} g·x (ATen's _prelu_kernel_backward)
void prelu_backward(const Vec& x, const Vec& w, const Vec& g, int64_t outer, int64_t channels, int64_t inner,
                    Vec& dx, Vec& dw);

// ---- torch.softmax / torch.log_softmax over the middle axis of (outer, n, inner).
void softmax_forward(const Vec& x, int64_t outer, int64_t n, int64_t inner, bool log, Vec& y);
// ATen's _softmax_backward_data / _log_softmax_backward_data, from the output y.
void softmax_backward(const Vec& y, const Vec& g, int64_t outer, int64_t n, int64_t inner, bool log, Vec& dx);

// ---- BatchNorm1d over x: (N, C) (ATen's batch_norm_cpu_update_stats / _apply / _backward).
void batch_norm_statistics(const Vec& x, int64_t n, int64_t c, Vec& mean, Vec& var_biased);
// running = (1-momentum)·running + momentum·batch, var unbiased by N/(N-1)
void batch_norm_update_running(const Vec& mean, const Vec& var_biased, int64_t n, double momentum,
                               Vec& running_mean, Vec& running_var);
Vec batch_norm_invstd(const Vec& var, double eps);
// xhat = (x - mean)·invstd, y = xhat·γ + β (gamma/beta null: affine=False)
void batch_norm_apply(const Vec& x, int64_t n, int64_t c, const Vec& mean, const Vec& invstd, const Vec* gamma,
                      const Vec* beta, Vec& y, Vec& xhat);
// batch statistics: dx = γ·invstd·(g - mean(g) - x̂·mean(g·x̂)); running ones: dx = γ·invstd·g;
// dgamma += Σ g·x̂, dbeta += Σ g (when not null)
void batch_norm_backward(const Vec& g, const Vec& xhat, const Vec& invstd, const Vec* gamma, int64_t n, int64_t c,
                         bool batch_stats, Vec& dx, Vec* dgamma, Vec* dbeta);

// ---- torch.nn.LayerNorm over the last `width` elements of `rows` rows (biased var).
void layer_norm_forward(const Vec& x, int64_t rows, int64_t width, double eps, const Vec* gamma, const Vec* beta,
                        Vec& y, Vec& xhat, Vec& invstd);
// ĝ = g·γ; dx = invstd·(ĝ - mean(ĝ) - x̂·mean(ĝ·x̂)); dgamma += Σ_rows g·x̂; dbeta += Σ_rows g
void layer_norm_backward(const Vec& g, const Vec& xhat, const Vec& invstd, int64_t rows, int64_t width,
                         const Vec* gamma, Vec& dx, Vec* dgamma, Vec* dbeta);

// ---- Dropout's counter-based mask, as backend.h documents it: mask[i] ∈ {0, 1/(1-p)} (0 for p=1).
uint64_t splitmix64(uint64_t z);
Vec dropout_mask(uint64_t key, double p, int64_t n);

// ---- Losses: the reduced value and dL/dinput.
struct LossResult {
    double value = 0;
    Vec grad;
};
// ATen's cross_entropy_loss_label_smoothing over log_softmax(input); target: class indices or
// ignore_index; weight (C) or null.
LossResult cross_entropy(const Vec& input, const Vec& target, int64_t batch, int64_t classes, const Vec* weight,
                         int64_t ignore_index, double label_smoothing, LossReduction r);
// torch.nn.NLLLoss: -w_t·x[t] summed, divided by Σ w_t for mean
LossResult nll(const Vec& input, const Vec& target, int64_t batch, int64_t classes, const Vec* weight,
               int64_t ignore_index, LossReduction r);
LossResult mse(const Vec& input, const Vec& target, LossReduction r);
LossResult l1(const Vec& input, const Vec& target, LossReduction r);
// torch.nn.BCEWithLogitsLoss; weight and pos_weight (1) or (last_dim), broadcast over the last dim.
LossResult bce_with_logits(const Vec& input, const Vec& target, int64_t last_dim, const Vec* weight,
                           const Vec* pos_weight, LossReduction r);

// ---- Σx and Σx².
void moments(const Vec& x, double out[2]);

// ---- torch.optim, PyTorch 1.13's _single_tensor_sgd / _single_tensor_adam(w), one parameter.
// momentum_buffer is used only when momentum != 0.
void sgd_step(const SgdStepDesc& d, Vec& param, const Vec& grad, Vec& momentum_buffer);
void adam_step(const AdamStepDesc& d, Vec& param, const Vec& grad, Vec& exp_avg, Vec& exp_avg_sq,
               Vec& max_exp_avg_sq);

}  // namespace nnstudio::test::ref
