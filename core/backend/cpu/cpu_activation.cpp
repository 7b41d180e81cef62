// CPU activations, forward and backward (torch.nn.ReLU, ..., Hardtanh), split over the ThreadTeam.
// ReLU, LeakyReLU, Sigmoid and Tanh compute in float as PyTorch's CPU kernels do; GELU and the
// activations added with the seam (ELU, SELU, SiLU, Mish, Softplus) compute in double and round
// once, which keeps them within PyTorch's own float32 error of the exact value (PyTorch rounds
// after every step; the parity tests allow that error). Hardtanh is exact in float.
#include "backend/cpu/cpu_backend.h"

#include "backend/cpu/cpu_kernels.h"
#include "backend/cpu/simd_clones.h"
#include "backend/cpu/thread_team.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

namespace nnstudio {

namespace {

constexpr double kSqrt2OverPi = 0.7978845608028654;  // sqrt(2/pi)
constexpr double kGeluCubic = 0.044715;
// torch.nn.SELU's constants (Klambauer et al. 2017, as ATen's selu).
constexpr double kSeluAlpha = 1.6732632423543772848170429916717;
constexpr double kSeluScale = 1.0507009873554804934193349852946;

// Branch-free (a data-dependent branch mispredicts on half the units), vectorised loops.
NNSTUDIO_SIMD_CLONES void relu_values(const float* __restrict x, float* __restrict y, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
        const float v = x[i];
        y[i] = v > 0.f ? v : 0.f;
    }
}

NNSTUDIO_SIMD_CLONES void relu_gradient(const float* __restrict y, const float* __restrict g, float* __restrict d,
                                        int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
        const float gi = g[i];
        d[i] = y[i] > 0.f ? gi : 0.f;  // PyTorch: grad 0 at x = 0
    }
}

double sigmoid(double v) { return 1.0 / (1.0 + std::exp(-v)); }

// ELU family as ATen's elu / elu_backward (is_result=false: from the input, as autograd does for
// a non-inplace ELU/SELU): x > 0 ? scale·x : scale·alpha·(e^x - 1); grad x <= 0 ? g·scale·alpha·e^x : g·scale.
double elu_value(double v, double alpha, double scale) { return v > 0 ? scale * v : scale * alpha * std::expm1(v); }
double elu_slope(double v, double alpha, double scale) { return v <= 0 ? scale * alpha * std::exp(v) : scale; }

void values(Activation a, const ActivationParams& p, const float* x, float* y, int64_t n) {
    switch (a) {
    case Activation::Identity:
        if (y != x) std::copy(x, x + n, y);
        return;
    case Activation::ReLU: relu_values(x, y, n); return;
    case Activation::LeakyReLU: {
        const float slope = static_cast<float>(p.alpha);
        for (int64_t i = 0; i < n; ++i) y[i] = x[i] > 0.f ? x[i] : x[i] * slope;
        return;
    }
    case Activation::GELU:
        for (int64_t i = 0; i < n; ++i) {
            const double v = x[i];
            y[i] = p.approximate_tanh
                       ? static_cast<float>(0.5 * v * (1.0 + std::tanh(kSqrt2OverPi * (v + kGeluCubic * v * v * v))))
                       : static_cast<float>(0.5 * v * (1.0 + std::erf(v / std::numbers::sqrt2)));
        }
        return;
    case Activation::Sigmoid:
        for (int64_t i = 0; i < n; ++i) y[i] = 1.f / (1.f + std::exp(-x[i]));
        return;
    case Activation::Tanh:
        for (int64_t i = 0; i < n; ++i) y[i] = std::tanh(x[i]);
        return;
    case Activation::ELU:
        for (int64_t i = 0; i < n; ++i) y[i] = static_cast<float>(elu_value(x[i], p.alpha, 1.0));
        return;
    case Activation::SELU:
        for (int64_t i = 0; i < n; ++i) y[i] = static_cast<float>(elu_value(x[i], kSeluAlpha, kSeluScale));
        return;
    case Activation::SiLU:
        for (int64_t i = 0; i < n; ++i) y[i] = static_cast<float>(x[i] * sigmoid(x[i]));
        return;
    case Activation::Mish:
        for (int64_t i = 0; i < n; ++i) {
            const double v = x[i];
            y[i] = static_cast<float>(v * std::tanh(std::log1p(std::exp(v))));
        }
        return;
    case Activation::Softplus:
        for (int64_t i = 0; i < n; ++i) {
            const double v = x[i], vb = v * p.beta;
            y[i] = static_cast<float>(vb > p.threshold ? v : std::log1p(std::exp(vb)) / p.beta);
        }
        return;
    case Activation::Hardtanh: {
        const float lo = static_cast<float>(p.min_val), hi = static_cast<float>(p.max_val);
        for (int64_t i = 0; i < n; ++i) y[i] = x[i] < lo ? lo : x[i] > hi ? hi : x[i];  // NaN stays NaN
        return;
    }
    }
}

