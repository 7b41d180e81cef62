// Elementwise activations: shape checks and recording here, the arithmetic on the backend.
#include "nn/activations.h"

#include "error.h"
#include "util/number_text.h"

namespace nnstudio::nn {

const Tensor& ElementwiseActivation::forward(const Tensor& x) {
    Tensor& y = prepare(output_buffer(), x.shape());
    backend().activation_forward(kind(), params(), x.data(), y.data(), x.numel());
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
    Tensor& g = prepare(grad_input_buffer(), grad_out.shape());
    backend().activation_backward(kind(), params(), m_input->data(), m_output->data(), grad_out.data(), g.data(),
                                  g.numel());
    return g;
}

std::string LeakyReLU::describe() const { return "LeakyReLU(negative_slope=" + number_text(m_slope) + ")"; }

std::string GELU::describe() const { return m_tanh ? "GELU(approximate='tanh')" : "GELU(approximate='none')"; }

}  // namespace nnstudio::nn
