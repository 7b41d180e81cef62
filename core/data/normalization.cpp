// Normalization implementation: two-pass mean/variance over the training indices, JSON round trip.
#include "data/normalization.h"

#include "data/data_error.h"
#include "util/json_options.h"

#include <algorithm>
#include <cmath>

namespace nnstudio::data {

std::string to_string(NormalizationKind kind) {
    switch (kind) {
        case NormalizationKind::None: return "none";
        case NormalizationKind::PerFeature: return "per_feature";
        case NormalizationKind::Global: return "global";
    }
    return "none";
}

NormalizationKind parse_normalization_kind(const std::string& text) {
    if (text == "none" || text == "scale") return NormalizationKind::None;
    if (text == "per_feature" || text == "per-feature" || text == "standardize") return NormalizationKind::PerFeature;
    if (text == "global") return NormalizationKind::Global;
    throw DataError("unknown normalization '" + text +
                    "': use none (values as stored; images scaled to [0, 1]), per_feature (standardise each "
                    "feature) or global (one mean/std for all features)");
}

nlohmann::json Normalization::to_json() const {
    return {{"kind", to_string(kind)}, {"mean", mean}, {"std", stddev}};
}

Normalization Normalization::from_json(const nlohmann::json& json, const std::string& path) {
    JsonOptions o(json, path, "normalization");
    o.allow_only({"kind", "mean", "std"});
    Normalization n;
    try {
        n.kind = parse_normalization_kind(o.string("kind", "none"));
    } catch (const DataError& e) {
        o.fail("kind", e.what());
    }
    for (double v : o.numbers("mean")) n.mean.push_back(static_cast<float>(v));
    for (double v : o.numbers("std")) {
        if (!(v > 0)) o.fail("std", "every std must be positive, got " + std::to_string(v));
        n.stddev.push_back(static_cast<float>(v));
    }
    if (n.mean.size() != n.stddev.size()) o.fail("std", "must have as many values as mean");
    const size_t want_one = n.kind == NormalizationKind::Global ? 1 : 0;
    if (n.kind == NormalizationKind::None && !n.mean.empty()) o.fail("mean", "must be empty for kind none");
    if (n.kind == NormalizationKind::Global && n.mean.size() != want_one) o.fail("mean", "must hold 1 value for kind global");
    if (n.kind == NormalizationKind::PerFeature && n.mean.empty()) o.fail("mean", "must hold one value per feature");
    return n;
}

Normalization fit_normalization(const Dataset& dataset, std::span<const int64_t> train_indices,
                                NormalizationKind kind) {
    Normalization n;
    n.kind = kind;
    if (kind == NormalizationKind::None) return n;
    if (train_indices.empty())
        throw DataError("cannot fit " + to_string(kind) + " normalization on an empty training split");
    for (int64_t i : train_indices) dataset.check_index(i);

    const size_t fs = static_cast<size_t>(dataset.feature_size());
    const double count = static_cast<double>(train_indices.size());
    std::vector<float> row(fs);
    // Two passes (mean, then squared deviations) so large offsets do not cancel catastrophically.
    std::vector<double> sum(fs, 0.0);
    for (int64_t i : train_indices) {
        dataset.copy_sample(i, row.data());
        for (size_t j = 0; j < fs; ++j) sum[j] += row[j];
    }
    std::vector<double> mean(fs);
    double global_mean = 0.0;
    for (size_t j = 0; j < fs; ++j) {
        mean[j] = sum[j] / count;
        global_mean += sum[j];
    }
    global_mean /= count * static_cast<double>(fs);

    std::vector<double> sq(fs, 0.0);
    for (int64_t i : train_indices) {
        dataset.copy_sample(i, row.data());
        for (size_t j = 0; j < fs; ++j) {
            const double d = row[j] - (kind == NormalizationKind::Global ? global_mean : mean[j]);
            sq[j] += d * d;
        }
    }
    auto floored = [](double var) { return static_cast<float>(std::max(std::sqrt(var), Normalization::kStdFloor)); };
    if (kind == NormalizationKind::Global) {
        double total = 0.0;
        for (double s : sq) total += s;
        n.mean = {static_cast<float>(global_mean)};
        n.stddev = {floored(total / (count * static_cast<double>(fs)))};
    } else {
        n.mean.resize(fs);
        n.stddev.resize(fs);
        for (size_t j = 0; j < fs; ++j) {
            n.mean[j] = static_cast<float>(mean[j]);
            n.stddev[j] = floored(sq[j] / count);
        }
    }
    return n;
}

}  // namespace nnstudio::data
