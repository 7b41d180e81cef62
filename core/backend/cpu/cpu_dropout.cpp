// CPU dropout: the counter-based mask (splitmix64 per element pair, see Backend::dropout_forward),
// each thread filling its own chunk independently.
#include "backend/cpu/cpu_backend.h"

#include "backend/cpu/thread_team.h"

namespace nnstudio {

namespace {

// SplitMix64's output function (Steele, Lea, Flood 2014): a well-mixed 64-bit value per counter.
uint64_t splitmix64(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

}  // namespace

void CpuBackend::dropout_forward(uint64_t key, float p, const float* xd, float* yd, float* mask, int64_t n) {
    const float scale = p == 1.f ? 0.f : 1.f / (1.f - p);
    const uint64_t keep_below = static_cast<uint64_t>((1.0 - static_cast<double>(p)) * 4294967296.0);
    ThreadTeam::instance().for_elements(
        n,
        [&](int64_t begin, int64_t end) {  // begin is even (16-aligned)
            for (int64_t i = begin; i < end; i += 2) {
                const uint64_t r = splitmix64(key + static_cast<uint64_t>(i / 2) * 0x9E3779B97F4A7C15ull);
                mask[i] = (r & 0xffffffffu) < keep_below ? scale : 0.f;
                yd[i] = xd[i] * mask[i];
                if (i + 1 < end) {
                    mask[i + 1] = (r >> 32) < keep_below ? scale : 0.f;
                    yd[i + 1] = xd[i + 1] * mask[i + 1];
                }
            }
        },
        m_threads);
}

}  // namespace nnstudio
