// CpuBackend: the engine's CPU kernels behind the Backend seam: GEMMs split over the engine's
// ThreadTeam (AVX-512 build of Eigen's GEMM where the CPU has it, else CBLAS), branch-free SIMD
// clones for elementwise loops, statistics in fixed 16-row blocks so the bits do not depend on the
// thread count. Memory is host memory (64-byte aligned), so copies are memcpy.
#pragma once
#include "backend/backend.h"

namespace nnstudio {

struct CpuBackendOptions {
    // Threads this instance splits work over, the caller included; 0 = one per core. The desktop
    // app asks for cores - 1 so the window keeps a core (ui/training/engine_threads).
    int threads = 0;
};

class CpuBackend final : public Backend {
public:
    explicit CpuBackend(CpuBackendOptions options = {});

    int threads() const;  // the resolved thread count (>= 1)

    Device device() const override { return Device::cpu(); }
    DeviceInfo info() const override;
    bool supports(Op op, ComputeType type) const override;

    void* allocate(size_t bytes) override;
    void deallocate(void* ptr, size_t bytes) override;
    void copy_from_host(void* device_dst, const void* host_src, size_t bytes) override;
    void copy_to_host(void* host_dst, const void* device_src, size_t bytes) override;
    void copy(void* dst, const void* src, size_t bytes) override;
    void synchronize() override {}

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

    void sgd_step(const SgdStepDesc& d, const ParamSlot* slots, int64_t count) override;
    void adam_step(const AdamStepDesc& d, const ParamSlot* slots, int64_t count) override;

private:
    int m_threads;
};

}  // namespace nnstudio
