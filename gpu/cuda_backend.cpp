// CudaBackend: handles, memory, copies, graphs, and each operation handed to its kernel family.
#include "cuda_backend.h"

#include "cublas_gemm.h"
#include "cuda_check.h"
#include "elementwise_kernels.h"
#include "error.h"
#include "loss_kernels.h"
#include "normalization_kernels.h"
#include "optimizer_kernels.h"

#include <algorithm>
#include <cstring>
#include <string>

namespace nnstudio::gpu {
namespace {

// cuBLAS's recommended workspace on Hopper; given up front so that cuBLAS allocates nothing inside
// a captured graph.
constexpr size_t cublas_workspace_bytes = size_t(32) << 20;

void require_device(int index) {
    int count = 0;
    const cudaError_t status = cudaGetDeviceCount(&count);
    if (status != cudaSuccess) {
        (void)cudaGetLastError();
        throw DeviceError(std::string("cuda:") + std::to_string(index) + " is not available: " +
                          cudaGetErrorName(status) + " (" + cudaGetErrorString(status) +
                          "); is an NVIDIA driver >= 580 installed?");
    }
    if (index < 0 || index >= count)
        throw DeviceError("cuda:" + std::to_string(index) + " does not exist; this machine has " +
                          std::to_string(count) + " CUDA device(s)");
}

}  // namespace

CudaBackend::CudaBackend(int index, CudaBackendOptions options) : m_index(index), m_options(options), m_pool(index) {
    require_device(index);
    try {
        NNSTUDIO_CUDA_CHECK(cudaSetDevice(index));
        NNSTUDIO_CUDA_CHECK(cudaStreamCreateWithFlags(&m_stream, cudaStreamNonBlocking));
        NNSTUDIO_CUBLAS_CHECK(cublasCreate(&m_cublas));
        NNSTUDIO_CUBLAS_CHECK(cublasSetStream(m_cublas, m_stream));
        NNSTUDIO_CUBLAS_CHECK(
            cublasSetMathMode(m_cublas, options.allow_tf32 ? CUBLAS_TF32_TENSOR_OP_MATH : CUBLAS_DEFAULT_MATH));
        m_cublas_workspace = m_pool.allocate(cublas_workspace_bytes);
        m_cublas_workspace_bytes = cublas_workspace_bytes;
        NNSTUDIO_CUBLAS_CHECK(cublasSetWorkspace(m_cublas, m_cublas_workspace, m_cublas_workspace_bytes));
        NNSTUDIO_CUDNN_CHECK(cudnnCreate(&m_cudnn));
        NNSTUDIO_CUDNN_CHECK(cudnnSetStream(m_cudnn, m_stream));
        m_adam_step = static_cast<int64_t*>(m_pool.allocate(sizeof(int64_t)));
    } catch (...) {
        release();
        throw;
    }
}

CudaBackend::~CudaBackend() { release(); }

void CudaBackend::release() noexcept {
    // Nothing here may throw: a lost device at exit leaves its memory to the driver.
    cudaSetDevice(m_index);
    if (m_stream) cudaStreamSynchronize(m_stream);
    if (m_graph) cudaGraphExecDestroy(m_graph);
    m_graph = nullptr;
    if (m_cudnn) cudnnDestroy(m_cudnn);
    m_cudnn = nullptr;
    if (m_cublas) cublasDestroy(m_cublas);
    m_cublas = nullptr;
    if (m_stream) cudaStreamDestroy(m_stream);
    m_stream = nullptr;
    // The pool's destructor frees the device blocks.
}

void CudaBackend::activate() const { NNSTUDIO_CUDA_CHECK(cudaSetDevice(m_index)); }

DeviceInfo CudaBackend::info() const {
    activate();
    cudaDeviceProp prop{};
    NNSTUDIO_CUDA_CHECK(cudaGetDeviceProperties(&prop, m_index));
    size_t free_bytes = 0, total_bytes = 0;
    NNSTUDIO_CUDA_CHECK(cudaMemGetInfo(&free_bytes, &total_bytes));
    DeviceInfo i;
    i.device = device();
    i.name = prop.name;
    i.total_memory = total_bytes;
    i.free_memory = free_bytes;
    if (m_options.allow_tf32) i.note = "TF32 GEMMs allowed";
    return i;
}

bool CudaBackend::supports(Op, ComputeType type) const { return type == ComputeType::Float32; }

// ---- Memory and copies.

void* CudaBackend::allocate(size_t bytes) {
    activate();
    return m_pool.allocate(bytes);
}

void CudaBackend::deallocate(void* ptr, size_t) { m_pool.deallocate(ptr); }

void CudaBackend::copy_from_host(void* device_dst, const void* host_src, size_t bytes) {
    // A captured copy would replay whatever the staging buffer holds then, not this data.
    if (m_capturing)
        abandon_capture("copy_from_host inside a CUDA graph capture: copy each batch into the device buffers "
                        "before replay(), outside the graph");
    if (bytes == 0) return;
    activate();
    m_staging.to_device(device_dst, host_src, bytes, m_stream);
}

void CudaBackend::copy_to_host(void* host_dst, const void* device_src, size_t bytes) {
    if (m_capturing) throw DeviceError("copy_to_host while a CUDA graph is being captured: read results after end_capture()");
    if (bytes == 0) return;
    activate();
    m_staging.to_host(host_dst, device_src, bytes, m_stream);
}

void CudaBackend::copy(void* dst, const void* src, size_t bytes) {
    if (bytes == 0 || dst == src) return;
    activate();
    NNSTUDIO_CUDA_CHECK(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToDevice, m_stream));
}

