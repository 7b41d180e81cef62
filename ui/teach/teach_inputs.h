// TeachInputs: what every teaching view computes on — the model spec with its flags, the data
// source ("" = N(0,1) inputs), batch size and seed.
#pragma once
#include "nn/model.h"
#include "spec/model_builder.h"
#include "spec/model_spec.h"
#include "teach/teach_batch.h"
#include "tensor/typed_tensor.h"

#include <cstdint>
#include <optional>
#include <string>

namespace nnstudio::ui {

struct TeachInputs {
    spec::ModelSpec spec;
    spec::FlagValues flags;
    std::string data;  // a data source spec; empty: N(0,1) inputs with uniform labels
    int64_t batchSize = 64;
    uint64_t seed = 0;
};

// The model of `in` and one batch of its data, for the one-batch views (gradient inspector,
// train vs eval). The model takes `weights` when given, else is initialised with the init lab
// scheme `scheme` (empty: the model file's init), seeded with in.seed.
struct PreparedBatch {
    nn::Model model;
    teach::TeachData data;
};
PreparedBatch prepareOneBatch(const TeachInputs& in, const std::optional<StateDict>& weights,
                              const std::string& scheme = {});

}  // namespace nnstudio::ui
