// MainWindow's training runs: start/pause/stop through the TrainingController (a worker thread),
// the model read-only while a run goes, each run recorded in the project and its final weights
// becoming the project's current weights.
#include "app/main_window.h"

#include "document/model_document.h"
#include "document/project_document.h"
#include "document/node_selection.h"
#include "error.h"
#include "io/tensor_file.h"
#include "plots/parameter_label.h"
#include "plots/training_plots.h"
#include "teach/gradient_inspector_view.h"
#include "teach/init_lab_view.h"
#include "teach/mode_compare_view.h"
#include "training/training_controller.h"
#include "training/training_progress.h"
#include "training/training_setup_panel.h"

#include <QAction>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QStandardPaths>
#include <QStatusBar>

namespace nnstudio::ui {
namespace {

QString run_label(const train::TrainSetup& s) {
    QString init = s.init.is_null() ? "model's init"
                   : s.init.is_string() ? QString::fromStdString(s.init.get<std::string>())
                                        : QString::fromStdString(s.init.value("scheme", std::string("custom init")));
    return QString("%1 lr %2, %3, batch %4, %5 epochs on %6")
        .arg(QString::fromStdString(s.optimizer.name))
        .arg(s.optimizer.options.value("lr", 0.0))
        .arg(init)
        .arg(s.batch_size)
        .arg(s.epochs)
        .arg(QString::fromStdString(s.data));
}

}  // namespace

QString MainWindow::newRunDirectory() const {
    QString base = m_runsDirectory;
    if (base.isEmpty() && !currentFile().isEmpty()) {
        const QFileInfo info(currentFile());
        base = info.dir().filePath(info.completeBaseName() + ".runs");
    }
    if (base.isEmpty()) base = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/runs";
    const QString stem = QString::fromStdString(m_document->spec().name) + "-" +
                         QDateTime::currentDateTime().toString("yyyyMMdd-hhmmss");
    QString dir = QDir(base).filePath(stem);
    for (int i = 2; QFileInfo::exists(dir); ++i) dir = QDir(base).filePath(stem + "-" + QString::number(i));
    return dir;
}

void MainWindow::startTraining() {
    if (m_controller->isRunning()) return;
    if (!m_document->isValid()) {
        m_progress->showMessage("Fix the model first: " + m_document->firstError());
        return;
    }
    if (!m_setupPanel->problem().isEmpty()) {
        m_progress->showMessage("Fix the training setup first: " + m_setupPanel->problem());
        return;
    }
    m_activeRunDir = newRunDirectory();
    spec::FlagValues flags;
    for (const auto& [name, value] : m_document->spec().flags) flags[name] = value;
    if (!m_controller->start(m_document->spec(), flags, m_project->setup(), m_activeRunDir)) return;
    m_document->setReadOnly(true);
    m_plots->clear();
    m_progress->reset();
    m_plots->setLayerTypes(layerTypesOf(m_document->spec(), flags));
    m_progress->showMessage("Loading data…");
    updateTrainingActions();
}

void MainWindow::onRunStarted() {
    m_plots->setClassNames(m_controller->classNames());
    m_progress->showMessage("Training on " + m_controller->dataDescription());
    updateTrainingActions();
}

void MainWindow::onRunFinished(const QString& runDir, bool completed, const QString& summary) {
    m_document->setReadOnly(false);
    updateTrainingActions();
    m_progress->showMessage(summary);
    if (!completed) return;
    try {
        m_project->setWeights(io::read_tensor_file(QDir(runDir).filePath("weights.pth").toStdString()).tensors,
                              "trained in " + QFileInfo(runDir).fileName());
    } catch (const Error& e) {
        statusBar()->showMessage("The run's weights could not be read: " + QString::fromStdString(e.what()), 15000);
    }
}

void MainWindow::resetViewsForNewModel() {
    // Nothing of the model shown before may stay: its run's curves, "Finished: ..." or its node.
    m_progress->reset();
    statusBar()->clearMessage();
    m_plots->clear();
    m_selection->setPath({});
    // The teaching views measured the model before: their results are cleared, so their empty
    // notes say what to do instead of showing another model's curves and tables.
    m_initLab->clear();
    m_modeCompare->clear();
    m_gradients->clear();
}

void MainWindow::updateTrainingActions() {
    const bool running = m_controller->isRunning();
    const bool paused = m_controller->isPaused();
    m_startAction->setEnabled(!running);
    m_pauseAction->setEnabled(running);
    m_pauseAction->setText(paused ? "&Resume" : "&Pause");
    m_stopAction->setEnabled(running);
    m_setupPanel->setRunning(running, paused);
    // Greyed out while a run holds the model, and saying why in the menu itself.
    const QString why = tr(" (stop the run first)");
    for (QAction* a : {m_newAction, m_openAction, m_importWeightsAction}) {
        a->setEnabled(!running);
        QString text = a->text();
        if (text.endsWith(why)) text.chop(why.size());
        a->setText(running ? text + why : text);
    }
    if (m_examplesMenu) {
        m_examplesMenu->setEnabled(!running);
        QString title = m_examplesMenu->title();
        if (title.endsWith(why)) title.chop(why.size());
        m_examplesMenu->setTitle(running ? title + why : title);
    }
}

void MainWindow::connectTraining() {
    connect(m_setupPanel, &TrainingSetupPanel::startRequested, this, &MainWindow::startTraining);
    connect(m_setupPanel, &TrainingSetupPanel::pauseRequested, m_controller, &TrainingController::pause);
    connect(m_setupPanel, &TrainingSetupPanel::resumeRequested, m_controller, &TrainingController::resume);
    connect(m_setupPanel, &TrainingSetupPanel::stopRequested, m_controller, &TrainingController::stop);
    connect(m_controller, &TrainingController::started, this, &MainWindow::onRunStarted);
    connect(m_controller, &TrainingController::pausedChanged, this, [this](bool paused) {
        m_progress->setPaused(paused);
        updateTrainingActions();
    });
    connect(m_controller, &TrainingController::snapshotReceived, this, [this](const train::MetricsSnapshot& s) {
        m_plots->addSnapshot(s);
        m_progress->addSnapshot(s);
    });
    connect(m_controller, &TrainingController::finished, this, [this](const train::TrainResult& r) {
        const bool completed = r.status == train::RunStatus::Completed;
        project::RunRecord record{m_activeRunDir.toStdString(), run_label(m_project->setup()).toStdString(),
                                  train::to_string(r.status), r.epochs_completed, r.test.loss, r.test.accuracy, r.wall_s};
        m_project->addRun(record);
        const QString summary =
            completed ? (r.test.has_accuracy ? QString("Finished: test accuracy %1, loss %2 (%3 epochs in %4)").arg(r.test.accuracy, 0, 'f', 4)
                                             : QString("Finished: test loss %2 (%3 epochs in %4)"))  // regression: no accuracy
                            .arg(r.test.loss, 0, 'f', 4)
                            .arg(r.epochs_completed)
                            .arg(r.wall_s < 10 ? QString::number(r.wall_s, 'f', 2) + " s"
                                               : TrainingProgress::formatDuration(r.wall_s))
                      : QString("Stopped after %1 epochs: %2").arg(r.epochs_completed).arg(QString::fromStdString(r.message));
        onRunFinished(m_activeRunDir, completed, summary);
    });
    connect(m_controller, &TrainingController::failed, this, [this](const QString& message) {
        onRunFinished(m_activeRunDir, false, "Training failed: " + message);
        auto* box = new QMessageBox(QMessageBox::Warning, "Training failed", message, QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();  // non-modal: the window stays usable
    });
}

}  // namespace nnstudio::ui
