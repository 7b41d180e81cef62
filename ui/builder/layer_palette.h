// LayerPalette: every layer type and block, searchable, grouped Layers / Activations / Blocks.
// Drag one onto the canvas, or double-click / press Enter to insert it at the selection.
#pragma once
#include <QWidget>

class QLineEdit;
class QTreeWidget;
class QTreeWidgetItem;

namespace nnstudio::ui {

class ModelDocument;
class NodeSelection;

class LayerPalette : public QWidget {
    Q_OBJECT
public:
    LayerPalette(ModelDocument* document, NodeSelection* selection, QWidget* parent = nullptr);

    // Inserts a new node of `type` at the selection and selects it (double-click / Enter).
    bool insertType(const QString& type, QString* error = nullptr);
    // Types shown under the current filter, in order.
    QStringList visibleTypes() const;

private:
    void applyFilter(const QString& text);
    void insertFirstVisible();

    ModelDocument* m_document;
    NodeSelection* m_selection;
    QLineEdit* m_filter;
    QTreeWidget* m_tree;
};

}  // namespace nnstudio::ui
