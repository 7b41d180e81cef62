// ElementwiseLoss: the losses that compare input and target element by element (MSELoss,
// L1Loss): the same shapes, one backend op writing the value and the gradient (in double).
#pragma once
#include "loss/loss.h"

namespace nnstudio::loss {

class ElementwiseLoss : public Loss {
public:
    explicit ElementwiseLoss(Reduction reduction) : m_reduction(reduction) {}
    // input, target: the same shape (else Error naming both, as PyTorch's "must match the size").
    LossResult compute(const Tensor& input, const Tensor& target) const final;

protected:
    // The backend's op for this loss (Backend::mse_loss, Backend::l1_loss).
    virtual void run(Backend& backend, const ElementwiseLossDesc& desc) const = 0;

private:
    Reduction m_reduction;
    mutable Tensor m_input, m_target;  // device copies (see Loss::on_device)
};

}  // namespace nnstudio::loss
