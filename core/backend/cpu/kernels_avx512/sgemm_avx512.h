// The AVX-512 SGEMM: Eigen's GEMM compiled for x86-64-v4 in a shared library of its own (see
// CMakeLists.txt there). Call only when nnstudio_sgemm_avx512_usable() says the CPU and OS support
// AVX-512; backend/cpu/gemm.cpp does the dispatch.
#pragma once
#include <cstdint>

extern "C" {

// Row-major C = op(A)·op(B) + beta·C, beta 0 or 1; the arguments of nnstudio::GemmArgs.
void nnstudio_sgemm_avx512(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda,
                           const float* b, int64_t ldb, float beta, float* c, int64_t ldc);
}
