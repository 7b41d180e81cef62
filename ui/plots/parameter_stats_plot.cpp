// ParameterStatsPlot: gradient/weight statistics per parameter tensor.
#include "plots/parameter_stats_plot.h"

#include "plots/plot_palette.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>
#include <cmath>

namespace nnstudio::ui {
namespace {

constexpr int kInitiallyShown = 4;  // more lines than this at once are hard to read

}  // namespace

ParameterStatsPlot::ParameterStatsPlot(Quantity quantity, QWidget* parent)
    : QWidget(parent),
      m_quantity(quantity),
      m_plot(new LivePlot(tr("step"), quantity == Quantity::Gradient ? tr("gradient") : tr("weight"))),
      m_list(new QListWidget),
      m_logScale(new QCheckBox(tr("Log scale (|value|)"))) {
    m_list->setToolTip(tr("Tick the parameters to plot: solid line = mean, dashed = standard deviation"));
    m_plot->moveLegendBelow(4);
    m_list->setMinimumWidth(150);
    m_list->setMaximumWidth(240);
    auto* side = new QVBoxLayout;
    side->addWidget(new QLabel(tr("Parameters")));
    side->addWidget(m_list, 1);
    side->addWidget(m_logScale);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot, 1);
    layout->addLayout(side);

    connect(m_list, &QListWidget::itemChanged, this, [this] { applyVisibility(); });
    connect(m_logScale, &QCheckBox::toggled, this, [this](bool on) {
        rebuildGraphData();
        m_plot->setLogScale(on);
    });
}

double ParameterStatsPlot::shown(double value) const { return m_logScale->isChecked() ? std::abs(value) : value; }

void ParameterStatsPlot::createSeries(const std::vector<train::ParamStats>& params) {
    const QString prefix = m_quantity == Quantity::Gradient ? "grad" : "weight";
    const QSignalBlocker block(m_list);
    for (size_t i = 0; i < params.size(); ++i) {
        const QString name = QString::fromStdString(params[i].name);
        const QColor color = plot_palette::series(static_cast<int>(i));
        Series s;
        s.mean = m_plot->addSeries(prefix + "_mean/" + name, name + " mean", plot_palette::line(color, 1.4));
        s.std = m_plot->addSeries(prefix + "_std/" + name, name + " std", plot_palette::line(color, 1.2, Qt::DashLine));
        m_series.push_back(std::move(s));
        auto* item = new QListWidgetItem(name, m_list);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(static_cast<int>(i) < kInitiallyShown ? Qt::Checked : Qt::Unchecked);
        item->setForeground(color);
    }
    applyVisibility();
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
    }
    m_plot->scheduleRedraw();
}

void ParameterStatsPlot::clear() {
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
    }
}

}  // namespace nnstudio::ui
