// RunHistory: a finished (or stopped, or killed) run folder read back for comparison — its
// setup, flags and model name, per-epoch train/validation metrics, per-step losses, per-parameter
// gradient std series and the final test metrics — and the settings that differ between runs.
#pragma once
#include "train/metrics.h"

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace nnstudio::train {

struct EpochRecord {
    int epoch = 0;  // 0-based, as in metrics.jsonl
    EvalMetrics train, val;
    double lr = 0;
};

struct StepRecord {
    int64_t step = 0;
    int epoch = 0;
    double loss = 0;
};

// One parameter's gradient std at the steps that recorded statistics.
struct GradStdSeries {
    std::string name;  // state_dict key
    std::vector<int64_t> steps;
    std::vector<double> grad_std;
};

struct FinalRecord {
    std::string status;  // completed / stopped / failed
    std::string message;
    EvalMetrics test;
};

struct RunHistory {
    std::string path;
    std::string model_name;
    nlohmann::json setup;              // setup.json as the engine normalises it
    std::map<std::string, bool> flags;
    std::vector<EpochRecord> epochs;   // in epoch order, one per epoch
    std::vector<StepRecord> steps;
    std::vector<GradStdSeries> grad_std;  // in the order the parameters first appear
    std::optional<FinalRecord> final;     // nullopt: the run never finished (killed, or still running)
    std::vector<std::string> notes;       // what was tolerated, e.g. a line cut by a kill
};

// Reads model.json, setup.json, run.json and metrics.jsonl of a run folder. Throws Error for a
// missing folder or file and for a corrupt line anywhere but the last (a run killed while
// writing leaves a cut last line: that one is skipped with a note).
RunHistory read_run_history(const std::string& path);

// A run's settings as flat "key" -> value text: setup keys joined with '.', "flags.NAME" and
// "model" (the model's name).
std::map<std::string, std::string> flat_settings(const RunHistory& run);

struct SettingDifference {
    std::string key;
    std::vector<std::string> values;  // one per run, in order; "-" where a run lacks the key
};

// The settings whose values are not all equal, sorted by key.
std::vector<SettingDifference> differing_settings(const std::vector<RunHistory>& runs);

nlohmann::json to_json(const RunHistory& run);

}  // namespace nnstudio::train
