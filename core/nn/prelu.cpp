// PReLU forward and backward (ATen's prelu kernels, torch 1.13). The arithmetic is plain loops
// here; it moves to the backend (prelu_forward/backward) when the seam lands.
#include "nn/prelu.h"

#include "error.h"

#include <sstream>

namespace nnstudio::nn {

PReLU::PReLU(int64_t num_parameters, double init) : m_init(init) {
    if (num_parameters < 1) throw SpecError("PReLU needs num_parameters >= 1, got " + std::to_string(num_parameters));
    m_weight = {"weight", Tensor({num_parameters}), Tensor({num_parameters})};
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
    Shape per_sample(x.shape().begin() + (x.dim() > 0 ? 1 : 0), x.shape().end());
    output_shape(per_sample);
    int64_t outer, channels, inner;
    split(x.shape(), outer, channels, inner);
    Tensor& y = output_buffer();
    y.resize(x.shape());
    const float* w = m_weight.value.data();
    const bool shared = num_parameters() == 1;
    for (int64_t o = 0; o < outer; ++o)
        for (int64_t c = 0; c < channels; ++c) {
            const float a = w[shared ? 0 : c];
            const float* xs = x.data() + (o * channels + c) * inner;
            float* ys = y.data() + (o * channels + c) * inner;
            for (int64_t i = 0; i < inner; ++i) ys[i] = xs[i] > 0.f ? xs[i] : a * xs[i];
        }
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
    const bool shared = num_parameters() == 1;
    Tensor& gx = grad_input_buffer();
    gx.resize(grad_out.shape());
    std::vector<double> dw(static_cast<size_t>(num_parameters()), 0.0);
    const float* w = m_weight.value.data();
    for (int64_t o = 0; o < outer; ++o)
        for (int64_t c = 0; c < channels; ++c) {
            const int64_t k = shared ? 0 : c;
            const size_t off = static_cast<size_t>((o * channels + c) * inner);
            const float* xs = m_input->data() + off;
            const float* g = grad_out.data() + off;
            float* d = gx.data() + off;
            for (int64_t i = 0; i < inner; ++i) {
                d[i] = xs[i] > 0.f ? g[i] : w[k] * g[i];
                if (xs[i] <= 0.f) dw[static_cast<size_t>(k)] += static_cast<double>(g[i]) * xs[i];
            }
        }
    for (int64_t k = 0; k < num_parameters(); ++k) m_weight.grad[k] += static_cast<float>(dw[static_cast<size_t>(k)]);
    return input_needs_grad() ? gx : no_input_grad();
}

}  // namespace nnstudio::nn
