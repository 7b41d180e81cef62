// L1Loss: mean (or sum) of absolute differences.
#pragma once
#include "loss/loss.h"

namespace nnstudio::loss {

class L1Loss : public Loss {
public:
    explicit L1Loss(Reduction reduction = Reduction::Mean) : m_reduction(reduction) {}
    std::string name() const override { return "L1Loss"; }
    // input, target: same shape. L = Σ |x - y| / N ; dL/dx = sign(x - y) / N with sign(0) = 0,
    // the subgradient PyTorch's autograd uses.
    LossResult compute(const Tensor& input, const Tensor& target) const override;

private:
    Reduction m_reduction;
    mutable Tensor m_input, m_target;  // device copies (see Loss::on_device)
};

}  // namespace nnstudio::loss
