// TrainingSession: the shared preparation of a training run (CLI `train` and the GUI's dock).
#include "train/training_session.h"

#include "backend/registry.h"
#include "init/init_scheme.h"
#include "io/tensor_file.h"
#include "loss/loss.h"
#include "loss/loss_target.h"
#include "nn/import_weights.h"
#include "optim/lr_scheduler.h"
#include "optim/optimizer.h"
#include "spec/model_init.h"

namespace nnstudio::train {

void check_train_setup(const TrainSetup& setup) {
    parse_train_setup(to_json(setup));
    loss::make_loss(setup.loss.name, setup.loss.options, "training.loss");
    const auto optimizer = optim::make_optimizer(setup.optimizer.name, {}, setup.optimizer.options, "training.optimizer");
    if (setup.scheduler) optim::make_scheduler(setup.scheduler->name, *optimizer, setup.scheduler->options, "training.scheduler");
    if (!setup.init.is_null()) init::parse_init_scheme(setup.init, "training.init");
    data::parse_data_source(setup.data);
    const auto targets = static_cast<int64_t>(data_options_for(setup).csv.target_columns.size());
    // The loss part of the check; the widths are checked against the model when training starts.
    if (targets > 0) loss::check_float_targets(setup.loss.name, targets, targets);
}

std::unique_ptr<TrainingSession> TrainingSession::start(const spec::ModelSpec& spec, const spec::FlagValues& flags,
                                                        TrainSetup setup, const std::string& run_dir) {
    std::unique_ptr<TrainingSession> session(new TrainingSession);
    session->m_spec = spec;
    session->m_setup = std::move(setup);
    session->prepare(flags, run_dir, std::nullopt);
    return session;
}

std::unique_ptr<TrainingSession> TrainingSession::resume(const std::string& run_dir) {
    std::unique_ptr<TrainingSession> session(new TrainingSession);
    session->m_run_dir = RunDirectory::open(run_dir);
    session->m_spec = session->m_run_dir->spec();
    session->m_setup = session->m_run_dir->setup();
    const std::optional<Checkpoint> checkpoint = session->m_run_dir->load_checkpoint();
    session->prepare(session->m_run_dir->flags(), "", checkpoint);
    return session;
}

void TrainingSession::prepare(const spec::FlagValues& flags, const std::string& new_run_dir,
                              const std::optional<Checkpoint>& checkpoint) {
    std::string fallback;
    Backend* backend = &backend_or_cpu(m_setup.device, fallback);
    if (!fallback.empty()) {
        m_notes.push_back(fallback);
        m_setup.device = "cpu";
    }
    if (backend->device().is_cpu() && default_backend().device().is_cpu()) backend = &default_backend();
    m_model.emplace(spec::build_model(m_spec, flags));
    std::optional<init::InitScheme> scheme;
    if (!m_setup.init.is_null()) scheme = init::parse_init_scheme(m_setup.init, "training.init");
    spec::initialize_model(*m_model, m_setup.seed, scheme);

    m_data = data::load_data(data::parse_data_source(m_setup.data), data_options_for(m_setup));

    if (!m_run_dir && !new_run_dir.empty()) {
        const std::map<std::string, bool> resolved(m_model->flags().begin(), m_model->flags().end());
        m_run_dir = RunDirectory::create(new_run_dir, m_spec, m_setup, resolved);
    }
    if (!m_setup.weights.empty() && !checkpoint) {
        const std::string note =
            nn::load_weights_strict(*m_model, io::read_tensor_file(m_setup.weights), {}, m_setup.weights);
        m_notes.push_back("starting from the weights in " + m_setup.weights + (note.empty() ? "" : " (" + note + ")"));
    }
    m_model->to(*backend);  // initialised on the host; computes on the chosen device from here
    m_trainer = std::make_unique<Trainer>(*m_model, m_setup, m_data);
    if (m_trainer->drops_single_sample_batch())
        m_notes.push_back("the last batch of each epoch would hold a single sample, on which BatchNorm cannot use batch "
                          "statistics (PyTorch raises \"Expected more than 1 value per channel when training\"): it is "
                          "dropped, so " + std::to_string(m_trainer->train_indices().size() - 1) + " of " +
                          std::to_string(m_trainer->train_indices().size()) +
                          " training samples are used per epoch; change --batch-size to use them all");
    if (!m_run_dir) return;
    m_trainer->set_run_directory(&*m_run_dir);
    const bool resuming = new_run_dir.empty();
    if (checkpoint) {
        m_trainer->restore(*checkpoint);
        m_resumed_after = checkpoint->state.epochs_completed;
    }
    if (resuming) m_run_dir->truncate_metrics(checkpoint ? checkpoint->state.epochs_completed : 0);
}

}  // namespace nnstudio::train