void CudaBackend::synchronize() {
    if (m_capturing) throw DeviceError("synchronize() while a CUDA graph is being captured");
    activate();
    NNSTUDIO_CUDA_CHECK(cudaStreamSynchronize(m_stream));
}

double* CudaBackend::scratch(size_t doubles) {
    if (doubles > m_scratch_doubles) {
        m_pool.deallocate(m_scratch);  // stream order: earlier kernels finish before the block is reused
        m_scratch = static_cast<double*>(m_pool.allocate(doubles * sizeof(double)));
        m_scratch_doubles = doubles;
    }
    return m_scratch;
}

const float* CudaBackend::ones(int64_t n) {
    if (n > m_ones_count) {
        m_pool.deallocate(m_ones);
        m_ones = static_cast<float*>(m_pool.allocate(static_cast<size_t>(n) * sizeof(float)));
        m_ones_count = n;
        launch_fill(m_ones, n, 1.f, m_stream);
    }
    return m_ones;
}

// ---- Elementwise.

void CudaBackend::fill(float* x, int64_t n, float value) {
    activate();
    launch_fill(x, n, value, m_stream);
}

void CudaBackend::add(const float* a, const float* b, float* out, int64_t n) {
    activate();
    launch_add(a, b, out, n, m_stream);
}

void CudaBackend::mul(const float* a, const float* b, float* out, int64_t n) {
    activate();
    launch_mul(a, b, out, n, m_stream);
}

// ---- GEMM.

void CudaBackend::gemm(const GemmDesc& g) {
    activate();
    cublas_gemm(m_cublas, m_stream, g);
}

void CudaBackend::bias_grad(const float* g, int64_t rows, int64_t n, float* db) {
    activate();
    cublas_bias_grad(m_cublas, g, rows, n, ones(rows), db);
}

// ---- Activations.

void CudaBackend::activation_forward(Activation a, const ActivationParams& p, const float* x, float* y, int64_t n) {
    activate();
    launch_activation_forward(a, p, x, y, n, m_stream);
}

void CudaBackend::activation_backward(Activation a, const ActivationParams& p, const float* x, const float* y,
                                      const float* g, float* dx, int64_t n) {
    activate();
    launch_activation_backward(a, p, x, y, g, dx, n, m_stream);
}

void CudaBackend::prelu_forward(const float* x, const float* weight, int64_t weight_size, float* y, int64_t outer,
                                int64_t channels, int64_t inner) {
    activate();
    launch_prelu_forward(x, weight, weight_size, y, outer, channels, inner, m_stream);
}

void CudaBackend::prelu_backward(const float* x, const float* weight, int64_t weight_size, const float* g, float* dx,
                                 float* dweight, int64_t outer, int64_t channels, int64_t inner) {
    activate();
    launch_prelu_backward(x, weight, weight_size, g, dx, dweight, outer, channels, inner, m_stream);
}

// ---- Softmax (cuDNN).

