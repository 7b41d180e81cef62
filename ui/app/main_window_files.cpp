// MainWindow's files: New/Open/Save/Save As of projects and model files, examples, recent files,
// autosave recovery, weights export/import and PyTorch code export. The project itself is read
// and written by ProjectDocument; every write is atomic (core's writers write a temporary file
// and rename it).
#include "app/main_window.h"

#include "app/recovery_banner.h"
#include "document/model_document.h"
#include "document/project_document.h"
#include "error.h"
#include "export/pytorch_code.h"
#include "export/train_script.h"
#include "files/autosave.h"
#include "files/last_folder.h"
#include "files/import_report_dialog.h"
#include "files/recent_files.h"
#include "io/tensor_file.h"
#include "nn/import_weights.h"
#include "spec/model_builder.h"
#include "spec/model_init.h"
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

}  // namespace

project::Project MainWindow::currentProject() const { return m_project->toProject(); }

bool MainWindow::openFile(const QString& path, QString* error) {
    try {
        const QString weightsProblem = m_project->open(path);
        if (!weightsProblem.isEmpty())
            statusBar()->showMessage("The project's weights were not loaded: " + weightsProblem, 10000);
        m_recent->add(path);
        statusBar()->showMessage("Opened " + QDir::toNativeSeparators(path), 5000);
        return true;
    } catch (const Error& e) {
        if (error) *error = QString::fromStdString(e.what());
        return false;
    }
}

void MainWindow::openExample(const QString& resourceName) {
    QFile file(":/examples/" + resourceName);
    if (!file.open(QIODevice::ReadOnly)) {
        showError("Examples", "The example " + resourceName + " is missing from this build.");
        return;
    }
    try {
        project::Project p = project::project_from_model(spec::parse_model_spec_text(file.readAll().toStdString()));
        m_project->reset(p);
        statusBar()->showMessage("Example " + QString::fromStdString(p.model.name) + " (untitled: Save As keeps it)", 5000);
    } catch (const Error& e) {
        showError("Examples", QString::fromStdString(e.what()));
    }
}

bool MainWindow::saveTo(const QString& path, QString* error) {
    try {
        m_project->save(path);
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
    if (currentFile().isEmpty()) return saveAsWithDialog();
    QString error;
    if (saveTo(currentFile(), &error)) return true;
    showError("Save", error);
    return false;
}

bool MainWindow::saveAsWithDialog() {
    QString suggested = currentFile();
    if (suggested.isEmpty()) suggested = QDir(lastFolder("projects")).filePath(QString::fromStdString(m_document->spec().name) + ".nnsproj");
    const QString path = QFileDialog::getSaveFileName(this, "Save project", suggested,
                                                      "NN Studio project (*.nnsproj);;Model file without runs (*.json)");
    if (path.isEmpty()) return false;
    rememberFolder("projects", path);
    QString error;
    if (saveTo(path, &error)) return true;
    showError("Save", error);
    return false;
}

bool MainWindow::maybeSave() {
    if (!m_project->isModified()) return true;
    const auto answer = QMessageBox::warning(
        this, "Unsaved changes",
        QString("%1 has unsaved changes. Save them?").arg(QString::fromStdString(m_document->spec().name)),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Save) return save();
    return answer == QMessageBox::Discard;
}

void MainWindow::newProject() {
    if (!maybeSave()) return;
    m_project->reset(project::Project{ModelDocument::emptyModel(), train::TrainSetup{}, {}, {}});
}

void MainWindow::openWithDialog() {
    if (!maybeSave()) return;
    const QString path = QFileDialog::getOpenFileName(this, "Open project or model", lastFolder("projects"), kFileFilter);
    if (path.isEmpty()) return;
    rememberFolder("projects", path);
    QString error;
    if (!openFile(path, &error)) showError("Open", error);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    m_autosave->discard();  // a clean exit: nothing to recover next time
    saveLayout();
    event->accept();
}

void MainWindow::offerRecovery() {
    const std::optional<Recovery> r = m_autosave->pending();
    if (!r) return;
    m_recoveryBanner->showRecovery(*r);
}

nn::Model MainWindow::buildInitialisedModel() const {
    nn::Model model = spec::build_model(m_document->spec());
    const train::TrainSetup& setup = m_project->setup();
    std::optional<init::InitScheme> scheme;
    if (!setup.init.is_null()) scheme = init::parse_init_scheme(setup.init, "training.init");
    spec::initialize_model(model, setup.seed, scheme);
    if (weights()) model.load_state_dict(*weights(), false);
    return model;
}

bool MainWindow::exportWeights(const QString& path, QString* error) {
    try {
        io::format_from_path(local(path));  // a bad extension fails before any work
        const nn::Model model = buildInitialisedModel();
        io::write_tensor_file(local(path), {model.state_dict(), false});
        statusBar()->showMessage(QString("Exported %1 weights to %2")
                                     .arg(weights() ? m_project->weightsOrigin() : "freshly initialised", QDir::toNativeSeparators(path)),
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
        const train::TrainSetup& setup = m_project->setup();
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
        m_project->setWeights(model.state_dict(), "imported from " + QFileInfo(path).fileName());
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
    const QString path = QFileDialog::getSaveFileName(this, "Export weights", QDir(lastFolder("weights")).filePath(base + ".pth"),
                                                      "PyTorch state_dict (*.pth);;safetensors (*.safetensors)");
    if (path.isEmpty()) return;
    rememberFolder("weights", path);
    QString error;
    if (!exportWeights(path, &error)) showError("Export weights", error);
}

void MainWindow::exportCodeWithDialog() {
    const QString path = QFileDialog::getSaveFileName(this, "Export PyTorch code (model.py; train.py beside it)",
                                                      QDir(lastFolder("code")).filePath("model.py"), "Python (*.py)");
    if (path.isEmpty()) return;
    rememberFolder("code", path);
    const QString trainPy = QFileInfo(path).dir().filePath("train.py");
    QString error;
    if (!exportPytorchCode(path, trainPy, &error)) showError("Export PyTorch code", error);
}

void MainWindow::importWeightsWithDialog() {
    const QString path = QFileDialog::getOpenFileName(this, "Import weights into the current model", lastFolder("weights"),
                                                      "Weights (*.pth *.pt *.bin *.safetensors);;All files (*)");
    if (path.isEmpty()) return;
    rememberFolder("weights", path);
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
