// CPU GEMM (Linear): BLAS-sized blocks of C over the ThreadTeam (parallel_gemm), with the bias and
// activation epilogue applied to each finished block on the thread that computed it; and the bias
// gradient (a column sum).
#include "backend/cpu/cpu_backend.h"

#include "backend/cpu/cpu_kernels.h"
#include "backend/cpu/parallel_gemm.h"

#include <Eigen/Core>

namespace nnstudio {

void CpuBackend::gemm(const GemmDesc& g) {
    const GemmArgs product{g.trans_a, g.trans_b, g.m, g.n, g.k, g.a, g.lda, g.b, g.ldb, g.beta, g.c, g.ldc};
    const float* bias = g.bias;
    const bool activation = g.activation != Activation::Identity;
    if (!bias && !activation) {
        parallel_gemm(product, NoGemmEpilogue{}, m_threads);
        return;
    }
    parallel_gemm(
        product,
        [&](const GemmArgs& block, int64_t, int64_t c0) {
            for (int64_t r = 0; r < block.m; ++r) {
                float* __restrict row = block.c + r * block.ldc;
                if (bias) {
                    const float* __restrict b = bias + c0;
                    for (int64_t j = 0; j < block.n; ++j) row[j] += b[j];
                }
                if (activation) cpu::activation_values(g.activation, g.activation_params, row, row, block.n);
            }
        },
        m_threads);
}

void CpuBackend::bias_grad(const float* g, int64_t rows, int64_t n, float* db) {
    // Eigen's column sum (its packet-wise order of additions): the numbers Linear had before the
    // backend seam, kept bit for bit.
    using ConstMatrixMap = Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>;
    Eigen::Map<Eigen::VectorXf>(db, n) += ConstMatrixMap(g, rows, n).colwise().sum().transpose();
}

}  // namespace nnstudio
