// ProjectDocument: the project's state and its dirty flag; open/save through core's project file
// code, weights beside the project file.
#include "document/project_document.h"

#include "document/model_document.h"
#include "error.h"
#include "io/tensor_file.h"
#include "spec/model_builder.h"

#include <QDir>
#include <QFileInfo>
#include <QUndoStack>

namespace nnstudio::ui {
namespace {

std::string local(const QString& path) { return QDir::toNativeSeparators(path).toStdString(); }

// Where a project's weights live: "<project stem>.weights.pth" beside it.
QString weights_file_for(const QString& projectPath) {
    const QFileInfo info(projectPath);
    return info.dir().filePath(info.completeBaseName() + ".weights.pth");
}

// Same keys and shapes: weights trained for one model still fit the other.
bool same_layout(const StateDict& a, const StateDict& b) {
    if (a.size() != b.size()) return false;
    auto ia = a.entries().begin();
    for (const auto& [key, tensor] : b.entries()) {
        if (ia->first != key || ia->second.shape != tensor.shape) return false;
        ++ia;
    }
    return true;
}

}  // namespace

ProjectDocument::ProjectDocument(QObject* parent) : QObject(parent), m_model(new ModelDocument(this)) {
    connect(m_model, &ModelDocument::changed, this, &ProjectDocument::onModelChanged);
    connect(m_model->undoStack(), &QUndoStack::cleanChanged, this, &ProjectDocument::notifyModified);
}

bool ProjectDocument::isModified() const { return m_model->isModified() || m_modified; }

void ProjectDocument::setSetup(const train::TrainSetup& setup) {
    if (train::to_json(setup) == train::to_json(m_setup)) return;
    m_setup = setup;
    setModifiedFlag(true);
    emit setupChanged();
}

void ProjectDocument::addRun(const project::RunRecord& run) {
    m_runs.push_back(run);
    setModifiedFlag(true);
    emit runsChanged();
}

void ProjectDocument::setWeights(StateDict weights, const QString& origin) {
    m_weights = std::move(weights);
    m_weightsOrigin = origin;
    setModifiedFlag(true);
    emit weightsChanged();
}

void ProjectDocument::setFilePath(const QString& path) {
    if (path == m_filePath) return;
    m_filePath = path;
    emit filePathChanged();
}

void ProjectDocument::markModified() { setModifiedFlag(true); }

void ProjectDocument::reset(const project::Project& project, const QString& path, std::optional<StateDict> weights,
                            const QString& weightsOrigin) {
    emit aboutToBeReplaced();
    // The old weights go first: they are not checked against the new model (and not reported dropped).
    m_weights.reset();
    m_model->resetTo(project.model);
    m_setup = project.training;
    m_runs = project.runs;
    m_weights = std::move(weights);
    m_weightsOrigin = m_weights ? weightsOrigin : QString();
    m_filePath = path;
    m_modified = false;
    emit setupChanged();
    emit runsChanged();
    emit weightsChanged();
    emit filePathChanged();
    notifyModified();
}

QString ProjectDocument::open(const QString& path) {
    const project::Project p = project::load_project(local(path));
    std::optional<StateDict> weights;
    QString problem;
    if (!p.weights.empty()) {
        const QString weightsPath = QFileInfo(path).dir().filePath(QString::fromStdString(p.weights));
        try {
            weights = io::read_tensor_file(local(weightsPath)).tensors;
        } catch (const Error& e) {
            problem = QString::fromStdString(e.what());
        }
    }
    reset(p, QFileInfo(path).absoluteFilePath(), std::move(weights), "loaded with the project");
    return problem;
}

void ProjectDocument::save(const QString& path) {
    project::Project p = toProject();
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
    setFilePath(QFileInfo(path).absoluteFilePath());
    m_model->markSaved();
    setModifiedFlag(false);
}

project::Project ProjectDocument::toProject() const {
    project::Project p;
    p.model = m_model->spec();
    p.training = m_setup;
    p.runs = m_runs;
    return p;
}

void ProjectDocument::onModelChanged() {
    if (!m_weights) return;
    // Weights survive edits that keep the state_dict's layout (names, options like p or eps).
    try {
        if (same_layout(spec::build_model(m_model->spec()).state_dict(), *m_weights)) return;
    } catch (const Error&) {
        return;  // a model that does not build: keep the weights until it builds again
    }
    m_weights.reset();
    m_weightsOrigin.clear();
    emit weightsChanged();
    emit weightsDropped();
}

void ProjectDocument::setModifiedFlag(bool modified) {
    m_modified = modified;
    notifyModified();
}

void ProjectDocument::notifyModified() {
    const bool now = isModified();
    if (now == m_reportedModified) return;
    m_reportedModified = now;
    emit modifiedChanged(now);
}

}  // namespace nnstudio::ui
