// Softmax and LogSoftmax along one dimension, as torch.nn.Softmax(dim) / LogSoftmax(dim).
#pragma once
#include "nn/module.h"

namespace nnstudio::nn {

class SoftmaxBase : public Module {
public:
    explicit SoftmaxBase(int64_t dim, bool log) : m_dim(dim), m_log(log) {}
    std::string type() const override { return m_log ? "LogSoftmax" : "Softmax"; }
    std::string describe() const override { return type() + "(dim=" + std::to_string(m_dim) + ")"; }
    Shape output_shape(const Shape& in) const override;
    const Tensor& forward(const Tensor& x) override;
    const Tensor& backward(const Tensor& grad_out) override;
    int64_t dim() const { return m_dim; }

private:
    // (outer, n, inner) view of x along m_dim.
    void split(const Shape& shape, int64_t& outer, int64_t& n, int64_t& inner) const;
    int64_t m_dim;
    bool m_log;
    const Tensor* m_output = nullptr;
};

class Softmax : public SoftmaxBase {
public:
    explicit Softmax(int64_t dim = -1) : SoftmaxBase(dim, false) {}
};

class LogSoftmax : public SoftmaxBase {
public:
    explicit LogSoftmax(int64_t dim = -1) : SoftmaxBase(dim, true) {}
};

}  // namespace nnstudio::nn
