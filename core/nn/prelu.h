// PReLU: y = x > 0 ? x : a·x with a learnable slope `weight` (num_parameters), as torch.nn.PReLU:
// one slope shared by every element (num_parameters=1) or one per channel, the first dimension
// after the batch.
#pragma once
#include "nn/module.h"

namespace nnstudio::nn {

class PReLU : public Module {
public:
    // Throws SpecError when num_parameters < 1.
    PReLU(int64_t num_parameters = 1, double init = 0.25);
    std::string type() const override { return "PReLU"; }
    std::string describe() const override;
    // Throws ShapeError when num_parameters > 1 and the first per-sample dimension differs.
    Shape output_shape(const Shape& in) const override { return output_shape(num_parameters(), in); }
    static Shape output_shape(int64_t num_parameters, const Shape& in);
    const Tensor& forward(const Tensor& x) override;          // x: (B, C, *) or (B, C); C = num_parameters or any
    const Tensor& backward(const Tensor& grad_out) override;  // grad_out: like x; weight.grad += Σ_{x<=0} g·x
    void reset_parameters() override;                         // every slope = init

    int64_t num_parameters() const { return m_weight.value.numel(); }
    Parameter& weight() { return m_weight; }  // (num_parameters)

private:
    // The (outer, channels, inner) view of x: (B, C, *) for PyTorch's channel dimension 1.
    void split(const Shape& shape, int64_t& outer, int64_t& channels, int64_t& inner) const;
    double m_init;
    Parameter m_weight;
    const Tensor* m_input = nullptr;
};

}  // namespace nnstudio::nn
