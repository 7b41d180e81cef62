// Check macros for every CUDA runtime, cuBLAS and cuDNN call of the backend: a failure throws
// DeviceError naming the call, the error and where (never exit(), never an unchecked status).
#pragma once
#include <cublas_v2.h>
#include <cuda_runtime_api.h>
#include <cudnn.h>

namespace nnstudio::gpu {

// Throw DeviceError("CUDA error 2 (cudaErrorMemoryAllocation: out of memory) in cudaMalloc(...) at file:line").
[[noreturn]] void throw_cuda_error(cudaError_t status, const char* call, const char* file, int line);
[[noreturn]] void throw_cublas_error(cublasStatus_t status, const char* call, const char* file, int line);
[[noreturn]] void throw_cudnn_error(cudnnStatus_t status, const char* call, const char* file, int line);

}  // namespace nnstudio::gpu

#define NNSTUDIO_CUDA_CHECK(call)                                                                   \
    do {                                                                                            \
        const cudaError_t nn_status_ = (call);                                                      \
        if (nn_status_ != cudaSuccess) ::nnstudio::gpu::throw_cuda_error(nn_status_, #call, __FILE__, __LINE__); \
    } while (0)

#define NNSTUDIO_CUBLAS_CHECK(call)                                                                 \
    do {                                                                                            \
        const cublasStatus_t nn_status_ = (call);                                                   \
        if (nn_status_ != CUBLAS_STATUS_SUCCESS)                                                    \
            ::nnstudio::gpu::throw_cublas_error(nn_status_, #call, __FILE__, __LINE__);             \
    } while (0)

#define NNSTUDIO_CUDNN_CHECK(call)                                                                  \
    do {                                                                                            \
        const cudnnStatus_t nn_status_ = (call);                                                    \
        if (nn_status_ != CUDNN_STATUS_SUCCESS)                                                     \
            ::nnstudio::gpu::throw_cudnn_error(nn_status_, #call, __FILE__, __LINE__);              \
    } while (0)

// After a kernel launch: launch errors (bad configuration, no device) surface here, without waiting.
#define NNSTUDIO_CUDA_CHECK_LAUNCH() NNSTUDIO_CUDA_CHECK(cudaGetLastError())
