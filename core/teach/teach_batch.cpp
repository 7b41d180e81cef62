// Batches for the teaching views: a seeded draw from a data source, or random inputs.
#include "teach/teach_batch.h"

#include "data/data_error.h"
#include "data/data_source.h"
#include "data/gather_batch.h"
#include "data/normalization.h"
#include "error.h"
#include "util/random.h"

#include <numeric>

namespace nnstudio::teach {
namespace {

// The data's own stream: initialise_model draws the weights from Rng(seed), and weights equal to
// the inputs (scaled) would correlate every first-layer unit with one sample.
Rng data_rng(uint64_t seed) { return Rng(seed ^ 0xD1B54A32D192ED03ull); }

int64_t class_count(const nn::Model& model) {
    const Shape out = model.output_shape();
    return out.empty() ? 1 : out.back();
}

TeachData random_data(const nn::Model& model, int64_t batch_size, int64_t count, uint64_t seed) {
    Rng rng = data_rng(seed);
    const int64_t classes = class_count(model);
    Shape shape = model.input_shape();
    shape.insert(shape.begin(), batch_size);
    TeachData d{"N(0,1) inputs " + shape_to_string(shape) + ", uniform labels over " + std::to_string(classes) +
                    " classes",
                {}};
    for (int64_t b = 0; b < count; ++b) {
        Batch batch{Tensor(shape), Tensor({batch_size})};
        for (int64_t i = 0; i < batch.x.numel(); ++i) batch.x[i] = rng.normal();
        for (int64_t i = 0; i < batch_size; ++i) batch.y[i] = static_cast<float>(rng.below(static_cast<uint64_t>(classes)));
        d.batches.push_back(std::move(batch));
    }
    return d;
}

}  // namespace

TeachData load_teach_data(const nn::Model& model, const std::string& data_spec, int64_t batch_size, int64_t count,
                          uint64_t seed) {
    if (batch_size < 1 || count < 1)
        throw Error("need a batch size and a batch count of at least 1 (got " + std::to_string(batch_size) + " and " +
                    std::to_string(count) + ")");
    if (data_spec.empty()) return random_data(model, batch_size, count, seed);

    const data::LoadedData loaded = data::load_data(data::parse_data_source(data_spec));
    const data::Dataset& train = loaded.train;
    if (train.feature_shape() != model.input_shape())
        throw data::DataError("data '" + data_spec + "' has samples of shape " + shape_to_string(train.feature_shape()) +
                              " but " + model.name() + " takes " + shape_to_string(model.input_shape()) +
                              ": choose data that fits the model's input");
    if (loaded.num_classes > class_count(model))
        throw data::DataError("data '" + data_spec + "' has " + std::to_string(loaded.num_classes) + " classes but " +
                              model.name() + " outputs " + std::to_string(class_count(model)) +
                              ": give the last Linear out_features=" + std::to_string(loaded.num_classes));
    if (batch_size * count > train.size())
        throw data::DataError("data '" + data_spec + "' has " + std::to_string(train.size()) + " training samples, fewer than " +
                              std::to_string(count) + " batches of " + std::to_string(batch_size));

    std::vector<int64_t> all(static_cast<size_t>(train.size()));
    std::iota(all.begin(), all.end(), int64_t{0});
    const data::Normalization norm = data::fit_normalization(train, all, data::NormalizationKind::Global);
    // A seeded partial Fisher-Yates shuffle picks the samples.
    Rng rng = data_rng(seed);
    const int64_t needed = batch_size * count;
    for (int64_t i = 0; i < needed; ++i) std::swap(all[i], all[i + static_cast<int64_t>(rng.below(static_cast<uint64_t>(train.size() - i)))]);

    TeachData d{loaded.description, {}};
    for (int64_t b = 0; b < count; ++b) {
        Batch batch;
        data::gather_batch(train, std::span<const int64_t>(all.data() + b * batch_size, static_cast<size_t>(batch_size)), norm,
                           batch.x, batch.y);
        d.batches.push_back(std::move(batch));
    }
    return d;
}

}  // namespace nnstudio::teach
