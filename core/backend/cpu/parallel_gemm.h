// SGEMM split over the CPU backend's ThreadTeam by output rows or columns. Each part is an ordinary
// single-threaded BLAS call on a block of C, so every output element is reduced in the same order
// whatever the split, and a given thread count always splits the same way.
#pragma once
#include "backend/cpu/gemm.h"
#include "backend/cpu/thread_team.h"

#include <cstdint>

namespace nnstudio {

// A GEMM below this many FLOPs runs on one thread: handing half of it to another core costs
// more than it saves (measured in docs/PERFORMANCE.md).
inline constexpr double kParallelGemmMinFlops = 2e6;

// No epilogue.
struct NoGemmEpilogue {
    void operator()(const GemmArgs&, int64_t, int64_t) const {}
};

// `epilogue(block, first_row, first_col)` runs on each finished block of C (block.c, block.m x
// block.n, row stride block.ldc) on the thread that computed it, while it is still in that core's
// cache (e.g. adding a bias). At most max_threads of the team's threads take part.
template <typename Epilogue = NoGemmEpilogue>
void parallel_gemm(const GemmArgs& g, Epilogue&& epilogue = {}, int max_threads = ThreadTeam::kAllThreads) {
    const auto block_product = [&](int64_t r0, int64_t nr, int64_t c0, int64_t nc) {
        const GemmArgs block = g.block(r0, nr, c0, nc);
        gemm(block);
        epilogue(block, r0, c0);
    };
    const double flops = 2.0 * static_cast<double>(g.m) * static_cast<double>(g.n) * static_cast<double>(g.k);
    ThreadTeam& team = ThreadTeam::instance();
    if (flops < kParallelGemmMinFlops || team.threads(max_threads) == 1) {
        block_product(0, g.m, 0, g.n);
        return;
    }
    // Split the longer side of C in chunks of whole 16-float (cache line) runs.
    const bool by_rows = g.m >= 32 || g.m >= g.n;
    team.parallel_for(by_rows ? g.m : g.n, 16, 16, [&](int64_t begin, int64_t end) {
        if (by_rows)
            block_product(begin, end - begin, 0, g.n);
        else
            block_product(0, g.m, begin, end - begin);
    }, max_threads);
}

}  // namespace nnstudio
