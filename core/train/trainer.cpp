// Trainer loop. The data order depends only on (seed, epoch) and Dropout streams are part of the
// checkpoint, so a resumed run ends with the same weights as an uninterrupted one.
#include "train/trainer.h"

#include "data/batch_sampler.h"
#include "data/gather_batch.h"
#include "data/split.h"
#include "error.h"
#include "loss/loss.h"
#include "loss/loss_target.h"
#include "nn/batch_norm1d.h"
#include "nn/dropout.h"
#include "optim/lr_scheduler.h"
#include "optim/optimizer.h"
#include "train/accuracy.h"
#include "train/evaluate.h"
#include "train/train_step.h"
#include "util/random.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

namespace nnstudio::train {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

bool has_batch_norm(nn::Model& model) {
    bool found = false;
    model.root().visit_modules([&](const std::string&, nn::Module& m) { found |= dynamic_cast<nn::BatchNorm1d*>(&m) != nullptr; });
    return found;
}

std::vector<nn::Dropout*> dropouts(nn::Model& model) {
    std::vector<nn::Dropout*> out;
    model.root().visit_modules([&](const std::string&, nn::Module& m) {
        if (auto* d = dynamic_cast<nn::Dropout*>(&m)) out.push_back(d);
    });
    return out;
}

struct Summary {
    double mean = 0, std = 0, norm = 0;
};

// Mean, unbiased std (as torch.std) and L2 norm of t from the backend's Σx and Σx² (in double);
// `scratch` holds the two sums on the device.
Summary summarize(Backend& backend, const Tensor& t, Tensor& scratch) {
    Summary s;
    const int64_t n = t.numel();
    if (n == 0) return s;
    scratch.resize({4}, backend.device());  // room for two doubles
    double sums[2];
    backend.moments(t.data(), n, reinterpret_cast<double*>(scratch.data()));
    backend.copy_to_host(sums, scratch.data(), sizeof sums);
    const double count = static_cast<double>(n);
    s.mean = sums[0] / count;
    s.norm = std::sqrt(sums[1]);
    if (n > 1) s.std = std::sqrt(std::max(0.0, (sums[1] - sums[0] * s.mean) / (count - 1)));
    return s;
}

}  // namespace

Trainer::Trainer(nn::Model& model, TrainSetup setup, const data::LoadedData& data)
    : m_model(model), m_setup(std::move(setup)), m_data(data) {
    if (m_data.input_shape != m_model.input_shape())
        throw ShapeError("the data's samples have shape " + shape_to_string(m_data.input_shape) + " but " + m_model.name() +
                         " expects " + shape_to_string(m_model.input_shape()) + ": change the model's input shape or the data");
    const Shape out = m_model.output_shape();
    if (!m_data.target_names.empty()) {
        // Float targets are compared with the output as they are: (B, T) both.
        if (out.size() != 1)
            throw ShapeError(m_model.name() + " outputs " + shape_to_string(out) + " per sample but the data has " +
                             std::to_string(m_data.target_names.size()) +
                             " float target column(s): end the model with a Linear of that many out_features");
        loss::check_float_targets(m_setup.loss.name, out[0], static_cast<int64_t>(m_data.target_names.size()));
    } else if (out.size() != 1 || out[0] != m_data.num_classes) {
        // Class labels train every loss: as indices, or as one-hot rows of the output's width
        // (loss/loss_target.h), so the output must have one column per class either way.
        // Labels 1..C (R's and spreadsheets' habit) read as C + 1 classes with an empty class 0.
        const bool one_based = m_data.num_classes > 1 && m_data.class_names.empty() &&
                               m_data.train.class_counts().front() == 0 && (m_data.test.empty() || m_data.test.class_counts().front() == 0);
        if (one_based && out.size() == 1 && out[0] == m_data.num_classes - 1)
            throw ShapeError("the labels run from 1 to " + std::to_string(m_data.num_classes - 1) +
                             " (no label 0), but PyTorch's class indices start at 0: subtract 1 from every label, "
                             "e.g. df[\"label\"] -= 1 in pandas (as read, the data has " + std::to_string(m_data.num_classes) +
                             " classes, and class 0 has no sample, while " + m_model.name() + " outputs " +
                             std::to_string(out[0]) + ")");
        throw ShapeError(m_model.name() + " outputs " + shape_to_string(out) + " per sample but the data has " +
                         std::to_string(m_data.num_classes) + " classes: set the last Linear's out_features to " +
                         std::to_string(m_data.num_classes) +
                         (one_based ? " (the labels start at 1: if they are 1-based, subtract 1 from every label instead)" : ""));
    }
    m_split = data::split(m_data.train, m_setup.val_split, m_setup.seed);
    if (m_setup.max_train_samples > 0 && static_cast<int64_t>(m_split.train.size()) > m_setup.max_train_samples) {
        // A seeded subset keeps quick runs representative.
        Rng rng(m_setup.seed ^ 0x5eedULL);
        std::vector<int64_t>& t = m_split.train;
        for (size_t i = t.size() - 1; i > 0; --i) std::swap(t[i], t[rng.below(i + 1)]);
        t.resize(static_cast<size_t>(m_setup.max_train_samples));
        std::sort(t.begin(), t.end());
    }
    if (m_split.train.empty()) throw Error("no training samples left after the validation split: lower --val-split");
    m_normalization = data::fit_normalization(m_data.train, m_split.train, m_setup.normalization);
    m_drop_single = static_cast<int64_t>(m_split.train.size()) % m_setup.batch_size == 1 && has_batch_norm(m_model);
}

