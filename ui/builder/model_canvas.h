// ModelCanvas: the model drawn as nested blocks, top to bottom (put it in a QScrollArea with
// widgetResizable). Click selects, Up/Down walk the nodes, Left/Right collapse and expand,
// Delete removes, Ctrl+C/X/V copy, cut and paste; drag a node to reorder it or to move it into
// another block, drop palette entries to insert them. Errors show in red on the node at fault.
#pragma once
#include "builder/canvas_layout.h"

#include <QWidget>

class QMimeData;

namespace nnstudio::ui {

class ModelDocument;
class NodeSelection;

class ModelCanvas : public QWidget {
    Q_OBJECT
public:
    ModelCanvas(ModelDocument* document, NodeSelection* selection, QWidget* parent = nullptr);

    // A layer's box or a block's frame in canvas coordinates; null when not shown (inside a
    // collapsed block, or no such node).
    QRect nodeRect(const NodePath& path) const;
    NodePath selectedPath() const;
    void setSelectedPath(const NodePath& path);
    bool isCollapsed(const NodePath& path) const { return m_collapsed.contains(path); }
    void setCollapsed(const NodePath& path, bool collapsed);

    QSize sizeHint() const override;

public slots:
    void deleteSelection();
    void copySelection();
    void cutSelection();
    void pasteAtSelection();

signals:
    void selectionChanged(const NodePath& path);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;
    bool event(QEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dragMoveEvent(QDragMoveEvent* event) override;
    void dragLeaveEvent(QDragLeaveEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void relayout();
    void moveSelection(int step);
    void ensureSelectionVisible();
    void startDrag(const NodePath& path);
    // The slot a drag at `pos` would drop into, or nullopt where it cannot go.
    std::optional<DropSlot> acceptableSlot(const QMimeData* mime, const QPoint& pos) const;

    ModelDocument* m_document;
    NodeSelection* m_selection;
    CanvasLayout m_layout;
    QSet<NodePath> m_collapsed;
    std::optional<DropSlot> m_dropSlot;
    std::optional<NodePath> m_pressedPath;
    QPoint m_pressPos;
};

}  // namespace nnstudio::ui
