// Adam/AdamW step, mirroring torch/optim/adam.py and adamw.py (_single_tensor_*) operation by
// operation in float32, with the bias corrections computed in double as Python does.
#include "optim/adam.h"

#include "error.h"
#include "util/simd_clones.h"
#include "util/thread_team.h"

#include <algorithm>
#include <cmath>

namespace nnstudio::optim {

std::optional<std::pair<std::string, std::string>> AdamOptions::problem() const {
    using P = std::pair<std::string, std::string>;
    if (!std::isfinite(lr) || lr < 0) return P{"lr", "must be >= 0"};
    if (!std::isfinite(eps) || eps < 0) return P{"eps", "must be >= 0 (1e-8 is the default)"};
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1))
        return P{"betas", "both betas must be in [0, 1), like [0.9, 0.999]"};
    if (!std::isfinite(weight_decay) || weight_decay < 0) return P{"weight_decay", "must be >= 0"};
    return std::nullopt;
}

Adam::Adam(std::vector<nn::Parameter*> params, AdamOptions options) : Adam(std::move(params), options, false) {}

Adam::Adam(std::vector<nn::Parameter*> params, AdamOptions options, bool decoupled_weight_decay)
    : Optimizer(std::move(params)), m_options(options), m_decoupled(decoupled_weight_decay) {
    // name() is not yet AdamW's during construction, so spell the name out.
    if (const auto p = m_options.problem())
        throw Error(std::string(decoupled_weight_decay ? "AdamW" : "Adam") + ": " + p->first + " " + p->second);
    set_lr(m_options.lr);
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

void Adam::step() {
    const AdamOptions& o = m_options;
    const float wd = static_cast<float>(o.weight_decay);
    const float decay = static_cast<float>(1.0 - lr() * o.weight_decay);
    const float b1 = static_cast<float>(o.beta1), b2 = static_cast<float>(o.beta2);
    const float one_minus_b1 = static_cast<float>(1.0 - o.beta1), one_minus_b2 = static_cast<float>(1.0 - o.beta2);
    const float eps = static_cast<float>(o.eps);
    for (size_t i : params_with_grad()) {
        nn::Parameter& p = *params()[i];
        auto& st = param_state(i);
        const Shape& shape = p.value.shape();
        // Lazy state like torch: created on the first step a parameter has a gradient.
        for (const char* key : {"exp_avg", "exp_avg_sq"})
            if (st[key].shape() != shape || st[key].empty()) st[key] = Tensor(shape);
        if (st["step"].empty()) st["step"] = Tensor::scalar(0.0f);
        Tensor* max_sq = nullptr;
        if (o.amsgrad) {
            Tensor& m = st["max_exp_avg_sq"];
            if (m.empty() || m.shape() != shape) m = Tensor(shape);
            max_sq = &m;
        }
        st["step"][0] += 1.0f;  // a float32 tensor in PyTorch 1.13
        const double t = st["step"][0];
        const double bias_correction1 = 1.0 - std::pow(o.beta1, t);
        const double bias_correction2 = 1.0 - std::pow(o.beta2, t);
        const float neg_step_size = static_cast<float>(-(lr() / bias_correction1));
        const float bc2_sqrt = static_cast<float>(std::sqrt(bias_correction2));

        const AdamKernelArgs args{p.value.data(), p.grad.data(), st["exp_avg"].data(), st["exp_avg_sq"].data(),
                                  max_sq ? max_sq->data() : nullptr, p.value.numel(), decay, wd, b1, b2,
                                  one_minus_b1, one_minus_b2, bc2_sqrt, eps, neg_step_size};
        const int variant = (m_decoupled ? 8 : 0) | (!m_decoupled && o.weight_decay != 0 ? 4 : 0) |
                            (max_sq ? 2 : 0) | (o.maximize ? 1 : 0);
        const AdamKernel kernel = kAdamKernels[variant];
        parallel_for_elements(args.n, [&](int64_t b, int64_t e) { kernel(args.slice(b, e)); });
    }
}

std::vector<std::pair<std::string, std::vector<double>>> Adam::hyperparameters() const {
    return {{"betas", {m_options.beta1, m_options.beta2}},
            {"eps", {m_options.eps}},
            {"weight_decay", {m_options.weight_decay}},
            {"amsgrad", {m_options.amsgrad ? 1.0 : 0.0}},
            {"maximize", {m_options.maximize ? 1.0 : 0.0}}};
}

void Adam::set_hyperparameters(const std::map<std::string, std::vector<double>>& values) {
    AdamOptions o = m_options;
    o.beta1 = values.at("betas")[0];
    o.beta2 = values.at("betas")[1];
    o.eps = values.at("eps")[0];
    o.weight_decay = values.at("weight_decay")[0];
    o.amsgrad = values.at("amsgrad")[0] != 0;
    o.maximize = values.at("maximize")[0] != 0;
    if (const auto p = o.problem()) throw Error(p->first + " " + p->second);
    m_options = o;
}

}  // namespace nnstudio::optim
