// LayerNorm over the trailing `normalized_shape` dimensions of each sample, as torch.nn.LayerNorm:
// y = (x - mean)/sqrt(var_biased + eps)·γ + β, with γ (weight) = 1 and β (bias) = 0 at the start.
#pragma once
#include "nn/module.h"

namespace nnstudio::nn {

class LayerNorm : public Module {
public:
    // Throws SpecError for an empty or non-positive normalized_shape or eps <= 0.
    LayerNorm(Shape normalized_shape, double eps = 1e-5, bool elementwise_affine = true);
    std::string type() const override { return "LayerNorm"; }
    std::string describe() const override;
    // Throws ShapeError unless the per-sample shape ends with normalized_shape.
    Shape output_shape(const Shape& in) const override;
    const Tensor& forward(const Tensor& x) override;          // x: (B, *, *normalized_shape)
    const Tensor& backward(const Tensor& grad_out) override;  // grad_out: like x
    void reset_parameters() override;                         // weight 1, bias 0

    const Shape& normalized_shape() const { return m_normalized; }
    double eps() const { return m_eps; }
    Parameter* weight() { return m_affine ? &m_weight : nullptr; }  // normalized_shape
    Parameter* bias() { return m_affine ? &m_bias : nullptr; }      // normalized_shape

private:
    Shape m_normalized;
    int64_t m_width = 1;  // numel of normalized_shape
    double m_eps;
    bool m_affine;
    Parameter m_weight, m_bias;
    Tensor m_xhat, m_invstd;  // saved for backward: (rows, width), (rows)
    bool m_recorded = false;
};

}  // namespace nnstudio::nn
