// split implementation: Fisher-Yates over 0..n-1 with the engine's Rng, then sorted halves
// (ascending indices keep later batch gathers cache-friendly; the sampler shuffles anyway).
#include "data/split.h"

#include "data/data_error.h"
#include "util/random.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace nnstudio::data {

SplitIndices split(int64_t num_samples, double val_fraction, uint64_t seed) {
    if (!(val_fraction >= 0.0 && val_fraction < 1.0))
        throw DataError("validation fraction must be in [0, 1) (e.g. 0.1 for 10%), got " + std::to_string(val_fraction));
    if (num_samples < 0) throw DataError("cannot split a negative number of samples");
    // The epsilon keeps 0.2 * 1000 from rounding up to 201 through binary floating point.
    const int64_t n_val = static_cast<int64_t>(std::ceil(val_fraction * static_cast<double>(num_samples) - 1e-9));
    if (num_samples - n_val < 1)
        throw DataError("splitting " + std::to_string(num_samples) + " samples with validation fraction " +
                        std::to_string(val_fraction) + " leaves no training samples; use a smaller fraction or more data");
    std::vector<int64_t> order(static_cast<size_t>(num_samples));
    std::iota(order.begin(), order.end(), int64_t(0));
    Rng rng(seed);
    for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[static_cast<size_t>(rng.below(i))]);
    SplitIndices s;
    s.val.assign(order.begin(), order.begin() + n_val);
    s.train.assign(order.begin() + n_val, order.end());
    std::sort(s.val.begin(), s.val.end());
    std::sort(s.train.begin(), s.train.end());
    return s;
}

SplitIndices split(const Dataset& dataset, double val_fraction, uint64_t seed) {
    return split(dataset.size(), val_fraction, seed);
}

}  // namespace nnstudio::data
