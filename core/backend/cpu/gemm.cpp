// SGEMM dispatch: the AVX-512 build of Eigen's GEMM where the CPU has AVX-512 (nearly twice the
// Haswell-kernel OpenBLAS these machines are pinned to), else CBLAS, else Eigen's portable GEMM.
#include "backend/cpu/gemm.h"

#include <cstdlib>
#include <cstring>

#ifdef NNSTUDIO_HAVE_AVX512_GEMM
#include "backend/cpu/kernels_avx512/sgemm_avx512.h"
#endif
#ifdef EIGEN_USE_BLAS
#include <cblas.h>
#else
#include "backend/cpu/eigen_gemm.h"
#endif

namespace nnstudio {

namespace {

#ifdef NNSTUDIO_HAVE_AVX512_GEMM
// x86-64-v4's AVX-512 subsets; libgcc also checks that the OS saves the AVX-512 registers.
bool cpu_has_avx512() {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
           __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
           __builtin_cpu_supports("avx512cd");
}

bool use_avx512() {
    static const bool use = [] {
        const char* choice = std::getenv("NNSTUDIO_GEMM");
        return cpu_has_avx512() && !(choice && std::strcmp(choice, "blas") == 0);
    }();
    return use;
}
#endif

void portable_gemm(const GemmArgs& g) {
#ifdef EIGEN_USE_BLAS
    cblas_sgemm(CblasRowMajor, g.trans_a ? CblasTrans : CblasNoTrans, g.trans_b ? CblasTrans : CblasNoTrans,
                static_cast<int>(g.m), static_cast<int>(g.n), static_cast<int>(g.k), 1.0f, g.a, static_cast<int>(g.lda),
                g.b, static_cast<int>(g.ldb), g.beta, g.c, static_cast<int>(g.ldc));
#else
    eigen_gemm(g.trans_a, g.trans_b, g.m, g.n, g.k, g.a, g.lda, g.b, g.ldb, g.beta, g.c, g.ldc);
#endif
}

}  // namespace

GemmArgs GemmArgs::block(int64_t r0, int64_t nr, int64_t c0, int64_t nc) const {
    GemmArgs g = *this;
    g.m = nr;
    g.n = nc;
    g.a = trans_a ? a + r0 : a + r0 * lda;  // rows of op(A)
    g.b = trans_b ? b + c0 * ldb : b + c0;  // columns of op(B)
    g.c = c + r0 * ldc + c0;
    return g;
}

const char* gemm_backend() {
#ifdef NNSTUDIO_HAVE_AVX512_GEMM
    if (use_avx512()) return "avx512";
#endif
#ifdef EIGEN_USE_BLAS
    return "blas";
#else
    return "eigen";
#endif
}

void gemm(const GemmArgs& g) {
    if (g.m == 0 || g.n == 0) return;
#ifdef NNSTUDIO_HAVE_AVX512_GEMM
    if (use_avx512()) {
        nnstudio_sgemm_avx512(g.trans_a, g.trans_b, g.m, g.n, g.k, g.a, g.lda, g.b, g.ldb, g.beta, g.c, g.ldc);
        return;
    }
#endif
    portable_gemm(g);
}

}  // namespace nnstudio
