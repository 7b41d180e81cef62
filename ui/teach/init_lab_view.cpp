// InitLabView: the setup (schemes, data, what to show) and Run on the left; on the right one tab per
// plot and the table of the depth plots' numbers; one colour per scheme everywhere.
#include "teach/init_lab_view.h"

#include "nn/layer_registry.h"
#include "plots/live_plot.h"
#include "plots/plot_palette.h"
#include "teach/pitfalls.h"
#include "teach/run_bar.h"
#include "teach/teach_inputs_form.h"
#include "teach/teach_job.h"
#include "teach/teach_model.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QListWidget>
#include <QPixmap>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>

namespace nnstudio::ui {
namespace {

const QStringList kDefaultSchemes = {"default",        "xavier_uniform", "xavier_tanh", "kaiming_uniform", "kaiming_normal",
                                     "orthogonal",     "normal",         "small_normal", "zeros"};

// The scheme's colour: its position in lab_schemes(), so a scheme looks the same in every plot.
QColor schemeColor(const std::string& id) {
    const auto& all = teach::lab_schemes();
    const auto it = std::find_if(all.begin(), all.end(), [&](const teach::LabScheme& s) { return s.id == id; });
    return plot_palette::series(static_cast<int>(it - all.begin()));
}

QIcon swatch(const QColor& color) {
    QPixmap pixmap(14, 14);
    pixmap.fill(color);
    return QIcon(pixmap);
}

teach::InitLabResult compute(const TeachInputs& in, const teach::InitLabOptions& options) {
    nn::Model model = teach::prepare_model(in.spec, in.flags, {.weights = {}, .scheme = {}, .seed = in.seed});
    const int64_t count = std::clamp<int64_t>(options.training.steps, 1, 8);
    const teach::TeachData data = teach::load_teach_data(model, in.data, in.batchSize, count, in.seed);
    return teach::run_init_lab(in.spec, in.flags, data, options);
}

}  // namespace

bool InitLabView::shownInDepthPlots(const std::string& type) const {
    switch (static_cast<DepthLayers>(m_depthLayers->currentIndex())) {
    case DepthLayers::Activations: {
        const nn::LayerDeclaration* d = nn::find_layer_declaration(type);
        return d && d->category == nn::LayerCategory::Activation;
    }
    case DepthLayers::Linear: return type == "Linear";
    case DepthLayers::Every: return true;
    }
    return true;
}

InitLabView::InitLabView(QWidget* parent)
    : QWidget(parent),
      m_inputs(new TeachInputsForm(this)),
      m_schemes(new QListWidget(this)),
      m_steps(new QSpinBox(this)),
      m_train(new QPushButton(tr("Train each"), this)),
      m_showMean(new QCheckBox(tr("Show the mean instead of the std"), this)),
      m_logScale(new QCheckBox(tr("Logarithmic y axis"), this)),
      m_layer(new QComboBox(this)),
      m_depthLayers(new QComboBox(this)),
      m_runBar(new RunBar(tr("Run"), this)),
      m_activationPlot(new LivePlot(tr("layer depth"), tr("activation std"), this)),
      m_gradientPlot(new LivePlot(tr("layer depth"), tr("std of dL/d(output)"), this)),
      m_histogramPlot(new LivePlot(tr("activation"), tr("share of values"), this)),
      m_lossPlot(new LivePlot(tr("training step (Train each)"), tr("loss"), this)),
      m_numbers(new QTableWidget(this)),
      m_job(new TeachJob(this)) {
    for (const teach::LabScheme& s : teach::lab_schemes()) {
        auto* item = new QListWidgetItem(swatch(schemeColor(s.id)), QString::fromStdString(s.label), m_schemes);
        item->setData(Qt::UserRole, QString::fromStdString(s.id));
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
    }
    setSchemes(kDefaultSchemes);
    m_schemes->setToolTip(tr("The schemes to compare; the colour is the scheme's in every plot"));
    m_steps->setRange(1, 2000);
    m_steps->setValue(50);
    m_steps->setSuffix(tr(" steps"));
    m_train->setToolTip(tr("Measure, then train each scheme for the given steps with the setup's optimizer and overlay the loss curves"));
    m_runBar->addButton(m_train);
    m_runBar->addField(m_steps);
    m_steps->setToolTip(tr("How many steps \"Train each\" trains each scheme"));
    m_logScale->setChecked(true);
    m_layer->setToolTip(tr("The layer whose activations the histogram shows"));
    m_inputs->setPreferLabelled(true);  // random labels would let "Train each" memorise noise
    m_depthLayers->addItems({tr("Activation outputs"), tr("Linear outputs"), tr("Every layer")});
    m_depthLayers->setToolTip(tr("Which layers the depth plots and the table show: a Linear output and the activation "
                                 "after it have different scales, so together every curve zigzags"));
    m_numbers->setEditTriggers(QAbstractItemView::NoEditTriggers);

    // Sized for a bottom dock of about 720x270 (1366x768): the setup in tabs above Run, one plot
    // at a time on the right (the scheme list's swatches are the legend).
    m_showMean->setText(tr("Mean, not std"));
    m_showMean->setToolTip(tr("Show the mean instead of the std in the activation plot and the table"));
    m_logScale->setText(tr("Logarithmic y axis"));
    m_layer->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_layer->setMinimumContentsLength(10);
    auto* dataPage = new QWidget(this);
    auto* dataLayout = new QFormLayout(dataPage);
    dataLayout->setContentsMargins(4, 4, 4, 4);
    dataLayout->addRow(m_inputs);
    auto* showPage = new QWidget(this);
    auto* showLayout = new QFormLayout(showPage);
    showLayout->setContentsMargins(4, 4, 4, 4);
    showLayout->addRow(tr("Depth plots"), m_depthLayers);
    showLayout->addRow(m_showMean);
    showLayout->addRow(m_logScale);
    showLayout->addRow(tr("Histogram of"), m_layer);

    auto* pages = new QTabWidget(this);  // first: the tab widget tests and lessons look for
    pages->addTab(m_activationPlot, tr("Activations"));
    pages->addTab(m_gradientPlot, tr("Gradients"));
    pages->addTab(m_histogramPlot, tr("Histogram"));
    pages->addTab(m_lossPlot, tr("Loss"));
    pages->addTab(m_numbers, tr("Numbers"));
    for (LivePlot* plot : {m_activationPlot, m_gradientPlot, m_histogramPlot, m_lossPlot}) plot->legend->setVisible(false);
    for (LivePlot* plot : {m_activationPlot, m_gradientPlot}) {  // x counts layers: whole numbers only
        QSharedPointer<QCPAxisTickerFixed> wholeLayers(new QCPAxisTickerFixed);
        wholeLayers->setTickStep(1);
        wholeLayers->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
        plot->xAxis->setTicker(wholeLayers);
    }
    auto* setupTabs = new QTabWidget(this);
    setupTabs->addTab(m_schemes, tr("Schemes"));
    setupTabs->addTab(dataPage, tr("Data"));
    setupTabs->addTab(showPage, tr("Show"));
    auto* controls = new QVBoxLayout;
    controls->setContentsMargins(0, 0, 0, 0);
    controls->addWidget(setupTabs, 1);
    controls->addWidget(m_runBar);
    auto* controlsWidget = new QWidget(this);
    controlsWidget->setLayout(controls);
    controlsWidget->setFixedWidth(260);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(controlsWidget);
    layout->addWidget(pages, 1);

    connect(m_runBar, &RunBar::runClicked, this, &InitLabView::run);
    connect(m_train, &QPushButton::clicked, this, [this] { runTraining(m_steps->value()); });
    connect(m_showMean, &QCheckBox::toggled, this, [this] {
        plotDepthSeries();
        applyLogScale();
    });
    connect(m_logScale, &QCheckBox::toggled, this, &InitLabView::applyLogScale);
    connect(m_depthLayers, &QComboBox::currentIndexChanged, this, [this] {
        plotDepthSeries();
        applyLogScale();
    });
    connect(m_layer, &QComboBox::currentIndexChanged, this, &InitLabView::plotHistogram);
    m_runBar->follow(m_job);
    connect(m_job, &TeachJob::failed, this, &InitLabView::failed);
    applyLogScale();
}

void InitLabView::setModel(const spec::ModelSpec& spec) {
    m_model.spec = spec;
    m_inputs->setModelInputShape(spec.input_shape);
}
void InitLabView::setFlags(const spec::FlagValues& flags) { m_model.flags = flags; }
void InitLabView::setSetup(const train::TrainSetup& setup) {
    m_inputs->setSetup(setup);
    m_setupOptimizer = setup.optimizer;
}

void InitLabView::setSchemes(const QStringList& ids) {
    for (int i = 0; i < m_schemes->count(); ++i) {
        QListWidgetItem* item = m_schemes->item(i);
        item->setCheckState(ids.contains(item->data(Qt::UserRole).toString()) ? Qt::Checked : Qt::Unchecked);
    }
}

QStringList InitLabView::checkedSchemes() const {
    QStringList ids;
    for (int i = 0; i < m_schemes->count(); ++i)
        if (m_schemes->item(i)->checkState() == Qt::Checked) ids << m_schemes->item(i)->data(Qt::UserRole).toString();
    return ids;
}

bool InitLabView::isComputing() const { return m_job->isRunning(); }
void InitLabView::clear() {
    m_result.reset();
    {
        const QSignalBlocker block(m_layer);
        m_layer->clear();
    }
    plotDepthSeries();
    plotHistogram();
    plotLosses();
    m_runBar->showMessage({});
}

void InitLabView::run() { start(0); }
void InitLabView::runTraining(int steps) { start(steps); }

void InitLabView::start(int steps) {
    if (m_job->isRunning()) return;
    const QStringList ids = checkedSchemes();
    if (ids.isEmpty()) {
        m_runBar->showError(tr("Check at least one scheme to compare."));
        emit failed(m_runBar->statusText());
        return;
    }
    teach::InitLabOptions options;
    options.schemes.clear();
    for (const QString& id : ids) options.schemes.push_back(teach::lab_scheme(id.toStdString()));
    options.seed = m_inputs->seed();
    options.training.steps = steps;
    options.training.optimizer = m_setupOptimizer.name.empty() ? std::string("Adam") : m_setupOptimizer.name;
    options.training.lr = m_setupOptimizer.options.value("lr", 1e-3);
    options.training.loss = teach::training_setup_of(m_model.spec).loss;
    TeachInputs in = m_model;
    in.data = m_inputs->dataSpec();
    in.batchSize = m_inputs->batchSize();
    in.seed = m_inputs->seed();
    m_job->start<teach::InitLabResult>([in, options] { return compute(in, options); },
                                       [this](teach::InitLabResult r) { showResult(std::move(r)); });
}

void InitLabView::showResult(teach::InitLabResult result) {
    m_result = std::move(result);
    const QString previousLayer = m_layer->currentText();
    {
        const QSignalBlocker block(m_layer);
        m_layer->clear();
        if (!m_result->runs.empty())
            for (const teach::LayerStats& l : m_result->runs.front().at_init.layers)
                m_layer->addItem(QStringLiteral("%1: %2 (%3)").arg(l.depth).arg(QString::fromStdString(l.path), QString::fromStdString(l.type)));
        const int keep = m_layer->findText(previousLayer);
        m_layer->setCurrentIndex(keep >= 0 ? keep : m_layer->count() - 1);
    }
    plotDepthSeries();
    plotHistogram();
    plotLosses();
    m_runBar->showMessage(tr("%1 on %2, batch %3: %4 schemes, %5 layers")
                              .arg(QString::fromStdString(m_result->model_name), QString::fromStdString(m_result->data_description))
                              .arg(m_result->batch_size)
                              .arg(m_result->runs.size())
                              .arg(m_layer->count()));
    emit finished();
}

void InitLabView::plotDepthSeries() {
    m_activationPlot->removeAllSeries();
    m_gradientPlot->removeAllSeries();
    fillNumbers();
    if (!m_result) return;
    const bool mean = m_showMean->isChecked();
    const QString what = m_depthLayers->currentText().toLower();
    m_activationPlot->yAxis->setLabel(mean ? tr("mean of %1").arg(what) : tr("std of %1").arg(what));
    // x: the n-th shown layer (1 = first), so a Linear → Tanh stack gives one smooth curve per kind.
    const QString x = static_cast<DepthLayers>(m_depthLayers->currentIndex()) == DepthLayers::Every
                          ? tr("layer (execution order)")
                          : tr("n-th layer of this kind");
    m_activationPlot->xAxis->setLabel(x);
    m_gradientPlot->xAxis->setLabel(x);
    for (const teach::SchemeRun& run : m_result->runs) {
        const QString id = QString::fromStdString(run.scheme.id), label = QString::fromStdString(run.scheme.label);
        const QPen pen = plot_palette::line(schemeColor(run.scheme.id));
        QCPGraph* act = m_activationPlot->addSeries(id, label, pen, true);
        QCPGraph* grad = m_gradientPlot->addSeries(id, label, pen, true);
        int n = 0;
        for (const teach::LayerStats& l : run.at_init.layers) {
            if (!shownInDepthPlots(l.type)) continue;
            ++n;
            act->addData(n, mean ? l.activation.mean : l.activation.std);
            grad->addData(n, l.output_grad.std);
        }
    }
    m_activationPlot->redrawNow();
    m_gradientPlot->redrawNow();
}

void InitLabView::fillNumbers() {
    m_numbers->clear();
    m_numbers->setRowCount(0);
    m_numbers->setColumnCount(0);
    if (!m_result || m_result->runs.empty()) return;
    const bool mean = m_showMean->isChecked();
    QStringList headers = {tr("Layer")};
    for (const teach::SchemeRun& run : m_result->runs) {
        const QString label = QString::fromStdString(run.scheme.label);
        headers << (mean ? tr("%1\nactivation mean") : tr("%1\nactivation std")).arg(label) << tr("%1\ngradient std").arg(label);
    }
    m_numbers->setColumnCount(static_cast<int>(headers.size()));
    m_numbers->setHorizontalHeaderLabels(headers);
    const std::vector<teach::LayerStats>& layers = m_result->runs.front().at_init.layers;
    for (size_t i = 0; i < layers.size(); ++i) {
        if (!shownInDepthPlots(layers[i].type)) continue;
        const int row = m_numbers->rowCount();
        m_numbers->insertRow(row);
        m_numbers->setItem(row, 0, new QTableWidgetItem(QStringLiteral("%1 %2").arg(QString::fromStdString(layers[i].path),
                                                                                   QString::fromStdString(layers[i].type))));
        for (size_t r = 0; r < m_result->runs.size(); ++r) {
            const teach::LayerStats& l = m_result->runs[r].at_init.layers[i];
            const int column = 1 + 2 * static_cast<int>(r);
            m_numbers->setItem(row, column, new QTableWidgetItem(QString::number(mean ? l.activation.mean : l.activation.std, 'g', 4)));
            m_numbers->setItem(row, column + 1, new QTableWidgetItem(QString::number(l.output_grad.std, 'g', 4)));
        }
    }
    m_numbers->resizeColumnsToContents();
}

void InitLabView::plotHistogram() {
    m_histogramPlot->removeAllSeries();
    const int depth = m_layer->currentIndex();
    if (!m_result || depth < 0) return;
    for (const teach::SchemeRun& run : m_result->runs) {
        if (depth >= static_cast<int>(run.at_init.layers.size())) continue;
        const teach::Histogram& h = run.at_init.layers[static_cast<size_t>(depth)].histogram;
        QCPGraph* graph = m_histogramPlot->addSeries(QString::fromStdString(run.scheme.id), QString::fromStdString(run.scheme.label),
                                                     plot_palette::line(schemeColor(run.scheme.id)));
        graph->setLineStyle(QCPGraph::lsStepCenter);
        int64_t total = 0;
        for (int64_t c : h.counts) total += c;
        const double width = h.counts.empty() ? 0 : (h.hi - h.lo) / static_cast<double>(h.counts.size());
        for (size_t i = 0; i < h.counts.size(); ++i)
            graph->addData(h.lo + (static_cast<double>(i) + 0.5) * width, total ? static_cast<double>(h.counts[i]) / total : 0.0);
    }
    m_histogramPlot->redrawNow();
}

void InitLabView::plotLosses() {
    m_lossPlot->removeAllSeries();
    if (!m_result) return;
    for (const teach::SchemeRun& run : m_result->runs) {
        if (run.loss_curve.empty()) continue;
        QCPGraph* graph = m_lossPlot->addSeries(QString::fromStdString(run.scheme.id), QString::fromStdString(run.scheme.label),
                                                plot_palette::line(schemeColor(run.scheme.id)));
        for (size_t i = 0; i < run.loss_curve.size(); ++i) graph->addData(static_cast<double>(i), run.loss_curve[i]);
    }
    m_lossPlot->redrawNow();
}

void InitLabView::applyLogScale() {
    const bool log = m_logScale->isChecked();
    m_activationPlot->setLogScale(log && !m_showMean->isChecked());  // means can be negative
    m_gradientPlot->setLogScale(log);
    m_lossPlot->setLogScale(log);
    for (LivePlot* plot : {m_activationPlot, m_gradientPlot, m_lossPlot}) plot->redrawNow();
}

}  // namespace nnstudio::ui
