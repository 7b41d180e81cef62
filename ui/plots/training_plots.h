// TrainingPlots: the live plots of a training run in tabs — Loss, Accuracy, Gradients, Weights,
// Confusion matrix — fed with MetricsSnapshots; exports the current plot (PNG, PDF) and every
// series (CSV) from its Export button or a plot's context menu.
#pragma once
#include "plots/parameter_label.h"
#include "train/metrics.h"

#include <QStringList>
#include <QWidget>

class QTabWidget;
class QToolButton;
class QCustomPlot;
class QCPGraph;

namespace nnstudio::ui {

class LivePlot;
class ParameterStatsPlot;
class ConfusionMatrixPlot;

class TrainingPlots : public QWidget {
    Q_OBJECT
public:
    enum Tab { LossTab, AccuracyTab, GradientsTab, WeightsTab, ConfusionTab };
    explicit TrainingPlots(QWidget* parent = nullptr);

    void addSnapshot(const train::MetricsSnapshot& snapshot);
    void clear();
    void setClassNames(const QStringList& names);  // labels of the confusion matrix axes
    void setLayerTypes(const LayerTypes& types);    // names the Gradients/Weights parameters by layer

    // Series keys: "loss/step", "loss/train", "loss/val", "accuracy/train", "accuracy/val",
    // "grad_mean/<param>", "grad_std/<param>", "weight_mean/<param>", "weight_std/<param>".
    int pointCount(const QString& series) const;
    QStringList seriesKeys() const;
    int64_t confusionTotal() const;

    void setCurrentTab(Tab tab);
    QCustomPlot* currentPlot() const;
    LivePlot* livePlot(Tab tab) const;  // nullptr for the confusion matrix tab
    void redrawNow();                   // every plot, at once (tests, screenshots)

    // Without dialogs (tests, scripts); false with `error` set on failure.
    bool exportPng(const QString& path, QString* error = nullptr);  // the current tab's plot
    bool exportPdf(const QString& path, QString* error = nullptr);
    bool exportCsv(const QString& path, QString* error = nullptr);  // every series of every tab

public slots:
    void exportPngWithDialog();
    void exportPdfWithDialog();
    void exportCsvWithDialog();

private:
    QList<LivePlot*> livePlots() const;
    void showContextMenu(QWidget* plot, const QPoint& pos);
    void reportExportError(const QString& message);

    QTabWidget* m_tabs;
    LivePlot* m_loss;
    LivePlot* m_accuracy;
    ParameterStatsPlot* m_gradients;
    ParameterStatsPlot* m_weights;
    ConfusionMatrixPlot* m_confusion;
    QToolButton* m_exportButton;
    QStringList m_classNames;
    QCPGraph* m_stepLoss;
    QCPGraph* m_trainLoss;
    QCPGraph* m_valLoss;
    QCPGraph* m_trainAccuracy;
    QCPGraph* m_valAccuracy;
};

}  // namespace nnstudio::ui
