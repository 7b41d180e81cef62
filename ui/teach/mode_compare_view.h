// ModeCompareView: the train vs eval A/B in the GUI — one batch through the model in train mode
// and in eval mode: loss and accuracy side by side, how far the outputs differ, per BatchNorm1d
// the batch statistics next to the running ones (table, plus a per-feature bar plot of the
// selected layer), per Dropout the dropped share. "Batch of 1" shows BatchNorm's refusal.
// Computes with teach::compare_modes on a worker thread.
#pragma once
#include "teach/mode_compare.h"
#include "teach/teach_inputs.h"
#include "tensor/typed_tensor.h"
#include "train/train_setup.h"

#include <QWidget>
#include <optional>

class QCustomPlot;
class QLabel;
class QPushButton;
class QTableWidget;

namespace nnstudio::ui {

class RunBar;
class TeachInputsForm;
class TeachJob;

class ModeCompareView : public QWidget {
    Q_OBJECT
public:
    explicit ModeCompareView(QWidget* parent = nullptr);

    void setModel(const spec::ModelSpec& spec);
    void setFlags(const spec::FlagValues& flags);
    void setSetup(const train::TrainSetup& setup);
    // The current weights (e.g. after training); nullopt: a fresh initialisation of the spec.
    void setWeights(std::optional<StateDict> weights);
    TeachInputsForm* inputs() const { return m_inputs; }

    void run();             // the Run button: the form's batch size
    void runBatchOfOne();   // the "Batch of 1" button
    bool isComputing() const;
    // Forgets the comparison (tables, feature plot, status) of the model shown before.
    void clear();

    const std::optional<teach::ModeComparison>& comparison() const { return m_comparison; }
    QTableWidget* summaryTable() const { return m_summary; }      // rows loss, accuracy; columns train, eval
    QTableWidget* batchNormTable() const { return m_batchNorms; }  // one row per BatchNorm1d
    QTableWidget* dropoutTable() const { return m_dropouts; }      // one row per Dropout
    QCustomPlot* featurePlot() const { return m_featurePlot; }     // selected BatchNorm's per-feature means
    RunBar* runBar() const { return m_runBar; }

signals:
    void finished();
    void failed(const QString& message);

private:
    void start(int64_t batchSize);
    void showComparison(teach::ModeComparison comparison);
    void fillBatchNormTable();
    void fillDropoutTable();
    void plotFeatures(int batchNormRow);

    TeachInputs m_model;
    std::optional<StateDict> m_weights;
    TeachInputsForm* m_inputs;
    QPushButton* m_batchOfOne;
    RunBar* m_runBar;
    QTableWidget* m_summary;
    QLabel* m_outputDiff;
    QTableWidget* m_batchNorms;
    QCustomPlot* m_featurePlot;
    QTableWidget* m_dropouts;
    TeachJob* m_job;
    std::optional<teach::ModeComparison> m_comparison;
};

}  // namespace nnstudio::ui
