// DatasetPreview: one scatter graph per class, evenly thinned to kMaxPoints.
#include "training/dataset_preview.h"

#include "plots/plot_palette.h"

#include <algorithm>

namespace nnstudio::ui {

DatasetPreview::DatasetPreview(QWidget* parent) : QCustomPlot(parent) {
    setMinimumHeight(140);  // with the rest of the Training form, fits a 1080p screen
    axisRect()->setAutoMargins(QCP::msNone);
    axisRect()->setMargins(QMargins(4, 4, 4, 4));
    for (QCPAxis* axis : {xAxis, yAxis}) {
        axis->setTickLabels(false);
        axis->setTicks(false);
        axis->grid()->setVisible(false);
        axis->setBasePen(QPen(QColor(200, 200, 200)));
    }
    axisRect()->setupFullAxesBox(false);
    setToolTip(tr("Preview of the data set: one colour per class"));
}

void DatasetPreview::showDataset(const data::Dataset& dataset) {
    clearGraphs();
    if (dataset.feature_size() != 2 || dataset.empty() || dataset.has_targets()) {  // classes colour the points
        replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    const int64_t stride = std::max<int64_t>(1, (dataset.size() + kMaxPoints - 1) / kMaxPoints);
    std::vector<QVector<double>> xs(static_cast<size_t>(dataset.num_classes())), ys(xs.size());
    for (int64_t i = 0; i < dataset.size(); i += stride) {
        const auto c = static_cast<size_t>(dataset.label(i));
        if (c >= xs.size()) continue;
        xs[c] << dataset.value(i, 0);
        ys[c] << dataset.value(i, 1);
    }
    for (size_t c = 0; c < xs.size(); ++c) {
        QCPGraph* graph = addGraph();
        graph->setLineStyle(QCPGraph::lsNone);
        const QColor color = plot_palette::series(static_cast<int>(c));
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, color, color, 3));
        graph->setData(xs[c], ys[c]);
    }
    rescaleAxes();
    xAxis->scaleRange(1.08);
    yAxis->scaleRange(1.08);
    replot(QCustomPlot::rpQueuedReplot);
}

void DatasetPreview::showNothing() {
    clearGraphs();
    replot(QCustomPlot::rpQueuedReplot);
}

int DatasetPreview::pointCount() const {
    int n = 0;
    for (int i = 0; i < graphCount(); ++i) n += graph(i)->dataCount();
    return n;
}

}  // namespace nnstudio::ui
