// Synthetic data generators: the shapes documented in synthetic.h, drawn from one seeded Rng.
#include "data/synthetic.h"

#include "data/data_error.h"
#include "util/json_options.h"
#include "util/random.h"

#include <cmath>
#include <numbers>
#include <sstream>

namespace nnstudio::data {

namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kBlobRadius = 5.0;
constexpr int64_t kMaxClasses = 1000;

// Collects points, then shuffles them (features and labels together) with the same Rng.
struct Builder {
    std::vector<float> xy;
    std::vector<int32_t> labels;
    void add(double x, double y, int32_t label) {
        xy.push_back(static_cast<float>(x));
        xy.push_back(static_cast<float>(y));
        labels.push_back(label);
    }
    Dataset finish(Rng& rng, int64_t classes, std::vector<std::string> names, const std::string& name) {
        for (size_t i = labels.size(); i > 1; --i) {  // Fisher-Yates
            const size_t j = static_cast<size_t>(rng.below(i));
            std::swap(labels[i - 1], labels[j]);
            std::swap(xy[2 * (i - 1)], xy[2 * j]);
            std::swap(xy[2 * (i - 1) + 1], xy[2 * j + 1]);
        }
        Dataset d = Dataset::from_floats({2}, std::move(xy), std::move(labels), classes, std::move(names));
        d.set_name(name);
        return d;
    }
};

// Share of `total` for part k of `parts`: differs by at most 1 between parts.
int64_t share(int64_t total, int64_t parts, int64_t k) { return total / parts + (k < total % parts ? 1 : 0); }

// numpy.linspace(start, stop, n, endpoint)[i]
double linspace(double start, double stop, int64_t n, int64_t i, bool endpoint = true) {
    const int64_t div = endpoint ? n - 1 : n;
    if (div <= 0) return start;
    return start + (stop - start) * static_cast<double>(i) / static_cast<double>(div);
}

struct Resolved {
    int64_t samples;
    double noise;
    int64_t classes;
    std::string label;  // for Dataset::name()
};

Resolved resolve(const std::string& set, const SyntheticOptions& o, int64_t fixed_classes, int64_t default_classes) {
    Resolved r;
    r.samples = o.samples;
    r.noise = o.noise.value_or(default_synthetic_noise(set));
    if (!std::isfinite(r.noise) || r.noise < 0)
        throw DataError(set + ": noise must be a finite number >= 0, got " + std::to_string(r.noise));
    if (fixed_classes) {
        if (o.classes != 0 && o.classes != fixed_classes)
            throw DataError(set + " always has " + std::to_string(fixed_classes) + " classes, got classes = " +
                            std::to_string(o.classes) + "; use spirals or blobs for more classes");
        r.classes = fixed_classes;
    } else {
        r.classes = o.classes == 0 ? default_classes : o.classes;
        if (r.classes < 2 || r.classes > kMaxClasses)
            throw DataError(set + ": classes must be in 2.." + std::to_string(kMaxClasses) + ", got " +
                            std::to_string(r.classes));
    }
    const int64_t minimum = set == "xor" ? 4 : r.classes;
    if (r.samples < minimum || r.samples > (int64_t(1) << 30))
        throw DataError(set + ": samples must be at least " + std::to_string(minimum) +
                        " (one per class" + (set == "xor" ? std::string(" cluster") : std::string()) +
                        ") and at most 2^30, got " + std::to_string(r.samples));
    std::ostringstream s;
    s << set << " (" << r.samples << " samples, " << r.classes << " classes, noise " << r.noise << ", seed " << o.seed << ")";
    r.label = s.str();
    return r;
}

std::vector<std::string> numbered(const std::string& stem, int64_t n) {
    std::vector<std::string> names;
    for (int64_t k = 0; k < n; ++k) names.push_back(stem + " " + std::to_string(k));
    return names;
}

}  // namespace

const std::vector<std::string>& synthetic_names() {
    static const std::vector<std::string> names = {"spirals", "moons", "circles", "xor", "blobs"};
    return names;
}

bool is_synthetic_name(const std::string& name) {
    for (const auto& n : synthetic_names())
        if (n == name) return true;
    return false;
}

double default_synthetic_noise(const std::string& name) {
    if (name == "spirals") return 0.2;
    if (name == "moons") return 0.1;
    if (name == "circles") return 0.05;
    if (name == "xor") return 0.25;
    if (name == "blobs") return 1.0;
    return 0.0;
}

