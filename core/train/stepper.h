// Stepper: a training run driven one optimizer step at a time, for callers that decide when the
// next step happens (the playground's play / pause / single step / speed). Same batches and same
// step as the Trainer, so n steps here end with the weights of a Trainer run stopped after n steps.
#pragma once
#include "data/batch_sampler.h"
#include "data/data_source.h"
#include "loss/loss.h"
#include "nn/model.h"
#include "optim/optimizer.h"
#include "train/train_setup.h"
#include "train/train_step.h"
#include "train/trainer.h"

#include <memory>

namespace nnstudio::train {

class Stepper {
public:
    // `model` (initialised) and `data` must outlive the stepper. Uses the setup's data split
    // (val_split, max_train_samples), normalisation, batch_size, seed, loss and optimizer, all as
    // the Trainer does; the epochs and the scheduler do not apply (a stepper runs until its owner
    // stops calling step()). Throws what the Trainer's constructor and the factories throw
    // (ShapeError for a model that does not fit the data, SpecError for bad options).
    // `data` may be replaced in place between steps by data of the same sizes (the same set
    // generated with another noise): later batches read the new samples, the normalisation stays.
    Stepper(nn::Model& model, const TrainSetup& setup, const data::LoadedData& data);

    // One step on the next mini-batch of the training split (a new shuffled epoch after the
    // last batch), in train mode. A loss or gradient that is not finite leaves the weights
    // unchanged and says so in the outcome (the caller decides whether to stop).
    StepOutcome step();

    int64_t steps() const { return m_steps; }  // optimizer steps taken (non-finite ones excluded)
    int64_t epoch() const { return m_sampler.epoch(); }
    // Between steps: set_lr, set_hyperparameter("weight_decay", ...) take effect on the next step.
    optim::Optimizer& optimizer() { return *m_optimizer; }
    const loss::Loss& loss() const { return *m_loss; }
    const data::Normalization& normalization() const { return m_plan.normalization(); }
    const std::vector<int64_t>& train_indices() const { return m_plan.train_indices(); }

private:
    nn::Model& m_model;
    const data::LoadedData& m_data;
    Trainer m_plan;  // the run a Trainer would make of this setup: its checks, split and normalisation
    std::unique_ptr<loss::Loss> m_loss;
    std::unique_ptr<optim::Optimizer> m_optimizer;
    data::BatchSampler m_sampler;
    int64_t m_batch = 0;  // next batch of the sampler's epoch
    int64_t m_steps = 0;
    Tensor m_x, m_y, m_target;
};

}  // namespace nnstudio::train
