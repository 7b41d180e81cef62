// GradientInspectorView: controls left; right, as tabs: the parameter table, the chosen parameter's histogram, the flags.
#include "teach/gradient_inspector_view.h"

#include "plots/live_plot.h"
#include "plots/parameter_label.h"
#include "plots/plot_palette.h"
#include "teach/lab_scheme.h"
#include "teach/pitfalls.h"
#include "teach/run_bar.h"
#include "teach/teach_inputs_form.h"
#include "teach/teach_job.h"

#include <QComboBox>
#include <QFormLayout>
#include <QTabWidget>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <map>

namespace nnstudio::ui {
namespace {

QString num(double v) { return QString::number(v, 'g', 4); }

QString shapeText(const Shape& shape) {
    QStringList dims;
    for (int64_t d : shape) dims << QString::number(d);
    return QStringLiteral("(%1)").arg(dims.join(QStringLiteral(", ")));
}

teach::GradientReport compute(const TeachInputs& in, const std::string& scheme, const std::optional<StateDict>& weights) {
    PreparedBatch p = prepareOneBatch(in, weights, scheme);
    return teach::gradient_report(p.model, p.data.batches.front(), {}, teach::training_setup_of(in.spec).loss);
}

}  // namespace

GradientInspectorView::GradientInspectorView(QWidget* parent)
    : QWidget(parent),
      m_inputs(new TeachInputsForm(this)),
      m_scheme(new QComboBox(this)),
      m_runBar(new RunBar(tr("Run"), this)),
      m_table(new QTableWidget(0, 7, this)),
      m_histogram(new LivePlot(tr("gradient value"), tr("elements"), this)),
      m_flags(new QTextBrowser(this)),
      m_job(new TeachJob(this)) {
    m_scheme->addItem(tr("The model's own init"), QString());
    for (const teach::LabScheme& s : teach::lab_schemes())
        m_scheme->addItem(QString::fromStdString(s.label), QString::fromStdString(s.id));
    m_scheme->setToolTip(tr("How the weights are initialised (ignored when the current weights are used)"));
    m_table->setHorizontalHeaderLabels({tr("parameter"), tr("shape"), tr("grad mean"), tr("grad std"), tr("grad norm"),
                                        tr("weight norm"), tr("flags")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->setVisible(false);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);  // more rows in a low dock
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_histogram->legend->setVisible(false);
    m_flags->setOpenLinks(false);

    auto* form = new QFormLayout;
    form->addRow(tr("Init"), m_scheme);
    auto* controls = new QVBoxLayout;
    controls->setContentsMargins(0, 0, 0, 0);
    auto* hint = new QLabel(tr("One forward and backward pass on a batch: how large each parameter's gradient is, "
                               "and whether it vanishes, explodes or ReLU units are dead."),
                            this);
    hint->setWordWrap(true);
    controls->addWidget(hint);
    controls->addLayout(form);
    controls->addWidget(m_inputs);
    controls->addWidget(m_runBar);
    controls->addStretch();
    auto* controlsWidget = new QWidget(this);
    controlsWidget->setLayout(controls);
    controlsWidget->setFixedWidth(250);

    // Sized for a bottom dock of about 720x270 (1366x768): the table, the chosen parameter's
    // histogram and the flags are tabs, each with the dock's whole height and the rest of its width.
    auto* right = new QTabWidget(this);
    right->addTab(m_table, tr("Parameters"));
    right->addTab(m_histogram, tr("Histogram"));
    right->addTab(m_flags, tr("Flags"));
    right->setTabToolTip(1, tr("The gradient histogram of the parameter selected in the table"));
    right->setTabToolTip(2, tr("What is wrong with the gradients and how to fix it"));
    auto* layout = new QHBoxLayout(this);
    layout->addWidget(controlsWidget);
    layout->addWidget(right, 1);

    connect(m_runBar, &RunBar::runClicked, this, &GradientInspectorView::run);
    connect(m_table, &QTableWidget::currentCellChanged, this, [this](int row) { plotHistogram(row); });
    m_runBar->follow(m_job);
    connect(m_job, &TeachJob::failed, this, &GradientInspectorView::failed);
}

void GradientInspectorView::setModel(const spec::ModelSpec& spec) { m_model.spec = spec; }
void GradientInspectorView::setFlags(const spec::FlagValues& flags) { m_model.flags = flags; }
void GradientInspectorView::setSetup(const train::TrainSetup& setup) { m_inputs->setSetup(setup); }
void GradientInspectorView::setWeights(std::optional<StateDict> weights) { m_weights = std::move(weights); }
void GradientInspectorView::setScheme(const QString& id) { m_scheme->setCurrentIndex(std::max(0, m_scheme->findData(id))); }
bool GradientInspectorView::isComputing() const { return m_job->isRunning(); }

void GradientInspectorView::clear() {
    m_report.reset();
    m_table->setRowCount(0);
    plotHistogram(-1);
    m_flags->clear();
    m_runBar->showMessage({});
}

void GradientInspectorView::run() {
    if (m_job->isRunning()) return;
    TeachInputs in = m_model;
    in.data = m_inputs->dataSpec();
    in.batchSize = m_inputs->batchSize();
    in.seed = m_inputs->seed();
    const std::string scheme = m_scheme->currentData().toString().toStdString();
    m_job->start<teach::GradientReport>([in, scheme, weights = m_weights] { return compute(in, scheme, weights); },
                                        [this](teach::GradientReport r) {
                                            showReport(r);
                                            emit finished();
                                        });
}

void GradientInspectorView::showReport(const teach::GradientReport& report) {
    m_report = report;
    m_layerTypes = layerTypesOf(m_model.spec, m_model.flags);
    std::map<std::string, QStringList> flagsOf;  // target -> flag names
    for (const teach::GradientFlag& f : report.flags) flagsOf[f.target] << QString::fromStdString(teach::to_string(f.kind));
    m_table->setRowCount(static_cast<int>(report.params.size()));
    for (int r = 0; r < m_table->rowCount(); ++r) {
        const teach::ParamGradient& p = report.params[static_cast<size_t>(r)];
        const QStringList flags = flagsOf.count(p.name) ? flagsOf[p.name] : QStringList();
        const QStringList cells = {parameterLabel(p.name, m_layerTypes), shapeText(p.shape), num(p.grad.mean), num(p.grad.std),
                                   num(p.grad_norm), num(p.weight_norm), flags.join(QStringLiteral(", "))};
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            if (!flags.isEmpty()) item->setBackground(QColor(255, 214, 214));
            m_table->setItem(r, c, item);
        }
    }
    QString html;
    for (const teach::GradientFlag& f : report.flags)
        html += tr("<p><b style='color:#b00020'>%1</b> at <code>%2</code> (%3): %4<br><i>Fix:</i> %5</p>")
                    .arg(QString::fromStdString(teach::to_string(f.kind)), QString::fromStdString(f.target), num(f.value),
                         QString::fromStdString(f.explanation).toHtmlEscaped(), QString::fromStdString(f.fix).toHtmlEscaped());
    for (const teach::ReluActivity& relu : report.relus)
        html += tr("<p style='color:#555'>ReLU <code>%1</code>: %2 % of its %3 units never fire on this batch.</p>")
                    .arg(QString::fromStdString(relu.path), num(100 * relu.dead_fraction))
                    .arg(relu.units);
    if (report.flags.empty()) html.prepend(tr("<p><b style='color:#2c7a2c'>No flags</b>: the gradients look healthy.</p>"));
    m_flags->setHtml(html);
    m_runBar->showMessage(tr("Loss %1; %2 parameters, %3 %4")
                              .arg(num(report.loss))
                              .arg(report.params.size())
                              .arg(report.flags.size())
                              .arg(report.flags.size() == 1 ? tr("flag") : tr("flags")));
    int select = 0;  // the first flagged parameter, else the first
    for (int r = 0; r < m_table->rowCount(); ++r)
        if (!m_table->item(r, 6)->text().isEmpty()) {
            select = r;
            break;
        }
    if (m_table->rowCount() == 0) plotHistogram(-1);
    else if (m_table->currentRow() == select) plotHistogram(select);
    else m_table->setCurrentCell(select, 0);
}

QString GradientInspectorView::flagsText() const { return m_flags->toPlainText(); }

void GradientInspectorView::plotHistogram(int row) {
    m_histogram->removeAllSeries();
    if (m_report && row >= 0 && row < static_cast<int>(m_report->params.size())) {
        const teach::ParamGradient& p = m_report->params[static_cast<size_t>(row)];
        const teach::Histogram& h = p.histogram;
        const QString label = parameterLabel(p.name, m_layerTypes);
        QCPGraph* graph = m_histogram->addSeries(QString::fromStdString(p.name), label,
                                                 plot_palette::line(plot_palette::train()));
        graph->setLineStyle(QCPGraph::lsStepCenter);
        graph->setBrush(QColor(31, 119, 180, 60));
        const double width = h.counts.empty() ? 0 : (h.hi - h.lo) / static_cast<double>(h.counts.size());
        for (size_t i = 0; i < h.counts.size(); ++i)
            graph->addData(h.lo + (static_cast<double>(i) + 0.5) * width, static_cast<double>(h.counts[i]));
        m_histogram->xAxis->setLabel(tr("gradient of %1").arg(label));
    }
    m_histogram->redrawNow();
}

}  // namespace nnstudio::ui
