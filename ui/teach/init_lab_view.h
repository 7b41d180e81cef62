// InitLabView: the init lab in the GUI — the current model under several initialisation schemes:
// per-layer activation std (or mean) and output-gradient std against depth, one line per scheme,
// for one kind of layer at a time (activation outputs, Linear outputs, or every layer), with a
// table of the same numbers;
// the chosen layer's activation histogram per scheme; optionally the loss curves of N training
// steps from each start. Computes with teach::run_init_lab on a worker thread.
#pragma once
#include "teach/init_lab.h"
#include "teach/teach_inputs.h"
#include "train/train_setup.h"

#include <QWidget>
#include <optional>

class QCheckBox;
class QComboBox;
class QListWidget;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace nnstudio::ui {

class LivePlot;
class RunBar;
class TeachInputsForm;
class TeachJob;

class InitLabView : public QWidget {
    Q_OBJECT
public:
    explicit InitLabView(QWidget* parent = nullptr);

    void setModel(const spec::ModelSpec& spec);
    void setFlags(const spec::FlagValues& flags);
    void setSetup(const train::TrainSetup& setup);
    void setSchemes(const QStringList& ids);  // checks exactly these lab scheme ids
    QStringList checkedSchemes() const;
    TeachInputsForm* inputs() const { return m_inputs; }

    void run();                  // measures at initialisation (the Run button)
    void runTraining(int steps);  // measures, then trains each scheme `steps` steps
    bool isComputing() const;
    // Forgets the results (plots, table, layer picker, status) of the model shown before.
    void clear();

    const std::optional<teach::InitLabResult>& result() const { return m_result; }
    // Series keys are scheme ids; x is the layer depth (step for the loss plot).
    LivePlot* activationPlot() const { return m_activationPlot; }
    LivePlot* gradientPlot() const { return m_gradientPlot; }
    LivePlot* histogramPlot() const { return m_histogramPlot; }
    LivePlot* lossPlot() const { return m_lossPlot; }
    QComboBox* layerPicker() const { return m_layer; }
    // Which layers the depth plots and the numbers table show (items in DepthLayers order).
    enum class DepthLayers { Activations, Linear, Every };
    QComboBox* depthLayersPicker() const { return m_depthLayers; }
    QTableWidget* numbersTable() const { return m_numbers; }  // one row per shown layer
    RunBar* runBar() const { return m_runBar; }

signals:
    void finished();
    void failed(const QString& message);

private:
    void start(int steps);
    void showResult(teach::InitLabResult result);
    void plotDepthSeries();
    void fillNumbers();
    bool shownInDepthPlots(const std::string& layerType) const;
    void plotHistogram();
    void plotLosses();
    void applyLogScale();

    TeachInputs m_model;
    train::NamedOptions m_setupOptimizer{"Adam", {{"lr", 1e-3}}};
    TeachInputsForm* m_inputs;
    QListWidget* m_schemes;
    QSpinBox* m_steps;
    QPushButton* m_train;
    QCheckBox* m_showMean;
    QCheckBox* m_logScale;
    QComboBox* m_layer;
    QComboBox* m_depthLayers;
    RunBar* m_runBar;
    LivePlot* m_activationPlot;
    LivePlot* m_gradientPlot;
    LivePlot* m_histogramPlot;
    LivePlot* m_lossPlot;
    QTableWidget* m_numbers;
    TeachJob* m_job;
    std::optional<teach::InitLabResult> m_result;
};

}  // namespace nnstudio::ui
