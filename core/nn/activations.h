// Elementwise activations (ReLU, LeakyReLU, GELU, Sigmoid, Tanh) and Identity: no parameters,
// output shape = input shape. The backend computes f(x) and f'(x) like PyTorch's autograd
// formulas (backend/ops.h, Activation).
#pragma once
#include "nn/module.h"

namespace nnstudio::nn {

// Shared forward/backward through the backend's activation ops: subclasses say which activation
// and with which parameters.
class ElementwiseActivation : public Module {
public:
    Shape output_shape(const Shape& in) const override { return in; }
    const Tensor& forward(const Tensor& x) override;          // x: (B, ...) -> same shape
    const Tensor& backward(const Tensor& grad_out) override;  // grad_out: the forward output's shape

protected:
    virtual Activation kind() const = 0;
    virtual ActivationParams params() const { return {}; }

private:
    const Tensor* m_input = nullptr;
    const Tensor* m_output = nullptr;
};

class ReLU : public ElementwiseActivation {
public:
    std::string type() const override { return "ReLU"; }

protected:
    Activation kind() const override { return Activation::ReLU; }
};

class LeakyReLU : public ElementwiseActivation {
public:
    explicit LeakyReLU(float negative_slope = 0.01f) : m_slope(negative_slope) {}
    std::string type() const override { return "LeakyReLU"; }
    std::string describe() const override;
    float negative_slope() const { return m_slope; }

protected:
    Activation kind() const override { return Activation::LeakyReLU; }
    ActivationParams params() const override { return {.alpha = m_slope}; }

private:
    float m_slope;
};

class GELU : public ElementwiseActivation {
public:
    explicit GELU(bool tanh_approximation = false) : m_tanh(tanh_approximation) {}
    std::string type() const override { return "GELU"; }
    std::string describe() const override;
    bool tanh_approximation() const { return m_tanh; }

protected:
    Activation kind() const override { return Activation::GELU; }
    ActivationParams params() const override { return {.approximate_tanh = m_tanh}; }

private:
    bool m_tanh;
};

class Sigmoid : public ElementwiseActivation {
public:
    std::string type() const override { return "Sigmoid"; }

protected:
    Activation kind() const override { return Activation::Sigmoid; }
};

class Tanh : public ElementwiseActivation {
public:
    std::string type() const override { return "Tanh"; }

protected:
    Activation kind() const override { return Activation::Tanh; }
};

class Identity : public Module {
public:
    std::string type() const override { return "Identity"; }
    Shape output_shape(const Shape& in) const override { return in; }
    const Tensor& forward(const Tensor& x) override { return x; }
    const Tensor& backward(const Tensor& grad_out) override { return grad_out; }
};

}  // namespace nnstudio::nn
