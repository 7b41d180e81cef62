// Softmax/LogSoftmax: the axis split and recording here; the arithmetic (max-shifted, backward
// from the saved output) on the backend.
#include "nn/softmax.h"

#include "error.h"

namespace nnstudio::nn {

void SoftmaxBase::split(const Shape& shape, int64_t& outer, int64_t& n, int64_t& inner) const {
    const int64_t nd = static_cast<int64_t>(shape.size());
    const int64_t d = m_dim < 0 ? m_dim + nd : m_dim;
    if (d < 0 || d >= nd)
        throw ShapeError(type() + "(dim=" + std::to_string(m_dim) + ") does not fit an input of shape " +
                         shape_to_string(shape) + ": pick a dim between " + std::to_string(-nd) + " and " +
                         std::to_string(nd - 1));
    outer = inner = 1;
    for (int64_t i = 0; i < d; ++i) outer *= shape[i];
    for (int64_t i = d + 1; i < nd; ++i) inner *= shape[i];
    n = shape[d];
}

Shape SoftmaxBase::output_shape(const Shape& in) const {
    Shape with_batch = in;
    with_batch.insert(with_batch.begin(), 1);
    int64_t o, n, i;
    split(with_batch, o, n, i);
    return in;
}

const Tensor& SoftmaxBase::forward(const Tensor& x) {
    int64_t outer, n, inner;
    split(x.shape(), outer, n, inner);
    Tensor& y = prepare(output_buffer(), x.shape());
    backend().softmax_forward(x.data(), y.data(), outer, n, inner, m_log);
    if (grad_enabled()) m_output = &y;
    return y;
}

const Tensor& SoftmaxBase::backward(const Tensor& grad_out) {
    if (!m_output) throw Error(type() + ".backward() called without a forward pass that recorded gradients");
    int64_t outer, n, inner;
    split(m_output->shape(), outer, n, inner);
    Tensor& gx = prepare(grad_input_buffer(), m_output->shape());
    backend().softmax_backward(m_output->data(), grad_out.data(), gx.data(), outer, n, inner, m_log);
    return gx;
}

}  // namespace nnstudio::nn
