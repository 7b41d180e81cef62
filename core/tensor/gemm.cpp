// SGEMM through CBLAS (EIGEN_USE_BLAS builds link one) or Eigen's own product.
#include "tensor/gemm.h"

#ifdef EIGEN_USE_BLAS
#include <cblas.h>
#else
#include <Eigen/Core>
#endif

namespace nnstudio {

GemmArgs GemmArgs::block(int64_t r0, int64_t nr, int64_t c0, int64_t nc) const {
    GemmArgs g = *this;
    g.m = nr;
    g.n = nc;
    g.a = trans_a ? a + r0 : a + r0 * lda;  // rows of op(A)
    g.b = trans_b ? b + c0 * ldb : b + c0;  // columns of op(B)
    g.c = c + r0 * ldc + c0;
    return g;
}

void gemm(const GemmArgs& g) {
    if (g.m == 0 || g.n == 0) return;
#ifdef EIGEN_USE_BLAS
    cblas_sgemm(CblasRowMajor, g.trans_a ? CblasTrans : CblasNoTrans, g.trans_b ? CblasTrans : CblasNoTrans,
                static_cast<int>(g.m), static_cast<int>(g.n), static_cast<int>(g.k), 1.0f, g.a,
                static_cast<int>(g.lda), g.b, static_cast<int>(g.ldb), g.beta, g.c, static_cast<int>(g.ldc));
#else
    using Stored = Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>, 0,
                              Eigen::OuterStride<>>;
    using Out = Eigen::Map<Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>, 0, Eigen::OuterStride<>>;
    const Stored a(g.a, g.trans_a ? g.k : g.m, g.trans_a ? g.m : g.k, Eigen::OuterStride<>(g.lda));
    const Stored b(g.b, g.trans_b ? g.n : g.k, g.trans_b ? g.k : g.n, Eigen::OuterStride<>(g.ldb));
    Out c(g.c, g.m, g.n, Eigen::OuterStride<>(g.ldc));
    if (g.beta == 0.f) c.setZero();
    else if (g.beta != 1.f) c *= g.beta;
    if (g.trans_a && g.trans_b) c.noalias() += a.transpose() * b.transpose();
    else if (g.trans_a) c.noalias() += a.transpose() * b;
    else if (g.trans_b) c.noalias() += a * b.transpose();
    else c.noalias() += a * b;
#endif
}

}  // namespace nnstudio
