// evaluate_grid: one batch of resolution² points through a LayerTrace (a forward hook on every unit).
#include "playground/grid_field.h"

#include "data/dataset.h"
#include "data/gather_batch.h"
#include "error.h"
#include "teach/layer_trace.h"
#include "train/evaluate.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace nnstudio::ui {

GridRect square_bounds(const std::vector<float>& values) {
    if (values.size() < 2) return {};
    float lo[2] = {values[0], values[1]}, hi[2] = {values[0], values[1]};
    for (size_t i = 0; i + 1 < values.size(); i += 2)
        for (int d = 0; d < 2; ++d) {
            lo[d] = std::min(lo[d], values[i + d]);
            hi[d] = std::max(hi[d], values[i + d]);
        }
    const double half = 0.55 * std::max({double(hi[0]) - lo[0], double(hi[1]) - lo[1], 1e-3});
    const double cx = 0.5 * (double(lo[0]) + hi[0]), cy = 0.5 * (double(lo[1]) + hi[1]);
    return {cx - half, cx + half, cy - half, cy + half};
}

int64_t GridField::cell_at(double x, double y) const {
    const double u = (x - rect.x0) / (rect.x1 - rect.x0), v = (y - rect.y0) / (rect.y1 - rect.y0);
    if (!(u >= 0 && u < 1 && v >= 0 && v < 1)) return -1;
    const int col = std::min(resolution - 1, static_cast<int>(u * resolution));
    const int row = std::min(resolution - 1, static_cast<int>(v * resolution));
    return static_cast<int64_t>(row) * resolution + col;
}

GridField evaluate_grid(nn::Model& model, const data::Normalization& normalization, const GridRect& rect, int resolution,
                        int hidden_layers, int64_t max_neurons) {
    if (resolution < 2) throw Error("the playground's grid needs at least 2 cells per side, got " + std::to_string(resolution));
    const Shape out_shape = model.output_shape();
    if (model.input_shape() != Shape{2} || out_shape.size() != 1)
        throw ShapeError(model.name() + " takes " + shape_to_string(model.input_shape()) + " and gives " +
                         shape_to_string(out_shape) + " per sample; the decision boundary needs a 2-D classifier: "
                         "input shape (2) and one output per class");
    GridField f;
    f.rect = rect;
    f.resolution = resolution;
    f.classes = out_shape[0];
    const int64_t n = f.cells();

    // The cell centres as a data set, so they are normalised by the same code as training batches.
    std::vector<float> points(static_cast<size_t>(2 * n));
    for (int row = 0; row < resolution; ++row)
        for (int col = 0; col < resolution; ++col) {
            const size_t c = static_cast<size_t>(row) * resolution + col;
            points[2 * c] = static_cast<float>(f.cell_x(col));
            points[2 * c + 1] = static_cast<float>(f.cell_y(row));
        }
    const data::Dataset grid = data::Dataset::from_floats({2}, std::move(points), std::vector<int32_t>(static_cast<size_t>(n), 0), f.classes);
    std::vector<int64_t> all(static_cast<size_t>(n));
    std::iota(all.begin(), all.end(), 0);
    Tensor x, y;
    data::gather_batch(grid, all, normalization, x, y);

    const bool was_training = model.is_training();
    model.eval();
    teach::LayerTrace trace(model);
    const Tensor logits = trace.forward(x).to(Device::cpu());
    int linears = 0;
    const auto& layers = trace.layers();
    for (size_t i = 0; i < layers.size() && static_cast<int>(f.hidden.size()) < hidden_layers; ++i) {
        if (layers[i].type != "Linear") continue;
        if (++linears == 1 || i == 0) continue;  // the first Linear reads the input itself
        const Tensor h = layers[i - 1].output.to(Device::cpu());
        if (h.dim() != 2) continue;
        HiddenField hf;
        hf.path = layers[i - 1].path;
        hf.layer_width = h.size(1);
        hf.neurons = std::min(hf.layer_width, max_neurons);
        hf.values.resize(static_cast<size_t>(hf.neurons * n));
        const float* p = h.begin();
        for (int64_t c = 0; c < n; ++c)
            for (int64_t k = 0; k < hf.neurons; ++k) hf.values[static_cast<size_t>(k * n + c)] = p[c * hf.layer_width + k];
        f.hidden.push_back(std::move(hf));
    }
    model.train(was_training);

    f.predicted.resize(static_cast<size_t>(n));
    f.confidence.resize(static_cast<size_t>(n));
    for (int64_t c = 0; c < n; ++c) {
        const int64_t best = train::argmax_row(logits, c);
        const float* row = logits.begin() + c * f.classes;
        double sum = 0;  // softmax of the winner, shifted by the max for stability
        for (int64_t k = 0; k < f.classes; ++k) sum += std::exp(double(row[k]) - row[best]);
        f.predicted[static_cast<size_t>(c)] = static_cast<int32_t>(best);
        f.confidence[static_cast<size_t>(c)] = static_cast<float>(1.0 / sum);
    }
    return f;
}

}  // namespace nnstudio::ui
