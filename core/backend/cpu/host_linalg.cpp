// Host linear algebra through Eigen (see host_linalg.h).
#include "backend/cpu/host_linalg.h"

#include <Eigen/QR>

namespace nnstudio {

void householder_qr(const double* a, int64_t rows, int64_t cols, double* q, double* r_diag) {
    using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    const Eigen::MatrixXd m = Eigen::Map<const RowMajor>(a, rows, cols);
    const Eigen::HouseholderQR<Eigen::MatrixXd> qr(m);
    Eigen::Map<RowMajor>(q, rows, cols) = qr.householderQ() * Eigen::MatrixXd::Identity(rows, cols);
    for (int64_t j = 0; j < cols; ++j) r_diag[j] = qr.matrixQR()(j, j);
}

}  // namespace nnstudio
