// Single-threaded row-major SGEMM: C = op(A)·op(B) + beta·C, through CBLAS when the engine is
// built with a BLAS (OpenBLAS on Debian), else through Eigen. Unlike an Eigen `C = A*B`, which
// zero-fills C and then accumulates, beta = 0 writes C in the kernel's one pass.
#pragma once
#include <cstdint>

namespace nnstudio {

struct GemmArgs {
    bool trans_a = false, trans_b = false;
    int64_t m = 0, n = 0, k = 0;  // C is m x n; op(A) is m x k; op(B) is k x n
    const float* a = nullptr;
    int64_t lda = 0;  // row stride of A as stored
    const float* b = nullptr;
    int64_t ldb = 0;
    float beta = 0.f;  // 0: overwrite C; 1: accumulate into C
    float* c = nullptr;
    int64_t ldc = 0;

    // The same product restricted to rows [r0, r0+nr) and columns [c0, c0+nc) of C.
    GemmArgs block(int64_t r0, int64_t nr, int64_t c0, int64_t nc) const;
};

void gemm(const GemmArgs& g);

}  // namespace nnstudio
