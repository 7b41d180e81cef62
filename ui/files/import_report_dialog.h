// ImportReportDialog: File ▸ Import weights' report as a table — the heading, where the weights
// came from (entry, prefix), the counts, and one row per key with its status and both shapes.
#pragma once
#include "files/import_report.h"

#include <QDialog>

class QLabel;
class QTableWidget;

namespace nnstudio::ui {

class ImportReportDialog : public QDialog {
    Q_OBJECT
public:
    explicit ImportReportDialog(const ImportReport& report, QWidget* parent = nullptr);

    QString headingText() const;
    QString countsText() const;
    QTableWidget* table() const { return m_table; }  // columns: key, status, model, file

private:
    QLabel* m_heading;
    QLabel* m_counts;
    QTableWidget* m_table;
};

}  // namespace nnstudio::ui
