// TrainSetup: everything a training run needs besides the model — data, loss, optimizer,
// schedule, initializer, epochs, batch size, seed — as stored under "training" in a model or
// project file and in a run folder's setup.json.
#pragma once
#include "data/data_source.h"
#include "data/normalization.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace nnstudio::train {

struct NamedOptions {
    std::string name;
    nlohmann::json options = nlohmann::json::object();
};

struct TrainSetup {
    // Data: a source spec (fashion-mnist, spirals, moons, circles, xor, blobs, PATH.csv, IDX prefix).
    std::string data = "fashion-mnist";
    data::NormalizationKind normalization = data::NormalizationKind::Global;
    double val_split = 0.1;                 // share of the training set held out for validation
    data::SyntheticOptions synthetic;       // samples, noise, classes, seed of synthetic sets
    std::string csv_label_column;           // empty: the last column; a number: its index; else a header name
    std::string csv_target_columns;         // "NAME[,NAME...]" or "INDEX[,...]": float target columns instead of a label
    std::string csv_delimiter;              // empty: detected (data/csv_dialect.h); ",", ";", "|" or "tab"
    std::string csv_header = "auto";        // "yes", "no" or "auto" (detected)
    double test_split = 0.2;                // share held out as the test set where the data has none; 0 allowed
    int64_t max_train_samples = 0;          // 0: all; else a seeded subset (quick runs, CI)

    int epochs = 5;
    int64_t batch_size = 128;
    uint64_t seed = 0;
    NamedOptions loss{"CrossEntropyLoss", nlohmann::json::object()};
    NamedOptions optimizer{"Adam", {{"lr", 1e-3}}};
    std::optional<NamedOptions> scheduler;
    nlohmann::json init;                    // null: the model file's "init"
    std::string weights;                    // start from these weights (any layout io/weight_finder.h reads)
    int stats_every = 20;                   // per-parameter gradient/weight statistics every k steps
    std::string device = "cpu";             // "cpu", "cuda" or "cuda:N" (torch.device spelling)
};

// Strict: unknown keys and bad values are SpecErrors naming `json_path` and the fix.
TrainSetup parse_train_setup(const nlohmann::json& j, const std::string& json_path = "training");
nlohmann::json to_json(const TrainSetup& setup);

// The DataOptions a setup asks for: synthetic options, the CSV dialect and label column, and the
// held-out test split (test_split, seeded by the run's seed) of sources without a test set.
data::DataOptions data_options_for(const TrainSetup& setup);

// Lower-case CLI spellings (sgd, adam, adamw; step, cosine, none) -> engine names (SGD, ...).
std::string optimizer_name_from_cli(const std::string& text);
std::string scheduler_name_from_cli(const std::string& text);  // "" for none

}  // namespace nnstudio::train
