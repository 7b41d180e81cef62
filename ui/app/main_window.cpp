// MainWindow: layout (canvas, docks, status bar), actions and menus, and keeping the title and
// summary in step with the project.
#include "app/main_window.h"

#include "app/recovery_banner.h"
#include "builder/layer_palette.h"
#include "builder/model_canvas.h"
#include "document/model_document.h"
#include "document/node_selection.h"
#include "document/project_document.h"
#include "files/autosave.h"
#include "files/recent_files.h"
#include "inspector/flags_panel.h"
#include "inspector/node_inspector.h"
#include "lessons/lessons_menu.h"
#include "plots/training_plots.h"
#include "playground/playground_dock.h"
#include "summary/summary_view.h"
#include "training/training_controller.h"
#include "training/training_progress.h"
#include "training/training_setup_panel.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QRegularExpression>
#include <QScrollArea>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>

// The icons and examples are compiled into the static nnstudio_ui library: register them
// explicitly, or the linker drops them (Qt's rule for resources in static libraries).
static void init_resources() { Q_INIT_RESOURCE(nnstudio); }

namespace nnstudio::ui {
namespace {

// The seed's models (resources/models, bundled as :/examples).
const std::vector<std::pair<const char*, const char*>> kExamples = {
    {"SimpleNet", "simple_net.json"},
    {"ShallowMLP", "shallow_mlp.json"},
    {"DeepMLP (Fashion-MNIST)", "deep_mlp.json"},
    {"ResidualNetwork", "residual_network.json"},
    {"ConditionalNet (BatchNorm/Dropout flags)", "conditional_net.json"},
    {"Spiral MLP (2-D spirals)", "spiral_mlp.json"},
    {"Deep tanh MLP (init lab: Xavier vs N(0,1))", "deep_tanh_mlp.json"},
    {"Deep ReLU MLP (init lab: Kaiming vs small normal)", "deep_relu_mlp.json"},
};

QDockWidget* dock(const QString& title, const QString& name, QWidget* content, QWidget* parent) {
    auto* d = new QDockWidget(title, parent);
    d->setObjectName(name);
    d->setWidget(content);
    return d;
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    init_resources();
    m_project = new ProjectDocument(this);
    m_document = m_project->model();
    m_selection = new NodeSelection(m_document, this);
    m_controller = new TrainingController(this);

    m_canvas = new ModelCanvas(m_document, m_selection);
    m_canvasScroll = new QScrollArea;
    m_canvasScroll->setWidget(m_canvas);
    m_canvasScroll->setWidgetResizable(true);
    m_canvasScroll->setFrameShape(QFrame::NoFrame);
    m_recoveryBanner = new RecoveryBanner;
    auto* central = new QWidget;
    auto* centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(0);
    centralLayout->addWidget(m_recoveryBanner);
    centralLayout->addWidget(m_canvasScroll, 1);
    setCentralWidget(central);

    m_palette = new LayerPalette(m_document, m_selection);
    m_inspector = new NodeInspector(m_document, m_selection);
    m_flags = new FlagsPanel(m_document);
    m_summary = new SummaryView;
    m_setupPanel = new TrainingSetupPanel(m_project);
    m_plots = new TrainingPlots;
    m_progress = new TrainingProgress;
    m_statusModel = new QLabel;
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_statusModel);

    m_autosave = new Autosave(Autosave::defaultDirectory(), [this] { return currentProject(); },
                              [this] { return m_project->isModified(); }, this);

    buildActions();
    buildDocks();
    buildMenus();
    fitDocks();
    connectTraining();

    connect(m_document, &ModelDocument::changed, this, &MainWindow::onDocumentChanged);
    connect(m_project, &ProjectDocument::aboutToBeReplaced, this, &MainWindow::resetViewsForNewModel);
    // A lesson describes its example: opening another model closes it (a lesson reopens it after).
    connect(m_project, &ProjectDocument::aboutToBeReplaced, this, [this] { closeLesson(this); });
    connect(m_project, &ProjectDocument::modifiedChanged, this, [this] { updateTitle(); });
    connect(m_project, &ProjectDocument::filePathChanged, this, [this] {
        m_autosave->setOriginalFile(m_project->filePath());
        updateTitle();
    });
    connect(m_project, &ProjectDocument::weightsDropped, this, [this] {
        statusBar()->showMessage("The model's parameters changed: its weights were reset to a fresh initialisation", 8000);
    });
    connect(m_recoveryBanner, &RecoveryBanner::recoverRequested, this, [this](const Recovery& r) {
        QString error;
        if (!openFile(r.recoveryFile, &error)) {
            showError("Recover", error);
            return;
        }
        // The recovered work is unsaved work for its original file (or untitled).
        m_project->setFilePath(r.originalFile);
        m_project->markModified();
    });
    connect(m_recoveryBanner, &RecoveryBanner::discardRequested, m_autosave, &Autosave::discard);

