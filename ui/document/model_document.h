// ModelDocument: the model being edited (a spec::ModelSpec), every edit as an undoable command,
// and the validation of the result (errors mapped to the node at fault, inferred shapes). The
// canvas, inspector, palette and summary all read it and redraw on changed().
#pragma once
#include "document/model_validation.h"
#include "document/node_path.h"

#include <QObject>
#include <QUndoStack>
#include <nlohmann/json.hpp>
#include <optional>

class QAction;

namespace nnstudio::ui {

class ModelDocument : public QObject {
    Q_OBJECT
public:
    explicit ModelDocument(QObject* parent = nullptr);  // starts as emptyModel()

    // "Model", input (784), an empty Sequential: what File > New shows.
    static spec::ModelSpec emptyModel();

    const spec::ModelSpec& spec() const { return m_spec; }
    // Replaces the model and clears the undo history (New, Open, Examples).
    void resetTo(const spec::ModelSpec& model);
    QUndoStack* undoStack() { return &m_undoStack; }
    // Undo/Redo actions that are also disabled while the document is read-only.
    QAction* undoAction() const { return m_undoAction; }
    QAction* redoAction() const { return m_redoAction; }
    bool isModified() const { return !m_undoStack.isClean(); }
    void markSaved() { m_undoStack.setClean(); }

    // While training runs the model is read-only: every edit is refused with a message.
    void setReadOnly(bool readOnly);
    bool isReadOnly() const { return m_readOnly; }

    // Edits. Each one is one undoable command; an edit that cannot be made changes nothing,
    // returns false, fills `error` (when given) and emits editRefused().
    // `index` is the position among the parent's children (NodePath's convention).
    bool insertNode(const NodePath& parent, int index, const spec::NodeSpec& node, QString* error = nullptr);
    bool removeNode(const NodePath& path, QString* error = nullptr);
    // `index` is the gap in the destination as it is now, before the node leaves its place
    // (what a drop indicator shows): moving {0} to ({}, 2) puts it between today's 1 and 2.
    // `movedTo` receives the node's path after the move.
    bool moveNode(const NodePath& from, const NodePath& toParent, int index, QString* error = nullptr,
                  NodePath* movedTo = nullptr);
    bool setNodeName(const NodePath& path, const QString& name, QString* error = nullptr);  // "" = unnamed
    // A type-specific key (out_features, p, init, after_add...); null removes it (PyTorch's default).
    bool setNodeOption(const NodePath& path, const QString& key, const nlohmann::json& value,
                       QString* error = nullptr);
    // Sets the option to JSON null, Python's None (BatchNorm1d momentum=None: cumulative average).
    bool setNodeOptionToNone(const NodePath& path, const QString& key, QString* error = nullptr);
    bool setNodeWhen(const NodePath& path, const QString& when, QString* error = nullptr);  // "flag", "!flag", ""
    bool setRepeat(const NodePath& path, int64_t copies, QString* error = nullptr);  // template ModuleList
    // Sequential, Residual and ModuleList (explicit children) convert into one another, children kept.
    bool convertContainer(const NodePath& path, const QString& type, QString* error = nullptr);
    bool setFlagDefault(const QString& name, bool value, QString* error = nullptr);
    bool addFlag(const QString& name, bool defaultValue, QString* error = nullptr);
    // Also drops the flag from every `when` that names it (one undoable step).
    bool removeFlag(const QString& name, QString* error = nullptr);
    bool setModelName(const QString& name, QString* error = nullptr);
    bool setInputShape(const Shape& shape, QString* error = nullptr);
    // The model's default initializer ({"scheme": ...}); null: PyTorch's nn.Linear default.
    bool setDefaultInit(const nlohmann::json& scheme, QString* error = nullptr);
    // Replaces the whole model as one undoable step (e.g. a pitfall fix computed on the spec).
    bool applySpec(const spec::ModelSpec& model, const QString& undoText, QString* error = nullptr);

    // Where "insert at the selection" puts a node: into a selected block that takes children
    // (as its last child), otherwise right after the selected node.
    struct InsertionPoint {
        NodePath parent;
        int index = 0;
    };
    InsertionPoint insertionPointAt(const NodePath& selection) const;
    // insertNode, except that a name already taken there gets a numbered suffix (fc1 -> fc1_2),
    // as drops and pastes need. Returns the new node's path.
    std::optional<NodePath> insertRenamed(const NodePath& parent, int index, spec::NodeSpec node,
                                          QString* error = nullptr);
    // insertRenamed at insertionPointAt(selection).
    std::optional<NodePath> insertAtSelection(const NodePath& selection, spec::NodeSpec node,
                                              QString* error = nullptr);

    // Clipboard (QGuiApplication::clipboard(), MIME kNodeMimeType): a subtree as JSON.
    bool copyNode(const NodePath& path, QString* error = nullptr);
    bool cutNode(const NodePath& path, QString* error = nullptr);
    // Pastes at insertionPointAt(selection); returns the pasted node's path.
    std::optional<NodePath> paste(const NodePath& selection, QString* error = nullptr);

    // Validation of the current model (with the flags' defaults).
    QString errorAt(const NodePath& path) const { return m_validation.nodeErrors.value(path); }
    QMap<NodePath, QString> nodeErrors() const { return m_validation.nodeErrors; }
    QString modelError() const { return m_validation.modelError; }
    bool isValid() const { return m_validation.ok(); }
    // One line for a status bar: the model's error, or the first node's as "name (Type): reason".
    QString firstError() const;
    // Output shape and parameters of a node that exists; nullopt for one switched off by a flag
    // (or when the model does not build).
    std::optional<NodeFacts> factsAt(const NodePath& path) const;
    // False when the node's `when` is off with the flags' defaults (it would not exist).
    bool isPresent(const NodePath& path) const;

signals:
    void changed();  // after every edit, undo, redo and reset
    void readOnlyChanged(bool readOnly);
    void modifiedChanged(bool modified);
    void editRefused(const QString& message);

private:
    friend class SpecEditCommand;
    void replaceSpec(const spec::ModelSpec& model);  // the commands' way in
    // Pushes the edit from m_spec to `after`; `mergeKey` merges consecutive edits of one property.
    bool commit(const QString& text, spec::ModelSpec after, const QString& mergeKey = {});
    bool refuse(const QString& message, QString* error);
    bool refuseWhenReadOnly(QString* error);
    // nullopt removes the key.
    bool editOption(const NodePath& path, const QString& key, const std::optional<nlohmann::json>& value,
                    QString* error);
    void updateUndoActions();

    spec::ModelSpec m_spec;
    ValidationResult m_validation;
    QUndoStack m_undoStack;
    QAction* m_undoAction = nullptr;
    QAction* m_redoAction = nullptr;
    bool m_readOnly = false;
};

}  // namespace nnstudio::ui
