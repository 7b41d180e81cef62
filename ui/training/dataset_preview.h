// DatasetPreview: a small scatter plot of a 2-D data set, one colour per class, so users see
// what spirals/moons/... look like with the chosen samples and noise before training.
#pragma once
#include "data/dataset.h"

#include <qcustomplot.h>

namespace nnstudio::ui {

class DatasetPreview : public QCustomPlot {
    Q_OBJECT
public:
    explicit DatasetPreview(QWidget* parent = nullptr);

    void showDataset(const data::Dataset& dataset);  // 2-feature labelled sets only; others clear the plot
    void showNothing();
    int pointCount() const;  // points drawn (at most kMaxPoints)

    static constexpr int kMaxPoints = 4000;  // beyond this the preview only gets darker
};

}  // namespace nnstudio::ui
