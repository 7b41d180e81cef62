// NLLLoss: negative log-likelihood over log-probability inputs (after LogSoftmax).
#pragma once
#include "loss/loss.h"

namespace nnstudio::loss {

struct NllOptions {
    Reduction reduction = Reduction::Mean;
    std::vector<double> weight;   // per class; empty = all 1
    int64_t ignore_index = -100;
};

class NLLLoss : public Loss {
public:
    explicit NLLLoss(NllOptions options = {});
    std::string name() const override { return "NLLLoss"; }
    // input: (B, C) log-probabilities; target: (B,) class indices stored as floats.
    // L = Σ_i -w_{y_i} x_{i,y_i} / D, D = Σ_i w_{y_i} (mean) or 1 (sum), ignored rows skipped.
    LossResult compute(const Tensor& input, const Tensor& target) const override;

private:
    NllOptions m_options;
    mutable Tensor m_input, m_target, m_weight;  // device copies (see Loss::on_device)
};

}  // namespace nnstudio::loss
