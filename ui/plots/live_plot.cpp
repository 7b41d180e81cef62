// LivePlot: incremental series, timed redraws, follow/zoom and the hover read-out.
#include "plots/live_plot.h"

#include <cmath>
#include <limits>

namespace nnstudio::ui {
namespace {

constexpr int kRedrawDelayMs = 80;      // at most ~12 redraws per second per plot
constexpr double kHoverRadiusPx = 24;   // how close the mouse must be to a point to read it out
const char* const kHoverLayer = "hover";

QString formatNumber(double v) { return QString::number(v, 'g', 5); }

}  // namespace

LivePlot::LivePlot(const QString& xLabel, const QString& yLabel, QWidget* parent) : QCustomPlot(parent) {
    setMinimumSize(240, 150);  // fits a bottom dock at 1366x768 beside a tab bar
    setPlottingHint(QCP::phFastPolylines, true);
    setNoAntialiasingOnDrag(true);
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    xAxis->setLabel(xLabel);
    yAxis->setLabel(yLabel);
    axisRect()->setupFullAxesBox(true);
    legend->setVisible(true);
    legend->setBrush(QColor(255, 255, 255, 210));
    legend->setBorderPen(QPen(QColor(180, 180, 180)));
    axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);

    addLayer(kHoverLayer, layer("legend"), QCustomPlot::limAbove);
    layer(kHoverLayer)->setMode(QCPLayer::lmBuffered);  // moving the read-out repaints only this layer
    m_tracer = new QCPItemTracer(this);
    m_tracer->setLayer(kHoverLayer);
    m_tracer->setStyle(QCPItemTracer::tsCircle);
    m_tracer->setSize(8);
    m_tracer->setVisible(false);
    m_hoverLabel = new QCPItemText(this);
    m_hoverLabel->setLayer(kHoverLayer);
    m_hoverLabel->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
    m_hoverLabel->position->setParentAnchor(m_tracer->position);
    m_hoverLabel->position->setCoords(8, -6);
    m_hoverLabel->setBrush(QColor(255, 255, 240, 235));
    m_hoverLabel->setPen(QPen(QColor(150, 150, 150)));
    m_hoverLabel->setPadding(QMargins(4, 2, 4, 2));
    m_hoverLabel->setVisible(false);

    m_redrawTimer.setSingleShot(true);
    m_redrawTimer.setInterval(kRedrawDelayMs);
    connect(&m_redrawTimer, &QTimer::timeout, this, &LivePlot::onRedrawTimer);
    connect(this, &QCustomPlot::mousePress, this, [this](QMouseEvent* event) {
        if (event->button() == Qt::LeftButton) m_followData = false;  // a drag is starting
    });
    connect(this, &QCustomPlot::mouseWheel, this, [this] { m_followData = false; });
    connect(this, &QCustomPlot::mouseDoubleClick, this, [this] {
        m_followData = true;
        redrawNow();
    });
    connect(this, &QCustomPlot::mouseMove, this, &LivePlot::updateHover);
    setToolTip(tr("Drag to pan, wheel to zoom, double click to follow the data again"));
}

QCPGraph* LivePlot::addSeries(const QString& key, const QString& legendName, const QPen& pen, bool dots) {
    QCPGraph* graph = addGraph();
    graph->setName(legendName);
    graph->setPen(pen);
    graph->setAdaptiveSampling(true);
    if (dots) graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, pen.color(), Qt::white, 6));
    m_series.insert(key, graph);
    m_keys << key;
    return graph;
}

int LivePlot::pointCount(const QString& key) const {
    const QCPGraph* graph = m_series.value(key);
    return graph ? graph->dataCount() : 0;
}

void LivePlot::append(QCPGraph* graph, double x, double y) {
    graph->addData(x, y);
    scheduleRedraw();
}

void LivePlot::clearPoints() {
    for (QCPGraph* graph : std::as_const(m_series)) graph->data()->clear();
    m_followData = true;
    m_tracer->setVisible(false);
    m_hoverLabel->setVisible(false);
    scheduleRedraw();
}

void LivePlot::removeAllSeries() {
    m_tracer->setGraph(nullptr);
    m_tracer->setVisible(false);
    m_hoverLabel->setVisible(false);
    for (QCPGraph* graph : std::as_const(m_series)) removeGraph(graph);
    m_series.clear();
    m_keys.clear();
    m_followData = true;
    scheduleRedraw();
}