int64_t Trainer::steps_per_epoch() const {
    const int64_t n = static_cast<int64_t>(m_split.train.size()), b = m_setup.batch_size;
    return n / b + (n % b != 0 && !m_drop_single ? 1 : 0);
}

void Trainer::restore(const Checkpoint& checkpoint) { m_restore = checkpoint; }

void Trainer::pause() { m_paused = true; }
void Trainer::resume() {
    {
        std::lock_guard lock(m_pause_mutex);
        m_paused = false;
    }
    m_pause_cv.notify_all();
}
void Trainer::stop() {
    {
        std::lock_guard lock(m_pause_mutex);
        m_stop = true;
    }
    m_pause_cv.notify_all();
}

bool Trainer::wait_while_paused() {
    if (m_paused.load()) {
        std::unique_lock lock(m_pause_mutex);
        m_pause_cv.wait(lock, [this] { return !m_paused.load() || m_stop.load(); });
    }
    return !m_stop.load();
}

std::vector<ParamStats> Trainer::parameter_stats() {
    std::vector<ParamStats> out;
    Backend& backend = m_model.backend();
    for (auto& [name, p] : m_model.named_parameters()) {
        ParamStats s;
        s.name = name;
        s.numel = p->value.numel();
        const Summary grad = summarize(backend, p->grad, m_stats_scratch);
        const Summary weight = summarize(backend, p->value, m_stats_scratch);
        s.grad_mean = grad.mean;
        s.grad_std = grad.std;
        s.grad_norm = grad.norm;
        s.weight_mean = weight.mean;
        s.weight_std = weight.std;
        out.push_back(std::move(s));
    }
    return out;
}

