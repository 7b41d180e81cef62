// TeachInputs: what every teaching view computes on — the model spec with its flags, the data
// source ("" = N(0,1) inputs), batch size and seed.
#pragma once
#include "spec/model_builder.h"
#include "spec/model_spec.h"

#include <cstdint>
#include <string>

namespace nnstudio::ui {

struct TeachInputs {
    spec::ModelSpec spec;
    spec::FlagValues flags;
    std::string data;  // a data source spec; empty: N(0,1) inputs with uniform labels
    int64_t batchSize = 64;
    uint64_t seed = 0;
};

}  // namespace nnstudio::ui
