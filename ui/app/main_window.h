// MainWindow: the NN Studio desktop window. The canvas (the model as nested blocks) in the
// middle; the palette on the left; inspector and flags on the right; summary, training setup and
// live plots below; training progress in the status bar. The window shows one ProjectDocument: its
// model (ModelDocument, with undo), training setup, runs and current weights. Split by concern:
// main_window.cpp (layout, actions), main_window_files.cpp (projects, import/export, autosave),
// main_window_training.cpp (runs), main_window_teach.cpp (teaching views), main_window_layout.cpp
// (dock sizes that fit the screen, the saved layout, empty-state notes).
#pragma once
#include "project/project.h"
#include "tensor/typed_tensor.h"

#include <QMainWindow>
#include <QStringList>
#include <optional>

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QScrollArea;

namespace nnstudio::nn {
class Model;
}

namespace nnstudio::ui {

class Autosave;
class EmptyNote;
struct ImportReport;
class FlagsPanel;
class GradientInspectorView;
class InitLabView;
class ModeCompareView;
class PitfallPanel;
class RunComparisonView;
class LayerPalette;
class ModelCanvas;
class ModelDocument;
class NodeInspector;
class ProjectDocument;
class NodeSelection;
class RecentFiles;
class RecoveryBanner;
class SummaryView;
class TrainingController;
class TrainingPlots;
class TrainingProgress;
class TrainingSetupPanel;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens the first file in `arguments`, or the default example (DeepMLP on Fashion-MNIST).
    void openStartup(const QStringList& arguments);

    // File operations without dialogs (menus call them after asking; tests call them directly).
    // Each returns false and shows/returns the reason on failure; nothing is half-written.
    bool openFile(const QString& path, QString* error = nullptr);
    bool saveTo(const QString& path, QString* error = nullptr);
    void openExample(const QString& resourceName);  // e.g. "residual_network.json"
    bool exportWeights(const QString& path, QString* error = nullptr);  // .pth or .safetensors
    bool exportPytorchCode(const QString& modelPy, const QString& trainPy, QString* error = nullptr);
    // Loads the tensors that match; `report` receives the missing/unexpected/mismatched keys.
    // `table`, when given, receives the per-key report (also when no key matched and this fails).
    bool importWeights(const QString& path, QString* report, QString* error = nullptr, ImportReport* table = nullptr);

    ProjectDocument* project() const { return m_project; }
    ModelDocument* document() const { return m_document; }
    NodeSelection* selection() const { return m_selection; }
    ModelCanvas* canvas() const { return m_canvas; }
    LayerPalette* palette() const { return m_palette; }
    NodeInspector* inspector() const { return m_inspector; }
    FlagsPanel* flagsPanel() const { return m_flags; }
    SummaryView* summary() const { return m_summary; }
    TrainingSetupPanel* setupPanel() const { return m_setupPanel; }
    TrainingController* controller() const { return m_controller; }
    TrainingPlots* plots() const { return m_plots; }
    TrainingProgress* progress() const { return m_progress; }
    InitLabView* initLab() const { return m_initLab; }
    PitfallPanel* pitfalls() const { return m_pitfalls; }
    RunComparisonView* runComparison() const { return m_runComparison; }
    Autosave* autosave() const { return m_autosave; }
    const std::optional<StateDict>& weights() const;
    const QString& currentFile() const;
    project::Project currentProject() const;  // what Save would write

    void startTraining();
    void resetLayout();  // View > Reset layout: the default docks, tabs and sizes
    void setRunsDirectory(const QString& dir) { m_runsDirectory = dir; }  // default: beside the project

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildActions();
    void buildMenus();
    void buildDocks();
    void updateTitle();
    void onDocumentChanged();
    bool maybeSave();  // asks before unsaved changes are lost; false = cancel
    void newProject();
    void openWithDialog();
    bool save();
    bool saveAsWithDialog();
    void exportWeightsWithDialog();
    void exportCodeWithDialog();
    void importWeightsWithDialog();
    void offerRecovery();
    void showError(const QString& title, const QString& message);
    void onRunStarted();
    void onRunFinished(const QString& runDir, bool completed, const QString& summary);
    void updateTrainingActions();
    void connectTraining();
    void buildTeachDocks(QDockWidget* tabifyWith);
    void updateTeachViews();
    void updateRunComparison();  // now if the Runs view is visible, else when it is shown
    QString newRunDirectory() const;
    nn::Model buildInitialisedModel() const;  // current weights when they fit, else fresh init
    void fitDocks();               // after buildDocks: scroll areas, minimum sizes, the default kept
    void applyDefaultDockSizes();  // the canvas the largest area, for the window's current size
    void restoreLayout();          // the saved layout (QSettings) when its version matches
    void saveLayout() const;
    void resetViewsForNewModel();  // status, selection, plots and docks of the model opened before

    ProjectDocument* m_project;
    ModelDocument* m_document;  // m_project->model()
    NodeSelection* m_selection;
    LayerPalette* m_palette = nullptr;
    ModelCanvas* m_canvas = nullptr;
    QScrollArea* m_canvasScroll = nullptr;
    NodeInspector* m_inspector = nullptr;
    FlagsPanel* m_flags = nullptr;
    SummaryView* m_summary = nullptr;
    TrainingSetupPanel* m_setupPanel = nullptr;
    TrainingController* m_controller = nullptr;
    TrainingPlots* m_plots = nullptr;
    TrainingProgress* m_progress = nullptr;
    RecoveryBanner* m_recoveryBanner = nullptr;
    Autosave* m_autosave = nullptr;
    RecentFiles* m_recent = nullptr;
    QLabel* m_statusModel = nullptr;
    InitLabView* m_initLab = nullptr;
    ModeCompareView* m_modeCompare = nullptr;
    GradientInspectorView* m_gradients = nullptr;
    PitfallPanel* m_pitfalls = nullptr;
    RunComparisonView* m_runComparison = nullptr;
    QDockWidget* m_pitfallsDock = nullptr;
    bool m_runsOutdated = true;
    QByteArray m_defaultLayout;
    EmptyNote* m_runsNote = nullptr;

    QString m_runsDirectory;
    QString m_activeRunDir;

    QAction *m_newAction, *m_openAction, *m_saveAction, *m_saveAsAction, *m_quitAction;
    QAction *m_exportWeightsAction, *m_exportCodeAction, *m_importWeightsAction;
    QAction *m_undoAction, *m_redoAction, *m_cutAction, *m_copyAction, *m_pasteAction, *m_deleteAction;
    QAction *m_startAction, *m_pauseAction, *m_stopAction;
    QAction *m_resetLayoutAction = nullptr, *m_bottomPanelAction = nullptr;
    QMenu* m_recentMenu = nullptr;
    QMenu* m_examplesMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
};

}  // namespace nnstudio::ui
