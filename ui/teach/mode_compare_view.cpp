// ModeCompareView: controls on the left; summary, BatchNorm and Dropout sections on the right.
#include "teach/mode_compare_view.h"

#include "plots/plot_palette.h"
#include "teach/pitfalls.h"
#include "teach/run_bar.h"
#include "teach/teach_inputs_form.h"
#include "teach/teach_job.h"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>
#include <qcustomplot.h>

namespace nnstudio::ui {
namespace {

QString num(double v) { return QString::number(v, 'g', 4); }

QTableWidget* makeTable(const QStringList& headers, QWidget* parent) {
    auto* table = new QTableWidget(0, static_cast<int>(headers.size()), parent);
    table->setHorizontalHeaderLabels(headers);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->verticalHeader()->setVisible(false);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table->horizontalHeader()->setStretchLastSection(true);
    return table;
}

void setRow(QTableWidget* table, int row, const QStringList& cells) {
    for (int c = 0; c < cells.size(); ++c) table->setItem(row, c, new QTableWidgetItem(cells[c]));
}

teach::ModeComparison compute(const TeachInputs& in, const std::optional<StateDict>& weights) {
    PreparedBatch p = prepareOneBatch(in, weights);
    return teach::compare_modes(p.model, p.data.batches.front(), teach::training_setup_of(in.spec).loss);
}

}  // namespace

ModeCompareView::ModeCompareView(QWidget* parent)
    : QWidget(parent),
      m_inputs(new TeachInputsForm(this)),
      m_batchOfOne(new QPushButton(tr("Batch of 1"), this)),
      m_runBar(new RunBar(tr("Run"), this)),
      m_summary(makeTable({tr(""), tr("train mode"), tr("eval mode")}, this)),
      m_outputDiff(new QLabel(this)),
      m_batchNorms(makeTable({tr("BatchNorm1d"), tr("features"), tr("|Δ mean| mean"), tr("|Δ mean| max"), tr("|Δ var| mean"),
                              tr("|Δ var| max")},
                             this)),
      m_featurePlot(new QCustomPlot(this)),
      m_dropouts(makeTable({tr("Dropout"), tr("p"), tr("dropped in train mode"), tr("dropped in eval mode")}, this)),
      m_job(new TeachJob(this)) {
    m_batchOfOne->setToolTip(tr("Run a batch of one sample: train-mode BatchNorm cannot compute batch statistics from it"));
    m_runBar->addButton(m_batchOfOne);
    m_summary->setRowCount(2);
    setRow(m_summary, 0, {tr("loss"), {}, {}});
    setRow(m_summary, 1, {tr("accuracy"), {}, {}});
    m_summary->setFixedHeight(m_summary->horizontalHeader()->sizeHint().height() + 2 * m_summary->verticalHeader()->defaultSectionSize() + 6);
    m_outputDiff->setWordWrap(true);
    m_featurePlot->setMinimumSize(240, 150);
    m_featurePlot->xAxis->setLabel(tr("feature"));
    m_featurePlot->yAxis->setLabel(tr("mean"));
    m_featurePlot->legend->setVisible(true);
    m_featurePlot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);

    auto* controls = new QVBoxLayout;
    controls->setContentsMargins(0, 0, 0, 0);
    auto* hint = new QLabel(tr("The same batch through the model in train mode and in eval mode. Forgetting model.eval() "
                               "means BatchNorm normalises with the batch's statistics and Dropout keeps dropping units."),
                            this);
    hint->setWordWrap(true);
    controls->addWidget(hint);
    controls->addWidget(m_inputs);
    controls->addWidget(m_runBar);
    controls->addStretch();
    auto* controlsWidget = new QWidget(this);
    controlsWidget->setLayout(controls);
    controlsWidget->setFixedWidth(270);

