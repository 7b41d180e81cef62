// C = A·B or C += A·B, split over the engine's ThreadTeam by output rows or columns. Each part
// is an ordinary (single-threaded) BLAS call on a block, so every output element is reduced in
// the same order whatever the split, and a given thread count always splits the same way.
#pragma once
#include "util/thread_team.h"

#include <Eigen/Core>
#include <cstdint>

namespace nnstudio {

enum class GemmUpdate { Assign, Accumulate };

// A GEMM below this many FLOPs runs on one thread: handing half of it to another core costs
// more than it saves (measured in docs/PERFORMANCE.md).
inline constexpr double kParallelGemmMinFlops = 2e6;

template <typename Dst, typename Lhs, typename Rhs>
void parallel_gemm(Dst&& c, const Lhs& a, const Rhs& b, GemmUpdate update) {
    const auto block_product = [&](int64_t r0, int64_t nr, int64_t c0, int64_t nc) {
        auto out = c.block(r0, c0, nr, nc);
        if (update == GemmUpdate::Assign)
            out.noalias() = a.middleRows(r0, nr) * b.middleCols(c0, nc);
        else
            out.noalias() += a.middleRows(r0, nr) * b.middleCols(c0, nc);
    };
    const int64_t rows = c.rows(), cols = c.cols();
    const double flops = 2.0 * static_cast<double>(rows) * static_cast<double>(cols) * static_cast<double>(a.cols());
    ThreadTeam& team = ThreadTeam::instance();
    if (flops < kParallelGemmMinFlops || team.threads() == 1) {
        block_product(0, rows, 0, cols);
        return;
    }
    // Split the longer side of C in chunks of whole 16-float (cache line) runs.
    const bool by_rows = rows >= cols;
    team.parallel_for(by_rows ? rows : cols, 16, 16, [&](int64_t begin, int64_t end) {
        if (by_rows)
            block_product(begin, end - begin, 0, cols);
        else
            block_product(0, rows, begin, end - begin);
    });
}

}  // namespace nnstudio
