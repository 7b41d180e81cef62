// Single-threaded row-major SGEMM: C = op(A)·op(B) + beta·C. On CPUs with AVX-512 through the
// engine's AVX-512 build of Eigen's GEMM (kernels_avx512/); elsewhere through CBLAS when the engine
// is built with a BLAS (OpenBLAS on Debian), else Eigen. NNSTUDIO_GEMM=blas in the environment
// forces the BLAS path (to compare the two).
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

// Which implementation gemm() uses in this process: "avx512", "blas" or "eigen".
const char* gemm_backend();

}  // namespace nnstudio
