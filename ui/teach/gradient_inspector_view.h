// GradientInspectorView: one backward pass on a batch, per parameter (named by its layer's path
// and type) the gradient's mean, std and norm next to the weight's norm (flagged rows coloured), the selected parameter's gradient
// histogram, and each flag (vanishing, exploding, dead ReLU) explained with a fix. Computes with
// teach::gradient_report on a worker thread; showReport() takes a report computed elsewhere.
#pragma once
#include "plots/parameter_label.h"
#include "teach/gradient_report.h"
#include "teach/teach_inputs.h"
#include "tensor/typed_tensor.h"
#include "train/train_setup.h"

#include <QWidget>
#include <optional>

class QComboBox;
class QTableWidget;
class QTextBrowser;

namespace nnstudio::ui {

class LivePlot;
class RunBar;
class TeachInputsForm;
class TeachJob;

class GradientInspectorView : public QWidget {
    Q_OBJECT
public:
    explicit GradientInspectorView(QWidget* parent = nullptr);

    void setModel(const spec::ModelSpec& spec);
    void setFlags(const spec::FlagValues& flags);
    void setSetup(const train::TrainSetup& setup);
    // The current weights; nullopt: initialise (the model's init or the picked lab scheme).
    void setWeights(std::optional<StateDict> weights);
    void setScheme(const QString& id);  // a lab scheme id; empty: the model's own init
    TeachInputsForm* inputs() const { return m_inputs; }

    void run();  // the Run button
    bool isComputing() const;
    // Forgets the report (table, histogram, flags, status) of the model shown before.
    void clear();
    void showReport(const teach::GradientReport& report);  // e.g. fed live from training

    const std::optional<teach::GradientReport>& report() const { return m_report; }
    QTableWidget* table() const { return m_table; }  // one row per parameter, state_dict order
    LivePlot* histogramPlot() const { return m_histogram; }
    QString flagsText() const;  // the explanations and fixes as shown
    RunBar* runBar() const { return m_runBar; }

signals:
    void finished();
    void failed(const QString& message);

private:
    void plotHistogram(int row);

    TeachInputs m_model;
    std::optional<StateDict> m_weights;
    TeachInputsForm* m_inputs;
    QComboBox* m_scheme;
    RunBar* m_runBar;
    QTableWidget* m_table;
    LivePlot* m_histogram;
    QTextBrowser* m_flags;
    TeachJob* m_job;
    std::optional<teach::GradientReport> m_report;
    LayerTypes m_layerTypes;  // of the model the report was computed for: rows read "net.0 Linear · weight"
};

}  // namespace nnstudio::ui
