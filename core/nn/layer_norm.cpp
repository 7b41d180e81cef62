// LayerNorm forward and backward (ATen's layer_norm kernels, torch 1.13). The arithmetic is plain
// loops here; it moves to the backend (layer_norm_forward/backward) when the seam lands.
#include "nn/layer_norm.h"

#include "error.h"

#include <cmath>
#include <sstream>

namespace nnstudio::nn {

LayerNorm::LayerNorm(Shape normalized_shape, double eps, bool elementwise_affine)
    : m_normalized(std::move(normalized_shape)), m_eps(eps), m_affine(elementwise_affine) {
    if (m_normalized.empty()) throw SpecError("LayerNorm needs a normalized_shape with at least one dimension");
    for (int64_t d : m_normalized) {
        if (d <= 0) throw SpecError("LayerNorm's normalized_shape " + shape_to_string(m_normalized) + " has a dimension <= 0");
        m_width *= d;
    }
    if (!(eps > 0)) throw SpecError("LayerNorm eps must be > 0");
    if (m_affine) {
        m_weight = {"weight", Tensor(m_normalized), Tensor(m_normalized)};
        m_bias = {"bias", Tensor(m_normalized), Tensor(m_normalized)};
        register_parameter(&m_weight);
        register_parameter(&m_bias);
    }
    reset_parameters();
}

void LayerNorm::reset_parameters() {
    if (!m_affine) return;
    m_weight.value.fill(1.f);
    m_bias.value.fill(0.f);
}

std::string LayerNorm::describe() const {
    std::ostringstream s;
    s << "LayerNorm(" << shape_to_string(m_normalized) << ", eps=" << m_eps
      << ", elementwise_affine=" << (m_affine ? "True" : "False") << ")";
    return s.str();
}

Shape LayerNorm::output_shape(const Shape& in) const {
    const bool fits = in.size() >= m_normalized.size() &&
                      std::equal(m_normalized.begin(), m_normalized.end(), in.end() - static_cast<std::ptrdiff_t>(m_normalized.size()));
    if (!fits)
        throw ShapeError("LayerNorm(normalized_shape=" + shape_to_string(m_normalized) +
                         ") needs inputs whose last dimensions are " + shape_to_string(m_normalized) +
                         " but gets per-sample shape " + shape_to_string(in) +
                         ": leave normalized_shape out (it defaults to the last input dimension) or match it");
    return in;
}

const Tensor& LayerNorm::forward(const Tensor& x) {
    output_shape(Shape(x.shape().begin() + (x.dim() > 0 ? 1 : 0), x.shape().end()));
    const int64_t rows = x.numel() / m_width, w = m_width;
    Tensor& y = output_buffer();
    y.resize(x.shape());
    const bool record = grad_enabled();
    if (record) {
        m_xhat.resize({rows, w});
        m_invstd.resize({rows});
    }
    for (int64_t r = 0; r < rows; ++r) {
        const float* xs = x.data() + r * w;
        double mean = 0.0, var = 0.0;
        for (int64_t i = 0; i < w; ++i) mean += xs[i];
        mean /= static_cast<double>(w);
        for (int64_t i = 0; i < w; ++i) var += (xs[i] - mean) * (xs[i] - mean);
        var /= static_cast<double>(w);  // biased, as PyTorch normalises
        const double invstd = 1.0 / std::sqrt(var + m_eps);
        float* ys = y.data() + r * w;
        for (int64_t i = 0; i < w; ++i) {
            const double h = (xs[i] - mean) * invstd;
            if (record) m_xhat.data()[r * w + i] = static_cast<float>(h);
            ys[i] = static_cast<float>(m_affine ? h * m_weight.value[i] + m_bias.value[i] : h);
        }
        if (record) m_invstd[r] = static_cast<float>(invstd);
    }
    m_recorded = record;
    return y;
}

const Tensor& LayerNorm::backward(const Tensor& grad_out) {
    if (!m_recorded) throw Error("LayerNorm.backward() called without a forward pass that recorded gradients");
    const int64_t w = m_width, rows = grad_out.numel() / w;
    if (rows != m_xhat.size(0) || grad_out.numel() != m_xhat.numel())
        throw ShapeError("LayerNorm.backward(): gradient shape " + shape_to_string(grad_out.shape()) +
                         " does not match the last forward");
    Tensor& gx = grad_input_buffer();
    gx.resize(grad_out.shape());
    std::vector<double> dgamma(static_cast<size_t>(w), 0.0), dbeta(static_cast<size_t>(w), 0.0);
    for (int64_t r = 0; r < rows; ++r) {
        const float* g = grad_out.data() + r * w;
        const float* h = m_xhat.data() + r * w;
        // dx = invstd·(ĝ - mean(ĝ) - x̂·mean(ĝ·x̂)), ĝ = g·γ
        double mean_g = 0.0, mean_gh = 0.0;
        for (int64_t i = 0; i < w; ++i) {
            const double gh = m_affine ? static_cast<double>(g[i]) * m_weight.value[i] : g[i];
            mean_g += gh;
            mean_gh += gh * h[i];
            dgamma[static_cast<size_t>(i)] += static_cast<double>(g[i]) * h[i];
            dbeta[static_cast<size_t>(i)] += g[i];
        }
        mean_g /= static_cast<double>(w);
        mean_gh /= static_cast<double>(w);
        float* d = gx.data() + r * w;
        for (int64_t i = 0; i < w; ++i) {
            const double gh = m_affine ? static_cast<double>(g[i]) * m_weight.value[i] : g[i];
            d[i] = static_cast<float>(m_invstd[r] * (gh - mean_g - h[i] * mean_gh));
        }
    }
    if (m_affine)
        for (int64_t i = 0; i < w; ++i) {
            m_weight.grad[i] += static_cast<float>(dgamma[static_cast<size_t>(i)]);
            m_bias.grad[i] += static_cast<float>(dbeta[static_cast<size_t>(i)]);
        }
    return input_needs_grad() ? gx : no_input_grad();
}

}  // namespace nnstudio::nn
