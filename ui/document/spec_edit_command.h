// SpecEditCommand: one undoable edit of a ModelDocument, kept as the model before and after it
// (a model is a few kilobytes of text-like data, so whole snapshots are the simplest correct
// undo). Consecutive edits with the same merge key (e.g. typing in one spin box) merge.
#pragma once
#include "spec/model_spec.h"

#include <QString>
#include <QUndoCommand>

namespace nnstudio::ui {

class ModelDocument;

class SpecEditCommand : public QUndoCommand {
public:
    // `mergeKey` empty: never merges.
    SpecEditCommand(ModelDocument* document, const QString& text, spec::ModelSpec before, spec::ModelSpec after,
                    QString mergeKey);

    void undo() override;
    void redo() override;
    int id() const override;
    bool mergeWith(const QUndoCommand* other) override;

private:
    ModelDocument* m_document;
    spec::ModelSpec m_before;
    spec::ModelSpec m_after;
    QString m_mergeKey;
};

}  // namespace nnstudio::ui
