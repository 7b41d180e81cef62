// PReLU: shape checks and recording here, the arithmetic on the backend (prelu_forward/backward,
// ATen's prelu kernels).
#include "nn/prelu.h"

#include "error.h"

#include <sstream>

namespace nnstudio::nn {

PReLU::PReLU(int64_t num_parameters, double init) : m_init(init) {
    if (num_parameters < 1) throw SpecError("PReLU needs num_parameters >= 1, got " + std::to_string(num_parameters));
    m_weight = {"weight", Tensor({num_parameters}, 0.f, device()), Tensor({num_parameters}, 0.f, device())};
    register_parameter(&m_weight);
    reset_parameters();
}

void PReLU::reset_parameters() { m_weight.value.fill(static_cast<float>(m_init)); }

std::string PReLU::describe() const { return "PReLU(num_parameters=" + std::to_string(num_parameters()) + ")"; }

Shape PReLU::output_shape(int64_t num_parameters, const Shape& in) {
    if (num_parameters > 1 && (in.empty() || in[0] != num_parameters))
        throw ShapeError("PReLU(num_parameters=" + std::to_string(num_parameters) +
                         ") needs that many channels (the first dimension after the batch) but gets per-sample shape " +
                         shape_to_string(in) + ": set num_parameters to " +
                         (in.empty() ? std::string("1") : std::to_string(in[0]) + " or 1"));
    return in;
}

void PReLU::split(const Shape& shape, int64_t& outer, int64_t& channels, int64_t& inner) const {
    outer = shape.empty() ? 1 : shape[0];
    channels = shape.size() >= 2 ? shape[1] : 1;
    inner = 1;
    for (size_t d = 2; d < shape.size(); ++d) inner *= shape[d];
}

const Tensor& PReLU::forward(const Tensor& x) {
    output_shape(Shape(x.shape().begin() + (x.dim() > 0 ? 1 : 0), x.shape().end()));
    int64_t outer, channels, inner;
    split(x.shape(), outer, channels, inner);
    Tensor& y = prepare(output_buffer(), x.shape());
    backend().prelu_forward(x.data(), m_weight.value.data(), num_parameters(), y.data(), outer, channels, inner);
    if (grad_enabled()) m_input = &x;
    return y;
}

const Tensor& PReLU::backward(const Tensor& grad_out) {
    if (!m_input) throw Error("PReLU.backward() called without a forward pass that recorded gradients");
    if (grad_out.shape() != m_input->shape())
        throw ShapeError("PReLU.backward(): gradient shape " + shape_to_string(grad_out.shape()) +
                         " does not match the last forward input " + shape_to_string(m_input->shape()));
    int64_t outer, channels, inner;
    split(grad_out.shape(), outer, channels, inner);
    Tensor* gx = input_needs_grad() ? &prepare(grad_input_buffer(), grad_out.shape()) : nullptr;
    backend().prelu_backward(m_input->data(), m_weight.value.data(), num_parameters(), grad_out.data(),
                             gx ? gx->data() : nullptr, m_weight.grad.data(), outer, channels, inner);
    return gx ? *gx : no_input_grad();
}

}  // namespace nnstudio::nn
