// TrainingPlots: routes snapshots to the tab plots, and the export actions.
#include "plots/training_plots.h"

#include "files/last_folder.h"
#include "plots/confusion_matrix_plot.h"
#include "plots/live_plot.h"
#include "plots/parameter_stats_plot.h"
#include "plots/plot_palette.h"
#include "plots/series_csv.h"

#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QMenu>
#include <QMessageBox>
#include <QStyle>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace nnstudio::ui {

using train::SnapshotKind;

TrainingPlots::TrainingPlots(QWidget* parent)
    : QWidget(parent),
      m_tabs(new QTabWidget),
      m_loss(new LivePlot(tr("step"), tr("loss"))),
      m_accuracy(new LivePlot(tr("epoch"), tr("accuracy"))),
      m_gradients(new ParameterStatsPlot(ParameterStatsPlot::Quantity::Gradient)),
      m_weights(new ParameterStatsPlot(ParameterStatsPlot::Quantity::Weight)),
      m_confusion(new ConfusionMatrixPlot),
      m_exportButton(new QToolButton) {
    m_stepLoss = m_loss->addSeries("loss/step", tr("train (per step)"), plot_palette::line(plot_palette::trainStep(), 1.0));
    m_trainLoss = m_loss->addSeries("loss/train", tr("train (epoch mean)"), plot_palette::line(plot_palette::train(), 2.2), true);
    m_valLoss = m_loss->addSeries("loss/val", tr("validation"), plot_palette::line(plot_palette::validation(), 2.2), true);
    m_trainAccuracy = m_accuracy->addSeries("accuracy/train", tr("train"), plot_palette::line(plot_palette::train(), 2.2), true);
    m_valAccuracy = m_accuracy->addSeries("accuracy/val", tr("validation"), plot_palette::line(plot_palette::validation(), 2.2), true);
    m_accuracy->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignRight);
    QSharedPointer<QCPAxisTickerFixed> wholeEpochs(new QCPAxisTickerFixed);
    wholeEpochs->setTickStep(1);
    wholeEpochs->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    m_accuracy->xAxis->setTicker(wholeEpochs);

    m_tabs->addTab(m_loss, tr("Loss"));
    m_tabs->addTab(m_accuracy, tr("Accuracy"));
    m_tabs->addTab(m_gradients, tr("Gradients"));
    m_tabs->addTab(m_weights, tr("Weights"));
    m_tabs->addTab(m_confusion, tr("Confusion matrix"));

    auto* exportMenu = new QMenu(this);
    exportMenu->addAction(tr("Plot as PNG…"), this, &TrainingPlots::exportPngWithDialog);
    exportMenu->addAction(tr("Plot as PDF…"), this, &TrainingPlots::exportPdfWithDialog);
    exportMenu->addAction(tr("All series as CSV…"), this, &TrainingPlots::exportCsvWithDialog);
    m_exportButton->setText(tr("Export"));
    m_exportButton->setToolTip(tr("Save the current plot as an image, or every series as a CSV table"));
    m_exportButton->setMenu(exportMenu);
    m_exportButton->setPopupMode(QToolButton::InstantPopup);
    // An InstantPopup button's size hint leaves out its menu arrow, which then covers the text;
    // the margin keeps its right edge off the tab frame's (the corner is flush with it).
    m_exportButton->setMinimumWidth(m_exportButton->sizeHint().width() + style()->pixelMetric(QStyle::PM_MenuButtonIndicator));
    auto* corner = new QWidget;
    auto* cornerLayout = new QHBoxLayout(corner);
    cornerLayout->setContentsMargins(0, 0, 4, 2);
    cornerLayout->addWidget(m_exportButton);
    m_tabs->setCornerWidget(corner, Qt::TopRightCorner);

    for (QWidget* plot : QList<QWidget*>{m_loss, m_accuracy, m_gradients->plot(), m_weights->plot(), m_confusion}) {
        plot->setContextMenuPolicy(Qt::CustomContextMenu);
        connect(plot, &QWidget::customContextMenuRequested, this, [this, plot](const QPoint& pos) { showContextMenu(plot, pos); });
    }
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tabs);
}

void TrainingPlots::addSnapshot(const train::MetricsSnapshot& s) {
    switch (s.kind) {
    case SnapshotKind::Step:
        m_loss->append(m_stepLoss, static_cast<double>(s.step), s.loss);
        if (!s.params.empty()) {
            m_gradients->addStats(s.step, s.params);
            m_weights->addStats(s.step, s.params);
        }
        break;
    case SnapshotKind::Epoch: {
        const double step = static_cast<double>(s.step), epoch = s.epoch + 1;
        m_loss->append(m_trainLoss, step, s.train.loss);
        if (s.val.samples > 0) m_loss->append(m_valLoss, step, s.val.loss);
        m_accuracy->setMinimumKeyRange(QCPRange(0.5, s.epochs + 0.5));
        if (s.train.has_accuracy) m_accuracy->append(m_trainAccuracy, epoch, s.train.accuracy);  // none for regression
        if (s.val.samples > 0 && s.val.has_accuracy) m_accuracy->append(m_valAccuracy, epoch, s.val.accuracy);
        break;
    }
    case SnapshotKind::Finished:
        if (!s.confusion.empty()) m_confusion->setMatrix(s.confusion, m_classNames);
        break;
    }
}