    setWindowTitle("NN Studio");
    setWindowIcon(QIcon(":/icons/nnstudio.svg"));
    resize(1500, 950);
    restoreLayout();
    onDocumentChanged();
    updateTrainingActions();
}

MainWindow::~MainWindow() = default;

const std::optional<StateDict>& MainWindow::weights() const { return m_project->weights(); }
const QString& MainWindow::currentFile() const { return m_project->filePath(); }

void MainWindow::openStartup(const QStringList& arguments) {
    const QStringList files = arguments.filter(QRegularExpression("^[^-]"));
    QString error;
    if (!files.isEmpty() && !openFile(files.front(), &error)) showError("Open", error);
    if (files.isEmpty() || !error.isEmpty()) openExample("deep_mlp.json");
    offerRecovery();
}

void MainWindow::buildActions() {
    const auto make = [this](const QString& text, QKeySequence shortcut, auto slot) {
        auto* a = new QAction(text, this);
        if (!shortcut.isEmpty()) a->setShortcut(shortcut);
        connect(a, &QAction::triggered, this, slot);
        return a;
    };
    m_newAction = make("&New", QKeySequence::New, [this] { newProject(); });
    m_openAction = make("&Open…", QKeySequence::Open, [this] { openWithDialog(); });
    m_saveAction = make("&Save", QKeySequence::Save, [this] { save(); });
    m_saveAsAction = make("Save &As…", QKeySequence::SaveAs, [this] { saveAsWithDialog(); });
    m_quitAction = make("&Quit", QKeySequence::Quit, [this] { close(); });
    m_exportWeightsAction = make("Export &weights (.pth / .safetensors)…", {}, [this] { exportWeightsWithDialog(); });
    m_exportCodeAction = make("Export PyTorch &code (model.py + train.py)…", {}, [this] { exportCodeWithDialog(); });
    m_importWeightsAction = make("&Import weights…", {}, [this] { importWeightsWithDialog(); });

    m_undoAction = m_document->undoAction();  // also disabled while a run makes the model read-only
    m_redoAction = m_document->redoAction();
    const auto report = [this](bool ok, const QString& error) {
        if (!ok && !error.isEmpty()) statusBar()->showMessage(error, 6000);
    };
    m_cutAction = make("Cu&t", QKeySequence::Cut, [this, report] {
        QString e;
        report(m_document->cutNode(m_selection->path(), &e), e);
    });
    m_copyAction = make("&Copy", QKeySequence::Copy, [this, report] {
        QString e;
        report(m_document->copyNode(m_selection->path(), &e), e);
    });
    m_pasteAction = make("&Paste", QKeySequence::Paste, [this, report] {
        QString e;
        const auto pasted = m_document->paste(m_selection->path(), &e);
        if (pasted) m_selection->setPath(*pasted);
        report(pasted.has_value(), e);
    });
    m_deleteAction = make("&Delete", QKeySequence::Delete, [this, report] {
        QString e;
        report(m_document->removeNode(m_selection->path(), &e), e);
    });
    // The canvas has focus most of the time: its shortcuts must not fight the line edits'.
    for (QAction* a : {m_cutAction, m_copyAction, m_pasteAction, m_deleteAction}) {
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        m_canvas->addAction(a);
    }

    m_startAction = make("&Start training", QKeySequence(Qt::CTRL | Qt::Key_R), [this] { startTraining(); });
    m_pauseAction = make("&Pause", QKeySequence(Qt::CTRL | Qt::Key_P), [this] {
        if (m_controller->isPaused()) m_controller->resume();
        else m_controller->pause();
    });
    m_stopAction = make("S&top", QKeySequence(Qt::CTRL | Qt::Key_Period), [this] { m_controller->stop(); });
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu("&File");
    file->addAction(m_newAction);
    file->addAction(m_openAction);
    m_recentMenu = file->addMenu("Open &Recent");
    m_recent = new RecentFiles(m_recentMenu, this);
    connect(m_recent, &RecentFiles::openRequested, this, [this](const QString& path) {
        if (!maybeSave()) return;
        QString error;
        if (!openFile(path, &error)) showError("Open", error);
    });
    m_examplesMenu = file->addMenu("E&xamples");
    for (const auto& [title, resource] : kExamples) {
        const QString name = resource;
        m_examplesMenu->addAction(title, this, [this, name] {
            if (maybeSave()) openExample(name);
        });
    }
    file->addSeparator();
    file->addAction(m_saveAction);
    file->addAction(m_saveAsAction);
    file->addSeparator();
    file->addAction(m_importWeightsAction);
    file->addAction(m_exportWeightsAction);
    file->addAction(m_exportCodeAction);
    file->addSeparator();
    file->addAction(m_quitAction);

    QMenu* edit = menuBar()->addMenu("&Edit");
    edit->addAction(m_undoAction);
    edit->addAction(m_redoAction);
    edit->addSeparator();
    for (QAction* a : {m_cutAction, m_copyAction, m_pasteAction, m_deleteAction}) edit->addAction(a);

    QMenu* train = menuBar()->addMenu("&Train");
    train->addAction(m_startAction);
    train->addAction(m_pauseAction);
    train->addAction(m_stopAction);

    m_viewMenu = menuBar()->addMenu("&View");
    for (QDockWidget* d : findChildren<QDockWidget*>()) m_viewMenu->addAction(d->toggleViewAction());

    QMenu* help = menuBar()->addMenu("&Help");
    fillLessonsMenu(help->addMenu("&Lessons"), this, [this](const QString& example) {
        if (!maybeSave()) return false;
        openExample(example);
        return true;
    });
    help->addAction("&About NN Studio", this, [this] {
        QMessageBox::about(this, "About NN Studio",
                           "<b>NN Studio</b><br>Design, train and inspect neural networks visually.<br>"
                           "Models behave like the same torch.nn.Module; weights move to and from PyTorch "
                           "(.pth, .safetensors) without conversion scripts.");
    });
}

void MainWindow::buildDocks() {
    setDockNestingEnabled(true);
    QDockWidget* palette = dock("Layers", "paletteDock", m_palette, this);
    addDockWidget(Qt::LeftDockWidgetArea, palette);

    auto* right = new QTabWidget;
    right->addTab(m_inspector, "Inspector");
    right->addTab(m_flags, "Flags");
    QDockWidget* inspector = dock("Properties", "inspectorDock", right, this);
    addDockWidget(Qt::RightDockWidgetArea, inspector);
    QDockWidget* setup = dock("Training", "trainingDock", m_setupPanel, this);
    addDockWidget(Qt::RightDockWidgetArea, setup);
    tabifyDockWidget(inspector, setup);
    inspector->raise();

    QDockWidget* summary = dock("Summary", "summaryDock", m_summary, this);
    QDockWidget* plots = dock("Plots", "plotsDock", m_plots, this);
    addDockWidget(Qt::BottomDockWidgetArea, summary);
    addDockWidget(Qt::BottomDockWidgetArea, plots);
    tabifyDockWidget(summary, plots);
    buildTeachDocks(plots);
    addPlaygroundDock(this, m_project, plots);
    summary->raise();  // sizes: applyDefaultDockSizes (main_window_layout.cpp)
}

void MainWindow::onDocumentChanged() {
    m_summary->showModel(m_document->spec());
    const QString name = QString::fromStdString(m_document->spec().name);
    m_statusModel->setText(m_document->isValid()
                               ? QString("%1 · %2 parameters")
                                     .arg(name, QLocale(QLocale::English).toString(
                                                    static_cast<qlonglong>(m_summary->totalParameters())))
                               : name + " · does not build (see the red node)");
    updateTeachViews();
    updateTitle();
}

void MainWindow::updateTitle() {
    const QString name = currentFile().isEmpty() ? QString::fromStdString(m_document->spec().name) + " (untitled)"
                                                 : QFileInfo(currentFile()).fileName();
    setWindowModified(m_project->isModified());
    setWindowTitle(name + "[*] — NN Studio");
}

}  // namespace nnstudio::ui
