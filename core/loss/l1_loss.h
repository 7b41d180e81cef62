// L1Loss: mean (or sum) of absolute differences.
#pragma once
#include "loss/elementwise_loss.h"

namespace nnstudio::loss {

// input, target: same shape. L = Σ |x - y| / N ; dL/dx = sign(x - y) / N with sign(0) = 0, the
// subgradient PyTorch's autograd uses.
class L1Loss : public ElementwiseLoss {
public:
    explicit L1Loss(Reduction reduction = Reduction::Mean) : ElementwiseLoss(reduction) {}
    std::string name() const override { return "L1Loss"; }

protected:
    void run(Backend& backend, const ElementwiseLossDesc& desc) const override { backend.l1_loss(desc); }
};

}  // namespace nnstudio::loss
