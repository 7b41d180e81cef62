// split: a seeded, deterministic partition of sample indices into training and validation sets.
#pragma once
#include "data/dataset.h"

#include <cstdint>
#include <vector>

namespace nnstudio::data {

struct SplitIndices {
    std::vector<int64_t> train;  // ascending
    std::vector<int64_t> val;    // ascending
};

// ceil(val_fraction * n) samples (as sklearn's train_test_split) chosen by a seeded shuffle go to
// `val`, the rest to `train`; disjoint, together 0..n-1. val_fraction in [0, 1); the training part
// must not be empty. Not stratified.
SplitIndices split(int64_t num_samples, double val_fraction, uint64_t seed);
SplitIndices split(const Dataset& dataset, double val_fraction, uint64_t seed);

}  // namespace nnstudio::data
