// CrossEntropyLoss: log_softmax + NLL over class-index targets, with class weights, ignore_index
// and label smoothing combined exactly as ATen's cross_entropy_loss_label_smoothing.
#pragma once
#include "loss/loss.h"

namespace nnstudio::loss {

struct CrossEntropyOptions {
    Reduction reduction = Reduction::Mean;
    std::vector<double> weight;   // per class; empty = all 1
    int64_t ignore_index = -100;  // rows with this target contribute nothing
    double label_smoothing = 0.0;  // in [0, 1]
};

class CrossEntropyLoss : public Loss {
public:
    explicit CrossEntropyLoss(CrossEntropyOptions options = {});
    std::string name() const override { return "CrossEntropyLoss"; }
    // input: (B, C) logits; target: (B,) class indices stored as floats.
    // L = (1-ε)·Σ_i w_{y_i}(-log p_{i,y_i}) / D + (ε/C)·Σ_i Σ_c w_c(-log p_{i,c}) / D over
    // non-ignored rows, D = Σ_i w_{y_i} for mean, 1 for sum.
    LossResult compute(const Tensor& input, const Tensor& target) const override;
    const CrossEntropyOptions& options() const { return m_options; }

private:
    CrossEntropyOptions m_options;
    mutable Tensor m_input, m_target, m_weight;  // device copies (see Loss::on_device)
};

}  // namespace nnstudio::loss
