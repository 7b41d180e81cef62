// CPU optimizer steps over all parameters: torch/optim/sgd.py and adam.py/adamw.py
// (_single_tensor_*, PyTorch 1.13) operation by operation in float32, the bias corrections in
// double as Python computes them. Adam's loops are vectorised SIMD clones split over the team.
#include "backend/cpu/cpu_backend.h"

#include "backend/cpu/simd_clones.h"
#include "backend/cpu/thread_team.h"

#include <algorithm>
#include <cmath>

namespace nnstudio {

void CpuBackend::sgd_step(const SgdStepDesc& d, const ParamSlot* slots, int64_t count) {
    // PyTorch does these as float32 tensor ops with the Python-float scalars cast to float.
    const float wd = static_cast<float>(d.weight_decay);
    const float momentum = static_cast<float>(d.momentum);
    const float keep = static_cast<float>(1.0 - d.dampening);
    const float neg_lr = static_cast<float>(-d.lr);
    for (int64_t s = 0; s < count; ++s) {
        float* v = slots[s].value;
        const float* g = slots[s].grad;
        float* buf = d.momentum != 0 ? slots[s].state0 : nullptr;
        const int64_t n = slots[s].n;
        for (int64_t k = 0; k < n; ++k) {
            float step = d.maximize ? -g[k] : g[k];
            if (d.weight_decay != 0) step = step + wd * v[k];
            if (buf) {
                float& b = buf[k];
                b = d.first_step ? step : b * momentum + keep * step;  // first step: buffer = grad, no dampening
                step = d.nesterov ? step + momentum * b : b;
            }
            v[k] = v[k] + neg_lr * step;
        }
    }
}

namespace {

struct AdamKernelArgs {
    float* v;
    const float* g;
    float* m;
    float* s;
    float* max_sq;
    int64_t n;
    float decay, wd, b1, b2, one_minus_b1, one_minus_b2, bc2_sqrt, eps, neg_step_size;

    // The same update restricted to elements [begin, end).
    AdamKernelArgs slice(int64_t begin, int64_t end) const {
        AdamKernelArgs a = *this;
        a.v += begin;
        a.g += begin;
        a.m += begin;
        a.s += begin;
        if (a.max_sq) a.max_sq += begin;
        a.n = end - begin;
        return a;
    }
};

// One branch-free loop per option combination, so the compiler vectorises it. The arithmetic
// (and its order) is torch.optim.Adam's single-tensor path.
template <bool Decoupled, bool L2, bool Amsgrad, bool Maximize>
NNSTUDIO_SIMD_CLONES void adam_kernel(const AdamKernelArgs& a) {
    float* __restrict v = a.v;
    const float* __restrict g = a.g;
    float* __restrict m = a.m;
    float* __restrict s = a.s;
    float* __restrict max_sq = a.max_sq;
    // Scalars in locals: read through `a`, they could alias the stores and block vectorising.
    const float decay = a.decay, wd = a.wd, b1 = a.b1, b2 = a.b2, one_minus_b1 = a.one_minus_b1,
                one_minus_b2 = a.one_minus_b2, bc2_sqrt = a.bc2_sqrt, eps = a.eps, neg_step_size = a.neg_step_size;
    const int64_t n = a.n;
    for (int64_t k = 0; k < n; ++k) {
        float grad = Maximize ? -g[k] : g[k];
        if constexpr (Decoupled) v[k] = v[k] * decay;
        if constexpr (L2) grad = grad + wd * v[k];
        m[k] = m[k] * b1 + one_minus_b1 * grad;
        s[k] = s[k] * b2 + one_minus_b2 * grad * grad;
        float second = s[k];
        if constexpr (Amsgrad) second = max_sq[k] = std::max(max_sq[k], s[k]);
        const float denom = std::sqrt(second) / bc2_sqrt + eps;
        v[k] = v[k] + neg_step_size * (m[k] / denom);
    }
}

using AdamKernel = void (*)(const AdamKernelArgs&);
// Index: decoupled*8 | l2*4 | amsgrad*2 | maximize (decoupled and l2 never both).
constexpr AdamKernel kAdamKernels[16] = {
    adam_kernel<false, false, false, false>, adam_kernel<false, false, false, true>,
    adam_kernel<false, false, true, false>,  adam_kernel<false, false, true, true>,
    adam_kernel<false, true, false, false>,  adam_kernel<false, true, false, true>,
    adam_kernel<false, true, true, false>,   adam_kernel<false, true, true, true>,
    adam_kernel<true, false, false, false>,  adam_kernel<true, false, false, true>,
    adam_kernel<true, false, true, false>,   adam_kernel<true, false, true, true>,
    adam_kernel<true, true, false, false>,   adam_kernel<true, true, false, true>,
    adam_kernel<true, true, true, false>,    adam_kernel<true, true, true, true>,
};

}  // namespace

void CpuBackend::adam_step(const AdamStepDesc& d, const ParamSlot* slots, int64_t count) {
    const float wd = static_cast<float>(d.weight_decay);
    const float decay = static_cast<float>(1.0 - d.lr * d.weight_decay);
    const float b1 = static_cast<float>(d.beta1), b2 = static_cast<float>(d.beta2);
    const float one_minus_b1 = static_cast<float>(1.0 - d.beta1), one_minus_b2 = static_cast<float>(1.0 - d.beta2);
    const float eps = static_cast<float>(d.eps);
    const double t = static_cast<double>(d.step);
    const double bias_correction1 = 1.0 - std::pow(d.beta1, t);
    const double bias_correction2 = 1.0 - std::pow(d.beta2, t);
    const float neg_step_size = static_cast<float>(-(d.lr / bias_correction1));
    const float bc2_sqrt = static_cast<float>(std::sqrt(bias_correction2));
    for (int64_t i = 0; i < count; ++i) {
        const ParamSlot& p = slots[i];
        const AdamKernelArgs args{p.value, p.grad, p.state0, p.state1, d.amsgrad ? p.state2 : nullptr, p.n, decay, wd,
                                  b1, b2, one_minus_b1, one_minus_b2, bc2_sqrt, eps, neg_step_size};
        const int variant = (d.decoupled_weight_decay ? 8 : 0) | (!d.decoupled_weight_decay && d.weight_decay != 0 ? 4 : 0) |
                            (args.max_sq ? 2 : 0) | (d.maximize ? 1 : 0);
        const AdamKernel kernel = kAdamKernels[variant];
        ThreadTeam::instance().for_elements(args.n, [&](int64_t b, int64_t e) { kernel(args.slice(b, e)); }, m_threads);
    }
}

}  // namespace nnstudio
