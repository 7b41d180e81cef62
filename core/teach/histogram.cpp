// Histogram binning and moments in double precision.
#include "teach/histogram.h"

#include "error.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace nnstudio::teach {

Histogram make_histogram(std::span<const float> values, double lo, double hi, int bins) {
    if (!(lo < hi) || bins < 1)
        throw Error("histogram: need lo < hi and at least one bin (got [" + std::to_string(lo) + ", " +
                    std::to_string(hi) + "], " + std::to_string(bins) + " bins)");
    Histogram h{lo, hi, std::vector<int64_t>(static_cast<size_t>(bins), 0), 0};
    const double scale = bins / (hi - lo);
    for (float v : values) {
        if (!std::isfinite(v)) {
            ++h.non_finite;
            continue;
        }
        const double at = std::floor((v - lo) * scale);
        const int bin = static_cast<int>(std::clamp(at, 0.0, static_cast<double>(bins - 1)));
        ++h.counts[static_cast<size_t>(bin)];
    }
    return h;
}

Histogram make_histogram(std::span<const float> values, int bins) {
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (float v : values) {
        if (!std::isfinite(v)) continue;
        lo = std::min(lo, static_cast<double>(v));
        hi = std::max(hi, static_cast<double>(v));
    }
    if (lo > hi) lo = hi = 0;  // no finite value
    if (lo == hi) {
        lo -= 0.5;
        hi += 0.5;
    }
    return make_histogram(values, lo, hi, bins);
}

Moments moments(const Tensor& t) {
    if (t.numel() == 0) return {};
    return {t.mean(), t.numel() > 1 ? t.std_unbiased() : 0.0};
}

double l2_norm(const Tensor& t) {
    double s = 0;
    for (float v : t) s += static_cast<double>(v) * v;
    return std::sqrt(s);
}

}  // namespace nnstudio::teach
