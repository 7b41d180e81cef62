// GridField: what a 2-D classifier does over a square grid of the input plane — the predicted
// class and its confidence in every cell, and the first hidden layers' activations — computed by
// an eval-mode forward of the whole grid as one batch (the playground's worker thread calls it).
#pragma once
#include "data/normalization.h"
#include "nn/model.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nnstudio::ui {

// The plane a grid covers, in data coordinates (before normalisation).
struct GridRect {
    double x0 = -1, x1 = 1, y0 = -1, y1 = 1;
};

// The data's bounding box (train and test), padded by 10% and made square around its centre, so
// the points never touch the edge and the picture is not stretched. `values`: (N, 2) row-major.
GridRect square_bounds(const std::vector<float>& values);

struct HiddenField {
    std::string path;             // the traced unit whose output this is: "act1"
    int64_t neurons = 0;          // kept: the layer's first `neurons` units
    int64_t layer_width = 0;      // units in the layer
    std::vector<float> values;    // (neurons, cells): neuron n's activation at cell c is values[n * cells + c]
};

struct GridField {
    GridRect rect;
    int resolution = 0;            // cells per side; cell (col, row) has index row * resolution + col
    int64_t classes = 0;
    std::vector<int32_t> predicted;  // (cells,) argmax of the model's output at the cell's centre
    std::vector<float> confidence;   // (cells,) softmax probability of that class, in [1/classes, 1]
    std::vector<HiddenField> hidden;  // the first hidden layers, in order

    int64_t cells() const { return static_cast<int64_t>(resolution) * resolution; }
    // Row 0 is the lowest y (y0), column 0 the lowest x (x0), as in a plot.
    double cell_x(int col) const { return rect.x0 + (col + 0.5) * (rect.x1 - rect.x0) / resolution; }
    double cell_y(int row) const { return rect.y0 + (row + 0.5) * (rect.y1 - rect.y0) / resolution; }
    // The cell holding (x, y); -1 outside the rect.
    int64_t cell_at(double x, double y) const;
};

// The model's input must be (2,) and its output (C,). Evaluates the cell centres normalised with
// `normalization` (as training batches are), in eval mode (restored afterwards), and keeps the
// outputs of the units that feed the 2nd, 3rd, ... Linear (a hidden layer's activations after its
// nonlinearity, BatchNorm or Dropout), at most `hidden_layers` of them and of each at most its
// first `max_neurons` units (small multiples of a 512-unit layer say nothing more, and cost 20 MB
// a frame). Throws ShapeError for a model that is not a 2-D classifier, Error for resolution < 2.
GridField evaluate_grid(nn::Model& model, const data::Normalization& normalization, const GridRect& rect, int resolution,
                        int hidden_layers = 2, int64_t max_neurons = 64);

}  // namespace nnstudio::ui