void CudaBackend::softmax_forward(const float* x, float* y, int64_t outer, int64_t n, int64_t inner, bool log) {
    activate();
    m_softmax.forward(m_cudnn, x, y, outer, n, inner, log);
}

void CudaBackend::softmax_backward(const float* y, const float* g, float* dx, int64_t outer, int64_t n, int64_t inner,
                                   bool log) {
    activate();
    m_softmax.backward(m_cudnn, y, g, dx, outer, n, inner, log);
}

// ---- Normalisation.

void CudaBackend::batch_norm_statistics(const BatchNormDesc& d, const float* x, float* mean, float* var,
                                        float* invstd, float* running_mean, float* running_var) {
    activate();
    launch_batch_norm_statistics(x, d.n, d.c, d.eps, d.momentum, mean, var, invstd, running_mean, running_var,
                                 m_stream);
}

void CudaBackend::batch_norm_invstd(const BatchNormDesc& d, const float* var, float* invstd) {
    activate();
    launch_batch_norm_invstd(var, d.c, d.eps, invstd, m_stream);
}

void CudaBackend::batch_norm_apply(const BatchNormDesc& d, const float* x, const float* mean, const float* invstd,
                                   const float* gamma, const float* beta, float* y, float* xhat) {
    activate();
    launch_batch_norm_apply(x, d.n, d.c, mean, invstd, gamma, beta, y, xhat, m_stream);
}

void CudaBackend::batch_norm_backward(const BatchNormDesc& d, const float* g, const float* xhat, const float* invstd,
                                      const float* gamma, bool batch_stats, float* dgamma, float* dbeta, float* dx) {
    activate();
    launch_batch_norm_backward(g, xhat, invstd, gamma, d.n, d.c, batch_stats, dgamma, dbeta, dx,
                               scratch(2 * static_cast<size_t>(d.c)), m_stream);
}

void CudaBackend::layer_norm_forward(const float* x, int64_t rows, int64_t width, double eps, const float* gamma,
                                     const float* beta, float* y, float* xhat, float* invstd) {
    activate();
    launch_layer_norm_forward(x, rows, width, eps, gamma, beta, y, xhat, invstd, m_stream);
}

void CudaBackend::layer_norm_backward(const float* g, const float* xhat, const float* invstd, int64_t rows,
                                      int64_t width, const float* gamma, float* dgamma, float* dbeta, float* dx) {
    activate();
    launch_layer_norm_backward(g, xhat, invstd, rows, width, gamma, dgamma, dbeta, dx, m_stream);
}

void CudaBackend::dropout_forward(uint64_t key, float p, const float* x, float* y, float* mask, int64_t n) {
    activate();
    launch_dropout(key, p, x, y, mask, n, m_stream);
}

// ---- Losses and reductions.

void CudaBackend::cross_entropy_loss(const ClassLossDesc& d) {
    activate();
    launch_class_loss(ClassLoss::CrossEntropy, d, scratch(class_loss_scratch(d.batch)), m_stream);
}

void CudaBackend::nll_loss(const ClassLossDesc& d) {
    activate();
    launch_class_loss(ClassLoss::Nll, d, scratch(class_loss_scratch(d.batch)), m_stream);
}

void CudaBackend::mse_loss(const ElementwiseLossDesc& d) {
    activate();
    launch_elementwise_loss(ElementwiseLoss::Mse, d, scratch(reduction_scratch()), m_stream);
}

void CudaBackend::l1_loss(const ElementwiseLossDesc& d) {
    activate();
    launch_elementwise_loss(ElementwiseLoss::L1, d, scratch(reduction_scratch()), m_stream);
}

void CudaBackend::bce_with_logits_loss(const ElementwiseLossDesc& d) {
    activate();
    launch_elementwise_loss(ElementwiseLoss::BceWithLogits, d, scratch(reduction_scratch()), m_stream);
}

void CudaBackend::moments(const float* x, int64_t n, double* out) {
    activate();
    launch_moments(x, n, out, scratch(reduction_scratch()), m_stream);
}

// ---- Optimizer steps.

