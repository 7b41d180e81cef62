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
        nn::Model model = spec::build_model(spec);
        const spec::ModelSummary summary = spec::summarize(model);
        m_total = summary.total_params;
        m_totals->setText(QString("<b>%1</b>: %2 parameters (%3 trainable, %4 non-trainable) · parameters %5 · "
                                  "buffers %6 · input %7")
                              .arg(QString::fromStdString(summary.model_name).toHtmlEscaped(),
                                   count_text(summary.total_params), count_text(summary.trainable_params),
                                   count_text(summary.non_trainable_params), bytes_text(summary.param_bytes),
                                   bytes_text(summary.buffer_bytes), shape_text(summary.input_shape)));
        fillTable(summary);
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

void SummaryView::fillTable(const spec::ModelSummary& summary) {
    m_table->setRowCount(0);
    for (const spec::SummaryRow& row : summary.rows) {
        if (row.path.empty()) continue;  // the model itself: the totals line says it
        const int r = m_table->rowCount();
        m_table->insertRow(r);
        const QString indent(2 * std::max(0, row.depth - 1), ' ');
        auto* path = new QTableWidgetItem(indent + QString::fromStdString(row.path));
        auto* params = new QTableWidgetItem(count_text(row.total_params));
        params->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_table->setItem(r, 0, path);
        m_table->setItem(r, 1, new QTableWidgetItem(QString::fromStdString(row.type)));
        m_table->setItem(r, 2, new QTableWidgetItem(shape_text(row.output_shape)));
        m_table->setItem(r, 3, params);
        m_table->setItem(r, 4, new QTableWidgetItem(row.total_params == 0 ? "–" : row.trainable ? "yes" : "no"));
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
