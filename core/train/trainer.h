// Trainer: runs epochs of seeded shuffled mini-batches (train mode), then validation (eval mode,
// no gradient bookkeeping), and at the end the test set with a confusion matrix. Reports
// MetricsSnapshots to listeners without blocking on them; can be paused, resumed and stopped
// from another thread between steps; stops with a message naming the first parameter whose
// gradient became NaN/Inf; checkpoints every epoch into a RunDirectory and resumes from one.
#pragma once
#include "data/data_source.h"
#include "data/normalization.h"
#include "data/split.h"
#include "nn/model.h"
#include "train/metrics.h"
#include "train/run_directory.h"
#include "train/snapshot_dispatcher.h"
#include "train/train_setup.h"

#include <atomic>
#include <condition_variable>
#include <mutex>

namespace nnstudio::train {

struct TrainResult {
    RunStatus status = RunStatus::Completed;
    std::string message;
    int epochs_completed = 0;
    int64_t steps = 0;
    EvalMetrics train, val, test;
    std::vector<std::vector<int64_t>> confusion;
    double wall_s = 0;          // this process's training time (plus earlier sessions' when resumed)
    double samples_per_s = 0;   // training samples per second over the run
};

class Trainer {
public:
    // `model` must outlive the Trainer and be initialised (or loaded) already. The run computes on
    // the model's backend (Model::to): the loss and the optimizer join it there.
    Trainer(nn::Model& model, TrainSetup setup, const data::LoadedData& data);

    // Called on a dispatcher thread (never the training loop's); a slow one only loses stale steps.
    void add_listener(MetricsListener listener) { m_listeners.push_back(std::move(listener)); }
    // Also hands every snapshot to `queue`, which its consumer drains on its own schedule (the GUI
    // does on a timer). It must outlive run(); run() does not close it.
    void add_queue(SnapshotQueue* queue) { m_queues.push_back(queue); }
    void set_run_directory(RunDirectory* dir) { m_run_dir = dir; }
    // Continue from a checkpoint: loads weights, optimizer/scheduler state and dropout streams.
    void restore(const Checkpoint& checkpoint);

    TrainResult run();  // blocking: call it on a worker thread in interactive programs

    // Thread-safe, take effect between steps.
    void pause();
    void resume();
    void stop();
    void stop_from_signal_handler() { m_stop.store(true); }  // async-signal-safe; does not wake a paused run
    bool is_paused() const { return m_paused.load(); }

    int64_t steps_per_epoch() const;
    // True when each epoch's last batch would hold one sample and the model has BatchNorm, which
    // cannot train on it (PyTorch raises): that batch is dropped.
    bool drops_single_sample_batch() const { return m_drop_single; }
    const data::Normalization& normalization() const { return m_normalization; }
    const std::vector<int64_t>& train_indices() const { return m_split.train; }
    const std::vector<int64_t>& val_indices() const { return m_split.val; }

private:
    bool wait_while_paused();  // false when stopped
    std::vector<ParamStats> parameter_stats();

    nn::Model& m_model;
    TrainSetup m_setup;
    const data::LoadedData& m_data;
    data::SplitIndices m_split;
    data::Normalization m_normalization;
    bool m_drop_single = false;  // drop a last batch of one sample (BatchNorm cannot train on it)
    std::vector<MetricsListener> m_listeners;
    std::vector<SnapshotQueue*> m_queues;
    RunDirectory* m_run_dir = nullptr;
    std::optional<Checkpoint> m_restore;
    Tensor m_stats_scratch;  // the backend's moments (parameter statistics)

    std::atomic<bool> m_paused{false}, m_stop{false};
    std::mutex m_pause_mutex;
    std::condition_variable m_pause_cv;
};

}  // namespace nnstudio::train
