// Colour maps of the playground's pictures.
#include "playground/field_image.h"

#include "plots/plot_palette.h"

#include <algorithm>
#include <cmath>

namespace nnstudio::ui {
namespace {

QRgb mix(const QColor& a, const QColor& b, double t) {  // t = 0: a, t = 1: b
    return qRgb(static_cast<int>(std::lround(a.red() + (b.red() - a.red()) * t)),
                static_cast<int>(std::lround(a.green() + (b.green() - a.green()) * t)),
                static_cast<int>(std::lround(a.blue() + (b.blue() - a.blue()) * t)));
}

}  // namespace

QColor classColor(int c) { return plot_palette::series(c); }

QImage decisionImage(const GridField& field) {
    const int n = field.resolution;
    QImage image(n, n, QImage::Format_RGB32);
    const double chance = field.classes > 0 ? 1.0 / static_cast<double>(field.classes) : 0;
    const QColor white(Qt::white);
    std::vector<QColor> colors;
    for (int c = 0; c < field.classes; ++c) colors.push_back(classColor(c));
    for (int row = 0; row < n; ++row) {
        auto* line = reinterpret_cast<QRgb*>(image.scanLine(n - 1 - row));
        for (int col = 0; col < n; ++col) {
            const size_t i = static_cast<size_t>(row) * n + col;
            const double sure = std::clamp((field.confidence[i] - chance) / std::max(1e-9, 1 - chance), 0.0, 1.0);
            // Never fully saturated: the points drawn on top must stay visible.
            line[col] = mix(white, colors[static_cast<size_t>(field.predicted[i])], 0.15 + 0.5 * sure);
        }
    }
    return image;
}

QImage neuronImage(const GridField& field, const HiddenField& layer, int64_t neuron) {
    const int n = field.resolution;
    const int64_t cells = field.cells();
    const float* v = layer.values.data() + neuron * cells;
    float scale = 0;
    for (int64_t c = 0; c < cells; ++c) scale = std::max(scale, std::abs(v[c]));
    QImage image(n, n, QImage::Format_RGB32);
    const QColor white(Qt::white), negative(245, 147, 34), positive(8, 119, 189);
    for (int row = 0; row < n; ++row) {
        auto* line = reinterpret_cast<QRgb*>(image.scanLine(n - 1 - row));
        for (int col = 0; col < n; ++col) {
            const double t = scale > 0 ? v[static_cast<size_t>(row) * n + col] / scale : 0.0;
            line[col] = t < 0 ? mix(white, negative, -t) : mix(white, positive, t);
        }
    }
    return image;
}

}  // namespace nnstudio::ui
