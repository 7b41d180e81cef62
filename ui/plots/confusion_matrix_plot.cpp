// ConfusionMatrixPlot: QCPColorMap with per-cell counts and class-named axes.
#include "plots/confusion_matrix_plot.h"

#include <algorithm>

namespace nnstudio::ui {
namespace {

const char* const kNoResult = "Confusion matrix of the test set (shown when a run completes)";

}  // namespace

ConfusionMatrixPlot::ConfusionMatrixPlot(QWidget* parent)
    : QCustomPlot(parent), m_map(new QCPColorMap(xAxis, yAxis)), m_scale(new QCPColorScale(this)),
      m_title(new QCPTextElement(this, tr(kNoResult), QFont(font().family(), 10, QFont::Bold))) {
    setMinimumSize(260, 200);  // fits a bottom dock at 1366x768 beside a tab bar
    plotLayout()->insertRow(0);
    plotLayout()->addElement(0, 0, m_title);
    plotLayout()->addElement(1, 1, m_scale);
    m_scale->setType(QCPAxis::atRight);
    m_scale->axis()->setLabel(tr("samples"));
    m_map->setColorScale(m_scale);
    QCPColorGradient gradient;  // white to dark blue (matplotlib's "Blues")
    gradient.clearColorStops();
    gradient.setColorStopAt(0, QColor(247, 251, 255));
    gradient.setColorStopAt(0.5, QColor(107, 174, 214));
    gradient.setColorStopAt(1, QColor(8, 48, 107));
    m_map->setGradient(gradient);
    m_map->setInterpolate(false);
    auto* margins = new QCPMarginGroup(this);
    axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
    m_scale->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
    xAxis->setLabel(tr("predicted class"));
    yAxis->setLabel(tr("true class"));
    yAxis->setRangeReversed(true);  // class 0 at the top, as confusion matrices are read
    xAxis->grid()->setVisible(false);
    yAxis->grid()->setVisible(false);
    clear();
}

void ConfusionMatrixPlot::setTickLabels(QCPAxis* axis, const QStringList& labels, int classes) {
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    for (int c = 0; c < classes; ++c)
        ticker->addTick(c, labels.size() == classes ? labels[c] : QString::number(c));
    axis->setTicker(ticker);
    axis->setTickLabelRotation(axis == xAxis && classes > 4 ? 35 : 0);
    axis->setSubTicks(false);
    axis->setRange(-0.5, classes - 0.5);
}

void ConfusionMatrixPlot::setMatrix(const std::vector<std::vector<int64_t>>& matrix, const QStringList& classNames) {
    m_matrix = matrix;
    clearItems();
    const int n = static_cast<int>(matrix.size());
    if (n == 0) {
        clear();
        return;
    }
    m_map->data()->setSize(n, n);
    m_map->data()->setRange(QCPRange(0, n - 1), QCPRange(0, n - 1));
    int64_t maxCount = 1, correct = 0;
    for (int t = 0; t < n; ++t)
        for (int p = 0; p < n && p < static_cast<int>(matrix[static_cast<size_t>(t)].size()); ++p) {
            const int64_t count = matrix[static_cast<size_t>(t)][static_cast<size_t>(p)];
            m_map->data()->setCell(p, t, static_cast<double>(count));
            maxCount = std::max(maxCount, count);
            if (p == t) correct += count;
        }
    m_map->setDataRange(QCPRange(0, static_cast<double>(maxCount)));
    const int fontSize = n > 12 ? 7 : 9;
    for (int t = 0; t < n; ++t)
        for (int p = 0; p < n && p < static_cast<int>(matrix[static_cast<size_t>(t)].size()); ++p) {
            const int64_t count = matrix[static_cast<size_t>(t)][static_cast<size_t>(p)];
            auto* label = new QCPItemText(this);
            label->position->setCoords(p, t);
            label->setText(QString::number(count));
            label->setFont(QFont(font().family(), fontSize));
            label->setColor(static_cast<double>(count) > 0.55 * static_cast<double>(maxCount) ? Qt::white : Qt::black);
            label->setClipToAxisRect(true);
        }
    setTickLabels(xAxis, classNames, n);
    setTickLabels(yAxis, classNames, n);
    const int64_t samples = total();
    m_title->setText(tr("Test set: %1 samples, %2% correct")
                         .arg(samples)
                         .arg(samples ? 100.0 * static_cast<double>(correct) / static_cast<double>(samples) : 0.0, 0, 'f', 1));
    replot(QCustomPlot::rpQueuedReplot);
}

void ConfusionMatrixPlot::clear() {
    m_matrix.clear();
    clearItems();
    m_map->data()->clear();
    m_title->setText(tr(kNoResult));
    setTickLabels(xAxis, {}, 0);
    setTickLabels(yAxis, {}, 0);
    xAxis->setRange(-0.5, 1.5);
    yAxis->setRange(-0.5, 1.5);
    replot(QCustomPlot::rpQueuedReplot);
}

int64_t ConfusionMatrixPlot::total() const {
    int64_t sum = 0;
    for (const auto& row : m_matrix)
        for (int64_t c : row) sum += c;
    return sum;
}

}  // namespace nnstudio::ui
