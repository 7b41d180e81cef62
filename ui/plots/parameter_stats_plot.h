// ParameterStatsPlot: per-parameter statistics over steps (gradient or weight mean and std),
// parameters named by layer ("net.0 Linear · weight"), with a checkable list choosing the
// parameters shown (every weight, up to 8, at first), a log-scale toggle (on by default: |value|
// on a log axis, since means can be negative and sizes span decades) and a per-layer view of
// small multiples (one small plot per layer with its parameters).
#pragma once
#include "plots/live_plot.h"
#include "plots/parameter_label.h"
#include "train/metrics.h"

#include <QCheckBox>
#include <QListWidget>
#include <QWidget>
#include <vector>

class QScrollArea;
class QStackedWidget;

namespace nnstudio::ui {

class ParameterStatsPlot : public QWidget {
    Q_OBJECT
public:
    enum class Quantity { Gradient, Weight };
    explicit ParameterStatsPlot(Quantity quantity, QWidget* parent = nullptr);

    void addStats(int64_t step, const std::vector<train::ParamStats>& params);
    void clear();
    // Names the parameters by their layers from now on (and relabels those shown).
    void setLayerTypes(LayerTypes types);
    LivePlot* plot() const { return m_plot; }
    QListWidget* parameterList() const { return m_list; }  // item text: parameterLabel()
    QCheckBox* logScaleToggle() const { return m_logScale; }
    QCheckBox* perLayerToggle() const { return m_perLayer; }
    // The per-layer plots, one per layer in state_dict order (built while the toggle is on).
    const std::vector<LivePlot*>& layerPlots() const { return m_layerPlots; }

private:
    struct Series {
        std::string key;  // state_dict key
        QCPGraph* mean = nullptr;
        QCPGraph* std = nullptr;
        QCPGraph* layerMean = nullptr;  // in its layer's small plot, while there is one
        QCPGraph* layerStd = nullptr;
        QVector<double> steps, means, stds;  // raw values: the log view plots their magnitudes
    };
    void createSeries(const std::vector<train::ParamStats>& params);
    void applyVisibility();
    void rebuildGraphData();
    void relabel();
    void buildLayerPlots();
    void clearLayerPlots();
    double shown(double value) const;

    Quantity m_quantity;
    LivePlot* m_plot;
    QListWidget* m_list;
    QCheckBox* m_logScale;
    QCheckBox* m_perLayer;
    QStackedWidget* m_pages;  // the one plot, or the small multiples
    QScrollArea* m_layerArea;
    std::vector<LivePlot*> m_layerPlots;
    LayerTypes m_layerTypes;
    std::vector<Series> m_series;  // one per parameter, in state_dict order
};

}  // namespace nnstudio::ui
