// Elementwise tensor arithmetic: SIMD clones of plain loops, split over the ThreadTeam.
#include "tensor/elementwise.h"

#include "error.h"
#include "util/simd_clones.h"
#include "util/thread_team.h"

namespace nnstudio {

namespace {

NNSTUDIO_SIMD_CLONES void add_floats(const float* __restrict a, const float* __restrict b, float* __restrict out,
                                     int64_t n) {
    for (int64_t i = 0; i < n; ++i) out[i] = a[i] + b[i];
}

}  // namespace

void add_elementwise(const Tensor& a, const Tensor& b, Tensor& out) {
    if (a.numel() != b.numel())
        throw ShapeError("cannot add tensors of shapes " + shape_to_string(a.shape()) + " and " +
                         shape_to_string(b.shape()));
    out.resize(a.shape());
    const float* pa = a.data();
    const float* pb = b.data();
    float* po = out.data();
    parallel_for_elements(a.numel(), [&](int64_t begin, int64_t end) {
        add_floats(pa + begin, pb + begin, po + begin, end - begin);
    });
}

}  // namespace nnstudio
