// The activations tst_backend_ops runs (each with the parameter sets that move its branch points),
// their inputs, and the float32 tolerance of each forward and backward.
#pragma once
#include "op_harness.h"

namespace nnstudio::test::ops {

// The activations with the parameter sets each is tested with (PyTorch defaults and others that
// move the branch points: Softplus with a threshold low enough to be seen, Hardtanh asymmetric).
struct ActivationCase {
    Activation a;
    ActivationParams p;
};
inline std::vector<ActivationCase> activation_cases() {
    auto with = [](auto setter) {
        ActivationParams p;
        setter(p);
        return p;
    };
    return {
        {Activation::Identity, {}},
        {Activation::ReLU, {}},
        {Activation::LeakyReLU, with([](auto& p) { p.alpha = 0.01; })},
        {Activation::LeakyReLU, with([](auto& p) { p.alpha = -1.5; })},
        {Activation::GELU, {}},
        {Activation::GELU, with([](auto& p) { p.approximate_tanh = true; })},
        {Activation::Sigmoid, {}},
        {Activation::Tanh, {}},
        {Activation::ELU, with([](auto& p) { p.alpha = 1.0; })},
        {Activation::ELU, with([](auto& p) { p.alpha = 0.3; })},
        {Activation::SELU, {}},
        {Activation::SiLU, {}},
        {Activation::Mish, {}},
        {Activation::Softplus, {}},
        {Activation::Softplus, with([](auto& p) { p.beta = 2.0, p.threshold = 1.0; })},
        {Activation::Softplus, with([](auto& p) { p.beta = 0.5, p.threshold = 3.0; })},
        {Activation::Hardtanh, {}},
        {Activation::Hardtanh, with([](auto& p) { p.min_val = -0.5, p.max_val = 2.0; })},
    };
}

inline QString describe(const ActivationCase& c) {
    return QString::fromStdString(activation_name(c.a)) +
           QString("(alpha=%1 tanh=%2 beta=%3 threshold=%4 min=%5 max=%6)")
               .arg(c.p.alpha).arg(c.p.approximate_tanh).arg(c.p.beta).arg(c.p.threshold).arg(c.p.min_val).arg(c.p.max_val);
}

// Tolerance of y = f(x) evaluated in float32 at a float input: a few ulps of the output, plus a
// few ulps of the intermediate that a float formula cancels against (e^x - 1 for ELU/SELU as
// ATen writes it, 1 + erf for GELU at negative x, log(1 + e^x) for Softplus/Mish).
inline double activation_bound(const ActivationCase& c, double x, double y) {
    switch (c.a) {
    case Activation::Identity:
    case Activation::ReLU:
    case Activation::Hardtanh: return 0.0;  // exact
    case Activation::LeakyReLU: return kEps * std::fabs(y);  // one rounding
    case Activation::Sigmoid:
    case Activation::Tanh:
    case Activation::SiLU: return 8 * kEps * std::fabs(y);
    case Activation::ELU: return 8 * kEps * (std::fabs(y) + std::fabs(c.p.alpha));
    case Activation::SELU: return 8 * kEps * (std::fabs(y) + 1.76);
    case Activation::GELU:
    case Activation::Mish: return 8 * kEps * (std::fabs(y) + std::fabs(x));
    case Activation::Softplus: return 8 * kEps * (std::fabs(y) + 1.0 / c.p.beta);
    }
    return 0.0;
}

// Tolerance of dx = g·f'(x): exact for the piecewise-linear ones (one rounding for a slope);
// otherwise a few ulps of g times f' and of the terms f' is built from (1 ± y², x·φ(x), ...).
inline double activation_grad_bound(const ActivationCase& c, double x, double g, double dx) {
    switch (c.a) {
    case Activation::Identity:
    case Activation::ReLU:
    case Activation::Hardtanh: return 0.0;
    case Activation::LeakyReLU: return kEps * std::fabs(dx);
    default: return 16 * kEps * (std::fabs(dx) + std::fabs(g) * (2.0 + std::fabs(x)));
    }
}

// Inputs for an activation: N(0, 3²) with the branch points of f placed exactly (0, the
// Hardtanh bounds, the Softplus threshold/β) and a few saturating values.
inline std::vector<float> activation_inputs(Rng& rng, int64_t n, const ActivationCase& c) {
    std::vector<float> x = normal(rng, n, 0.f, 3.f);
    const std::vector<float> special = {0.f, static_cast<float>(c.p.min_val), static_cast<float>(c.p.max_val),
                                        static_cast<float>(c.p.threshold / c.p.beta), -30.f, 30.f, -0.f, 1e-4f};
    for (size_t i = 0; i < special.size() && i < x.size(); ++i) x[at(rng.below(x.size()))] = special[i];
    return x;
}

}  // namespace nnstudio::test::ops
