// The thrown side of cuda_check.h: one message format for CUDA, cuBLAS and cuDNN failures.
#include "cuda_check.h"

#include "error.h"

#include <string>

namespace nnstudio::gpu {
namespace {

[[noreturn]] void throw_device_error(const std::string& library, int code, const std::string& what, const char* call,
                                     const char* file, int line) {
    throw DeviceError(library + " error " + std::to_string(code) + " (" + what + ") in " + call + " at " + file + ":" +
                      std::to_string(line) +
                      (library == "CUDA" && code == cudaErrorMemoryAllocation
                           ? "; the GPU is out of memory: use a smaller batch or --device cpu"
                           : ""));
}

}  // namespace

void throw_cuda_error(cudaError_t status, const char* call, const char* file, int line) {
    throw_device_error("CUDA", static_cast<int>(status),
                       std::string(cudaGetErrorName(status)) + ": " + cudaGetErrorString(status), call, file, line);
}

void throw_cublas_error(cublasStatus_t status, const char* call, const char* file, int line) {
    throw_device_error("cuBLAS", static_cast<int>(status),
                       std::string(cublasGetStatusName(status)) + ": " + cublasGetStatusString(status), call, file,
                       line);
}

void throw_cudnn_error(cudnnStatus_t status, const char* call, const char* file, int line) {
    throw_device_error("cuDNN", static_cast<int>(status), cudnnGetErrorString(status), call, file, line);
}

}  // namespace nnstudio::gpu
