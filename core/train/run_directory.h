// RunDirectory: the folder a training run writes — model.json, setup.json, run.json (flags),
// metrics.jsonl, and checkpoints (weights .pth, optimizer and scheduler state, trainer state)
// written atomically at the end of every epoch, so a stopped or killed run can be resumed.
#pragma once
#include "nn/model.h"
#include "optim/lr_scheduler.h"
#include "optim/optimizer.h"
#include "spec/model_spec.h"
#include "train/metrics.h"
#include "train/train_setup.h"

#include <fstream>
#include <map>
#include <optional>
#include <string>

namespace nnstudio::train {

// What a checkpoint holds beyond the tensors.
struct TrainerState {
    int epochs_completed = 0;
    int64_t step = 0;
    std::vector<std::string> dropout_rng;  // each Dropout's stream, in module order
    double wall_s = 0;                     // training time spent before this checkpoint
};

struct Checkpoint {
    TrainerState state;
    StateDict weights, optimizer, scheduler;
};

class RunDirectory {
public:
    // A new run: creates the folder (parents too) and writes model.json, setup.json, run.json.
    // Refuses a folder that already holds a checkpoint (say --resume to continue it).
    static RunDirectory create(const std::string& path, const spec::ModelSpec& spec, const TrainSetup& setup,
                               const std::map<std::string, bool>& flags);
    // An existing run, for --resume: reads back what create() wrote.
    static RunDirectory open(const std::string& path);

    const std::string& path() const { return m_path; }
    const spec::ModelSpec& spec() const { return m_spec; }
    const TrainSetup& setup() const { return m_setup; }
    const std::map<std::string, bool>& flags() const { return m_flags; }

    // One JSON line per epoch/final snapshot (step records every stats_every steps).
    void append_metrics(const MetricsSnapshot& snapshot);
    // Drops metrics recorded after `epochs_completed` (used on resume).
    void truncate_metrics(int epochs_completed);

    void save_checkpoint(const nn::Model& model, const optim::Optimizer& optimizer,
                         const optim::LrScheduler* scheduler, const TrainerState& state);
    std::optional<Checkpoint> load_checkpoint() const;  // nullopt when none was written yet
    void save_final_weights(const nn::Model& model);    // weights.pth (and weights.safetensors)

private:
    std::string file(const std::string& name) const { return m_path + "/" + name; }
    std::string m_path;
    spec::ModelSpec m_spec;
    TrainSetup m_setup;
    std::map<std::string, bool> m_flags;
};

}  // namespace nnstudio::train
