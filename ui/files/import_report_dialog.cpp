// ImportReportDialog: heading, source line, counts, then the key table (problems first).
#include "files/import_report_dialog.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>

namespace nnstudio::ui {
namespace {

QColor statusColor(ImportRow::Status status) {
    switch (status) {
    case ImportRow::Status::Matched: return QColor(0xe6, 0xf4, 0xe6);
    case ImportRow::Status::Missing: return QColor(0xfd, 0xf1, 0xd8);
    case ImportRow::Status::Unexpected: return QColor(0xe8, 0xee, 0xf8);
    case ImportRow::Status::ShapeMismatch: return QColor(0xf9, 0xdd, 0xdd);
    }
    return {};
}

// Problems first (mismatch, missing, unexpected), matched last; state_dict order within each.
int order(ImportRow::Status status) {
    switch (status) {
    case ImportRow::Status::ShapeMismatch: return 0;
    case ImportRow::Status::Missing: return 1;
    case ImportRow::Status::Unexpected: return 2;
    case ImportRow::Status::Matched: return 3;
    }
    return 4;
}

}  // namespace

ImportReportDialog::ImportReportDialog(const ImportReport& report, QWidget* parent)
    : QDialog(parent), m_heading(new QLabel(this)), m_counts(new QLabel(this)), m_table(new QTableWidget(this)) {
    setWindowTitle(tr("Import weights: %1").arg(report.fileName));
    QFont bold = m_heading->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.2);
    m_heading->setFont(bold);
    m_heading->setText(report.heading());
    m_heading->setObjectName("importHeading");
    // The finder's note reads "weights from entry 'state_dict' of f.pth, ...": a sentence of its own here.
    QString found = report.source;
    if (!found.isEmpty()) found[0] = found[0].toUpper();
    auto* source = new QLabel(found.isEmpty() ? tr("Weights from the top level of %1, keys used as they are").arg(report.fileName) : found,
                              this);
    if (report.imported == 0)  // say what to check, since nothing changed
        source->setText(source->text() + "\n" +
                        tr("The model keeps all its values. Check that the file was saved from this model: its keys "
                           "and shapes must be the model's state_dict keys (the canvas names the layers)."));
    source->setWordWrap(true);
    using S = ImportRow::Status;
    m_counts->setText(tr("%1 matched · %2 missing (keep their values) · %3 unexpected (not used) · %4 shape mismatch")
                          .arg(report.count(S::Matched))
                          .arg(report.count(S::Missing))
                          .arg(report.count(S::Unexpected))
                          .arg(report.count(S::ShapeMismatch)));

    std::vector<ImportRow> rows = report.rows;
    std::stable_sort(rows.begin(), rows.end(), [](const ImportRow& a, const ImportRow& b) { return order(a.status) < order(b.status); });
    m_table->setColumnCount(4);
    m_table->setHorizontalHeaderLabels({tr("Key"), tr("Status"), tr("In the model"), tr("In the file")});
    m_table->setRowCount(static_cast<int>(rows.size()));
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->setVisible(false);
    for (int i = 0; i < static_cast<int>(rows.size()); ++i) {
        const ImportRow& r = rows[static_cast<size_t>(i)];
        const QStringList cells = {r.key, statusName(r.status), r.modelShape.isEmpty() ? "—" : r.modelShape,
                                   r.fileShape.isEmpty() ? "—" : r.fileShape};
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            item->setBackground(statusColor(r.status));
            m_table->setItem(i, c, item);
        }
    }
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_table->resizeColumnsToContents();

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_heading);
    layout->addWidget(source);
    layout->addWidget(m_counts);
    layout->addWidget(m_table, 1);
    layout->addWidget(buttons);
    resize(760, 460);
}

QString ImportReportDialog::headingText() const { return m_heading->text(); }
QString ImportReportDialog::countsText() const { return m_counts->text(); }

}  // namespace nnstudio::ui
