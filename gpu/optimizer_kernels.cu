// SGD and Adam/AdamW steps (see the header).
#include "cuda_check.h"
#include "error.h"
#include "launch_config.cuh"
#include "optimizer_kernels.h"

namespace nnstudio::gpu {
namespace {

struct SgdArgs {
    float lr, momentum, dampening_complement, weight_decay;
    bool nesterov, maximize, first_step;
};

__global__ void sgd_kernel(SgdArgs a, const ParamSlot* slots) {
    const ParamSlot s = slots[blockIdx.y];
    NN_GRID_STRIDE(i, s.n) {
        float d_p = a.maximize ? -s.grad[i] : s.grad[i];
        if (a.weight_decay != 0.f) d_p = d_p + s.value[i] * a.weight_decay;
        if (a.momentum != 0.f) {
            const float buf = a.first_step ? d_p : s.state0[i] * a.momentum + d_p * a.dampening_complement;
            s.state0[i] = buf;
            d_p = a.nesterov ? d_p + buf * a.momentum : buf;
        }
        s.value[i] = s.value[i] + d_p * -a.lr;
    }
}

struct AdamArgs {
    double lr, beta1, beta2;
    float beta1_f, beta2_f, one_minus_beta1, one_minus_beta2, eps, weight_decay, decay_factor;
    bool amsgrad, maximize, decoupled;
};

__global__ void set_step_kernel(int64_t* step, int64_t value, bool increment) { *step = increment ? *step + 1 : value; }

__global__ void adam_kernel(AdamArgs a, const ParamSlot* slots, const int64_t* step) {
    const ParamSlot s = slots[blockIdx.y];
    const double t = static_cast<double>(*step);
    const double bias_correction1 = 1 - pow(a.beta1, t);
    const float step_size = static_cast<float>(a.lr / bias_correction1);
    const float bias_correction2_sqrt = static_cast<float>(sqrt(1 - pow(a.beta2, t)));
    NN_GRID_STRIDE(i, s.n) {
        float g = a.maximize ? -s.grad[i] : s.grad[i];
        float p = s.value[i];
        if (a.decoupled) p = p * a.decay_factor;                    // AdamW: param.mul_(1 - lr·wd)
        else if (a.weight_decay != 0.f) g = g + p * a.weight_decay;  // Adam: grad.add(param, alpha=wd)
        const float m = s.state0[i] * a.beta1_f + g * a.one_minus_beta1;
        const float v = s.state1[i] * a.beta2_f + a.one_minus_beta2 * g * g;
        s.state0[i] = m;
        s.state1[i] = v;
        float second = v;
        if (a.amsgrad) {
            second = fmaxf(s.state2[i], v);
            s.state2[i] = second;
        }
        const float denom = sqrtf(second) / bias_correction2_sqrt + a.eps;
        s.value[i] = p + -step_size * m / denom;
    }
}

dim3 slot_grid(int64_t count, int64_t max_n) {
    if (count > 65535)
        throw DeviceError("optimizer step over " + std::to_string(count) +
                          " parameter tensors: the CUDA backend takes at most 65535 in one step");
    return dim3(grid_for(max_n), static_cast<unsigned>(count));
}

}  // namespace

void launch_sgd_step(const SgdStepDesc& d, const ParamSlot* slots, int64_t count, int64_t max_n, cudaStream_t stream) {
    if (count <= 0 || max_n <= 0) return;
    const SgdArgs a{static_cast<float>(d.lr),           static_cast<float>(d.momentum),
                    static_cast<float>(1 - d.dampening), static_cast<float>(d.weight_decay),
                    d.nesterov,                          d.maximize,
                    d.first_step};
    sgd_kernel<<<slot_grid(count, max_n), 256, 0, stream>>>(a, slots);
    NNSTUDIO_CUDA_CHECK_LAUNCH();
}

void launch_set_adam_step(int64_t* step, int64_t value, bool increment, cudaStream_t stream) {
    set_step_kernel<<<1, 1, 0, stream>>>(step, value, increment);
    NNSTUDIO_CUDA_CHECK_LAUNCH();
}

void launch_adam_step(const AdamStepDesc& d, const ParamSlot* slots, int64_t count, int64_t max_n, const int64_t* step,
                      cudaStream_t stream) {
    if (count <= 0 || max_n <= 0) return;
    const AdamArgs a{d.lr,
                     d.beta1,
                     d.beta2,
                     static_cast<float>(d.beta1),
                     static_cast<float>(d.beta2),
                     static_cast<float>(1 - d.beta1),
                     static_cast<float>(1 - d.beta2),
                     static_cast<float>(d.eps),
                     static_cast<float>(d.weight_decay),
                     static_cast<float>(1 - d.lr * d.weight_decay),
                     d.amsgrad,
                     d.maximize,
                     d.decoupled_weight_decay};
    adam_kernel<<<slot_grid(count, max_n), 256, 0, stream>>>(a, slots, step);
    NNSTUDIO_CUDA_CHECK_LAUNCH();
}

}  // namespace nnstudio::gpu
