// Eigen's GEMM built for AVX-512 (this file alone is compiled with -march=x86-64-v4). Here it
// runs at 170-190 GFLOP/s on one core of these machines, against 90-100 for OpenBLAS's Haswell
// kernels (OPENBLAS_CORETYPE is pinned to Haswell on them). It lives in its own shared library
// with hidden symbols so its AVX-512 instantiations of Eigen's templates can never be merged
// with the baseline ones of the rest of the engine (an ODR clash the linker would not report).
#include "sgemm_avx512.h"

#include "backend/cpu/eigen_gemm.h"

#include <Eigen/Core>

#include <algorithm>
#include <cstddef>

namespace {

// Eigen sizes its GEMM blocks from the caches it detects. With the 48 KiB L1 these CPUs report,
// some shapes get a pathological blocking (128x256x784: 25 GFLOP/s instead of 185); planning for
// a 32 KiB L1 gave every shape measured (docs/PERFORMANCE.md) its full speed.
void plan_blocking_once() {
    static const bool planned = [] {
        Eigen::setCpuCacheSizes(std::min<std::ptrdiff_t>(Eigen::l1CacheSize(), 32 * 1024), Eigen::l2CacheSize(),
                                Eigen::l3CacheSize());
        return true;
    }();
    (void)planned;
}

}  // namespace

extern "C" __attribute__((visibility("default"))) void nnstudio_sgemm_avx512(
    bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b,
    int64_t ldb, float beta, float* c, int64_t ldc) {
    plan_blocking_once();
    nnstudio::eigen_gemm(trans_a, trans_b, m, n, k, a, lda, b, ldb, beta, c, ldc);
}
