// PointwiseActivation: PyTorch's formulas (ATen's cpu Activation kernels, torch 1.13) per element.
// The arithmetic is plain loops here; it moves to the backend (activation_forward/backward) when
// the seam lands.
#include "nn/pointwise_activation.h"

#include <cmath>
#include <sstream>

namespace nnstudio::nn {
namespace {

constexpr double kSeluAlpha = 1.6732632423543772848170429916717;
constexpr double kSeluScale = 1.0507009873554804934193349852946;

double sigmoid(double v) { return 1.0 / (1.0 + std::exp(-v)); }

// y = f(x) (see Activation in backend/ops.h for each formula). Moves to the backend when the seam lands.
void activation_forward(Activation a, const ActivationParams& p, const float* x, float* y, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
        const double v = x[i];
        double r = v;
        switch (a) {
        case Activation::ELU: r = v <= 0 ? (std::exp(v) - 1.0) * p.alpha : v; break;
        case Activation::SELU: r = v <= 0 ? (std::exp(v) - 1.0) * kSeluAlpha * kSeluScale : v * kSeluScale; break;
        case Activation::SiLU: r = v * sigmoid(v); break;
        case Activation::Mish: r = v * std::tanh(std::log1p(std::exp(v))); break;
        case Activation::Softplus: r = v * p.beta > p.threshold ? v : std::log1p(std::exp(v * p.beta)) / p.beta; break;
        case Activation::Hardtanh: r = std::min(std::max(v, p.min_val), p.max_val); break;
        default: break;  // the older activations have their own modules (activations.h)
        }
        y[i] = static_cast<float>(r);
    }
}

// dx = g · f'(x), from the recorded input x, as PyTorch's autograd formulas. Moves to the backend
// when the seam lands.
void activation_backward(Activation a, const ActivationParams& p, const float* x, const float* g, float* dx,
                         int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
        const double v = x[i];
        double d = 1.0;
        switch (a) {
        case Activation::ELU: d = v <= 0 ? p.alpha * std::exp(v) : 1.0; break;
        case Activation::SELU: d = v <= 0 ? kSeluAlpha * kSeluScale * std::exp(v) : kSeluScale; break;
        case Activation::SiLU: {
            const double s = sigmoid(v);
            d = s * (1.0 + v * (1.0 - s));
            break;
        }
        case Activation::Mish: {
            const double t = std::tanh(std::log1p(std::exp(v)));
            d = t + v * sigmoid(v) * (1.0 - t * t);
            break;
        }
        case Activation::Softplus: {
            const double z = std::exp(v * p.beta);
            d = v * p.beta > p.threshold ? 1.0 : z / (z + 1.0);
            break;
        }
        case Activation::Hardtanh: d = v <= p.min_val || v >= p.max_val ? 0.0 : 1.0; break;
        default: break;
        }
        dx[i] = static_cast<float>(g[i] * d);
    }
}

}  // namespace

std::string PointwiseActivation::describe() const {
    std::ostringstream s;
    s << m_type << "(";
    switch (m_kind) {
    case Activation::ELU: s << "alpha=" << m_params.alpha; break;
    case Activation::Softplus: s << "beta=" << m_params.beta << ", threshold=" << m_params.threshold; break;
    case Activation::Hardtanh: s << "min_val=" << m_params.min_val << ", max_val=" << m_params.max_val; break;
    default: break;
    }
    s << ")";
    return s.str();
}

void PointwiseActivation::apply(const float* x, float* y, int64_t n) const {
    activation_forward(m_kind, m_params, x, y, n);
}

void PointwiseActivation::derivative(const float* x, const float*, const float* g, float* d, int64_t n) const {
    activation_backward(m_kind, m_params, x, g, d, n);
}

}  // namespace nnstudio::nn
