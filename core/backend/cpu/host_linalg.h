// Host linear algebra the engine needs outside the operation table (initialisation, not
// training): the seam keeps Eigen inside core/backend/, so callers go through these.
#pragma once
#include <cstdint>

namespace nnstudio {

// Householder QR of a: (rows, cols) row-major doubles with rows >= cols (Eigen's HouseholderQR).
// q: (rows, cols) row-major, the reduced Q (orthonormal columns); r_diag: (cols), R's diagonal
// (its signs make the factorisation unique: torch.nn.init.orthogonal_ multiplies by them).
void householder_qr(const double* a, int64_t rows, int64_t cols, double* q, double* r_diag);

}  // namespace nnstudio
