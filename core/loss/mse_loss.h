// MSELoss: mean (or sum) of squared differences.
#pragma once
#include "loss/elementwise_loss.h"

namespace nnstudio::loss {

// input, target: same shape. L = Σ (x - y)² / N (mean) ; dL/dx = 2 (x - y) / N.
class MSELoss : public ElementwiseLoss {
public:
    explicit MSELoss(Reduction reduction = Reduction::Mean) : ElementwiseLoss(reduction) {}
    std::string name() const override { return "MSELoss"; }

protected:
    void run(Backend& backend, const ElementwiseLossDesc& desc) const override { backend.mse_loss(desc); }
};

}  // namespace nnstudio::loss
