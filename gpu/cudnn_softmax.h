// Softmax and LogSoftmax on cuDNN (cudnnSoftmaxForward/Backward, CUDNN_SOFTMAX_ACCURATE subtracts
// the max as torch.softmax does; CUDNN_SOFTMAX_LOG for log_softmax). An (outer, n, inner) view is
// the NCHW tensor (outer, n, inner, 1) with the softmax over C (CUDNN_SOFTMAX_MODE_CHANNEL).
#pragma once
#include <cudnn.h>

#include <cstdint>

namespace nnstudio::gpu {

class CudnnSoftmax {
public:
    CudnnSoftmax();  // throws DeviceError
    ~CudnnSoftmax();
    CudnnSoftmax(const CudnnSoftmax&) = delete;
    CudnnSoftmax& operator=(const CudnnSoftmax&) = delete;

    // x, y: (outer, n, inner); y = softmax (log: log_softmax) over n. Throws DeviceError.
    void forward(cudnnHandle_t handle, const float* x, float* y, int64_t outer, int64_t n, int64_t inner, bool log);
    // y: forward's output; g, dx: (outer, n, inner)
    void backward(cudnnHandle_t handle, const float* y, const float* g, float* dx, int64_t outer, int64_t n,
                  int64_t inner, bool log);

private:
    void describe(int64_t outer, int64_t n, int64_t inner);
    cudnnTensorDescriptor_t m_desc = nullptr;
};

}  // namespace nnstudio::gpu
