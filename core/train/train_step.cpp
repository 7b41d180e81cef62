// train_step: the shared step of the Trainer and the playground.
#include "train/train_step.h"

#include "loss/loss_target.h"

#include <cmath>

namespace nnstudio::train {

StepOutcome train_step(nn::Model& model, const loss::Loss& loss, optim::Optimizer& optimizer, const Tensor& x,
                       const Tensor& y, Tensor& target) {
    StepOutcome o;
    model.zero_grad();
    const Tensor& out = model.forward(x);
    o.output = &out;
    const loss::LossResult l = loss.compute(out, loss::loss_target(loss.name(), out, y, target));
    o.loss = l.value;
    model.backward(l.grad);
    for (auto& [name, p] : model.named_parameters())
        if (!p->grad.all_finite()) {
            o.non_finite = name;
            break;
        }
    if (!std::isfinite(l.value) || !o.non_finite.empty()) return o;
    optimizer.step();
    o.stepped = true;
    return o;
}

}  // namespace nnstudio::train