void TrainingPlots::clear() {
    m_loss->clearPoints();
    m_accuracy->clearPoints();
    m_gradients->clear();
    m_weights->clear();
    m_confusion->clear();
}

void TrainingPlots::setClassNames(const QStringList& names) {
    m_classNames = names;
    if (!m_confusion->matrix().empty()) m_confusion->setMatrix(m_confusion->matrix(), names);
}

void TrainingPlots::setLayerTypes(const LayerTypes& types) {
    m_gradients->setLayerTypes(types);
    m_weights->setLayerTypes(types);
}

QList<LivePlot*> TrainingPlots::livePlots() const { return {m_loss, m_accuracy, m_gradients->plot(), m_weights->plot()}; }

int TrainingPlots::pointCount(const QString& series) const {
    for (const LivePlot* plot : livePlots())
        if (plot->series(series)) return plot->pointCount(series);
    return 0;
}

QStringList TrainingPlots::seriesKeys() const {
    QStringList keys;
    for (const LivePlot* plot : livePlots()) keys << plot->seriesKeys();
    return keys;
}

int64_t TrainingPlots::confusionTotal() const { return m_confusion->total(); }

void TrainingPlots::setCurrentTab(Tab tab) { m_tabs->setCurrentIndex(tab); }

LivePlot* TrainingPlots::livePlot(Tab tab) const {
    switch (tab) {
    case LossTab: return m_loss;
    case AccuracyTab: return m_accuracy;
    case GradientsTab: return m_gradients->plot();
    case WeightsTab: return m_weights->plot();
    case ConfusionTab: return nullptr;
    }
    return nullptr;
}

QCustomPlot* TrainingPlots::currentPlot() const {
    const auto tab = static_cast<Tab>(m_tabs->currentIndex());
    if (tab == ConfusionTab) return m_confusion;
    return livePlot(tab);
}

void TrainingPlots::redrawNow() {
    for (LivePlot* plot : livePlots()) plot->redrawNow();
    m_confusion->replot(QCustomPlot::rpImmediateRefresh);
}

bool TrainingPlots::exportPng(const QString& path, QString* error) {
    QCustomPlot* plot = currentPlot();
    auto* live = qobject_cast<LivePlot*>(plot);
    const bool ok = live ? live->exportPng(path) : plot->savePng(path, std::max(plot->width(), 800), std::max(plot->height(), 600));
    if (!ok && error) *error = tr("cannot write the image %1").arg(path);
    return ok;
}

bool TrainingPlots::exportPdf(const QString& path, QString* error) {
    QCustomPlot* plot = currentPlot();
    auto* live = qobject_cast<LivePlot*>(plot);
    const bool ok = live ? live->exportPdf(path) : plot->savePdf(path, std::max(plot->width(), 800), std::max(plot->height(), 600));
    if (!ok && error) *error = tr("cannot write the PDF %1").arg(path);
    return ok;
}

bool TrainingPlots::exportCsv(const QString& path, QString* error) { return writeSeriesCsv(path, livePlots(), error); }

void TrainingPlots::exportPngWithDialog() {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export plot as PNG"), lastFolder("plots"), tr("PNG image (*.png)"));
    if (path.isEmpty()) return;
    rememberFolder("plots", path);
    QString error;
    if (!exportPng(path, &error)) reportExportError(error);
}

void TrainingPlots::exportPdfWithDialog() {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export plot as PDF"), lastFolder("plots"), tr("PDF document (*.pdf)"));
    if (path.isEmpty()) return;
    rememberFolder("plots", path);
    QString error;
    if (!exportPdf(path, &error)) reportExportError(error);
}

void TrainingPlots::exportCsvWithDialog() {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export series as CSV"), lastFolder("plots"), tr("CSV table (*.csv)"));
    if (path.isEmpty()) return;
    rememberFolder("plots", path);
    QString error;
    if (!exportCsv(path, &error)) reportExportError(error);
}

void TrainingPlots::showContextMenu(QWidget* plot, const QPoint& pos) {
    m_exportButton->menu()->popup(plot->mapToGlobal(pos));
}

void TrainingPlots::reportExportError(const QString& message) { QMessageBox::warning(this, tr("Export failed"), message); }

}  // namespace nnstudio::ui
