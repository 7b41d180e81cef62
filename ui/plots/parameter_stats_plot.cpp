// ParameterStatsPlot: gradient/weight statistics per parameter tensor, in one plot or per layer.
#include "plots/parameter_stats_plot.h"

#include "plots/plot_palette.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QStackedWidget>
#include <QVBoxLayout>
#include <cmath>

namespace nnstudio::ui {
namespace {

// Ticked at first: every weight up to this many (a weight's mean and std lines per parameter);
// more at once are hard to read, and biases follow their weights.
constexpr int kInitiallyShown = 8;
constexpr int kLayerColumns = 3;  // small multiples per row

bool isWeight(const std::string& key) { return key.ends_with(".weight") || key == "weight"; }

}  // namespace

ParameterStatsPlot::ParameterStatsPlot(Quantity quantity, QWidget* parent)
    : QWidget(parent),
      m_quantity(quantity),
      m_plot(new LivePlot(tr("step"), quantity == Quantity::Gradient ? tr("|gradient|") : tr("|weight|"))),
      m_list(new QListWidget),
      m_logScale(new QCheckBox(tr("Log scale (|value|)"))),
      m_perLayer(new QCheckBox(tr("One plot per layer"))),
      m_pages(new QStackedWidget),
      m_layerArea(new QScrollArea) {
    m_list->setToolTip(tr("Tick the parameters to plot: solid line = mean, dashed = standard deviation"));
    m_logScale->setToolTip(tr("Sizes of gradients and weights span decades: on a linear axis the small ones lie flat on zero"));
    m_perLayer->setToolTip(tr("Small multiples: each layer's parameters in a plot of their own, on their own scale"));
    m_logScale->setChecked(true);
    m_plot->setLogScale(true);
    m_plot->moveLegendBelow(2);
    m_list->setMinimumWidth(170);
    m_list->setMaximumWidth(260);
    m_layerArea->setWidgetResizable(true);
    m_pages->addWidget(m_plot);
    m_pages->addWidget(m_layerArea);
    auto* side = new QVBoxLayout;
    side->addWidget(new QLabel(tr("Parameters")));
    side->addWidget(m_list, 1);
    side->addWidget(m_logScale);
    side->addWidget(m_perLayer);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_pages, 1);
    layout->addLayout(side);

    connect(m_list, &QListWidget::itemChanged, this, [this] { applyVisibility(); });
    connect(m_logScale, &QCheckBox::toggled, this, [this](bool on) {
        rebuildGraphData();
        m_plot->setLogScale(on);
        m_plot->yAxis->setLabel(QString(on ? "|%1|" : "%1").arg(m_quantity == Quantity::Gradient ? tr("gradient") : tr("weight")));
        for (LivePlot* p : m_layerPlots) p->setLogScale(on);
    });
    connect(m_perLayer, &QCheckBox::toggled, this, [this](bool on) {
        if (on) buildLayerPlots();
        else clearLayerPlots();
        m_pages->setCurrentIndex(on ? 1 : 0);
    });
}

void ParameterStatsPlot::setLayerTypes(LayerTypes types) {
    m_layerTypes = std::move(types);
    relabel();
    if (m_perLayer->isChecked()) buildLayerPlots();
}

double ParameterStatsPlot::shown(double value) const { return m_logScale->isChecked() ? std::abs(value) : value; }

void ParameterStatsPlot::createSeries(const std::vector<train::ParamStats>& params) {
    const QString prefix = m_quantity == Quantity::Gradient ? "grad" : "weight";
    int weights = 0;
    for (const train::ParamStats& p : params) weights += isWeight(p.name);
    const QSignalBlocker block(m_list);
    int ticked = 0;
    for (size_t i = 0; i < params.size(); ++i) {
        const QString key = QString::fromStdString(params[i].name);
        const QColor color = plot_palette::series(static_cast<int>(i));
        Series s;
        s.key = params[i].name;
        // Series keys stay the state_dict keys (CSV columns); legends and the list read the label.
        s.mean = m_plot->addSeries(prefix + "_mean/" + key, key + " mean", plot_palette::line(color, 1.4));
        s.std = m_plot->addSeries(prefix + "_std/" + key, key + " std", plot_palette::line(color, 1.2, Qt::DashLine));
        m_series.push_back(std::move(s));
        auto* item = new QListWidgetItem(key, m_list);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        const bool tick = ticked < kInitiallyShown && (weights == 0 || isWeight(params[i].name));
        ticked += tick;
        item->setCheckState(tick ? Qt::Checked : Qt::Unchecked);
        item->setForeground(color);
    }
    relabel();
    applyVisibility();
    if (m_perLayer->isChecked()) buildLayerPlots();
}

void ParameterStatsPlot::relabel() {
    const QSignalBlocker block(m_list);
    for (size_t i = 0; i < m_series.size(); ++i) {
        const QString label = parameterLabel(m_series[i].key, m_layerTypes);
        m_series[i].mean->setName(label + " mean");
        m_series[i].std->setName(label + " std");
        if (static_cast<int>(i) < m_list->count()) m_list->item(static_cast<int>(i))->setText(label);
    }
    m_plot->scheduleRedraw();
}

