// CudnnSoftmax (see the header).
#include "cudnn_softmax.h"

#include "cuda_check.h"
#include "error.h"

#include <climits>
#include <string>

namespace nnstudio::gpu {

CudnnSoftmax::CudnnSoftmax() { NNSTUDIO_CUDNN_CHECK(cudnnCreateTensorDescriptor(&m_desc)); }

CudnnSoftmax::~CudnnSoftmax() {
    if (m_desc) cudnnDestroyTensorDescriptor(m_desc);
}

void CudnnSoftmax::describe(int64_t outer, int64_t n, int64_t inner) {
    if (outer > INT_MAX || n > INT_MAX || inner > INT_MAX || outer * n * inner > INT_MAX)
        throw DeviceError("softmax over (" + std::to_string(outer) + ", " + std::to_string(n) + ", " +
                          std::to_string(inner) + ") exceeds cuDNN's 32-bit sizes; use a smaller batch");
    NNSTUDIO_CUDNN_CHECK(cudnnSetTensor4dDescriptor(m_desc, CUDNN_TENSOR_NCHW, CUDNN_DATA_FLOAT, static_cast<int>(outer),
                                                    static_cast<int>(n), static_cast<int>(inner), 1));
}

void CudnnSoftmax::forward(cudnnHandle_t handle, const float* x, float* y, int64_t outer, int64_t n, int64_t inner,
                           bool log) {
    if (outer * n * inner <= 0) return;
    describe(outer, n, inner);
    const float one = 1.f, zero = 0.f;
    NNSTUDIO_CUDNN_CHECK(cudnnSoftmaxForward(handle, log ? CUDNN_SOFTMAX_LOG : CUDNN_SOFTMAX_ACCURATE,
                                             CUDNN_SOFTMAX_MODE_CHANNEL, &one, m_desc, x, &zero, m_desc, y));
}

void CudnnSoftmax::backward(cudnnHandle_t handle, const float* y, const float* g, float* dx, int64_t outer, int64_t n,
                            int64_t inner, bool log) {
    if (outer * n * inner <= 0) return;
    describe(outer, n, inner);
    const float one = 1.f, zero = 0.f;
    NNSTUDIO_CUDNN_CHECK(cudnnSoftmaxBackward(handle, log ? CUDNN_SOFTMAX_LOG : CUDNN_SOFTMAX_ACCURATE,
                                              CUDNN_SOFTMAX_MODE_CHANNEL, &one, m_desc, y, m_desc, g, &zero, m_desc,
                                              dx));
}

}  // namespace nnstudio::gpu
