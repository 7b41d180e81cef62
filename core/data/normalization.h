// Normalization: how gather_batch turns a sample's (byte-scaled) values into model inputs:
// unchanged, per-feature standardisation or one global mean/std, fitted on the training split.
#pragma once
#include "data/dataset.h"

#include <nlohmann/json.hpp>

#include <span>
#include <string>
#include <vector>

namespace nnstudio::data {

enum class NormalizationKind {
    None,        // values as stored; for images that is "scale only" (byte * 1/255 -> [0, 1])
    PerFeature,  // (x_j - mean_j) / std_j, one mean/std per feature (sklearn's StandardScaler)
    Global,      // (x - mean) / std with a single mean/std (the usual Fashion-MNIST habit)
};

std::string to_string(NormalizationKind kind);  // "none", "per_feature", "global"
// Accepts "none" (alias "scale"), "per_feature" (alias "standardize"), "global".
NormalizationKind parse_normalization_kind(const std::string& text);

struct Normalization {
    // A std below this is replaced by it, so a constant feature gives 0 rather than NaN.
    static constexpr double kStdFloor = 1e-8;

    NormalizationKind kind = NormalizationKind::None;
    std::vector<float> mean;    // PerFeature: feature_size values; Global: 1; None: empty
    std::vector<float> stddev;  // population std (ddof 0), floored at kStdFloor; sizes as mean

    // {"kind": "global", "mean": [...], "std": [...]}: saved with a trained model so inference
    // normalises exactly as training did.
    nlohmann::json to_json() const;
    static Normalization from_json(const nlohmann::json& json, const std::string& path = "normalization");
};

// Mean/std over the samples in `train_indices` only (never the validation/test samples, whose
// statistics would leak into training). Accumulates in double.
// Features only: float targets (Dataset::has_targets()) are never normalised, since the loss must
// compare the output with the values the user gave (train.py does the same).
Normalization fit_normalization(const Dataset& dataset, std::span<const int64_t> train_indices,
                                NormalizationKind kind);

}  // namespace nnstudio::data
