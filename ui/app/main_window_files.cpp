// MainWindow's files: New/Open/Save/Save As of projects and model files, examples, recent files,
// autosave recovery, weights export/import and PyTorch code export. Every write is atomic
// (core's writers write a temporary file and rename it).
#include "app/main_window.h"

#include "app/recovery_banner.h"
#include "document/model_document.h"
#include "error.h"
#include "export/pytorch_code.h"
#include "export/train_script.h"
#include "files/autosave.h"
#include "files/import_report_dialog.h"
#include "files/recent_files.h"
#include "io/tensor_file.h"
#include "nn/import_weights.h"
#include "spec/model_builder.h"
#include "spec/model_init.h"
#include "training/training_setup_panel.h"
#include "util/atomic_file.h"

#include <QCloseEvent>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QStatusBar>

namespace nnstudio::ui {
namespace {

const char* kFileFilter = "NN Studio projects and models (*.nnsproj *.json);;All files (*)";

std::string local(const QString& path) { return QDir::toNativeSeparators(path).toStdString(); }

// Where a project's weights live: "<project stem>.weights.pth" beside it.
QString weights_file_for(const QString& projectPath) {
    const QFileInfo info(projectPath);
    return info.dir().filePath(info.completeBaseName() + ".weights.pth");
}

}  // namespace

project::Project MainWindow::currentProject() const {
    project::Project p;
    p.model = m_document->spec();
    p.training = m_setupPanel->setup();
    p.runs = m_runs;
    return p;
}

bool MainWindow::openFile(const QString& path, QString* error) {
    try {
        project::Project p = project::load_project(local(path));
        QString weightsPath;
        if (!p.weights.empty()) weightsPath = QFileInfo(path).dir().filePath(QString::fromStdString(p.weights));
        loadProject(p, QFileInfo(path).absoluteFilePath(), weightsPath);
        m_recent->add(path);
        statusBar()->showMessage("Opened " + QDir::toNativeSeparators(path), 5000);
        return true;
    } catch (const Error& e) {
        if (error) *error = QString::fromStdString(e.what());
        return false;
    }
}

void MainWindow::loadProject(const project::Project& p, const QString& path, const QString& weightsPath) {
    m_document->resetTo(p.model);
    m_setupPanel->setSetup(p.training);
    m_runs = p.runs;
    m_currentFile = path;
    m_setupModified = false;
    m_weights.reset();
    m_weightsOrigin.clear();
    if (!weightsPath.isEmpty()) {
        try {
            m_weights = io::read_tensor_file(local(weightsPath)).tensors;
            m_weightsOrigin = "loaded with the project";
        } catch (const Error& e) {
            statusBar()->showMessage("The project's weights were not loaded: " + QString::fromStdString(e.what()), 10000);
        }
    }
    m_autosave->setOriginalFile(path);
    updateTeachViews();
    updateRunComparison();
    updateTitle();
}

void MainWindow::openExample(const QString& resourceName) {
    QFile file(":/examples/" + resourceName);
    if (!file.open(QIODevice::ReadOnly)) {
        showError("Examples", "The example " + resourceName + " is missing from this build.");
        return;
    }
    try {
        project::Project p = project::project_from_model(spec::parse_model_spec_text(file.readAll().toStdString()));
        loadProject(p, {}, {});
        statusBar()->showMessage("Example " + QString::fromStdString(p.model.name) + " (untitled: Save As keeps it)", 5000);
    } catch (const Error& e) {
        showError("Examples", QString::fromStdString(e.what()));
    }
}

bool MainWindow::saveTo(const QString& path, QString* error) {
    try {
        project::Project p = currentProject();
        if (path.endsWith(".json", Qt::CaseInsensitive)) {
            // A model file: the model and its training setup (runs and weights belong to projects).
            spec::save_model_spec(local(path), project::model_with_training(p));
        } else {
            if (m_weights) {
                const QString weightsPath = weights_file_for(path);
                io::write_tensor_file(local(weightsPath), {*m_weights, false});
                p.weights = QFileInfo(weightsPath).fileName().toStdString();
            }
            project::save_project(local(path), p);
        }
        m_currentFile = QFileInfo(path).absoluteFilePath();
        m_document->markSaved();
        m_setupModified = false;
        m_autosave->setOriginalFile(m_currentFile);
        m_autosave->discard();
        m_recent->add(path);
        updateTitle();
        statusBar()->showMessage("Saved " + QDir::toNativeSeparators(path), 5000);
        return true;
    } catch (const Error& e) {
        if (error) *error = QString::fromStdString(e.what());
        return false;
    }
}

bool MainWindow::save() {
    if (m_currentFile.isEmpty()) return saveAsWithDialog();
    QString error;
    if (saveTo(m_currentFile, &error)) return true;
    showError("Save", error);
    return false;
}

bool MainWindow::saveAsWithDialog() {
    QString suggested = m_currentFile;
    if (suggested.isEmpty()) suggested = QDir::home().filePath(QString::fromStdString(m_document->spec().name) + ".nnsproj");
    const QString path = QFileDialog::getSaveFileName(this, "Save project", suggested,
                                                      "NN Studio project (*.nnsproj);;Model file without runs (*.json)");
    if (path.isEmpty()) return false;
    QString error;
    if (saveTo(path, &error)) return true;
    showError("Save", error);
    return false;
}

bool MainWindow::maybeSave() {
    if (!m_document->isModified() && !m_setupModified) return true;
    const auto answer = QMessageBox::warning(
        this, "Unsaved changes",
        QString("%1 has unsaved changes. Save them?").arg(QString::fromStdString(m_document->spec().name)),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Save) return save();
    return answer == QMessageBox::Discard;
}

void MainWindow::newProject() {
    if (!maybeSave()) return;
    loadProject(project::Project{ModelDocument::emptyModel(), train::TrainSetup{}, {}, {}}, {}, {});
}

void MainWindow::openWithDialog() {
    if (!maybeSave()) return;
    const QString dir = m_currentFile.isEmpty() ? QDir::homePath() : QFileInfo(m_currentFile).absolutePath();
    const QString path = QFileDialog::getOpenFileName(this, "Open project or model", dir, kFileFilter);
    if (path.isEmpty()) return;
    QString error;
    if (!openFile(path, &error)) showError("Open", error);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    m_autosave->discard();  // a clean exit: nothing to recover next time
    event->accept();
}

void MainWindow::offerRecovery() {
    const std::optional<Recovery> r = m_autosave->pending();
    if (!r) return;
    m_recoveryBanner->showRecovery(*r);
}

nn::Model MainWindow::buildInitialisedModel() const {
    nn::Model model = spec::build_model(m_document->spec());
    const train::TrainSetup setup = m_setupPanel->setup();
    std::optional<init::InitScheme> scheme;
    if (!setup.init.is_null()) scheme = init::parse_init_scheme(setup.init, "training.init");
    spec::initialize_model(model, setup.seed, scheme);
    if (m_weights) model.load_state_dict(*m_weights, false);
    return model;
}

bool MainWindow::exportWeights(const QString& path, QString* error) {
    try {
        io::format_from_path(local(path));  // a bad extension fails before any work
        const nn::Model model = buildInitialisedModel();
        io::write_tensor_file(local(path), {model.state_dict(), false});
        statusBar()->showMessage(QString("Exported %1 weights to %2")
                                     .arg(m_weights ? m_weightsOrigin : "freshly initialised", QDir::toNativeSeparators(path)),
                                 8000);
        return true;
    } catch (const Error& e) {
        if (error) *error = QString::fromStdString(e.what());
        return false;
    }
}

bool MainWindow::exportPytorchCode(const QString& modelPy, const QString& trainPy, QString* error) {
    try {
        const spec::ModelSpec& spec = m_document->spec();
        const std::string module = exporter::generate_pytorch_module(spec);
        std::string script, dataPath;
        const train::TrainSetup setup = m_setupPanel->setup();
        if (!trainPy.isEmpty()) {
            if (QFileInfo(modelPy).absolutePath() != QFileInfo(trainPy).absolutePath())
                throw Error("the training script imports the model module, so both must be in the same folder");
            const bool synthetic = data::parse_data_source(setup.data).kind == data::DataSourceKind::Synthetic;
            const std::string dataFile = synthetic ? exporter::synthetic_data_file_name(local(trainPy)) : std::string();
            if (synthetic) dataPath = QFileInfo(trainPy).dir().filePath(QString::fromStdString(dataFile)).toStdString();
            script = exporter::generate_train_script(spec, setup, QFileInfo(modelPy).completeBaseName().toStdString(), dataFile);
        }
        write_file_atomically(local(modelPy), module);
        if (!dataPath.empty()) exporter::write_synthetic_data_file(dataPath, setup);
        if (!script.empty()) write_file_atomically(local(trainPy), script);
        statusBar()->showMessage("Exported PyTorch code to " + QDir::toNativeSeparators(modelPy), 8000);
        return true;
    } catch (const Error& e) {
        if (error) *error = QString::fromStdString(e.what());
        return false;
    }
}

bool MainWindow::importWeights(const QString& path, QString* report, QString* error, ImportReport* table) {
    try {
        const io::TensorFile file = io::read_tensor_file(local(path));
        nn::Model model = buildInitialisedModel();
        const std::string name = QFileInfo(path).fileName().toStdString();
        nn::WeightImport imported;
        try {
            imported = nn::import_weights(model, file, {}, name);
        } catch (const StateDictMismatch&) {  // no key fits: the table still shows both sides
            if (table) *table = noMatchReport(model.state_dict(), file, QFileInfo(path).fileName());
            throw;
        }
        if (table) *table = importReport(imported, model.state_dict(), QFileInfo(path).fileName());
        const nn::LoadReport& r = imported.report;
        // The finder's note (which entry, which prefix) is shown even when every key matched.
        if (report) *report = r.ok() && imported.found.note(name).empty() ? QString() : QString::fromStdString(imported.summary(name));
        m_weights = model.state_dict();
        m_weightsOrigin = "imported from " + QFileInfo(path).fileName();
        m_setupModified = true;
        updateTeachViews();
        updateTitle();
        statusBar()->showMessage(QString("Imported %1 (%2)").arg(QFileInfo(path).fileName(),
                                                                 r.ok() ? "every key matched" : "with differences: see the report"),
                                 8000);
        return true;
    } catch (const Error& e) {
        if (error) *error = QString::fromStdString(e.what());
        return false;
    }
}

void MainWindow::exportWeightsWithDialog() {
    const QString base = QString::fromStdString(m_document->spec().name);
    const QString path = QFileDialog::getSaveFileName(this, "Export weights", QDir::home().filePath(base + ".pth"),
                                                      "PyTorch state_dict (*.pth);;safetensors (*.safetensors)");
    if (path.isEmpty()) return;
    QString error;
    if (!exportWeights(path, &error)) showError("Export weights", error);
}

void MainWindow::exportCodeWithDialog() {
    const QString path = QFileDialog::getSaveFileName(this, "Export PyTorch code (model.py; train.py beside it)",
                                                      QDir::home().filePath("model.py"), "Python (*.py)");
    if (path.isEmpty()) return;
    const QString trainPy = QFileInfo(path).dir().filePath("train.py");
    QString error;
    if (!exportPytorchCode(path, trainPy, &error)) showError("Export PyTorch code", error);
}

void MainWindow::importWeightsWithDialog() {
    const QString path = QFileDialog::getOpenFileName(this, "Import weights into the current model", QDir::homePath(),
                                                      "Weights (*.pth *.pt *.bin *.safetensors);;All files (*)");
    if (path.isEmpty()) return;
    QString report, error;
    ImportReport table;
    if (!importWeights(path, &report, &error, &table) && table.rows.empty()) {
        showError("Import weights", error);
        return;
    }
    ImportReportDialog(table, this).exec();
}

void MainWindow::showError(const QString& title, const QString& message) {
    QMessageBox::warning(this, title, message);
}

}  // namespace nnstudio::ui
