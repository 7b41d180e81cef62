// Dropout with a per-module seeded stream (reseeded by the model for reproducible runs).
#include "nn/dropout.h"

#include "error.h"
#include "util/thread_team.h"

namespace nnstudio::nn {

namespace {

// SplitMix64's output function (Steele, Lea, Flood 2014): a well-mixed 64-bit value per counter.
uint64_t splitmix64(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

}  // namespace

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
    // One draw from the module's stream keys this call; element pair k then takes the 64 bits of
    // splitmix64(key, k), two 32-bit uniforms: keep an element when u < (1-p) * 2^32. Counter-based,
    // so the team's threads fill their own rows of the mask independently.
    const float scale = m_p == 1.f ? 0.f : 1.f / (1.f - m_p);
    const uint64_t keep_below = static_cast<uint64_t>((1.0 - static_cast<double>(m_p)) * 4294967296.0);
    const uint64_t key = m_rng.next_u64();
    Tensor& y = output_buffer();
    y.resize(x.shape());
    Tensor& mask_buffer = record ? m_mask : m_scratch_mask;  // an unrecorded forward keeps backward's mask
    mask_buffer.resize(x.shape());
    const int64_t n = x.numel();
    const float* xd = x.data();
    float* yd = y.data();
    float* mask = mask_buffer.data();
    parallel_for_elements(n, [&](int64_t begin, int64_t end) {  // begin is even (16-aligned)
        for (int64_t i = begin; i < end; i += 2) {
            const uint64_t r = splitmix64(key + static_cast<uint64_t>(i / 2) * 0x9E3779B97F4A7C15ull);
            mask[i] = (r & 0xffffffffu) < keep_below ? scale : 0.f;
            yd[i] = xd[i] * mask[i];
            if (i + 1 < end) {
                mask[i + 1] = (r >> 32) < keep_below ? scale : 0.f;
                yd[i + 1] = xd[i + 1] * mask[i + 1];
            }
        }
    });
    if (record) m_mask_active = true;
    return y;
}

const Tensor& Dropout::backward(const Tensor& grad_out) {
    if (!m_mask_active) return grad_out;
    Tensor& g = grad_input_buffer();
    g.resize(grad_out.shape());
    const float* gd = grad_out.data();
    const float* mask = m_mask.data();
    float* out = g.data();
    parallel_for_elements(g.numel(), [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) out[i] = gd[i] * mask[i];
    });
    return g;
}

}  // namespace nnstudio::nn
