// Synthetic 2-D classification sets that need no download: spirals, moons, circles, xor, blobs.
// Seeded and deterministic; samples are shuffled so no prefix is sorted by class.
#pragma once
#include "data/dataset.h"

#include <optional>
#include <string>
#include <vector>

namespace nnstudio::data {

struct SyntheticOptions {
    int64_t samples = 1000;        // total over all classes (split as evenly as possible)
    std::optional<double> noise;   // default per set: see default_synthetic_noise
    uint64_t seed = 0;
    int64_t classes = 0;           // spirals/blobs (default 3); moons/circles/xor have 2 (0 or 2 only)
    double factor = 0.8;           // circles: inner radius / outer radius, in (0, 1) (sklearn's default)
};

// Shapes (noise-free), all with features (2,):
//  spirals: K arms like CS231n's: for arm k, r = linspace(0, 1, n), t = linspace(0, 4, n) + 2*pi*k/K
//           + N(0, noise) (noise on the angle, default 0.2), x = (r sin t, r cos t).
//  moons:   sklearn make_moons: class 0 the upper half circle (cos s, sin s), s in [0, pi]; class 1
//           (1 - cos s, 1 - sin s - 0.5); then N(0, noise) on each coordinate (default 0.1).
//           Noise-free bounds: x in [-1, 2], y in [-0.5, 1].
//  circles: sklearn make_circles: class 0 on the unit circle, class 1 on the circle of radius
//           factor, angles 2*pi*i/n; then N(0, noise) (default 0.05).
//  xor:     4 Gaussian clusters at (+-1, +-1) with std noise (default 0.25); class 0 where x and y
//           share a sign (quadrants I and III), class 1 otherwise.
//  blobs:   K Gaussian clusters with std noise (default 1.0) centred on the circle of radius 5:
//           centre_k = 5 (cos(2*pi*k/K), sin(2*pi*k/K)).
const std::vector<std::string>& synthetic_names();  // spirals, moons, circles, xor, blobs
bool is_synthetic_name(const std::string& name);
double default_synthetic_noise(const std::string& name);

// Throws DataError for an unknown name (listing the valid ones) or invalid options.
Dataset make_synthetic(const std::string& name, const SyntheticOptions& options = {});

Dataset make_spirals(const SyntheticOptions& options = {});
Dataset make_moons(const SyntheticOptions& options = {});
Dataset make_circles(const SyntheticOptions& options = {});
Dataset make_xor(const SyntheticOptions& options = {});
Dataset make_blobs(const SyntheticOptions& options = {});

}  // namespace nnstudio::data
