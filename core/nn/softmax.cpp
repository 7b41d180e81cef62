// Softmax/LogSoftmax: max-shifted for stability; backward from the saved output.
#include "nn/softmax.h"

#include "error.h"

#include <cmath>

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
    Tensor& y = output_buffer();
    y.resize(x.shape());
    for (int64_t o = 0; o < outer; ++o)
        for (int64_t in = 0; in < inner; ++in) {
            const float* xp = x.data() + o * n * inner + in;
            float* yp = y.data() + o * n * inner + in;
            float mx = -INFINITY;
            for (int64_t k = 0; k < n; ++k) mx = std::max(mx, xp[k * inner]);
            double sum = 0.0;
            for (int64_t k = 0; k < n; ++k) sum += std::exp(static_cast<double>(xp[k * inner] - mx));
            const double log_sum = std::log(sum);
            for (int64_t k = 0; k < n; ++k) {
                const double shifted = static_cast<double>(xp[k * inner] - mx);
                yp[k * inner] = static_cast<float>(m_log ? shifted - log_sum : std::exp(shifted - log_sum));
            }
        }
    if (grad_enabled()) m_output = &y;
    return y;
}

const Tensor& SoftmaxBase::backward(const Tensor& grad_out) {
    if (!m_output) throw Error(type() + ".backward() called without a forward pass that recorded gradients");
    int64_t outer, n, inner;
    split(m_output->shape(), outer, n, inner);
    Tensor& gx = grad_input_buffer();
    gx.resize(m_output->shape());
    for (int64_t o = 0; o < outer; ++o)
        for (int64_t in = 0; in < inner; ++in) {
            const size_t base = static_cast<size_t>(o * n * inner + in);
            const float* y = m_output->data() + base;
            const float* g = grad_out.data() + base;
            float* d = gx.data() + base;
            double acc = 0.0;
            if (m_log) {  // dx = g - softmax * sum(g)
                for (int64_t k = 0; k < n; ++k) acc += g[k * inner];
                for (int64_t k = 0; k < n; ++k) d[k * inner] = static_cast<float>(g[k * inner] - std::exp(y[k * inner]) * acc);
            } else {  // dx = y * (g - sum(g * y))
                for (int64_t k = 0; k < n; ++k) acc += static_cast<double>(g[k * inner]) * y[k * inner];
                for (int64_t k = 0; k < n; ++k) d[k * inner] = static_cast<float>(y[k * inner] * (g[k * inner] - acc));
            }
        }
    return gx;
}

}  // namespace nnstudio::nn
