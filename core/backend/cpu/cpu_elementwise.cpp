// CPU fill, add and mul: SIMD clones of plain loops, split over the ThreadTeam.
#include "backend/cpu/cpu_backend.h"

#include "backend/cpu/simd_clones.h"
#include "backend/cpu/thread_team.h"

#include <algorithm>

namespace nnstudio {

namespace {

// No __restrict: out may alias a or b (the interface allows it). GCC then checks for overlap at
// run time and vectorises the non-overlapping case as before.
NNSTUDIO_SIMD_CLONES void add_floats(const float* a, const float* b, float* out, int64_t n) {
    for (int64_t i = 0; i < n; ++i) out[i] = a[i] + b[i];
}

}  // namespace

void CpuBackend::fill(float* x, int64_t n, float value) {
    ThreadTeam::instance().for_elements(n, [&](int64_t b, int64_t e) { std::fill(x + b, x + e, value); }, m_threads);
}

void CpuBackend::add(const float* a, const float* b, float* out, int64_t n) {
    ThreadTeam::instance().for_elements(
        n, [&](int64_t begin, int64_t end) { add_floats(a + begin, b + begin, out + begin, end - begin); }, m_threads);
}

void CpuBackend::mul(const float* a, const float* b, float* out, int64_t n) {
    ThreadTeam::instance().for_elements(
        n,
        [&](int64_t begin, int64_t end) {
            for (int64_t i = begin; i < end; ++i) out[i] = a[i] * b[i];
        },
        m_threads);
}

}  // namespace nnstudio
