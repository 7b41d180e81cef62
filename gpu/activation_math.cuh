// The elementwise activations on the GPU, value and derivative, with PyTorch's formulas (ATen's
// CUDA kernels: activation.cpp / GeluKernel / EluKernel ...), shared by the activation kernels and
// the GEMM's bias+activation epilogue. Float arithmetic; nvcc builds gpu/ with -fmad=false so
// nothing is fused into an FMA that PyTorch rounds twice.
#pragma once
#include "backend/ops.h"

#include <cuda_runtime.h>

namespace nnstudio::gpu {

// ActivationParams as floats (PyTorch casts the Python scalars to the tensor's type).
struct DeviceActivation {
    Activation kind = Activation::Identity;
    float alpha = 0.f, beta = 1.f, threshold = 20.f, min_val = -1.f, max_val = 1.f;
    bool approximate_tanh = false;
};

inline DeviceActivation to_device_activation(Activation a, const ActivationParams& p) {
    return {a,
            static_cast<float>(p.alpha),
            static_cast<float>(p.beta),
            static_cast<float>(p.threshold),
            static_cast<float>(p.min_val),
            static_cast<float>(p.max_val),
            p.approximate_tanh};
}

constexpr float selu_alpha = 1.6732632423543772f, selu_scale = 1.0507009873554805f;
constexpr float gelu_tanh_beta = 0.7978845608028654f;  // sqrt(2/pi) = M_SQRT2 * M_2_SQRTPI * 0.5
constexpr float gelu_tanh_kappa = 0.044715f;
constexpr float sqrt1_2 = 0.7071067811865476f;
constexpr float gelu_pdf_alpha = 0.3989422804014327f;  // 1/sqrt(2 pi) = M_2_SQRTPI * M_SQRT1_2 * 0.5

__device__ inline float sigmoidf(float x) { return 1.f / (1.f + expf(-x)); }

// y = f(x)
__device__ inline float activation_value(const DeviceActivation& a, float x) {
    switch (a.kind) {
        case Activation::Identity: return x;
        case Activation::ReLU: return x > 0.f ? x : 0.f;
        case Activation::LeakyReLU: return x > 0.f ? x : x * a.alpha;
        case Activation::GELU:
            if (a.approximate_tanh) {
                const float inner = gelu_tanh_beta * (x + gelu_tanh_kappa * x * x * x);
                return 0.5f * x * (1.f + tanhf(inner));
            }
            return x * 0.5f * (1.f + erff(x * sqrt1_2));
        case Activation::Sigmoid: return sigmoidf(x);
        case Activation::Tanh: return tanhf(x);
        case Activation::ELU: return x > 0.f ? x : expm1f(x) * a.alpha;
        case Activation::SELU: return x > 0.f ? x * selu_scale : expm1f(x) * (selu_alpha * selu_scale);
        case Activation::SiLU: return x / (1.f + expf(-x));
        case Activation::Mish: return x * tanhf(log1pf(expf(x)));
        case Activation::Softplus: return x * a.beta > a.threshold ? x : log1pf(expf(x * a.beta)) / a.beta;
        case Activation::Hardtanh: return fminf(fmaxf(x, a.min_val), a.max_val);
    }
    return x;
}

// dx = g · f'(x), from the recorded input x and output y as PyTorch's backward formula uses them.
__device__ inline float activation_grad(const DeviceActivation& a, float x, float y, float g) {
    switch (a.kind) {
        case Activation::Identity: return g;
        case Activation::ReLU: return y <= 0.f ? 0.f : g;  // threshold_backward on the result
        case Activation::LeakyReLU: return x > 0.f ? g : g * a.alpha;
        case Activation::GELU:
            if (a.approximate_tanh) {
                const float x_sq = x * x;
                const float inner = gelu_tanh_beta * (x + gelu_tanh_kappa * x_sq * x);
                const float tanh_inner = tanhf(inner);
                const float left = 0.5f * x, right = 1.f + tanh_inner;
                const float left_derivative = 0.5f * right;
                const float right_derivative =
                    left * (1.f - tanh_inner * tanh_inner) * (gelu_tanh_beta * (1.f + 3.f * gelu_tanh_kappa * x_sq));
                return g * (left_derivative + right_derivative);
            } else {
                const float cdf = 0.5f * (1.f + erff(x * sqrt1_2));
                const float pdf = gelu_pdf_alpha * expf(-0.5f * x * x);
                return g * (cdf + x * pdf);
            }
        case Activation::Sigmoid: return g * (1.f - y) * y;
        case Activation::Tanh: return g * (1.f - y * y);
        case Activation::ELU: return x > 0.f ? g : g * a.alpha * expf(x);
        case Activation::SELU: return x > 0.f ? g * selu_scale : g * (selu_alpha * selu_scale) * expf(x);
        case Activation::SiLU: {
            const float s = sigmoidf(x);
            return g * s * (1.f + x * (1.f - s));
        }
        case Activation::Mish: {
            const float s = sigmoidf(x);
            const float t = tanhf(log1pf(expf(x)));
            return g * (t + x * s * (1.f - t * t));
        }
        case Activation::Softplus: {
            const float z = expf(x * a.beta);
            return x * a.beta > a.threshold ? g : g * z / (z + 1.f);
        }
        case Activation::Hardtanh: return (x <= a.min_val || x >= a.max_val) ? 0.f : g;
    }
    return g;
}

}  // namespace nnstudio::gpu
