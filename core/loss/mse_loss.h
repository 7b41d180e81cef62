// MSELoss: mean (or sum) of squared differences.
#pragma once
#include "loss/loss.h"

namespace nnstudio::loss {

class MSELoss : public Loss {
public:
    explicit MSELoss(Reduction reduction = Reduction::Mean) : m_reduction(reduction) {}
    std::string name() const override { return "MSELoss"; }
    // input, target: same shape. L = Σ (x - y)² / N (mean) ; dL/dx = 2 (x - y) / N.
    LossResult compute(const Tensor& input, const Tensor& target) const override;

private:
    Reduction m_reduction;
    mutable Tensor m_input, m_target;  // device copies (see Loss::on_device)
};

}  // namespace nnstudio::loss
