// DataSourceEditor: the "Data" part of the training form — Fashion-MNIST, a synthetic 2-D set
// (samples, noise, classes, seed, with a scatter preview) or a CSV/IDX file with its label
// column (or float target columns), delimiter and header row (with a preview of the first rows as
// they are read) — plus
// normalisation. Problems (missing file, bad options) are shown inline.
#pragma once
#include "train/train_setup.h"

#include <QTimer>
#include <QWidget>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace nnstudio::ui {

class CompactDoubleSpinBox;
class DatasetPreview;

class DataSourceEditor : public QWidget {
    Q_OBJECT
public:
    explicit DataSourceEditor(QWidget* parent = nullptr);

    void setSetup(const train::TrainSetup& setup);
    void applyTo(train::TrainSetup& setup) const;  // data, normalization, synthetic, CSV dialect, label/target columns
    QString problem() const;  // empty when the data can be loaded as far as the form can tell
    DatasetPreview* preview() const { return m_preview; }
    QLabel* csvPreview() const { return m_csvPreview; }  // the CSV's first rows as read (HTML table)

signals:
    void changed();
    void problemChanged();  // problem() was re-evaluated (after the debounced preview)

private:
    QString sourceName() const;  // "fashion-mnist", "spirals", ..., or "file"
    void updateVisibility();
    void updatePreview();
    QString csvPreview(const QString& path);  // HTML table of the first rows; throws DataError
    void onSourceChanged();
    void browse();
    void onEdited();

    QComboBox* m_source;
    QSpinBox* m_samples;
    CompactDoubleSpinBox* m_noise;
    QSpinBox* m_classes;
    QSpinBox* m_dataSeed;
    QLineEdit* m_path;
    QPushButton* m_browse;
    QLineEdit* m_labelColumn;
    QLineEdit* m_targetColumns;  // "" (a label column) or NAME[,NAME...] / INDEX[,...]
    QComboBox* m_delimiter;   // "" (detected), ",", ";", "tab", "|"
    QComboBox* m_header;      // auto, yes, no
    QLabel* m_csvPreview;     // the first rows as read: features, then label and class, or the targets
    QComboBox* m_normalization;
    QLabel* m_note;
    DatasetPreview* m_preview;
    QFormLayout* m_form;
    QWidget* m_pathRow;
    QTimer m_previewTimer;
    QString m_problem;
};

}  // namespace nnstudio::ui
