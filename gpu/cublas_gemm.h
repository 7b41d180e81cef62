// Linear's arithmetic on cuBLAS: the row-major GEMM with its bias+activation epilogue, and the bias
// gradient as a GEMV against a vector of ones (deterministic, unlike atomics).
#pragma once
#include "backend/ops.h"

#include <cublas_v2.h>
#include <cuda_runtime_api.h>

namespace nnstudio::gpu {

// C (m, n) = op(A)·op(B) + beta·C, then + bias[col], then the activation (GemmDesc, row-major).
// cuBLAS is column-major: a row-major X is the column-major Xᵀ, so it computes
// Cᵀ (n, m) = op(B)ᵀ·op(A)ᵀ with the operands swapped. The epilogue is one kernel over C.
// Throws DeviceError on a cuBLAS or launch failure.
void cublas_gemm(cublasHandle_t handle, cudaStream_t stream, const GemmDesc& g);

// db (n) += Σ_rows g (rows, n): db = 1·gᵀ·ones + 1·db. `ones` holds at least `rows` ones.
void cublas_bias_grad(cublasHandle_t handle, const float* g, int64_t rows, int64_t n, const float* ones, float* db);

}  // namespace nnstudio::gpu
