// Linear: y = x Wᵀ + b over the last dimension, as torch.nn.Linear.
#pragma once
#include "nn/module.h"

namespace nnstudio::nn {

class Linear : public Module {
public:
    Linear(int64_t in_features, int64_t out_features, bool bias = true);

    std::string type() const override { return "Linear"; }
    std::string describe() const override;
    Shape output_shape(const Shape& in) const override;
    const Tensor& forward(const Tensor& x) override;         // x: (..., in) -> (..., out)
    const Tensor& backward(const Tensor& grad_out) override;  // grad_out: (..., out)

    int64_t in_features() const { return m_in; }
    int64_t out_features() const { return m_out; }
    bool has_bias() const { return m_has_bias; }
    Parameter& weight() { return m_weight; }  // (out, in)
    Parameter* bias() { return m_has_bias ? &m_bias : nullptr; }  // (out)

private:
    int64_t m_in, m_out;
    bool m_has_bias;
    Parameter m_weight, m_bias;
    const Tensor* m_input = nullptr;  // the recorded forward's input (the caller keeps it alive)
};

}  // namespace nnstudio::nn
