// MetricsSnapshot: the small copyable report the Trainer sends its listeners — per step (loss,
// learning rate, throughput, and every k steps per-parameter statistics), per epoch (train and
// validation loss/accuracy) and at the end (test metrics and the confusion matrix).
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace nnstudio::train {

// Statistics of one parameter tensor (gradient of the last step, and its current values).
struct ParamStats {
    std::string name;  // state_dict key, e.g. "net.0.weight"
    int64_t numel = 0;
    double grad_mean = 0, grad_std = 0, grad_norm = 0;
    double weight_mean = 0, weight_std = 0;
};

struct EvalMetrics {
    double loss = 0;
    double accuracy = 0;       // meaningful only when has_accuracy (train/accuracy.h says what it counts)
    int64_t samples = 0;
    bool has_accuracy = true;  // false for regression targets: no accuracy, only the loss
};

// {"loss", "accuracy" (null without an accuracy), "samples"}, as metrics.jsonl and the CLI's
// --json write it; eval_metrics_from_json reads it back (SpecError-free: nlohmann throws on a
// missing key).
nlohmann::json to_json(const EvalMetrics& m);
EvalMetrics eval_metrics_from_json(const nlohmann::json& j);

enum class SnapshotKind { Step, Epoch, Finished };
enum class RunStatus { Running, Completed, Stopped, Failed };
std::string to_string(RunStatus status);

struct MetricsSnapshot {
    SnapshotKind kind = SnapshotKind::Step;
    int64_t step = 0;        // optimizer steps so far (global)
    int epoch = 0;           // 0-based epoch this snapshot belongs to
    int epochs = 0;          // planned epochs
    int64_t steps_per_epoch = 0;
    double loss = 0;         // Step: this batch's loss
    double lr = 0;
    double samples_per_s = 0;
    double eta_s = 0;        // estimated seconds to the end of training
    std::vector<ParamStats> params;  // Step (every stats_every steps) only
    int64_t parameter_count = 0;
    EvalMetrics train, val;  // Epoch: train (running, train mode) and validation (eval mode)
    EvalMetrics test;        // Finished
    std::vector<std::vector<int64_t>> confusion;  // Finished: [true class][predicted class]
    RunStatus status = RunStatus::Running;
    std::string message;     // Finished: why it stopped or failed
    double wall_s = 0;       // seconds since the run (or resume) started
};

nlohmann::json to_json(const MetricsSnapshot& s);

}  // namespace nnstudio::train
