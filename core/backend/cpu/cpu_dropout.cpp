// CPU dropout: the counter-based mask of backend/dropout_mask.h (the GPU draws the same one), each
// thread filling its own chunk independently.
#include "backend/cpu/cpu_backend.h"

#include "backend/cpu/thread_team.h"
#include "backend/dropout_mask.h"

namespace nnstudio {

void CpuBackend::dropout_forward(uint64_t key, float p, const float* xd, float* yd, float* mask, int64_t n) {
    const float scale = dropout_scale(p);
    const uint64_t keep_below = dropout_keep_below(p);
    ThreadTeam::instance().for_elements(
        n,
        [&](int64_t begin, int64_t end) {  // begin is even (16-aligned)
            for (int64_t i = begin; i < end; i += 2) {
                const uint64_t r = dropout_pair_bits(key, static_cast<uint64_t>(i / 2));
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