void LivePlot::setLogScale(bool logarithmic) {
    yAxis->setScaleType(logarithmic ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    yAxis->setTicker(logarithmic ? QSharedPointer<QCPAxisTicker>(new QCPAxisTickerLog) : QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    yAxis2->setScaleType(yAxis->scaleType());
    yAxis2->setTicker(yAxis->ticker());
    m_followData = true;
    scheduleRedraw();
}

void LivePlot::scheduleRedraw() {
    m_dirty = true;
    if (!m_redrawTimer.isActive()) m_redrawTimer.start();
}

void LivePlot::onRedrawTimer() {
    if (!m_dirty || !isVisible()) return;  // a hidden plot redraws when it is shown
    m_dirty = false;
    if (m_followData) fitToData();
    replot(QCustomPlot::rpQueuedReplot);
}

void LivePlot::setMinimumKeyRange(const QCPRange& range) {
    m_minimumKeyRange = range;
    scheduleRedraw();
}

void LivePlot::moveLegendBelow(int columns) {
    axisRect()->insetLayout()->take(legend);
    plotLayout()->addElement(1, 0, legend);
    plotLayout()->setRowStretchFactor(1, 0.001);  // as tall as its entries need
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend->setWrap(columns);
    legend->setBorderPen(Qt::NoPen);
    legend->setMargins(QMargins(6, 0, 6, 4));
}

void LivePlot::fitToData() {
    const bool logarithmic = yAxis->scaleType() == QCPAxis::stLogarithmic;
    const QCP::SignDomain domain = logarithmic ? QCP::sdPositive : QCP::sdBoth;
    std::optional<QCPRange> keys, values;
    for (QCPGraph* graph : std::as_const(m_series)) {
        if (!graph->visible()) continue;
        bool found = false;
        const QCPRange k = graph->getKeyRange(found);
        if (found) keys = keys ? keys->expanded(k) : k;
        const QCPRange v = graph->getValueRange(found, domain);
        if (found) values = values ? values->expanded(v) : v;
    }
    if (keys) {
        const double pad = keys->size() > 0 ? 0.02 * keys->size() : 0.5;
        keys = QCPRange(keys->lower - pad, keys->upper + pad);
    }
    if (m_minimumKeyRange) keys = keys ? keys->expanded(*m_minimumKeyRange) : *m_minimumKeyRange;
    if (keys) xAxis->setRange(*keys);
    if (!values) return;
    if (logarithmic) {
        yAxis->setRange(values->lower / 1.5, values->upper * 1.5);
    } else {
        const double pad = values->size() > 0 ? 0.06 * values->size() : std::max(0.05, 0.05 * std::abs(values->lower));
        yAxis->setRange(values->lower - pad, values->upper + pad);
    }
}

void LivePlot::redrawNow() {
    m_dirty = false;
    if (m_followData) fitToData();
    replot(QCustomPlot::rpImmediateRefresh);
}

void LivePlot::showEvent(QShowEvent* event) {
    QCustomPlot::showEvent(event);
    if (m_dirty) m_redrawTimer.start(0);
}

void LivePlot::updateHover(QMouseEvent* event) {
    const QPointF mouse = event->position();
    QCPGraph* best = nullptr;
    double bestKey = 0, bestDistance = kHoverRadiusPx;
    for (QCPGraph* graph : std::as_const(m_series)) {
        if (!graph->visible() || graph->data()->isEmpty()) continue;
        const double key = graph->keyAxis()->pixelToCoord(mouse.x());
        auto it = graph->data()->findBegin(key, true);
        // The point just before the mouse's x and a few after: the nearest in pixels is among them.
        for (int i = 0; i < 4 && it != graph->data()->constEnd(); ++i, ++it) {
            const QPointF p = graph->coordsToPixels(it->key, it->value);
            const double d = std::hypot(p.x() - mouse.x(), p.y() - mouse.y());
            if (d < bestDistance) {
                bestDistance = d;
                best = graph;
                bestKey = it->key;
            }
        }
    }
    const bool wasVisible = m_tracer->visible();
    if (best) {
        m_tracer->setGraph(best);
        m_tracer->setGraphKey(bestKey);
        m_tracer->setPen(QPen(best->pen().color(), 1.5));
        m_tracer->updatePosition();
        const QPointF at = m_tracer->position->coords();
        m_hoverLabel->setText(QString("%1\nx = %2, y = %3").arg(best->name(), formatNumber(at.x()), formatNumber(at.y())));
    }
    m_tracer->setVisible(best != nullptr);
    m_hoverLabel->setVisible(best != nullptr);
    if (best || wasVisible) layer(kHoverLayer)->replot();
}

QSize LivePlot::exportSize() const { return QSize(std::max(width(), 800), std::max(height(), 500)); }

bool LivePlot::exportPng(const QString& path) {
    redrawNow();
    const QSize size = exportSize();
    return savePng(path, size.width(), size.height());
}

bool LivePlot::exportPdf(const QString& path) {
    redrawNow();
    const QSize size = exportSize();
    return savePdf(path, size.width(), size.height());
}

}  // namespace nnstudio::ui
