// gather_batch implementation: one pass per sample, byte scale and normalisation fused.
#include "data/gather_batch.h"

#include "data/data_error.h"

#include <algorithm>

namespace nnstudio::data {

namespace {

// Resizes only when the shape differs, so a steady-state batch builds no Shape vector at all.
void ensure_shape(Tensor& t, int64_t batch, const Shape& tail) {
    const Shape& s = t.shape();
    if (s.size() == tail.size() + 1 && s[0] == batch && std::equal(tail.begin(), tail.end(), s.begin() + 1)) return;
    Shape shape;
    shape.reserve(tail.size() + 1);
    shape.push_back(batch);
    shape.insert(shape.end(), tail.begin(), tail.end());
    t.resize(shape);
}

void check_normalization(const Dataset& dataset, const Normalization& n) {
    const size_t want = n.kind == NormalizationKind::None     ? 0
                        : n.kind == NormalizationKind::Global ? 1
                                                              : static_cast<size_t>(dataset.feature_size());
    if (n.mean.size() != want || n.stddev.size() != want)
        throw DataError(to_string(n.kind) + " normalization holds " + std::to_string(n.mean.size()) +
                        " means and " + std::to_string(n.stddev.size()) + " stds but " +
                        (dataset.name().empty() ? std::string("the data set") : dataset.name()) + " needs " +
                        std::to_string(want) + " (feature shape " + shape_to_string(dataset.feature_shape()) +
                        "): fit it on this data set with fit_normalization");
}

}  // namespace

void gather_batch(const Dataset& dataset, std::span<const int64_t> indices, const Normalization& normalization,
                  Tensor& x, Tensor& y) {
    check_normalization(dataset, normalization);
    for (int64_t i : indices) dataset.check_index(i);

    const int64_t batch = static_cast<int64_t>(indices.size());
    const int64_t fs = dataset.feature_size();
    ensure_shape(x, batch, dataset.feature_shape());
    const int64_t t = dataset.target_width();
    if (dataset.has_targets()) ensure_shape(y, batch, {t});
    else ensure_shape(y, batch, {});

    const float scale = dataset.stores_bytes() ? dataset.byte_scale() : 1.0f;
    const float* mean = normalization.mean.data();
    const float* stddev = normalization.stddev.data();
    // None and Global are one affine map v * a + c for every feature (scale folded in), so the
    // inner loops below stay branch-free and vectorise; PerFeature needs per-feature vectors.
    float a = scale, c = 0.0f;
    if (normalization.kind == NormalizationKind::Global) {
        a = scale / stddev[0];
        c = -mean[0] / stddev[0];
    }
    const bool per_feature = normalization.kind == NormalizationKind::PerFeature;
    for (int64_t k = 0; k < batch; ++k) {
        const int64_t i = indices[static_cast<size_t>(k)];
        float* out = x.data() + k * fs;
        if (t > 0) std::copy(dataset.target(i), dataset.target(i) + t, y.data() + k * t);
        else y[k] = static_cast<float>(dataset.label(i));
        const size_t at = static_cast<size_t>(i * fs);
        if (dataset.stores_bytes()) {
            const uint8_t* src = dataset.bytes().data() + at;
            if (per_feature)
                for (int64_t j = 0; j < fs; ++j) out[j] = (static_cast<float>(src[j]) * scale - mean[j]) / stddev[j];
            else
                for (int64_t j = 0; j < fs; ++j) out[j] = static_cast<float>(src[j]) * a + c;
        } else {
            const float* src = dataset.floats().data() + at;
            if (per_feature)
                for (int64_t j = 0; j < fs; ++j) out[j] = (src[j] - mean[j]) / stddev[j];
            else
                for (int64_t j = 0; j < fs; ++j) out[j] = src[j] * a + c;
        }
    }
}

}  // namespace nnstudio::data
