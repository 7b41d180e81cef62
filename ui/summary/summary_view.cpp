// SummaryView: spec::summarize over the model as far as it builds, as a table and a bar chart.
#include "summary/summary_view.h"

#include "error.h"
#include "spec/model_builder.h"

#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <qcustomplot.h>

namespace nnstudio::ui {
namespace {

QString shape_text(const Shape& shape) {
    QStringList dims{"B"};
    for (int64_t d : shape) dims << QString::number(d);
    return "(" + dims.join(", ") + ")";
}

QString count_text(int64_t n) { return QLocale(QLocale::English).toString(static_cast<qlonglong>(n)); }

QString bytes_text(int64_t bytes) {
    return QLocale(QLocale::English).formattedDataSize(bytes, 2, QLocale::DataSizeTraditionalFormat);
}

}  // namespace

SummaryView::SummaryView(QWidget* parent) : QWidget(parent) {
    m_totals = new QLabel(this);
    m_totals->setWordWrap(true);
    m_totals->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_table = new QTableWidget(0, 5, this);
    m_table->setObjectName("summaryTable");
    m_table->setHorizontalHeaderLabels({"Layer", "Type", "Output shape", "Parameters", "Trainable"});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->setAlternatingRowColors(true);

    m_chart = new QCustomPlot(this);
    m_chart->setObjectName("parameterChart");
    m_chart->setMinimumSize(320, 160);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_table);
    splitter->addWidget(m_chart);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_totals);
    layout->addWidget(splitter, 1);
}

int SummaryView::rowCount() const { return m_table->rowCount(); }
QString SummaryView::totalsText() const { return m_totals->text(); }

void SummaryView::showModel(const spec::ModelSpec& spec) {
    try {
        // A model with a shape error shows the layers before it, and the error on the node at fault.
        spec::PartialModel built = spec::build_model_until_error(spec);
        const spec::ModelSummary summary = spec::summarize(built.model);
        m_total = built.error ? 0 : summary.total_params;
        QString totals = QString("<b>%1</b>: %2 parameters (%3 trainable, %4 non-trainable) · parameters %5 · "
                                 "buffers %6 · input %7")
                             .arg(QString::fromStdString(summary.model_name).toHtmlEscaped(),
                                  count_text(summary.total_params), count_text(summary.trainable_params),
                                  count_text(summary.non_trainable_params), bytes_text(summary.param_bytes),
                                  bytes_text(summary.buffer_bytes), shape_text(summary.input_shape));
        if (built.error)
            totals = QString("<span style='color:#c0392b'>The model does not build: %1</span><br>Up to there: %2")
                         .arg(QString::fromStdString(built.error->message).toHtmlEscaped(), totals);
        m_totals->setText(totals);
        fillTable(summary, built);
        fillChart(summary);
    } catch (const Error& e) {
        m_total = 0;
        m_totals->setText("<span style='color:#c0392b'>The model does not build: " +
                          QString::fromStdString(e.what()).toHtmlEscaped() + "</span>");
        m_table->setRowCount(0);
        m_chart->clearPlottables();
        m_chart->yAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());  // drop the old layer names
        m_chart->replot();
    }
}

void SummaryView::fillTable(const spec::ModelSummary& summary, const spec::PartialModel& built) {
    m_table->setRowCount(0);
    const auto addRow = [this](const QString& path, const QString& type, const QString& shape, const QString& params,
                               const QString& trainable) {
        const int r = m_table->rowCount();
        m_table->insertRow(r);
        auto* count = new QTableWidgetItem(params);
        count->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_table->setItem(r, 0, new QTableWidgetItem(path));
        m_table->setItem(r, 1, new QTableWidgetItem(type));
        m_table->setItem(r, 2, new QTableWidgetItem(shape));
        m_table->setItem(r, 3, count);
        m_table->setItem(r, 4, new QTableWidgetItem(trainable));
        return r;
    };
    const auto markError = [this](int r, const QString& message) {
        for (int c = 0; c < m_table->columnCount(); ++c) {
            m_table->item(r, c)->setForeground(QColor(0xc0, 0x39, 0x2b));
            m_table->item(r, c)->setToolTip(message);
        }
    };
    const spec::BuildError* error = built.error ? &*built.error : nullptr;
    bool errorShown = false;
    for (const spec::SummaryRow& row : summary.rows) {
        if (row.path.empty()) continue;  // the model itself: the totals line says it
        const QString indent(2 * std::max(0, row.depth - 1), ' ');
        const bool unknown = built.unknown_shape.count(row.path) > 0;
        const int r = addRow(indent + QString::fromStdString(row.path), QString::fromStdString(row.type),
                             unknown ? QString("?") : shape_text(row.output_shape), count_text(row.total_params),
                             row.total_params == 0 ? "–" : row.trainable ? "yes" : "no");
        if (error && row.path == error->path) {
            markError(r, QString::fromStdString(error->message));
            errorShown = true;
        }
    }
    if (error && !errorShown && !error->path.empty()) {  // a layer that did not build: its row says why
        const int r = addRow(QString::fromStdString(error->path), QString::fromStdString(error->type), "?", "?", "–");
        markError(r, QString::fromStdString(error->message));
    }
}

void SummaryView::fillChart(const spec::ModelSummary& summary) {
    m_chart->clearPlottables();
    QVector<double> ticks, counts;
    QVector<QString> labels;
    for (const spec::SummaryRow& row : summary.rows) {
        if (row.own_params == 0) continue;  // leaves that hold parameters: Linear, BatchNorm1d
        ticks << ticks.size() + 1;
        counts << static_cast<double>(row.own_params);
        labels << QString::fromStdString(row.path);
    }
    auto* bars = new QCPBars(m_chart->yAxis, m_chart->xAxis);  // horizontal bars: one row per layer
    bars->setData(ticks, counts, true);
    bars->setBrush(QColor(74, 144, 217, 190));
    bars->setPen(QPen(QColor(40, 90, 150)));
    bars->setWidth(0.7);
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    ticker->addTicks(ticks, labels);
    m_chart->yAxis->setTicker(ticker);
    m_chart->yAxis->setRangeReversed(true);
    m_chart->yAxis->setRange(0.3, ticks.size() + 0.7);
    m_chart->yAxis->setTickLabelFont(QFont(font().family(), 8));
    m_chart->xAxis->setLabel("parameters per layer");
    m_chart->xAxis->ticker()->setTickCount(3);
    m_chart->xAxis->setNumberFormat("gb");  // 2·10^5 rather than 200000 crowding the axis
    double top = 1;
    for (double c : counts) top = std::max(top, c);
    m_chart->xAxis->setRange(0, top * 1.08);
    m_chart->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace nnstudio::ui
