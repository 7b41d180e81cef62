// The operation table's vocabulary: which operations a backend offers (Op), the elementwise
// activations (Activation + ActivationParams) and the small descriptor structs the operations take.
// Every pointer in these structs points into memory of the backend's own device.
#pragma once
#include <cstdint>
#include <string>

namespace nnstudio {

// The element types a backend may support. Compute tensors are float32 today; the others are
// listed so that supports() can answer for them (a backend says no rather than guess).
enum class ComputeType { Float32, Float64, Float16, BFloat16 };

enum class Op {
    Gemm,               // C = op(A)·op(B) (+ bias) (then an activation), beta accumulates
    BiasGrad,           // db += Σ_rows G
    Activation,         // y = f(x)
    ActivationBackward, // dx = g · f'(x)
    PReLU,              // y = x > 0 ? x : a_c·x
    PReLUBackward,
    Softmax,            // softmax / log-softmax along a (outer, n, inner) axis
    SoftmaxBackward,
    BatchNormStatistics,  // per-channel batch mean and biased variance (+ running-stat update)
    BatchNormApply,       // y = (x - mean)·invstd·γ + β, saving x̂
    BatchNormBackward,
    LayerNorm,
    LayerNormBackward,
    Dropout,            // counter-based mask (splitmix64), y = x·mask
    Mul,                // out = a · b elementwise (dropout's backward)
    Add,                // out = a + b (residual add); also out += a
    CrossEntropyLoss,
    NllLoss,
    MseLoss,
    L1Loss,
    BceWithLogitsLoss,
    Moments,            // Σx, Σx², for gradient/weight mean, std and norm
    SgdStep,
    AdamStep,           // Adam and AdamW (decoupled weight decay), AMSGrad
    Fill,
    Copy,
};
std::string op_name(Op op);  // "Gemm", "AdamStep", ...

// Elementwise activations with their PyTorch formulas (torch.nn docs). The backward of each uses
// the recorded input x and/or output y exactly as PyTorch's autograd formula for it does.
enum class Activation {
    Identity,
    ReLU,       // max(0, x); f'(0) = 0
    LeakyReLU,  // x > 0 ? x : slope·x                                 params.alpha = negative_slope
    GELU,       // x·Φ(x), or the tanh approximation                     params.approximate_tanh
    Sigmoid,    // 1 / (1 + e^-x)
    Tanh,
    ELU,        // x > 0 ? x : α(e^x - 1)                               params.alpha
    SELU,       // scale·(x > 0 ? x : α(e^x - 1)), α=1.6732632423543772, scale=1.0507009873554805
    SiLU,       // x·σ(x)
    Mish,       // x·tanh(softplus(x))
    Softplus,   // x·β > threshold ? x : log(1 + e^{βx}) / β             params.beta, params.threshold
    Hardtanh,   // clamp(x, min_val, max_val); f' = 1 strictly inside     params.min_val, params.max_val
};
std::string activation_name(Activation a);  // PyTorch's class name

struct ActivationParams {
    double alpha = 0.0;        // LeakyReLU negative_slope, ELU alpha
    bool approximate_tanh = false;
    double beta = 1.0, threshold = 20.0;  // Softplus
    double min_val = -1.0, max_val = 1.0; // Hardtanh
};

// Row-major GEMM: C (m x n) = op(A) (m x k) · op(B) (k x n) + beta·C, then the epilogue.
// lda/ldb/ldc are the row strides of A, B and C as stored.
struct GemmDesc {
    bool trans_a = false, trans_b = false;
    int64_t m = 0, n = 0, k = 0;
    const float* a = nullptr;
    int64_t lda = 0;
    const float* b = nullptr;
    int64_t ldb = 0;
    float beta = 0.f;  // 0: overwrite C; 1: accumulate into C
    float* c = nullptr;
    int64_t ldc = 0;
    // Epilogue, applied to each finished element in this order: + bias[col], then activation.
    const float* bias = nullptr;  // (n) or null
    Activation activation = Activation::Identity;
    ActivationParams activation_params{};
};

// Loss reductions, as torch's `reduction` ('none' is not offered: training needs a scalar).
enum class LossReduction { Mean, Sum };

// Class-index losses: input (B, C), target (B,) class indices stored as floats, already checked
// to be whole numbers in [0, C) or ignore_index by the Loss (semantics stay out of the backend).
struct ClassLossDesc {
    int64_t batch = 0, classes = 0;
    const float* input = nullptr;   // (B, C): logits (CrossEntropy) or log-probabilities (NLL)
    const float* target = nullptr;  // (B,)
    const float* weight = nullptr;  // (C) class weights, or null for all ones
    int64_t ignore_index = -100;
    double label_smoothing = 0.0;   // CrossEntropy only
    LossReduction reduction = LossReduction::Mean;
    double* value = nullptr;        // out: the reduced loss (one double in device memory)
    float* grad = nullptr;          // out: dL/dinput (B, C)
};

// Elementwise losses: input and target of the same n elements.
struct ElementwiseLossDesc {
    int64_t n = 0;
    int64_t last_dim = 1;            // size of the last dimension (BCE weights broadcast over it)
    const float* input = nullptr;
    const float* target = nullptr;
    const float* weight = nullptr;     // BCE: (last_dim) or (1) or null
    int64_t weight_size = 0;
    const float* pos_weight = nullptr; // BCE: (last_dim) or (1) or null
    int64_t pos_weight_size = 0;
    LossReduction reduction = LossReduction::Mean;
    double* value = nullptr;         // out: reduced loss (one double in device memory)
    float* grad = nullptr;           // out: dL/dinput (n)
};

// One parameter tensor for an optimizer step over all parameters at once.
struct ParamSlot {
    float* value = nullptr;
    const float* grad = nullptr;
    float* state0 = nullptr;  // SGD: momentum_buffer; Adam: exp_avg
    float* state1 = nullptr;  // Adam: exp_avg_sq
    float* state2 = nullptr;  // Adam: max_exp_avg_sq (AMSGrad)
    int64_t n = 0;
};

struct SgdStepDesc {
    double lr = 0, momentum = 0, dampening = 0, weight_decay = 0;
    bool nesterov = false, maximize = false;
    bool first_step = false;  // the momentum buffer is set to g instead of blended
};

struct AdamStepDesc {
    double lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight_decay = 0;
    bool amsgrad = false, maximize = false;
    bool decoupled_weight_decay = false;  // AdamW
    int64_t step = 1;                     // t after the increment (bias corrections use it)
};

// Batch norm over (N, C) rows (BatchNorm1d) with per-channel statistics.
struct BatchNormDesc {
    int64_t n = 0, c = 0;
    double eps = 1e-5;
    double momentum = 0.1;  // the running-stat update's (the module resolves momentum=None to 1/t)
};

}  // namespace nnstudio
