// ParameterStatsPlot: per-parameter statistics over steps (gradient or weight mean and std),
// with a checkable list choosing the parameters shown and a log-scale toggle (|value| on a log
// axis, since means can be negative).
#pragma once
#include "plots/live_plot.h"
#include "train/metrics.h"

#include <QCheckBox>
#include <QListWidget>
#include <QWidget>
#include <vector>

namespace nnstudio::ui {

class ParameterStatsPlot : public QWidget {
    Q_OBJECT
public:
    enum class Quantity { Gradient, Weight };
    explicit ParameterStatsPlot(Quantity quantity, QWidget* parent = nullptr);

    void addStats(int64_t step, const std::vector<train::ParamStats>& params);
    void clear();
    LivePlot* plot() const { return m_plot; }
    QListWidget* parameterList() const { return m_list; }
    QCheckBox* logScaleToggle() const { return m_logScale; }

private:
    struct Series {
        QCPGraph* mean = nullptr;
        QCPGraph* std = nullptr;
        QVector<double> steps, means, stds;  // raw values: the log view plots their magnitudes
    };
    void createSeries(const std::vector<train::ParamStats>& params);
    void applyVisibility();
    void rebuildGraphData();
    double shown(double value) const;

    Quantity m_quantity;
    LivePlot* m_plot;
    QListWidget* m_list;
    QCheckBox* m_logScale;
    std::vector<Series> m_series;  // one per parameter, in state_dict order
};

}  // namespace nnstudio::ui