void ParameterStatsPlot::addStats(int64_t step, const std::vector<train::ParamStats>& params) {
    if (params.empty()) return;
    if (m_series.size() != params.size()) {  // first statistics of a run (or another model)
        clear();
        createSeries(params);
    }
    const double x = static_cast<double>(step);
    for (size_t i = 0; i < params.size(); ++i) {
        const train::ParamStats& p = params[i];
        const double mean = m_quantity == Quantity::Gradient ? p.grad_mean : p.weight_mean;
        const double std = m_quantity == Quantity::Gradient ? p.grad_std : p.weight_std;
        Series& s = m_series[i];
        s.steps << x;
        s.means << mean;
        s.stds << std;
        s.mean->addData(x, shown(mean));
        s.std->addData(x, shown(std));
        if (s.layerMean) {
            s.layerMean->addData(x, shown(mean));
            s.layerStd->addData(x, shown(std));
        }
    }
    m_plot->scheduleRedraw();
    for (LivePlot* p : m_layerPlots) p->scheduleRedraw();
}

void ParameterStatsPlot::clear() {
    clearLayerPlots();
    m_plot->removeAllSeries();
    m_series.clear();
    const QSignalBlocker block(m_list);
    m_list->clear();
}

void ParameterStatsPlot::applyVisibility() {
    for (int i = 0; i < m_list->count() && i < static_cast<int>(m_series.size()); ++i) {
        const bool on = m_list->item(i)->checkState() == Qt::Checked;
        for (QCPGraph* g : {m_series[static_cast<size_t>(i)].mean, m_series[static_cast<size_t>(i)].std}) {
            g->setVisible(on);
            if (on) g->addToLegend();
            else g->removeFromLegend();
        }
    }
    m_plot->scheduleRedraw();
}

void ParameterStatsPlot::rebuildGraphData() {
    for (Series& s : m_series) {
        QVector<double> means(s.means.size()), stds(s.stds.size());
        for (qsizetype i = 0; i < s.means.size(); ++i) {
            means[i] = shown(s.means[i]);
            stds[i] = shown(s.stds[i]);
        }
        s.mean->setData(s.steps, means, true);
        s.std->setData(s.steps, stds, true);
        if (s.layerMean) {
            s.layerMean->setData(s.steps, means, true);
            s.layerStd->setData(s.steps, stds, true);
        }
    }
}

// One small plot per layer (state_dict order), every parameter of the layer in it, whether
// ticked or not: the small multiples are for looking at all layers side by side.
void ParameterStatsPlot::buildLayerPlots() {
    clearLayerPlots();
    auto* grid = new QWidget;
    auto* layout = new QGridLayout(grid);
    // One key for all plots: a legend in each would cover its small data area.
    layout->addWidget(new QLabel(tr("Each layer's parameters: solid line = mean, dashed = standard deviation; "
                                    "colours as in the list")),
                      0, 0, 1, kLayerColumns);
    std::map<std::string, LivePlot*> plotOf;
    const QString y = m_quantity == Quantity::Gradient ? tr("|gradient|") : tr("|weight|");
    for (size_t i = 0; i < m_series.size(); ++i) {
        Series& s = m_series[i];
        const std::string layer = layerPathOf(s.key, m_layerTypes);
        LivePlot*& plot = plotOf[layer];
        if (!plot) {
            plot = new LivePlot(tr("step"), y);
            plot->setMinimumSize(260, 190);
            plot->plotLayout()->insertRow(0);
            plot->plotLayout()->addElement(0, 0, new QCPTextElement(plot, layerLabel(layer, m_layerTypes), QFont(font().family(), 9, QFont::Bold)));
            plot->setLogScale(m_logScale->isChecked());
            plot->legend->setVisible(false);
            const int n = static_cast<int>(m_layerPlots.size());
            layout->addWidget(plot, 1 + n / kLayerColumns, n % kLayerColumns);
            m_layerPlots.push_back(plot);
        }
        const QColor color = plot_palette::series(static_cast<int>(i));
        const QString own = parameterLabel(s.key, m_layerTypes).section(QString::fromUtf8(" · "), -1);
        const QString key = QString::fromStdString(s.key);
        s.layerMean = plot->addSeries("mean/" + key, own + " mean", plot_palette::line(color, 1.4));
        s.layerStd = plot->addSeries("std/" + key, own + " std", plot_palette::line(color, 1.2, Qt::DashLine));
    }
    rebuildGraphData();
    m_layerArea->setWidget(grid);
    for (LivePlot* p : m_layerPlots) p->scheduleRedraw();
}

void ParameterStatsPlot::clearLayerPlots() {
    for (Series& s : m_series) s.layerMean = s.layerStd = nullptr;
    m_layerPlots.clear();
    delete m_layerArea->takeWidget();
}

}  // namespace nnstudio::ui
