// RunComparisonView: run folders read with train::read_run_history; the overlays reuse LivePlot
// and the training plots' palette, the settings table train::differing_settings.
#include "teach/run_comparison_view.h"

#include "plots/live_plot.h"
#include "plots/plot_palette.h"

#include <QComboBox>
#include <QDir>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace nnstudio::ui {
namespace {

enum Column { kRunColumn, kStatusColumn, kAccuracyColumn };

QWidget* titled(const QString& title, QWidget* content) {
    auto* box = new QWidget;
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(new QLabel("<b>" + title + "</b>"));
    layout->addWidget(content, 1);
    return box;
}

QString labelOf(const project::RunRecord& record) {
    return QString::fromStdString(record.label.empty() ? record.path : record.label);
}

// Runs are numbered as listed: the legends and the settings table say "#2", short enough to tell
// runs apart where their labels (which share most of their words) would be cut off.
QString numberOf(int index) {
    return QString("#%1").arg(index + 1);
}

}  // namespace

RunComparisonView::RunComparisonView(QWidget* parent) : QWidget(parent) {
    m_list = new QTreeWidget;
    m_list->setHeaderLabels({tr("Run"), tr("Status"), tr("Test accuracy")});
    m_list->setRootIsDecorated(false);
    m_list->header()->setSectionResizeMode(kRunColumn, QHeaderView::Stretch);
    m_list->header()->setStretchLastSection(false);
    connect(m_list, &QTreeWidget::itemChanged, this, [this] { refresh(); });

    m_settings = new QTableWidget;
    m_settings->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_settings->verticalHeader()->setVisible(false);

    m_loss = new LivePlot(tr("epoch"), tr("loss"));
    m_accuracy = new LivePlot(tr("epoch"), tr("accuracy"));
    m_gradients = new LivePlot(tr("step"), tr("gradient std"));
    m_gradients->setLogScale(true);
    m_parameter = new QComboBox;
    m_parameter->setToolTip(tr("The parameter whose gradient std is overlaid"));
    connect(m_parameter, &QComboBox::currentTextChanged, this, [this] { refresh(); });
    auto* gradientBox = new QWidget;
    auto* gradientLayout = new QVBoxLayout(gradientBox);
    gradientLayout->setContentsMargins(0, 0, 0, 0);
    gradientLayout->addWidget(m_parameter);
    gradientLayout->addWidget(m_gradients, 1);
    // One plot at a time: three stacked would not fit a bottom dock of about 720x270 (1366x768).
    auto* plots = new QTabWidget;
    plots->addTab(m_loss, tr("Loss"));
    plots->addTab(m_accuracy, tr("Accuracy"));
    plots->addTab(gradientBox, tr("Gradient std"));

    auto* side = new QSplitter(Qt::Vertical);
    side->addWidget(titled(tr("Runs"), m_list));
    side->addWidget(titled(tr("Settings that differ"), m_settings));

    side->setMinimumWidth(300);  // run labels and settings stay readable
    auto* split = new QSplitter(Qt::Horizontal);
    split->addWidget(side);
    split->addWidget(plots);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(split);
}

void RunComparisonView::setRuns(const std::vector<project::RunRecord>& runs, const QString& baseDir) {
    m_entries.clear();
    const QSignalBlocker block(m_list);
    m_list->clear();
    for (const project::RunRecord& record : runs) {
        Entry entry{record, std::nullopt, {}};
        const QString path = QDir(baseDir).absoluteFilePath(QString::fromStdString(record.path));
        try {
            entry.history = train::read_run_history(path.toStdString());
        } catch (const std::exception& e) {
            entry.problem = QString::fromStdString(e.what());
        }
        auto* item = new QTreeWidgetItem(m_list);
        item->setText(kRunColumn, numberOf(static_cast<int>(m_entries.size())) + " " + labelOf(record));
        item->setToolTip(kRunColumn, labelOf(record));
        item->setText(kStatusColumn, QString::fromStdString(record.status));
        const bool regression = entry.history && entry.history->final && !entry.history->final->test.has_accuracy;
        item->setText(kAccuracyColumn, regression ? QString("–") : QString::number(100 * record.test_accuracy, 'f', 1) + " %");
        item->setTextAlignment(kAccuracyColumn, Qt::AlignRight | Qt::AlignVCenter);
        item->setToolTip(kRunColumn, path);
        if (entry.history) {
            item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
            item->setCheckState(kRunColumn, Qt::Checked);
        } else {
            item->setFlags(item->flags() & ~Qt::ItemIsEnabled);
            item->setText(kStatusColumn, tr("unreadable"));
            item->setText(kAccuracyColumn, QString());
            for (int c : {kRunColumn, kStatusColumn}) item->setToolTip(c, entry.problem);
            auto* reason = new QTreeWidgetItem(item, {entry.problem});
            reason->setFirstColumnSpanned(true);
            reason->setFlags(reason->flags() & ~Qt::ItemIsEnabled);
            item->setExpanded(true);
        }
        m_entries.push_back(std::move(entry));
    }
    m_list->resizeColumnToContents(kStatusColumn);
    m_list->resizeColumnToContents(kAccuracyColumn);
    fillParameterChoices();
    refresh();
}

