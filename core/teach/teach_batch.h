// TeachBatch: the labelled mini-batches a teaching analysis runs on — drawn from a data source
// ("fashion-mnist", "spirals", a CSV ...) or, with no source, N(0,1) inputs of the model's shape.
#pragma once
#include "nn/model.h"
#include "tensor/tensor.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nnstudio::teach {

struct Batch {
    Tensor x;  // (B, *input_shape), normalised as training would
    Tensor y;  // (B,) class indices stored as floats (what the losses take)
};

struct TeachData {
    std::string description;     // one line: where the batches came from
    std::vector<Batch> batches;  // `count` batches of the same size, the same for every seed
};

// `count` batches of `batch_size` samples drawn without replacement (seeded) from the training
// split of `data_spec` (normalised with its global mean/std, as TrainSetup's default); an empty
// `data_spec` gives N(0,1) inputs and uniform labels over the model's output classes.
// Throws DataError/SpecError when the data does not fit the model (naming both shapes) or has
// fewer samples than asked for, Error for a batch size or count below 1.
TeachData load_teach_data(const nn::Model& model, const std::string& data_spec, int64_t batch_size, int64_t count,
                          uint64_t seed);

}  // namespace nnstudio::teach