// d = g · f'(x), from the recorded input x and output y (PyTorch's autograd formula of each).
void gradients(Activation a, const ActivationParams& p, const float* x, const float* y, const float* g, float* d,
               int64_t n) {
    switch (a) {
    case Activation::Identity:
        if (d != g) std::copy(g, g + n, d);
        return;
    case Activation::ReLU: relu_gradient(y, g, d, n); return;
    case Activation::LeakyReLU: {
        const float slope = static_cast<float>(p.alpha);
        for (int64_t i = 0; i < n; ++i) d[i] = x[i] > 0.f ? g[i] : g[i] * slope;
        return;
    }
    case Activation::GELU:
        for (int64_t i = 0; i < n; ++i) {
            const double v = x[i];
            if (p.approximate_tanh) {
                const double inner = kSqrt2OverPi * (v + kGeluCubic * v * v * v);
                const double t = std::tanh(inner);
                d[i] = g[i] * static_cast<float>(0.5 * (1.0 + t) +
                                                 0.5 * v * (1.0 - t * t) * kSqrt2OverPi * (1.0 + 3.0 * kGeluCubic * v * v));
            } else {
                const double cdf = 0.5 * (1.0 + std::erf(v / std::numbers::sqrt2));
                const double pdf = std::exp(-0.5 * v * v) / std::sqrt(2.0 * std::numbers::pi);
                d[i] = g[i] * static_cast<float>(cdf + v * pdf);
            }
        }
        return;
    case Activation::Sigmoid:
        for (int64_t i = 0; i < n; ++i) d[i] = g[i] * (y[i] * (1.f - y[i]));
        return;
    case Activation::Tanh:
        for (int64_t i = 0; i < n; ++i) d[i] = g[i] * (1.f - y[i] * y[i]);
        return;
    case Activation::ELU:
        for (int64_t i = 0; i < n; ++i) d[i] = static_cast<float>(g[i] * elu_slope(x[i], p.alpha, 1.0));
        return;
    case Activation::SELU:
        for (int64_t i = 0; i < n; ++i) d[i] = static_cast<float>(g[i] * elu_slope(x[i], kSeluAlpha, kSeluScale));
        return;
    case Activation::SiLU:  // ATen's silu_backward: g·σ·(1 + x·(1 - σ))
        for (int64_t i = 0; i < n; ++i) {
            const double v = x[i], s = sigmoid(v);
            d[i] = static_cast<float>(g[i] * (s * (1.0 + v * (1.0 - s))));
        }
        return;
    case Activation::Mish:  // ATen's mish_backward: g·(tanh(sp) + x·σ·(1 - tanh²(sp))), sp = softplus(x)
        for (int64_t i = 0; i < n; ++i) {
            const double v = x[i], s = sigmoid(v), t = std::tanh(std::log1p(std::exp(v)));
            d[i] = static_cast<float>(g[i] * (t + v * s * (1.0 - t * t)));
        }
        return;
    case Activation::Softplus:  // ATen's softplus_backward: z = e^{βx}; βx > threshold ? g : g·z/(z+1)
        for (int64_t i = 0; i < n; ++i) {
            const double vb = x[i] * p.beta;
            if (vb > p.threshold) {
                d[i] = g[i];
            } else {
                const double z = std::exp(vb);
                d[i] = static_cast<float>(g[i] * z / (z + 1.0));
            }
        }
        return;
    case Activation::Hardtanh: {  // ATen's hardtanh_backward: 0 on and outside the bounds
        const float lo = static_cast<float>(p.min_val), hi = static_cast<float>(p.max_val);
        for (int64_t i = 0; i < n; ++i) d[i] = (x[i] <= lo || x[i] >= hi) ? 0.f : g[i];
        return;
    }
    }
}

}  // namespace

namespace cpu {
void activation_values(Activation a, const ActivationParams& p, const float* x, float* y, int64_t n) {
    values(a, p, x, y, n);
}
}  // namespace cpu

void CpuBackend::activation_forward(Activation a, const ActivationParams& p, const float* x, float* y, int64_t n) {
    ThreadTeam::instance().for_elements(n, [&](int64_t b, int64_t e) { values(a, p, x + b, y + b, e - b); }, m_threads);
}

void CpuBackend::activation_backward(Activation a, const ActivationParams& p, const float* x, const float* y,
                                     const float* g, float* dx, int64_t n) {
    ThreadTeam::instance().for_elements(
        n, [&](int64_t b, int64_t e) { gradients(a, p, x ? x + b : nullptr, y ? y + b : nullptr, g + b, dx + b, e - b); },
        m_threads);
}

// PReLU as ATen's prelu_cpu_kernel / prelu_backward: the weight of each element's channel.
void CpuBackend::prelu_forward(const float* x, const float* weight, int64_t weight_size, float* y, int64_t outer,
                               int64_t channels, int64_t inner) {
    for (int64_t o = 0; o < outer; ++o)
        for (int64_t c = 0; c < channels; ++c) {
            const float w = weight[weight_size == 1 ? 0 : c];
            const int64_t base = (o * channels + c) * inner;
            for (int64_t i = base; i < base + inner; ++i) y[i] = x[i] > 0.f ? x[i] : w * x[i];
        }
}

void CpuBackend::prelu_backward(const float* x, const float* weight, int64_t weight_size, const float* g, float* dx,
                                float* dweight, int64_t outer, int64_t channels, int64_t inner) {
    // dweight accumulated in double per weight, in element order, then added once.
    thread_local std::vector<double> acc;
    acc.assign(static_cast<size_t>(weight_size), 0.0);
    for (int64_t o = 0; o < outer; ++o)
        for (int64_t c = 0; c < channels; ++c) {
            const int64_t wi = weight_size == 1 ? 0 : c;
            const float w = weight[wi];
            const int64_t base = (o * channels + c) * inner;
            double dw = 0.0;
            for (int64_t i = base; i < base + inner; ++i) {
                const bool positive = x[i] > 0.f;
                if (dx) dx[i] = positive ? g[i] : w * g[i];
                if (!positive) dw += static_cast<double>(g[i]) * x[i];
            }
            acc[static_cast<size_t>(wi)] += dw;
        }
    if (dweight)
        for (int64_t wi = 0; wi < weight_size; ++wi) dweight[wi] += static_cast<float>(acc[static_cast<size_t>(wi)]);
}

}  // namespace nnstudio
