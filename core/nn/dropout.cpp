// Dropout with a per-module seeded stream (reseeded by the model for reproducible runs).
#include "nn/dropout.h"

#include "error.h"
#include "util/number_text.h"

namespace nnstudio::nn {

Dropout::Dropout(float p, uint64_t seed) : m_p(p), m_rng(seed) {
    if (!(p >= 0.f && p <= 1.f))
        throw SpecError("Dropout probability has to be between 0 and 1, but got " + number_text(p));
}

std::string Dropout::describe() const { return "Dropout(p=" + number_text(m_p) + ")"; }

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
    // One draw from the module's stream keys this call; the backend's counter-based mask then
    // gives the same mask for that key on every backend and thread count.
    const uint64_t key = m_rng.next_u64();
    Tensor& y = prepare(output_buffer(), x.shape());
    Tensor& mask = prepare(record ? m_mask : m_scratch_mask, x.shape());  // an unrecorded forward keeps backward's mask
    backend().dropout_forward(key, m_p, x.data(), y.data(), mask.data(), x.numel());
    if (record) m_mask_active = true;
    return y;
}

const Tensor& Dropout::backward(const Tensor& grad_out) {
    if (!m_mask_active) return grad_out;
    Tensor& g = prepare(grad_input_buffer(), grad_out.shape());
    backend().mul(grad_out.data(), m_mask.data(), g.data(), g.numel());
    return g;
}

}  // namespace nnstudio::nn
