// LayerNorm: shape checks and recording here, the arithmetic on the backend
// (layer_norm_forward/backward, ATen's layer_norm kernels).
#include "nn/layer_norm.h"

#include "error.h"

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
        m_weight = {"weight", Tensor(m_normalized, 0.f, device()), Tensor(m_normalized, 0.f, device())};
        m_bias = {"bias", Tensor(m_normalized, 0.f, device()), Tensor(m_normalized, 0.f, device())};
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
    const int64_t rows = x.numel() / m_width;
    Tensor& y = prepare(output_buffer(), x.shape());
    // Without recording, x̂ and invstd are not kept (the backend skips null outputs).
    const bool record = grad_enabled();
    if (record) {
        prepare(m_xhat, {rows, m_width});
        prepare(m_invstd, {rows});
    }
    backend().layer_norm_forward(x.data(), rows, m_width, m_eps, m_affine ? m_weight.value.data() : nullptr,
                                 m_affine ? m_bias.value.data() : nullptr, y.data(), record ? m_xhat.data() : nullptr,
                                 record ? m_invstd.data() : nullptr);
    m_recorded = record;
    return y;
}

const Tensor& LayerNorm::backward(const Tensor& grad_out) {
    if (!m_recorded) throw Error("LayerNorm.backward() called without a forward pass that recorded gradients");
    const int64_t rows = grad_out.numel() / m_width;
    if (grad_out.numel() != m_xhat.numel())
        throw ShapeError("LayerNorm.backward(): gradient shape " + shape_to_string(grad_out.shape()) +
                         " does not match the last forward");
    Tensor* gx = input_needs_grad() ? &prepare(grad_input_buffer(), grad_out.shape()) : nullptr;
    backend().layer_norm_backward(grad_out.data(), m_xhat.data(), m_invstd.data(), rows, m_width,
                                  m_affine ? m_weight.value.data() : nullptr, m_affine ? m_weight.grad.data() : nullptr,
                                  m_affine ? m_bias.grad.data() : nullptr, gx ? gx->data() : nullptr);
    return gx ? *gx : no_input_grad();
}

}  // namespace nnstudio::nn