Dataset make_spirals(const SyntheticOptions& o) {
    const Resolved r = resolve("spirals", o, 0, 3);
    Rng rng(o.seed);
    Builder b;
    for (int64_t k = 0; k < r.classes; ++k) {
        const int64_t n = share(r.samples, r.classes, k);
        const double offset = 2.0 * kPi * static_cast<double>(k) / static_cast<double>(r.classes);
        for (int64_t i = 0; i < n; ++i) {
            const double radius = linspace(0.0, 1.0, n, i);
            const double t = linspace(0.0, 4.0, n, i) + offset + r.noise * rng.normal();
            b.add(radius * std::sin(t), radius * std::cos(t), static_cast<int32_t>(k));
        }
    }
    return b.finish(rng, r.classes, numbered("arm", r.classes), r.label);
}

Dataset make_moons(const SyntheticOptions& o) {
    const Resolved r = resolve("moons", o, 2, 2);
    Rng rng(o.seed);
    Builder b;
    const int64_t n_out = r.samples / 2, n_in = r.samples - n_out;  // as sklearn
    for (int64_t i = 0; i < n_out; ++i) {
        const double s = linspace(0.0, kPi, n_out, i);
        b.add(std::cos(s), std::sin(s), 0);
    }
    for (int64_t i = 0; i < n_in; ++i) {
        const double s = linspace(0.0, kPi, n_in, i);
        b.add(1.0 - std::cos(s), 1.0 - std::sin(s) - 0.5, 1);
    }
    for (float& v : b.xy) v += static_cast<float>(r.noise * rng.normal());
    return b.finish(rng, 2, {"upper moon", "lower moon"}, r.label);
}

Dataset make_circles(const SyntheticOptions& o) {
    const Resolved r = resolve("circles", o, 2, 2);
    if (!(o.factor > 0.0 && o.factor < 1.0))
        throw DataError("circles: factor (inner radius / outer radius) must be in (0, 1), got " + std::to_string(o.factor));
    Rng rng(o.seed);
    Builder b;
    const int64_t n_out = r.samples / 2, n_in = r.samples - n_out;  // as sklearn
    for (int64_t i = 0; i < n_out; ++i) {
        const double s = linspace(0.0, 2.0 * kPi, n_out, i, false);
        b.add(std::cos(s), std::sin(s), 0);
    }
    for (int64_t i = 0; i < n_in; ++i) {
        const double s = linspace(0.0, 2.0 * kPi, n_in, i, false);
        b.add(o.factor * std::cos(s), o.factor * std::sin(s), 1);
    }
    for (float& v : b.xy) v += static_cast<float>(r.noise * rng.normal());
    return b.finish(rng, 2, {"outer circle", "inner circle"}, r.label);
}

Dataset make_xor(const SyntheticOptions& o) {
    const Resolved r = resolve("xor", o, 2, 2);
    Rng rng(o.seed);
    Builder b;
    const double cx[4] = {1, -1, -1, 1}, cy[4] = {1, 1, -1, -1};  // quadrants I..IV
    for (int q = 0; q < 4; ++q) {
        const int32_t label = (q == 0 || q == 2) ? 0 : 1;
        for (int64_t i = 0; i < share(r.samples, 4, q); ++i)
            b.add(cx[q] + r.noise * rng.normal(), cy[q] + r.noise * rng.normal(), label);
    }
    return b.finish(rng, 2, {"same sign", "opposite sign"}, r.label);
}

Dataset make_blobs(const SyntheticOptions& o) {
    const Resolved r = resolve("blobs", o, 0, 3);
    Rng rng(o.seed);
    Builder b;
    for (int64_t k = 0; k < r.classes; ++k) {
        const double a = 2.0 * kPi * static_cast<double>(k) / static_cast<double>(r.classes);
        const double cx = kBlobRadius * std::cos(a), cy = kBlobRadius * std::sin(a);
        for (int64_t i = 0; i < share(r.samples, r.classes, k); ++i)
            b.add(cx + r.noise * rng.normal(), cy + r.noise * rng.normal(), static_cast<int32_t>(k));
    }
    return b.finish(rng, r.classes, numbered("blob", r.classes), r.label);
}

Dataset make_synthetic(const std::string& name, const SyntheticOptions& options) {
    if (name == "spirals") return make_spirals(options);
    if (name == "moons") return make_moons(options);
    if (name == "circles") return make_circles(options);
    if (name == "xor") return make_xor(options);
    if (name == "blobs") return make_blobs(options);
    throw DataError("unknown synthetic data set '" + name + "'; valid names: " + join_names(synthetic_names()));
}

}  // namespace nnstudio::data
