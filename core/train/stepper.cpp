// Stepper: the Trainer's epoch loop unrolled into calls, one batch each.
#include "train/stepper.h"

#include "data/gather_batch.h"

namespace nnstudio::train {

Stepper::Stepper(nn::Model& model, const TrainSetup& setup, const data::LoadedData& data)
    : m_model(model),
      m_data(data),
      m_plan(model, setup, data),
      m_loss(loss::make_loss(setup.loss.name, setup.loss.options, "training.loss")),
      m_optimizer(optim::make_optimizer(setup.optimizer.name, model.parameters(), setup.optimizer.options,
                                        "training.optimizer")),
      m_sampler(m_plan.train_indices(), setup.batch_size, setup.seed, m_plan.drops_single_sample_batch()) {
    m_loss->set_backend(model.backend());
    m_optimizer->set_backend(model.backend());
    m_sampler.start_epoch(0);
}

StepOutcome Stepper::step() {
    if (m_batch == m_sampler.batches_per_epoch()) {
        m_sampler.start_epoch(m_sampler.epoch() + 1);
        m_batch = 0;
    }
    data::gather_batch(m_data.train, m_sampler.batch(m_batch), normalization(), m_x, m_y);
    ++m_batch;
    m_model.train();
    StepOutcome o = train_step(m_model, *m_loss, *m_optimizer, m_x, m_y, m_target);
    if (o.stepped) ++m_steps;
    return o;
}

}  // namespace nnstudio::train
