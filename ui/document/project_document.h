// ProjectDocument: the open project — the model (a ModelDocument, with undo), its training setup,
// the runs made from it, the current weights and where they came from, the file it lives in and
// whether it has unsaved changes. The window, its docks and the files all read and edit this one
// object; reading and writing go through core's project::load_project / save_project, the same
// code the CLI reads a .nnsproj with.
#pragma once
#include "project/project.h"
#include "tensor/typed_tensor.h"

#include <QObject>
#include <QString>
#include <optional>
#include <vector>

namespace nnstudio::ui {

class ModelDocument;

class ProjectDocument : public QObject {
    Q_OBJECT
public:
    explicit ProjectDocument(QObject* parent = nullptr);  // untitled, ModelDocument::emptyModel()

    ModelDocument* model() const { return m_model; }
    const train::TrainSetup& setup() const { return m_setup; }
    const std::vector<project::RunRecord>& runs() const { return m_runs; }
    // The current weights (a state_dict of the model's layout), or none: a fresh initialisation.
    const std::optional<StateDict>& weights() const { return m_weights; }
    const QString& weightsOrigin() const { return m_weightsOrigin; }  // e.g. "trained in <run>"
    const QString& filePath() const { return m_filePath; }            // absolute; "" = untitled
    // Unsaved changes: the model's undo stack is not clean, or the setup, runs or weights changed.
    bool isModified() const;

    // Edits. Each marks the project modified and emits its signal once; an unchanged setup emits nothing.
    void setSetup(const train::TrainSetup& setup);
    void addRun(const project::RunRecord& run);
    void setWeights(StateDict weights, const QString& origin);
    // The project belongs to `path` now (a recovered autosave names its original file).
    void setFilePath(const QString& path);
    void markModified();  // e.g. recovered work that was never saved

    // Replaces the whole project (New, an example, Open). `path` "" = untitled; unmodified after.
    void reset(const project::Project& project, const QString& path = {}, std::optional<StateDict> weights = {},
               const QString& weightsOrigin = {});
    // Reads a project (.nnsproj) or a model file (.json) through project::load_project, and the
    // weights file a project names (relative to it). Throws Error (naming the file and the JSON path)
    // when the file cannot be read, and then changes nothing; weights that cannot be read leave the
    // project open without them, and the reason is returned ("" when all was read).
    QString open(const QString& path);
    // Writes the project through project::save_project, its weights (if any) as
    // "<stem>.weights.pth" beside it; a ".json" path gets the model file only (model + training
    // setup, project::model_with_training). Atomic; throws Error and then changes nothing.
    void save(const QString& path);

    // What save() writes, without the weights file's name (also what autosave writes).
    project::Project toProject() const;

signals:
    // reset() is about to replace the whole project: views of the old one clear themselves now.
    void aboutToBeReplaced();
    void setupChanged();
    void runsChanged();
    void weightsChanged();
    // Edits to the model made the current weights no longer fit (other names or shapes): they were dropped.
    void weightsDropped();
    void filePathChanged();
    void modifiedChanged(bool modified);

private:
    void onModelChanged();
    void setModifiedFlag(bool modified);
    void notifyModified();

    ModelDocument* m_model;
    train::TrainSetup m_setup;
    std::vector<project::RunRecord> m_runs;
    std::optional<StateDict> m_weights;
    QString m_weightsOrigin;
    QString m_filePath;
    bool m_modified = false;         // setup, runs or weights edits (the model's edits are in its undo stack)
    bool m_reportedModified = false;  // what modifiedChanged said last
};

}  // namespace nnstudio::ui