    auto* modes = new QWidget(this);
    auto* modesLayout = new QVBoxLayout(modes);
    modesLayout->addWidget(m_summary);
    modesLayout->addWidget(m_outputDiff);
    modesLayout->addStretch();
    auto* bn = new QGroupBox(tr("BatchNorm1d: batch statistics (train) vs running statistics (eval)"), this);
    auto* bnLayout = new QHBoxLayout(bn);
    bnLayout->addWidget(m_batchNorms, 3);
    bnLayout->addWidget(m_featurePlot, 2);
    // Sized for a bottom dock of about 720x270 (1366x768): the three results are tabs.
    auto* results = new QTabWidget(this);
    results->addTab(modes, tr("Train vs eval"));
    results->addTab(bn, tr("BatchNorm1d"));
    results->addTab(m_dropouts, tr("Dropout"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(controlsWidget);
    layout->addWidget(results, 1);

    connect(m_runBar, &RunBar::runClicked, this, &ModeCompareView::run);
    connect(m_batchOfOne, &QPushButton::clicked, this, &ModeCompareView::runBatchOfOne);
    connect(m_batchNorms, &QTableWidget::currentCellChanged, this, [this](int row) { plotFeatures(row); });
    m_runBar->follow(m_job);
    connect(m_job, &TeachJob::failed, this, &ModeCompareView::failed);
}

void ModeCompareView::setModel(const spec::ModelSpec& spec) { m_model.spec = spec; }
void ModeCompareView::setFlags(const spec::FlagValues& flags) { m_model.flags = flags; }
void ModeCompareView::setSetup(const train::TrainSetup& setup) { m_inputs->setSetup(setup); }
void ModeCompareView::setWeights(std::optional<StateDict> weights) { m_weights = std::move(weights); }
bool ModeCompareView::isComputing() const { return m_job->isRunning(); }
void ModeCompareView::clear() {
    m_comparison.reset();
    setRow(m_summary, 0, {tr("loss"), {}, {}});
    setRow(m_summary, 1, {tr("accuracy"), {}, {}});
    m_outputDiff->clear();
    m_batchNorms->setRowCount(0);
    m_dropouts->setRowCount(0);
    plotFeatures(-1);
    m_runBar->showMessage({});
}

void ModeCompareView::run() { start(m_inputs->batchSize()); }
void ModeCompareView::runBatchOfOne() { start(1); }

void ModeCompareView::start(int64_t batchSize) {
    if (m_job->isRunning()) return;
    TeachInputs in = m_model;
    in.data = m_inputs->dataSpec();
    in.batchSize = batchSize;
    in.seed = m_inputs->seed();
    m_job->start<teach::ModeComparison>([in, weights = m_weights] { return compute(in, weights); },
                                        [this](teach::ModeComparison c) { showComparison(std::move(c)); });
}

void ModeCompareView::showComparison(teach::ModeComparison comparison) {
    m_comparison = std::move(comparison);
    const teach::ModeComparison& c = *m_comparison;
    setRow(m_summary, 0, {tr("loss"), num(c.train.loss), num(c.eval.loss)});
    setRow(m_summary, 1, {tr("accuracy"), num(c.train.accuracy), num(c.eval.accuracy)});
    m_outputDiff->setText(c.batch_norms.empty() && c.dropouts.empty()
                              ? tr("No BatchNorm1d or Dropout: train and eval mode compute the same function "
                                   "(|train − eval| max %1).").arg(num(c.max_abs_output_diff))
                              : tr("Outputs |train − eval|: max %1, mean %2.").arg(num(c.max_abs_output_diff), num(c.mean_abs_output_diff)));
    fillBatchNormTable();
    fillDropoutTable();
    m_runBar->showMessage(tr("Batch of %1: %2 BatchNorm1d, %3 Dropout layers")
                              .arg(c.train.output.shape().empty() ? 0 : c.train.output.shape()[0])
                              .arg(c.batch_norms.size())
                              .arg(c.dropouts.size()));
    emit finished();
}

void ModeCompareView::fillBatchNormTable() {
    const auto& bns = m_comparison->batch_norms;
    m_batchNorms->setRowCount(static_cast<int>(bns.size()));
    for (int r = 0; r < m_batchNorms->rowCount(); ++r) {
        const teach::BatchNormStats& b = bns[static_cast<size_t>(r)];
        setRow(m_batchNorms, r, {QString::fromStdString(b.path), QString::number(b.batch_mean.size()), num(b.mean_abs_mean_diff),
                                 num(b.max_abs_mean_diff), num(b.mean_abs_var_diff), num(b.max_abs_var_diff)});
    }
    if (bns.empty()) plotFeatures(-1);
    else if (m_batchNorms->currentRow() == 0) plotFeatures(0);
    else m_batchNorms->setCurrentCell(0, 0);
}

void ModeCompareView::fillDropoutTable() {
    const auto& ds = m_comparison->dropouts;
    m_dropouts->setRowCount(static_cast<int>(ds.size()));
    for (int r = 0; r < m_dropouts->rowCount(); ++r) {
        const teach::DropoutStats& d = ds[static_cast<size_t>(r)];
        setRow(m_dropouts, r, {QString::fromStdString(d.path), num(d.p), QStringLiteral("%1 %").arg(num(100 * d.dropped_fraction)),
                               QStringLiteral("0 %")});
    }
}

void ModeCompareView::plotFeatures(int batchNormRow) {
    m_featurePlot->clearPlottables();
    const bool valid = m_comparison && batchNormRow >= 0 && batchNormRow < static_cast<int>(m_comparison->batch_norms.size());
    if (valid) {
        const teach::BatchNormStats& b = m_comparison->batch_norms[static_cast<size_t>(batchNormRow)];
        auto* group = new QCPBarsGroup(m_featurePlot);
        const std::pair<const std::vector<float>*, QString> series[] = {{&b.batch_mean, tr("batch mean (train)")},
                                                                         {&b.running_mean, tr("running mean (eval)")}};
        int index = 0;
        for (const auto& [values, name] : series) {
            auto* bars = new QCPBars(m_featurePlot->xAxis, m_featurePlot->yAxis);
            bars->setName(name);
            const QColor color = index == 0 ? plot_palette::train() : plot_palette::validation();
            bars->setPen(QPen(color.darker(120)));
            bars->setBrush(color);
            bars->setWidth(0.4);
            bars->setBarsGroup(group);
            for (size_t i = 0; i < values->size(); ++i) bars->addData(static_cast<double>(i), (*values)[i]);
            ++index;
        }
        m_featurePlot->xAxis->setLabel(tr("feature of %1").arg(QString::fromStdString(b.path)));
        m_featurePlot->rescaleAxes();
        m_featurePlot->xAxis->setRange(-1, static_cast<double>(b.batch_mean.size()));
    }
    m_featurePlot->legend->setVisible(valid);
    m_featurePlot->replot();
}

}  // namespace nnstudio::ui
