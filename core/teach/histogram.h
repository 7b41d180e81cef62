// Histogram and summary statistics of a tensor's values: what the teaching views plot per layer
// (activations, gradients) — plain structs a GUI draws directly.
#pragma once
#include "tensor/tensor.h"

#include <cstdint>
#include <span>
#include <vector>

namespace nnstudio::teach {

// `counts.size()` equal-width bins over [lo, hi]; values outside the range go to the nearest end
// bin; non-finite values are counted apart and in no bin.
struct Histogram {
    double lo = 0, hi = 0;
    std::vector<int64_t> counts;
    int64_t non_finite = 0;
};

inline constexpr int kHistogramBins = 40;

// Over [lo, hi] (lo < hi).
Histogram make_histogram(std::span<const float> values, double lo, double hi, int bins = kHistogramBins);
// Over the finite values' [min, max] (widened by 0.5 on both sides when they are all equal).
Histogram make_histogram(std::span<const float> values, int bins = kHistogramBins);

// Mean and standard deviation (unbiased, as torch.std()) accumulated in double; the L2 norm.
struct Moments {
    double mean = 0, std = 0;
};
Moments moments(const Tensor& t);
double l2_norm(const Tensor& t);

}  // namespace nnstudio::teach
