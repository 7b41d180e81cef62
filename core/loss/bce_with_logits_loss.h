// BCEWithLogitsLoss: sigmoid + binary cross-entropy in one numerically stable expression.
#pragma once
#include "loss/loss.h"

namespace nnstudio::loss {

struct BceWithLogitsOptions {
    Reduction reduction = Reduction::Mean;
    std::vector<double> weight;      // per last-dim position (or 1 value); empty = all 1
    std::vector<double> pos_weight;  // weight of positive examples, per class (or 1 value)
};

class BCEWithLogitsLoss : public Loss {
public:
    explicit BCEWithLogitsLoss(BceWithLogitsOptions options = {});
    std::string name() const override { return "BCEWithLogitsLoss"; }
    // input: logits, target: probabilities in the same shape. Per element, with
    // m = max(-x, 0) and lw = 1 + (pos_weight - 1)·t (ATen's form, never overflows):
    //   l = w·[(1 - t)·x + lw·(log(e^-m + e^(-x-m)) + m)],  dl/dx = w·(lw·σ(x) - pos_weight·t).
    LossResult compute(const Tensor& input, const Tensor& target) const override;

private:
    BceWithLogitsOptions m_options;
    mutable Tensor m_input, m_target, m_weight, m_pos_weight;  // device copies (see Loss::on_device)
};

}  // namespace nnstudio::loss
