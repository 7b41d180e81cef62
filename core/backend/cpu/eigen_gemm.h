// Row-major SGEMM written with Eigen's product, shared by the portable path of backend/cpu/gemm.cpp
// and the AVX-512 library (kernels_avx512/). Internal linkage on purpose: each library compiles
// its own copy for its own instruction set, and the two can never be merged by the linker.
#pragma once
#include <Eigen/Core>
#include <cstdint>

namespace nnstudio {

// C = op(A)·op(B) + beta·C with row strides lda, ldb, ldc (beta 0 ignores C's old contents).
static inline void eigen_gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const float* a,
                              int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc) {
    using Stored = Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>, 0,
                              Eigen::OuterStride<>>;
    using Out = Eigen::Map<Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>, 0, Eigen::OuterStride<>>;
    const Stored A(a, trans_a ? k : m, trans_a ? m : k, Eigen::OuterStride<>(lda));
    const Stored B(b, trans_b ? n : k, trans_b ? k : n, Eigen::OuterStride<>(ldb));
    Out C(c, m, n, Eigen::OuterStride<>(ldc));
    if (beta == 0.f)
        C.setZero();
    else if (beta != 1.f)
        C *= beta;
    if (trans_a && trans_b)
        C.noalias() += A.transpose() * B.transpose();
    else if (trans_a)
        C.noalias() += A.transpose() * B;
    else if (trans_b)
        C.noalias() += A * B.transpose();
    else
        C.noalias() += A * B;
}

}  // namespace nnstudio
