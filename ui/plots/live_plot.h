// LivePlot: a QCustomPlot for series that grow while training runs. Appending never replots;
// a short timer redraws only when something changed and the plot is visible. Follows the data
// (rescales) until the user drags or zooms; a double click follows again. Hovering shows the
// nearest point's series, x and y.
#pragma once
#include <QHash>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <optional>
#include <qcustomplot.h>

namespace nnstudio::ui {

class LivePlot : public QCustomPlot {
    Q_OBJECT
public:
    LivePlot(const QString& xLabel, const QString& yLabel, QWidget* parent = nullptr);

    // `key` names the series in pointCount() and CSV exports; `legendName` is what users read.
    QCPGraph* addSeries(const QString& key, const QString& legendName, const QPen& pen, bool dots = false);
    QCPGraph* series(const QString& key) const { return m_series.value(key); }
    QStringList seriesKeys() const { return m_keys; }
    int pointCount(const QString& key) const;

    void append(QCPGraph* graph, double x, double y);  // no redraw; schedules one
    void clearPoints();                                 // keeps the series
    void removeAllSeries();
    void setLogScale(bool logarithmic);
    // The fitted x range always covers `range` (e.g. every planned epoch).
    void setMinimumKeyRange(const QCPRange& range);
    void moveLegendBelow(int columns);  // for many series: the legend no longer covers the data

    void scheduleRedraw();
    void redrawNow();  // rescales when following the data, then replots at once

    // Image of the plot as shown (at least 800 x 500 pixels when the widget is smaller).
    bool exportPng(const QString& path);
    bool exportPdf(const QString& path);

protected:
    void showEvent(QShowEvent* event) override;

private:
    void onRedrawTimer();
    void fitToData();  // rescale with a margin, so points on the edge stay visible
    void updateHover(QMouseEvent* event);
    QSize exportSize() const;

    QHash<QString, QCPGraph*> m_series;
    QStringList m_keys;  // in insertion order
    QTimer m_redrawTimer;
    bool m_dirty = false;
    bool m_followData = true;
    std::optional<QCPRange> m_minimumKeyRange;
    QCPItemTracer* m_tracer = nullptr;
    QCPItemText* m_hoverLabel = nullptr;
};

}  // namespace nnstudio::ui
