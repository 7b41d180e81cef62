// SpecEditCommand: restores whole-model snapshots.
#include "document/spec_edit_command.h"

#include "document/model_document.h"

namespace nnstudio::ui {
namespace {

constexpr int kMergeableEditId = 0x4e4e5344;  // "NNSD"

bool sameModel(const spec::ModelSpec& a, const spec::ModelSpec& b) {
    return spec::to_json(a) == spec::to_json(b);
}

}  // namespace

SpecEditCommand::SpecEditCommand(ModelDocument* document, const QString& text, spec::ModelSpec before,
                                 spec::ModelSpec after, QString mergeKey)
    : QUndoCommand(text),
      m_document(document),
      m_before(std::move(before)),
      m_after(std::move(after)),
      m_mergeKey(std::move(mergeKey)) {}

void SpecEditCommand::undo() { m_document->replaceSpec(m_before); }

void SpecEditCommand::redo() { m_document->replaceSpec(m_after); }

int SpecEditCommand::id() const { return m_mergeKey.isEmpty() ? -1 : kMergeableEditId; }

bool SpecEditCommand::mergeWith(const QUndoCommand* other) {
    const auto* next = dynamic_cast<const SpecEditCommand*>(other);
    if (!next || next->m_mergeKey != m_mergeKey || next->m_document != m_document) return false;
    m_after = next->m_after;
    setObsolete(sameModel(m_before, m_after));  // typed back to where it started: nothing to undo
    return true;
}

}  // namespace nnstudio::ui
