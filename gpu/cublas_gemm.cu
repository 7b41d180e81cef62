// cublas_gemm / cublas_bias_grad (see the header) and the epilogue kernel.
#include "activation_math.cuh"
#include "cublas_gemm.h"
#include "cuda_check.h"
#include "error.h"
#include "launch_config.cuh"

#include <climits>

namespace nnstudio::gpu {
namespace {

// c[r, col] = f(c[r, col] + bias[col]) over the (m, n) block with row stride ldc.
__global__ void bias_activation_kernel(float* c, int64_t m, int64_t n, int64_t ldc, const float* bias,
                                       DeviceActivation a) {
    NN_GRID_STRIDE(i, m * n) {
        const int64_t r = i / n, col = i % n;
        float& v = c[r * ldc + col];
        const float with_bias = bias ? v + bias[col] : v;
        v = activation_value(a, with_bias);
    }
}

int to_int(int64_t v, const char* what) {
    if (v < 0 || v > INT_MAX)
        throw DeviceError(std::string("cuBLAS GEMM: ") + what + " = " + std::to_string(v) +
                          " exceeds cuBLAS's 32-bit sizes; use a smaller batch or layer");
    return static_cast<int>(v);
}

}  // namespace

void cublas_gemm(cublasHandle_t handle, cudaStream_t stream, const GemmDesc& g) {
    if (g.m <= 0 || g.n <= 0) return;
    const float alpha = 1.f;
    NNSTUDIO_CUBLAS_CHECK(cublasSgemm(handle, g.trans_b ? CUBLAS_OP_T : CUBLAS_OP_N, g.trans_a ? CUBLAS_OP_T : CUBLAS_OP_N,
                                      to_int(g.n, "n"), to_int(g.m, "m"), to_int(g.k, "k"), &alpha, g.b,
                                      to_int(g.ldb, "ldb"), g.a, to_int(g.lda, "lda"), &g.beta, g.c,
                                      to_int(g.ldc, "ldc")));
    if (g.bias || g.activation != Activation::Identity) {
        bias_activation_kernel<<<grid_for(g.m * g.n), 256, 0, stream>>>(
            g.c, g.m, g.n, g.ldc, g.bias, to_device_activation(g.activation, g.activation_params));
        NNSTUDIO_CUDA_CHECK_LAUNCH();
    }
}

void cublas_bias_grad(cublasHandle_t handle, const float* g, int64_t rows, int64_t n, const float* ones, float* db) {
    if (rows <= 0 || n <= 0) return;
    const float one = 1.f;
    // Row-major g (rows, n) is column-major (n, rows) with ld n: db = g_cm · ones.
    NNSTUDIO_CUBLAS_CHECK(cublasSgemv(handle, CUBLAS_OP_N, to_int(n, "n"), to_int(rows, "rows"), &one, g, to_int(n, "n"),
                                      ones, 1, &one, db, 1));
}

}  // namespace nnstudio::gpu
