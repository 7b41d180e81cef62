// NodeInspector: the selected node's properties, each change an immediate undoable edit — name,
// the type's options (Linear out_features and bias, Dropout p, BatchNorm1d eps/momentum/affine/
// track_running_stats, ...; a Residual's after_add and skip path), the `when` flag, a ModuleList's repeat count, a block's kind, a
// Linear's own initializer. With the model itself selected (nothing in it): model name, input
// shape and default initializer. Errors of the node show in red at the bottom.
#pragma once
#include "document/node_path.h"

#include <QWidget>
#include <functional>
#include <nlohmann/json.hpp>

class QFormLayout;
class QLabel;

namespace nnstudio::ui {

class ModelDocument;
class NodeSelection;
class OptionBinder;

class NodeInspector : public QWidget {
    Q_OBJECT
public:
    NodeInspector(ModelDocument* document, NodeSelection* selection, QWidget* parent = nullptr);

    // The last refusal of an edit made here ("" when the last edit went through).
    QString message() const;

private:
    void onDocumentChanged();
    void rebuild();
    void refresh();
    // What the form's rows depend on: when it changes, the form is rebuilt, else only refreshed.
    QString structureKey() const;
    void buildModelRows();
    void buildNodeRows(const spec::NodeSpec& node);
    void addWhenRow(const spec::NodeSpec& node);
    void addContainerTypeRow(const spec::NodeSpec& node);
    void addRepeatRow();
    void addInitRow(const QString& objectName, const QString& label, const QString& noSchemeLabel,
                    std::function<nlohmann::json()> current, std::function<bool(const nlohmann::json&, QString*)> apply);
    void report(const QString& error);

    ModelDocument* m_document;
    NodeSelection* m_selection;
    QLabel* m_title;
    QLabel* m_description;
    QWidget* m_body = nullptr;
    QFormLayout* m_form = nullptr;
    QLabel* m_message;  // refused edits
    QLabel* m_error;    // the node's (or model's) validation error
    OptionBinder* m_options = nullptr;  // owned by m_body
    QList<std::function<void()>> m_refreshers;
    QString m_structure;
    NodePath m_path;
};

}  // namespace nnstudio::ui