void RunComparisonView::fillParameterChoices() {
    const QString kept = m_parameter->currentText();
    const QSignalBlocker block(m_parameter);
    m_parameter->clear();
    for (const Entry& e : m_entries) {
        if (!e.history) continue;
        for (const train::GradStdSeries& g : e.history->grad_std)
            if (m_parameter->findText(QString::fromStdString(g.name)) < 0) m_parameter->addItem(QString::fromStdString(g.name));
    }
    if (m_parameter->findText(kept) >= 0) m_parameter->setCurrentText(kept);
}

void RunComparisonView::refresh() {
    m_loss->removeAllSeries();
    m_accuracy->removeAllSeries();
    m_gradients->removeAllSeries();
    std::vector<train::RunHistory> checked;
    QStringList labels;
    int maxEpochs = 1;
    for (int i = 0; i < static_cast<int>(m_entries.size()); ++i) {
        const Entry& e = m_entries[i];
        if (!e.history || m_list->topLevelItem(i)->checkState(kRunColumn) != Qt::Checked) continue;
        plotRun(i, *e.history, numberOf(i));
        checked.push_back(*e.history);
        labels << numberOf(i);
        maxEpochs = std::max(maxEpochs, static_cast<int>(e.history->epochs.size()));
    }
    for (LivePlot* plot : {m_loss, m_accuracy}) {
        plot->setMinimumKeyRange(QCPRange(0.5, maxEpochs + 0.5));
        plot->moveLegendBelow(2);
        plot->redrawNow();
    }
    m_gradients->moveLegendBelow(2);
    m_gradients->redrawNow();

    const auto diffs = checked.size() < 2 ? std::vector<train::SettingDifference>{} : train::differing_settings(checked);
    m_settings->clear();
    m_settings->setColumnCount(1 + labels.size());
    m_settings->setHorizontalHeaderLabels(QStringList{tr("Setting")} + labels);
    m_settings->setRowCount(static_cast<int>(diffs.size()));
    for (int r = 0; r < static_cast<int>(diffs.size()); ++r) {
        m_settings->setItem(r, 0, new QTableWidgetItem(QString::fromStdString(diffs[r].key)));
        for (int c = 0; c < static_cast<int>(diffs[r].values.size()); ++c)
            m_settings->setItem(r, c + 1, new QTableWidgetItem(QString::fromStdString(diffs[r].values[c])));
    }
    m_settings->resizeColumnsToContents();
}

void RunComparisonView::plotRun(int index, const train::RunHistory& run, const QString& label) {
    const QColor colour = plot_palette::series(index);
    const QString key = QString("run%1/").arg(index);
    QCPGraph* trainLoss = m_loss->addSeries(key + "train", label + tr(" (train)"), plot_palette::line(colour, 1.6, Qt::DashLine), true);
    QCPGraph* valLoss = m_loss->addSeries(key + "val", label + tr(" (validation)"), plot_palette::line(colour, 2.2), true);
    QCPGraph* trainAcc = m_accuracy->addSeries(key + "train", label + tr(" (train)"), plot_palette::line(colour, 1.6, Qt::DashLine), true);
    QCPGraph* valAcc = m_accuracy->addSeries(key + "val", label + tr(" (validation)"), plot_palette::line(colour, 2.2), true);
    for (const train::EpochRecord& e : run.epochs) {
        const double x = e.epoch + 1;
        m_loss->append(trainLoss, x, e.train.loss);
        m_loss->append(valLoss, x, e.val.loss);
        if (e.train.has_accuracy) m_accuracy->append(trainAcc, x, e.train.accuracy);  // none for regression targets
        if (e.val.has_accuracy) m_accuracy->append(valAcc, x, e.val.accuracy);
    }
    const std::string parameter = m_parameter->currentText().toStdString();
    for (const train::GradStdSeries& g : run.grad_std) {
        if (g.name != parameter) continue;
        QCPGraph* graph = m_gradients->addSeries(key + "grad_std", label, plot_palette::line(colour, 1.8));
        for (size_t i = 0; i < g.steps.size(); ++i) m_gradients->append(graph, static_cast<double>(g.steps[i]), g.grad_std[i]);
    }
}

}  // namespace nnstudio::ui
