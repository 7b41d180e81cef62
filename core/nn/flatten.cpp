// Flatten: a reshape forward, the inverse reshape backward.
#include "nn/flatten.h"

#include "error.h"

#include <algorithm>

namespace nnstudio::nn {

std::string Flatten::describe() const {
    return "Flatten(start_dim=" + std::to_string(m_start) + ", end_dim=" + std::to_string(m_end) + ")";
}

Shape Flatten::flattened(const Shape& full) const {
    const int64_t nd = static_cast<int64_t>(full.size());
    const int64_t s = m_start < 0 ? m_start + nd : m_start;
    const int64_t e = m_end < 0 ? m_end + nd : m_end;
    if (s < 0 || e >= nd || s > e)
        throw ShapeError("Flatten(start_dim=" + std::to_string(m_start) + ", end_dim=" + std::to_string(m_end) +
                         ") does not fit an input of shape " + shape_to_string(full));
    Shape out(full.begin(), full.begin() + s);
    int64_t merged = 1;
    for (int64_t i = s; i <= e; ++i) merged *= full[i];
    out.push_back(merged);
    out.insert(out.end(), full.begin() + e + 1, full.end());
    return out;
}

Shape Flatten::output_shape(const Shape& in) const {
    Shape full = in;
    full.insert(full.begin(), 1);
    Shape out = flattened(full);
    out.erase(out.begin());
    return out;
}

const Tensor& Flatten::forward(const Tensor& x) {
    if (grad_enabled()) m_input_shape = x.shape();
    Tensor& y = prepare(output_buffer(), flattened(x.shape()));
    backend().copy(y.data(), x.data(), static_cast<size_t>(x.numel()) * sizeof(float));
    return y;
}

const Tensor& Flatten::backward(const Tensor& grad_out) {
    Tensor& g = grad_input_buffer();
    prepare(g, m_input_shape);
    backend().copy(g.data(), grad_out.data(), static_cast<size_t>(grad_out.numel()) * sizeof(float));
    return g;
}

}  // namespace nnstudio::nn
