// Elementwise activations (ReLU, LeakyReLU, GELU, Sigmoid, Tanh) and Identity: no parameters,
// output shape = input shape. Each computes f(x) and f'(x) like PyTorch's autograd formulas.
#pragma once
#include "nn/module.h"

namespace nnstudio::nn {

// Shared forward/backward: subclasses give the value and the derivative from (x, y).
class ElementwiseActivation : public Module {
public:
    Shape output_shape(const Shape& in) const override { return in; }
    const Tensor& forward(const Tensor& x) override;
    const Tensor& backward(const Tensor& grad_out) override;

protected:
    virtual void apply(const float* x, float* y, int64_t n) const = 0;
    // d = g * dy/dx, from the recorded input x and output y.
    virtual void derivative(const float* x, const float* y, const float* g, float* d, int64_t n) const = 0;

private:
    const Tensor* m_input = nullptr;
    const Tensor* m_output = nullptr;
};

class ReLU : public ElementwiseActivation {
public:
    std::string type() const override { return "ReLU"; }

protected:
    void apply(const float* x, float* y, int64_t n) const override;
    void derivative(const float* x, const float* y, const float* g, float* d, int64_t n) const override;
};

class LeakyReLU : public ElementwiseActivation {
public:
    explicit LeakyReLU(float negative_slope = 0.01f) : m_slope(negative_slope) {}
    std::string type() const override { return "LeakyReLU"; }
    std::string describe() const override;
    float negative_slope() const { return m_slope; }

protected:
    void apply(const float* x, float* y, int64_t n) const override;
    void derivative(const float* x, const float* y, const float* g, float* d, int64_t n) const override;

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
    void apply(const float* x, float* y, int64_t n) const override;
    void derivative(const float* x, const float* y, const float* g, float* d, int64_t n) const override;

private:
    bool m_tanh;
};

class Sigmoid : public ElementwiseActivation {
public:
    std::string type() const override { return "Sigmoid"; }

protected:
    void apply(const float* x, float* y, int64_t n) const override;
    void derivative(const float* x, const float* y, const float* g, float* d, int64_t n) const override;
};

class Tanh : public ElementwiseActivation {
public:
    std::string type() const override { return "Tanh"; }

protected:
    void apply(const float* x, float* y, int64_t n) const override;
    void derivative(const float* x, const float* y, const float* g, float* d, int64_t n) const override;
};

class Identity : public Module {
public:
    std::string type() const override { return "Identity"; }
    Shape output_shape(const Shape& in) const override { return in; }
    const Tensor& forward(const Tensor& x) override { return x; }
    const Tensor& backward(const Tensor& grad_out) override { return grad_out; }
};

}  // namespace nnstudio::nn