const ParamSlot* CudaBackend::upload_slots(const ParamSlot* slots, int64_t count, int64_t* max_n) {
    *max_n = 0;
    for (int64_t i = 0; i < count; ++i) *max_n = std::max(*max_n, slots[i].n);
    const bool same = m_slot_table && static_cast<int64_t>(m_slot_table_host.size()) == count &&
                      std::memcmp(m_slot_table_host.data(), slots, count * sizeof(ParamSlot)) == 0;
    if (same) return m_slot_table;
    if (m_capturing)
        abandon_capture("an optimizer step with new parameters inside a CUDA graph capture: run one eager "
                        "training step before begin_capture()");
    if (static_cast<int64_t>(m_slot_table_host.size()) < count) {
        m_pool.deallocate(m_slot_table);
        m_slot_table = static_cast<ParamSlot*>(m_pool.allocate(count * sizeof(ParamSlot)));
    }
    m_slot_table_host.assign(slots, slots + count);
    m_staging.to_device(m_slot_table, slots, count * sizeof(ParamSlot), m_stream);
    return m_slot_table;
}

void CudaBackend::sgd_step(const SgdStepDesc& d, const ParamSlot* slots, int64_t count) {
    if (count <= 0) return;
    activate();
    int64_t max_n = 0;
    const ParamSlot* table = upload_slots(slots, count, &max_n);
    launch_sgd_step(d, table, count, max_n, m_stream);
}

void CudaBackend::adam_step(const AdamStepDesc& d, const ParamSlot* slots, int64_t count) {
    if (count <= 0) return;
    activate();
    int64_t max_n = 0;
    const ParamSlot* table = upload_slots(slots, count, &max_n);
    const bool consecutive = m_adam_step_host >= 0 && d.step == m_adam_step_host + 1;
    if (m_capturing && !consecutive)
        abandon_capture("Adam step " + std::to_string(d.step) +
                        " inside a CUDA graph capture does not follow the last eager step: run one eager "
                        "training step before begin_capture()");
    // In a graph the increment is what gets recorded, so every replay advances the count.
    launch_set_adam_step(m_adam_step, d.step, consecutive, m_stream);
    m_adam_step_host = d.step;
    launch_adam_step(d, table, count, max_n, m_adam_step, m_stream);
}

// ---- CUDA graphs.

void CudaBackend::reset_graph() {
    if (m_graph) {
        NNSTUDIO_CUDA_CHECK(cudaStreamSynchronize(m_stream));  // a replay may still be running
        NNSTUDIO_CUDA_CHECK(cudaGraphExecDestroy(m_graph));
        m_graph = nullptr;
    }
    m_pool.release_graph_blocks();
}

void CudaBackend::abandon_capture(const std::string& why) {
    m_capture_abandoned = true;
    throw DeviceError(why);
}

void CudaBackend::begin_capture() {
    if (m_capturing) throw DeviceError("begin_capture(): a CUDA graph capture is already in progress");
    activate();
    reset_graph();
    NNSTUDIO_CUDA_CHECK(cudaStreamBeginCapture(m_stream, cudaStreamCaptureModeRelaxed));
    m_capturing = true;
    m_capture_abandoned = false;
    m_pool.set_capturing(true);
}

void CudaBackend::end_capture() {
    if (!m_capturing) throw DeviceError("end_capture() without begin_capture()");
    activate();
    m_capturing = false;
    m_pool.set_capturing(false);
    cudaGraph_t graph = nullptr;
    NNSTUDIO_CUDA_CHECK(cudaStreamEndCapture(m_stream, &graph));
    if (m_capture_abandoned) {
        cudaGraphDestroy(graph);
        throw DeviceError("end_capture(): the capture was abandoned because an operation inside it was refused "
                          "(see that error); no graph was made");
    }
    const cudaError_t status = cudaGraphInstantiate(&m_graph, graph, 0);
    cudaGraphDestroy(graph);
    if (status != cudaSuccess) {
        m_graph = nullptr;
        NNSTUDIO_CUDA_CHECK(status);
    }
}

void CudaBackend::replay() {
    if (!m_graph) throw DeviceError("replay() before a CUDA graph was captured (begin_capture / end_capture)");
    if (m_capturing) throw DeviceError("replay() while a CUDA graph is being captured");
    activate();
    NNSTUDIO_CUDA_CHECK(cudaGraphLaunch(m_graph, m_stream));
    m_adam_step_host = -1;  // the replay advanced the device's Adam count by however many steps it holds
}

}  // namespace nnstudio::gpu
