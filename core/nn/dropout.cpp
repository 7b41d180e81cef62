// Dropout with a per-module seeded stream (reseeded by the model for reproducible runs).
#include "nn/dropout.h"

#include "error.h"

namespace nnstudio::nn {

Dropout::Dropout(float p, uint64_t seed) : m_p(p), m_rng(seed) {
    if (!(p >= 0.f && p <= 1.f))
        throw SpecError("Dropout probability has to be between 0 and 1, but got " + std::to_string(p));
}

std::string Dropout::describe() const { return "Dropout(p=" + std::to_string(m_p) + ")"; }

Tensor Dropout::forward(const Tensor& x) {
    if (!is_training() || m_p == 0.f) {
        m_mask = Tensor();
        return x;
    }
    m_mask.resize(x.shape());
    const float scale = m_p == 1.f ? 0.f : 1.f / (1.f - m_p);
    for (int64_t i = 0; i < x.numel(); ++i) m_mask[i] = m_rng.bernoulli(1.0 - m_p) ? scale : 0.f;
    Tensor y(x.shape());
    y.vector().array() = x.vector().array() * m_mask.vector().array();
    return y;
}

Tensor Dropout::backward(const Tensor& grad_out) {
    if (m_mask.empty()) return grad_out;
    Tensor g(grad_out.shape());
    g.vector().array() = grad_out.vector().array() * m_mask.vector().array();
    return g;
}

}  // namespace nnstudio::nn
