// ConfusionMatrixPlot: the test set's confusion matrix as a colour map (rows: true class, top to
// bottom; columns: predicted class) with the count written in every cell.
#pragma once
#include <QStringList>
#include <cstdint>
#include <qcustomplot.h>
#include <vector>

namespace nnstudio::ui {

class ConfusionMatrixPlot : public QCustomPlot {
    Q_OBJECT
public:
    explicit ConfusionMatrixPlot(QWidget* parent = nullptr);

    // matrix[true][predicted]; class names label the axes (numbers when empty or mismatched).
    void setMatrix(const std::vector<std::vector<int64_t>>& matrix, const QStringList& classNames);
    void clear();
    const std::vector<std::vector<int64_t>>& matrix() const { return m_matrix; }
    int64_t total() const;  // samples counted

private:
    void setTickLabels(QCPAxis* axis, const QStringList& labels, int classes);

    QCPColorMap* m_map;
    QCPColorScale* m_scale;
    QCPTextElement* m_title;
    std::vector<std::vector<int64_t>> m_matrix;
};

}  // namespace nnstudio::ui
