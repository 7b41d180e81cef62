// RunComparisonView: the project's runs side by side — a checkable list (label, status, test
// accuracy; a run whose folder is missing or broken is greyed with the reason), the checked runs'
// loss and accuracy per epoch overlaid (train dashed, validation solid, one colour per run), and
// a table of only the settings that differ between them.
#pragma once
#include "project/project.h"
#include "train/run_history.h"

#include <QString>
#include <QWidget>
#include <optional>
#include <vector>

class QTableWidget;
class QComboBox;
class QTreeWidget;
class QTreeWidgetItem;

namespace nnstudio::ui {

class LivePlot;

class RunComparisonView : public QWidget {
    Q_OBJECT
public:
    explicit RunComparisonView(QWidget* parent = nullptr);

    // Reads every run's folder (relative paths against `baseDir`, the project file's folder);
    // the runs that read are checked.
    void setRuns(const std::vector<project::RunRecord>& runs, const QString& baseDir);

    QTreeWidget* runList() const { return m_list; }
    LivePlot* lossPlot() const { return m_loss; }
    LivePlot* accuracyPlot() const { return m_accuracy; }
    // Gradient std over steps of one parameter (picked in gradientParameter()), per run.
    LivePlot* gradientPlot() const { return m_gradients; }
    QComboBox* gradientParameter() const { return m_parameter; }
    QTableWidget* settingsTable() const { return m_settings; }

private:
    struct Entry {
        project::RunRecord record;
        std::optional<train::RunHistory> history;  // nullopt: the folder could not be read
        QString problem;
    };
    void refresh();  // plots and table from the checked runs
    void plotRun(int index, const train::RunHistory& run, const QString& label);
    void fillParameterChoices();  // every parameter any readable run recorded, the choice kept

    std::vector<Entry> m_entries;
    QTreeWidget* m_list;
    LivePlot* m_loss;
    LivePlot* m_accuracy;
    LivePlot* m_gradients;
    QComboBox* m_parameter;
    QTableWidget* m_settings;
};

}  // namespace nnstudio::ui
