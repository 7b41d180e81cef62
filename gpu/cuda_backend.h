// CudaBackend: the operation table (core/backend/backend.h) on one NVIDIA GPU. GEMMs on cuBLAS
// (FP32; TF32 only when asked), softmax on cuDNN, everything else in own kernels (one file per
// family: cublas_gemm, elementwise_kernels, normalization_kernels, loss_kernels,
// optimizer_kernels). One stream; memory from a caching pool; host copies through pinned
// staging. No operation waits for the GPU, so a training step can be captured as a CUDA graph
// (begin_capture / end_capture) and replayed.
#pragma once
#include "backend/backend.h"
#include "cuda_memory_pool.h"
#include "cudnn_softmax.h"
#include "pinned_staging.h"

#include <cublas_v2.h>
#include <cuda_runtime_api.h>
#include <cudnn.h>

#include <string>
#include <vector>

namespace nnstudio::gpu {

struct CudaBackendOptions {
    // cuBLAS may use TF32 tensor cores for FP32 GEMMs (torch.backends.cuda.matmul.allow_tf32):
    // faster, but inputs are rounded to 10-bit mantissas, so results leave PyTorch's FP32 numbers.
    bool allow_tf32 = false;
};

class CudaBackend final : public Backend {
public:
    // Opens cuda:`index` with its own stream, cuBLAS and cuDNN handles. Throws DeviceError when there
    // is no such device, no driver, or a library cannot start.
    explicit CudaBackend(int index, CudaBackendOptions options = {});
    ~CudaBackend() override;

    Device device() const override { return Device::cuda(m_index); }
    DeviceInfo info() const override;
    bool supports(Op op, ComputeType type) const override;

    void* allocate(size_t bytes) override;
    void deallocate(void* ptr, size_t bytes) override;
    void copy_from_host(void* device_dst, const void* host_src, size_t bytes) override;
    void copy_to_host(void* host_dst, const void* device_src, size_t bytes) override;
    void copy(void* dst, const void* src, size_t bytes) override;
    void synchronize() override;

    void fill(float* x, int64_t n, float value) override;
    void add(const float* a, const float* b, float* out, int64_t n) override;
    void mul(const float* a, const float* b, float* out, int64_t n) override;

    void gemm(const GemmDesc& g) override;
    void bias_grad(const float* g, int64_t rows, int64_t n, float* db) override;

    void activation_forward(Activation a, const ActivationParams& p, const float* x, float* y, int64_t n) override;
    void activation_backward(Activation a, const ActivationParams& p, const float* x, const float* y, const float* g,
                             float* dx, int64_t n) override;
    void prelu_forward(const float* x, const float* weight, int64_t weight_size, float* y, int64_t outer,
                       int64_t channels, int64_t inner) override;
    void prelu_backward(const float* x, const float* weight, int64_t weight_size, const float* g, float* dx,
                        float* dweight, int64_t outer, int64_t channels, int64_t inner) override;

    void softmax_forward(const float* x, float* y, int64_t outer, int64_t n, int64_t inner, bool log) override;
    void softmax_backward(const float* y, const float* g, float* dx, int64_t outer, int64_t n, int64_t inner,
                          bool log) override;

    void batch_norm_statistics(const BatchNormDesc& d, const float* x, float* mean, float* var, float* invstd,
                               float* running_mean, float* running_var) override;
    void batch_norm_invstd(const BatchNormDesc& d, const float* var, float* invstd) override;
    void batch_norm_apply(const BatchNormDesc& d, const float* x, const float* mean, const float* invstd,
                          const float* gamma, const float* beta, float* y, float* xhat) override;
    void batch_norm_backward(const BatchNormDesc& d, const float* g, const float* xhat, const float* invstd,
                             const float* gamma, bool batch_stats, float* dgamma, float* dbeta, float* dx) override;

    void layer_norm_forward(const float* x, int64_t rows, int64_t width, double eps, const float* gamma,
                            const float* beta, float* y, float* xhat, float* invstd) override;
    void layer_norm_backward(const float* g, const float* xhat, const float* invstd, int64_t rows, int64_t width,
                             const float* gamma, float* dgamma, float* dbeta, float* dx) override;

    void dropout_forward(uint64_t key, float p, const float* x, float* y, float* mask, int64_t n) override;

    void cross_entropy_loss(const ClassLossDesc& d) override;
    void nll_loss(const ClassLossDesc& d) override;
    void mse_loss(const ElementwiseLossDesc& d) override;
    void l1_loss(const ElementwiseLossDesc& d) override;
    void bce_with_logits_loss(const ElementwiseLossDesc& d) override;

    void moments(const float* x, int64_t n, double* out) override;

    // The slot table is uploaded when it differs from the last one (once, in steady state).
    void sgd_step(const SgdStepDesc& d, const ParamSlot* params, int64_t count) override;
    // Adam's step count is kept in device memory and advanced by a kernel (see optimizer_kernels.h).
    void adam_step(const AdamStepDesc& d, const ParamSlot* params, int64_t count) override;

    // ---- CUDA graphs. The operations queued between begin_capture() and end_capture() become one
    // graph (replacing the previous one); replay() launches it again on the stream. Capture a
    // training step after at least one eager step with the same buffers (so the pool, the slot
    // table and Adam's step counter are in place); inputs for each replay are copied into the same
    // device buffers before it. copy_from_host, copy_to_host and synchronize throw while capturing. All throw
    // DeviceError; an operation refused inside a capture makes end_capture() throw and leave no graph.
    void begin_capture();
    void end_capture();
    void replay();
    bool capturing() const { return m_capturing; }
    bool has_graph() const { return m_graph != nullptr; }

private:
    void activate() const;             // makes this device current for the calling thread
    double* scratch(size_t doubles);   // backend-owned reduction scratch, grown on demand
    const float* ones(int64_t n);      // at least n ones (bias_grad)
    const ParamSlot* upload_slots(const ParamSlot* params, int64_t count, int64_t* max_n);
    void reset_graph();
    [[noreturn]] void abandon_capture(const std::string& why);  // end_capture() will then make no graph
    void release() noexcept;

    int m_index;
    CudaBackendOptions m_options;
    cudaStream_t m_stream = nullptr;
    cublasHandle_t m_cublas = nullptr;
    cudnnHandle_t m_cudnn = nullptr;
    CudaMemoryPool m_pool;
    PinnedStaging m_staging;
    CudnnSoftmax m_softmax;
    void* m_cublas_workspace = nullptr;
    size_t m_cublas_workspace_bytes = 0;

    double* m_scratch = nullptr;
    size_t m_scratch_doubles = 0;
    float* m_ones = nullptr;
    int64_t m_ones_count = 0;
    ParamSlot* m_slot_table = nullptr;
    std::vector<ParamSlot> m_slot_table_host;
    int64_t* m_adam_step = nullptr;
    int64_t m_adam_step_host = -1;  // what the device counter holds after the queued work; -1: unknown

    bool m_capturing = false;
    bool m_capture_abandoned = false;
    cudaGraphExec_t m_graph = nullptr;
};

}  // namespace nnstudio::gpu
