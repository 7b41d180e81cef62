// Colours and pens shared by the training plots, so a series looks the same on every tab.
#pragma once
#include <QColor>
#include <QPen>

namespace nnstudio::ui::plot_palette {

QColor train();       // train series (blue)
QColor validation();  // validation series (orange)
QColor trainStep();   // per-step train loss (light blue: many noisy points under the epoch lines)
QColor series(int index);  // a qualitative palette for per-parameter and per-class series
QPen line(const QColor& color, qreal width = 1.6, Qt::PenStyle style = Qt::SolidLine);

}  // namespace nnstudio::ui::plot_palette
