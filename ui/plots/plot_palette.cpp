// Plot colours: Tableau 10, readable on white and for most colour-vision deficiencies.
#include "plots/plot_palette.h"

#include <array>

namespace nnstudio::ui::plot_palette {

QColor train() { return QColor(31, 119, 180); }
QColor validation() { return QColor(255, 127, 14); }
QColor trainStep() { return QColor(31, 119, 180, 110); }

QColor series(int index) {
    static const std::array<QColor, 10> colors = {
        QColor(31, 119, 180), QColor(255, 127, 14), QColor(44, 160, 44),  QColor(214, 39, 40),  QColor(148, 103, 189),
        QColor(140, 86, 75),  QColor(227, 119, 194), QColor(127, 127, 127), QColor(188, 189, 34), QColor(23, 190, 207)};
    return colors[static_cast<size_t>(index) % colors.size()];
}

QPen line(const QColor& color, qreal width, Qt::PenStyle style) {
    QPen pen(color, width, style);
    pen.setCapStyle(Qt::RoundCap);
    pen.setJoinStyle(Qt::RoundJoin);
    return pen;
}

}  // namespace nnstudio::ui::plot_palette
