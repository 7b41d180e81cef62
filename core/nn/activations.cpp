// Elementwise activations: values and derivatives as PyTorch computes them.
#include "nn/activations.h"

#include "error.h"
#include "util/simd_clones.h"
#include "util/thread_team.h"

#include <cmath>
#include <numbers>

namespace nnstudio::nn {

const Tensor& ElementwiseActivation::forward(const Tensor& x) {
    Tensor& y = output_buffer();
    y.resize(x.shape());
    apply(x.data(), y.data(), x.numel());
    if (grad_enabled()) {
        m_input = &x;
        m_output = &y;
    }
    return y;
}

const Tensor& ElementwiseActivation::backward(const Tensor& grad_out) {
    if (!m_output) throw Error(type() + ".backward() called without a forward pass that recorded gradients");
    if (grad_out.shape() != m_output->shape())
        throw ShapeError(type() + ".backward(): gradient shape " + shape_to_string(grad_out.shape()) +
                         " does not match the last forward output " + shape_to_string(m_output->shape()));
    Tensor& g = grad_input_buffer();
    g.resize(grad_out.shape());
    derivative(m_input->data(), m_output->data(), grad_out.data(), g.data(), g.numel());
    return g;
}

namespace {

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

}  // namespace

void ReLU::apply(const float* x, float* y, int64_t n) const {
    parallel_for_elements(n, [&](int64_t b, int64_t e) { relu_values(x + b, y + b, e - b); });
}
void ReLU::derivative(const float*, const float* y, const float* g, float* d, int64_t n) const {
    parallel_for_elements(n, [&](int64_t b, int64_t e) { relu_gradient(y + b, g + b, d + b, e - b); });
}

std::string LeakyReLU::describe() const { return "LeakyReLU(negative_slope=" + std::to_string(m_slope) + ")"; }
void LeakyReLU::apply(const float* x, float* y, int64_t n) const {
    for (int64_t i = 0; i < n; ++i) y[i] = x[i] > 0.f ? x[i] : x[i] * m_slope;
}
void LeakyReLU::derivative(const float* x, const float*, const float* g, float* d, int64_t n) const {
    for (int64_t i = 0; i < n; ++i) d[i] = x[i] > 0.f ? g[i] : g[i] * m_slope;
}

namespace {
constexpr double kSqrt2OverPi = 0.7978845608028654;  // sqrt(2/pi)
constexpr double kGeluCubic = 0.044715;
}  // namespace

std::string GELU::describe() const { return m_tanh ? "GELU(approximate='tanh')" : "GELU(approximate='none')"; }
void GELU::apply(const float* x, float* y, int64_t n) const {
    for (int64_t i = 0; i < n; ++i) {
        const double v = x[i];
        y[i] = m_tanh ? static_cast<float>(0.5 * v * (1.0 + std::tanh(kSqrt2OverPi * (v + kGeluCubic * v * v * v))))
                      : static_cast<float>(0.5 * v * (1.0 + std::erf(v / std::numbers::sqrt2)));
    }
}
void GELU::derivative(const float* x, const float*, const float* g, float* d, int64_t n) const {
    for (int64_t i = 0; i < n; ++i) {
        const double v = x[i];
        if (m_tanh) {
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
}

void Sigmoid::apply(const float* x, float* y, int64_t n) const {
    for (int64_t i = 0; i < n; ++i) y[i] = 1.f / (1.f + std::exp(-x[i]));
}
void Sigmoid::derivative(const float*, const float* y, const float* g, float* d, int64_t n) const {
    for (int64_t i = 0; i < n; ++i) d[i] = g[i] * (y[i] * (1.f - y[i]));
}

void Tanh::apply(const float* x, float* y, int64_t n) const {
    for (int64_t i = 0; i < n; ++i) y[i] = std::tanh(x[i]);
}
void Tanh::derivative(const float*, const float* y, const float* g, float* d, int64_t n) const {
    for (int64_t i = 0; i < n; ++i) d[i] = g[i] * (1.f - y[i] * y[i]);
}

}  // namespace nnstudio::nn
