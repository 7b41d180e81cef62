// SummaryView: the live torchinfo-like table of the current model (layer path, type, output
// shape, parameters, trainable) with totals and parameter memory, and a bar chart of the
// parameter count per layer. Rebuilt from the spec on every edit; a model with a shape error shows
// the layers before it, the error in red on the node at fault, and "?" for shapes it hides.
#pragma once
#include "spec/model_builder.h"
#include "spec/model_spec.h"
#include "spec/summary.h"

#include <QWidget>

class QCustomPlot;
class QLabel;
class QTableWidget;

namespace nnstudio::ui {

class SummaryView : public QWidget {
    Q_OBJECT
public:
    explicit SummaryView(QWidget* parent = nullptr);

    void showModel(const spec::ModelSpec& spec);

    // For tests and the status bar: the totals last shown (0 when the model did not build).
    // rowCount() counts the rows of what built, and the failing layer's.
    int64_t totalParameters() const { return m_total; }
    int rowCount() const;
    QString totalsText() const;

private:
    void fillTable(const spec::ModelSummary& summary, const spec::PartialModel& built);
    void fillChart(const spec::ModelSummary& summary);

    QLabel* m_totals = nullptr;
    QTableWidget* m_table = nullptr;
    QCustomPlot* m_chart = nullptr;
    int64_t m_total = 0;
};

}  // namespace nnstudio::ui
