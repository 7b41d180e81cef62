// One optimisation step on one batch — the body of every training loop (the Trainer's epochs, the
// playground's steps one at a time): zero_grad, forward, loss, backward, then optimizer.step()
// unless the loss or a gradient is not finite.
#pragma once
#include "loss/loss.h"
#include "nn/model.h"
#include "optim/optimizer.h"

#include <string>

namespace nnstudio::train {

struct StepOutcome {
    double loss = 0;               // the batch's reduced loss
    const Tensor* output = nullptr;  // (B, C): the model's forward, valid until its next forward
    std::string non_finite;        // the first parameter whose gradient is NaN/Inf ("" when all are finite)
    bool stepped = false;          // false: the loss or a gradient was not finite, the weights are unchanged
};

// x: (B, *input_shape), normalised; y: (B,) class indices as floats; `target` is scratch for the
// one-hot rows of losses that take them (loss/loss_target.h). The model must be in train mode for a
// training step (as `model.train(); loss(model(x), y).backward(); opt.step()` in PyTorch).
// Throws what the forward, the loss or the optimizer throw (ShapeError, Error for bad labels).
StepOutcome train_step(nn::Model& model, const loss::Loss& loss, optim::Optimizer& optimizer, const Tensor& x,
                       const Tensor& y, Tensor& target);

}  // namespace nnstudio::train