TrainResult Trainer::run() {
    m_stop = false;
    const auto t0 = Clock::now();
    TrainResult result;
    // One backend for the model, its loss and its optimizer: the model's.
    auto loss = loss::make_loss(m_setup.loss.name, m_setup.loss.options, "training.loss");
    loss->set_backend(m_model.backend());
    auto optimizer = optim::make_optimizer(m_setup.optimizer.name, m_model.parameters(), m_setup.optimizer.options,
                                           "training.optimizer");
    optimizer->set_backend(m_model.backend());
    std::unique_ptr<optim::LrScheduler> scheduler;
    if (m_setup.scheduler)
        scheduler = optim::make_scheduler(m_setup.scheduler->name, *optimizer, m_setup.scheduler->options, "training.scheduler");

    int start_epoch = 0;
    int64_t step = 0;
    double earlier_wall = 0;
    if (m_restore) {
        m_model.load_state_dict(m_restore->weights, true);
        optimizer->load_state(m_restore->optimizer);
        if (scheduler) scheduler->load_state(m_restore->scheduler);
        const auto drops = dropouts(m_model);
        if (drops.size() != m_restore->state.dropout_rng.size())
            throw Error("the checkpoint's Dropout streams do not match the model: was the model file changed?");
        for (size_t i = 0; i < drops.size(); ++i) drops[i]->rng().set_state(m_restore->state.dropout_rng[i]);
        start_epoch = m_restore->state.epochs_completed;
        step = m_restore->state.step;
        earlier_wall = m_restore->state.wall_s;
        result.epochs_completed = start_epoch;
    }

    data::BatchSampler sampler(m_split.train, m_setup.batch_size, m_setup.seed, m_drop_single);
    const int64_t steps_per_epoch = sampler.batches_per_epoch();
    const int64_t total_steps = steps_per_epoch * m_setup.epochs;
    const int64_t parameter_count = m_model.parameter_count();

    int64_t samples_done = 0;
    const AccuracyKind accuracy = accuracy_kind(loss->name(), m_data.train);
    Tensor x, y, target, host_out;  // target: one-hot rows of class labels y (float targets pass as they are)
    {
        SnapshotDispatcher dispatcher(m_listeners, m_queues);
        const auto emit = [&](MetricsSnapshot s) {
            s.epochs = m_setup.epochs;
            s.steps_per_epoch = steps_per_epoch;
            s.parameter_count = parameter_count;
            s.wall_s = earlier_wall + seconds_since(t0);
            if (m_run_dir && (s.kind != SnapshotKind::Step || !s.params.empty())) m_run_dir->append_metrics(s);
            dispatcher.post(std::move(s));
        };
        const auto finish = [&](RunStatus status, const std::string& message) {
            result.status = status;
            result.message = message;
        };

        for (int epoch = start_epoch; epoch < m_setup.epochs && result.status == RunStatus::Completed; ++epoch) {
            m_model.train();
            sampler.start_epoch(epoch);
            double loss_sum = 0, correct = 0;
            int64_t seen = 0;
            const auto epoch_t0 = Clock::now();
            bool interrupted = false;
            for (int64_t b = 0; b < steps_per_epoch; ++b) {
                if (!wait_while_paused()) {
                    finish(RunStatus::Stopped, "stopped by request during epoch " + std::to_string(epoch + 1));
                    interrupted = true;
                    break;
                }
                const auto batch = sampler.batch(b);
                data::gather_batch(m_data.train, batch, m_normalization, x, y);
                const StepOutcome l = train_step(m_model, *loss, *optimizer, x, y, target);
                const Tensor& out = *l.output;
                const std::string& bad = l.non_finite;
                ++step;
                if (!l.stepped) {
                    finish(RunStatus::Failed,
                           std::string(std::isfinite(l.loss) ? "a gradient" : "the loss") + " became " +
                               (std::isnan(l.loss) ? "NaN" : "non-finite") + " at step " + std::to_string(step) + " (epoch " +
                               std::to_string(epoch + 1) + ")" +
                               (bad.empty() ? "" : "; first parameter with a non-finite gradient: " + bad) +
                               ". Lower the learning rate, check the data for NaN/Inf, or use an initializer that fits the activations");
                    interrupted = true;
                    break;
                }
                const int64_t n = static_cast<int64_t>(batch.size());
                loss_sum += l.loss * static_cast<double>(n);
                seen += n;
                samples_done += n;
                if (accuracy != AccuracyKind::None && out.dim() == 2) {
                    const Tensor& scores = out.is_cpu() ? out : (host_out = out.to(Device::cpu()));
                    correct += correct_in_batch(accuracy, scores, y);
                }

                MetricsSnapshot s;
                s.kind = SnapshotKind::Step;
                s.step = step;
                s.epoch = epoch;
                s.loss = l.loss;
                s.lr = optimizer->lr();
                const double elapsed = seconds_since(t0);
                s.samples_per_s = elapsed > 0 ? static_cast<double>(samples_done) / elapsed : 0;
                const int64_t done_steps = step - static_cast<int64_t>(start_epoch) * steps_per_epoch;
                s.eta_s = done_steps > 0 ? elapsed / static_cast<double>(done_steps) * static_cast<double>(total_steps - step) : 0;
                if (step % m_setup.stats_every == 0) s.params = parameter_stats();
                emit(std::move(s));
            }
            if (interrupted) break;
            const double epoch_lr = optimizer->lr();  // the rate this epoch ran at, as train.py prints it
            if (scheduler) scheduler->step();

            MetricsSnapshot e;
            e.kind = SnapshotKind::Epoch;
            e.step = step;
            e.epoch = epoch;
            e.lr = epoch_lr;
            e.train = {seen ? loss_sum / static_cast<double>(seen) : 0, seen ? correct / static_cast<double>(seen) : 0, seen,
                       accuracy != AccuracyKind::None};
            e.val = evaluate(m_model, m_data.train, m_split.val, m_normalization, *loss, std::max<int64_t>(m_setup.batch_size, 256));
            const double epoch_s = seconds_since(epoch_t0);
            e.samples_per_s = epoch_s > 0 ? static_cast<double>(seen) / epoch_s : 0;
            result.train = e.train;
            result.val = e.val;
            result.epochs_completed = epoch + 1;
            emit(e);
            if (m_run_dir) {
                TrainerState st;
                st.epochs_completed = epoch + 1;
                st.step = step;
                for (nn::Dropout* d : dropouts(m_model)) st.dropout_rng.push_back(d->rng().state());
                st.wall_s = earlier_wall + seconds_since(t0);
                m_run_dir->save_checkpoint(m_model, *optimizer, scheduler.get(), st);
            }
        }

        result.steps = step;
        result.wall_s = earlier_wall + seconds_since(t0);
        const double own = seconds_since(t0);
        result.samples_per_s = own > 0 ? static_cast<double>(samples_done) / own : 0;
        if (result.status == RunStatus::Completed) {
            std::vector<int64_t> all(static_cast<size_t>(m_data.test.size()));
            std::iota(all.begin(), all.end(), 0);
            result.test = evaluate(m_model, m_data.test, all, m_normalization, *loss, std::max<int64_t>(m_setup.batch_size, 256),
                                   &result.confusion);
            if (m_run_dir) m_run_dir->save_final_weights(m_model);
        }
        MetricsSnapshot f;
        f.kind = SnapshotKind::Finished;
        f.step = step;
        f.epoch = std::max(0, result.epochs_completed - 1);
        f.status = result.status;
        f.message = result.message;
        f.test = result.test;
        f.confusion = result.confusion;
        f.train = result.train;
        f.val = result.val;
        emit(f);
    }  // the dispatcher delivers what is queued before run() returns
    m_model.eval();
    return result;
}

}  // namespace nnstudio::train
