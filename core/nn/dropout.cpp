// Dropout with a per-module seeded stream (reseeded by the model for reproducible runs).
#include "nn/dropout.h"

#include "error.h"

namespace nnstudio::nn {

Dropout::Dropout(float p, uint64_t seed) : m_p(p), m_rng(seed) {
    if (!(p >= 0.f && p <= 1.f))
        throw SpecError("Dropout probability has to be between 0 and 1, but got " + std::to_string(p));
}

std::string Dropout::describe() const { return "Dropout(p=" + std::to_string(m_p) + ")"; }

const Tensor& Dropout::last_mask() const {
    static const Tensor none;
    return m_mask_active ? m_mask : none;
}

const Tensor& Dropout::forward(const Tensor& x) {
    const bool record = grad_enabled();
    if (!is_training() || m_p == 0.f) {
        if (record) m_mask_active = false;
        return x;
    }
    // Each 64-bit draw gives two 32-bit uniforms: keep an element when u < (1-p) * 2^32.
    const float scale = m_p == 1.f ? 0.f : 1.f / (1.f - m_p);
    const uint64_t keep_below = static_cast<uint64_t>((1.0 - static_cast<double>(m_p)) * 4294967296.0);
    Tensor& y = output_buffer();
    y.resize(x.shape());
    Tensor& mask_buffer = record ? m_mask : m_scratch_mask;  // an unrecorded forward keeps backward's mask
    mask_buffer.resize(x.shape());
    const int64_t n = x.numel();
    float* mask = mask_buffer.data();
    for (int64_t i = 0; i < n; i += 2) {
        const uint64_t r = m_rng.next_u64();
        mask[i] = (r & 0xffffffffu) < keep_below ? scale : 0.f;
        if (i + 1 < n) mask[i + 1] = (r >> 32) < keep_below ? scale : 0.f;
    }
    y.vector().array() = x.vector().array() * mask_buffer.vector().array();
    if (record) m_mask_active = true;
    return y;
}

const Tensor& Dropout::backward(const Tensor& grad_out) {
    if (!m_mask_active) return grad_out;
    Tensor& g = grad_input_buffer();
    g.resize(grad_out.shape());
    g.vector().array() = grad_out.vector().array() * m_mask.vector().array();
    return g;
}

}  // namespace nnstudio::nn
