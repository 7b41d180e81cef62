// ModelCanvas: input handling, selection, drag and drop; geometry in CanvasLayout, drawing in
// CanvasPainter.
#include "builder/model_canvas.h"

#include "builder/canvas_painter.h"
#include "builder/layer_catalog.h"
#include "document/model_document.h"
#include "document/node_json.h"
#include "document/node_selection.h"

#include <QApplication>
#include <QDrag>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMimeData>
#include <QPainter>
#include <QScrollArea>
#include <QToolTip>

namespace nnstudio::ui {
namespace {

// Marks a drag that started on this canvas: the path of the node being moved.
constexpr const char* kMovedPathMimeType = "application/x-nnstudio-node-path";

}  // namespace

ModelCanvas::ModelCanvas(ModelDocument* document, NodeSelection* selection, QWidget* parent)
    : QWidget(parent), m_document(document), m_selection(selection) {
    setObjectName("modelCanvas");
    setFocusPolicy(Qt::StrongFocus);
    setAcceptDrops(true);
    setAutoFillBackground(false);
    connect(m_document, &ModelDocument::changed, this, [this] {
        // Collapse state is kept by path; forget paths that no longer name a block.
        QSet<NodePath> stillBlocks;
        for (const NodePath& path : std::as_const(m_collapsed))
            if (const spec::NodeSpec* node = nodeAt(m_document->spec(), path); node && spec::is_container(node->type))
                stillBlocks.insert(path);
        m_collapsed = stillBlocks;
        relayout();
    });
    connect(m_document, &ModelDocument::readOnlyChanged, this, [this](bool readOnly) {
        setAcceptDrops(!readOnly);
        update();
    });
    connect(m_selection, &NodeSelection::pathChanged, this, [this](const NodePath& path) {
        update();
        ensureSelectionVisible();
        emit selectionChanged(path);
    });
    relayout();
}

QRect ModelCanvas::nodeRect(const NodePath& path) const {
    const CanvasItem* item = m_layout.find(path);
    return item ? item->rect : QRect();
}

NodePath ModelCanvas::selectedPath() const { return m_selection->path(); }

void ModelCanvas::setSelectedPath(const NodePath& path) { m_selection->setPath(path); }

void ModelCanvas::setCollapsed(const NodePath& path, bool collapsed) {
    const spec::NodeSpec* node = nodeAt(m_document->spec(), path);
    if (!node || !spec::is_container(node->type) || collapsed == m_collapsed.contains(path)) return;
    if (collapsed) m_collapsed.insert(path);
    else m_collapsed.remove(path);
    // A selection hidden inside the collapsed block moves to the block.
    if (collapsed && isWithin(selectedPath(), path)) setSelectedPath(path);
    relayout();
}

QSize ModelCanvas::sizeHint() const { return QSize(460, m_layout.height()); }

void ModelCanvas::relayout() {
    m_layout = CanvasLayout(*m_document, m_collapsed, width(), fontMetrics());
    setMinimumHeight(m_layout.height());
    updateGeometry();
    update();
}

void ModelCanvas::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    CanvasPainter(painter, *m_document, palette()).paint(m_layout, selectedPath(), m_dropSlot);
}

void ModelCanvas::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    if (event->size().width() != event->oldSize().width()) relayout();
}

void ModelCanvas::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::PaletteChange) relayout();
}

bool ModelCanvas::event(QEvent* event) {
    if (event->type() != QEvent::ToolTip) return QWidget::event(event);
    auto* help = static_cast<QHelpEvent*>(event);
    const auto path = m_layout.nodeAt(help->pos());
    const spec::NodeSpec* node = path ? nodeAt(m_document->spec(), *path) : nullptr;
    if (!node) {
        QToolTip::hideText();
        event->ignore();
        return true;
    }
    QString text = "<b>" + QString::fromStdString(node->type) + "</b>: " +
                   typeDescription(QString::fromStdString(node->type)).toHtmlEscaped();
    if (const QString error = m_document->errorAt(*path); !error.isEmpty())
        text += "<br><span style='color:#dc2626'>" + error.toHtmlEscaped() + "</span>";
    QToolTip::showText(help->globalPos(), text, this);
    return true;
}

void ModelCanvas::mousePressEvent(QMouseEvent* event) {
    setFocus(Qt::MouseFocusReason);
    if (event->button() != Qt::LeftButton) return;
    const QPoint pos = event->position().toPoint();
    const NodePath path = m_layout.nodeAt(pos).value_or(NodePath{});
    const CanvasItem* item = m_layout.find(path);
    if (item && item->block && item->toggle.adjusted(-4, -4, 4, 4).contains(pos)) {
        setCollapsed(path, !item->collapsed);
        return;
    }
    setSelectedPath(path);
    m_pressedPath = path;
    m_pressPos = pos;
}

void ModelCanvas::mouseMoveEvent(QMouseEvent* event) {
    if (!(event->buttons() & Qt::LeftButton) || !m_pressedPath || m_pressedPath->isEmpty()) return;
    if ((event->position().toPoint() - m_pressPos).manhattanLength() < QApplication::startDragDistance()) return;
    const NodePath path = *m_pressedPath;
    m_pressedPath.reset();
    if (!m_document->isReadOnly()) startDrag(path);
}

void ModelCanvas::mouseDoubleClickEvent(QMouseEvent* event) {
    const QPoint pos = event->position().toPoint();
    const auto path = m_layout.nodeAt(pos);
    const CanvasItem* item = path ? m_layout.find(*path) : nullptr;
    if (item && item->block && item->box.contains(pos)) setCollapsed(*path, !item->collapsed);
}

void ModelCanvas::keyPressEvent(QKeyEvent* event) {
    const CanvasItem* item = m_layout.find(selectedPath());
    if (event->matches(QKeySequence::Copy)) copySelection();
    else if (event->matches(QKeySequence::Cut)) cutSelection();
    else if (event->matches(QKeySequence::Paste)) pasteAtSelection();
    else if (event->key() == Qt::Key_Delete || event->key() == Qt::Key_Backspace) deleteSelection();
    else if (event->key() == Qt::Key_Up) moveSelection(-1);
    else if (event->key() == Qt::Key_Down) moveSelection(+1);
    else if (event->key() == Qt::Key_Home) setSelectedPath({});
    else if (event->key() == Qt::Key_Left && item && item->block && !item->collapsed) setCollapsed(item->path, true);
    else if (event->key() == Qt::Key_Left && !selectedPath().isEmpty()) setSelectedPath(*parentPath(selectedPath()));
    else if (event->key() == Qt::Key_Right && item && item->collapsed) setCollapsed(item->path, false);
    else QWidget::keyPressEvent(event);
}

void ModelCanvas::moveSelection(int step) {
    const auto& items = m_layout.items();
    const auto current = std::find_if(items.begin(), items.end(),
                                      [&](const CanvasItem& item) { return item.path == selectedPath(); });
    if (current == items.end()) return;
    const auto index = std::clamp<qsizetype>(current - items.begin() + step, 0, std::ssize(items) - 1);
    setSelectedPath(items[static_cast<size_t>(index)].path);
}

void ModelCanvas::ensureSelectionVisible() {
    const CanvasItem* item = m_layout.find(selectedPath());
    if (!item) return;
    for (QWidget* w = parentWidget(); w; w = w->parentWidget()) {
        if (auto* area = qobject_cast<QScrollArea*>(w)) {
            const QPoint center = item->box.center();
            area->ensureVisible(center.x(), center.y(), 50, item->box.height());
            return;
        }
    }
}

void ModelCanvas::deleteSelection() {
    if (!selectedPath().isEmpty()) m_document->removeNode(selectedPath());
}

void ModelCanvas::copySelection() { m_document->copyNode(selectedPath()); }

void ModelCanvas::cutSelection() { m_document->cutNode(selectedPath()); }

void ModelCanvas::pasteAtSelection() {
    if (const auto pasted = m_document->paste(selectedPath())) setSelectedPath(*pasted);
}

void ModelCanvas::startDrag(const NodePath& path) {
    const spec::NodeSpec* node = nodeAt(m_document->spec(), path);
    const CanvasItem* item = m_layout.find(path);
    if (!node || !item) return;
    QMimeData* mime = nodeMimeData(*node);
    mime->setData(kMovedPathMimeType, pathToString(path).toUtf8());
    auto* drag = new QDrag(this);
    drag->setMimeData(mime);
    const QRect shown = item->box;
    QPixmap pixmap = grab(shown);
    QPixmap faded(pixmap.size());
    faded.setDevicePixelRatio(pixmap.devicePixelRatio());
    faded.fill(Qt::transparent);
    QPainter painter(&faded);
    painter.setOpacity(0.7);
    painter.drawPixmap(0, 0, pixmap);
    painter.end();
    drag->setPixmap(faded);
    drag->setHotSpot(m_pressPos - shown.topLeft());
    drag->exec(Qt::MoveAction | Qt::CopyAction, Qt::MoveAction);
}

std::optional<DropSlot> ModelCanvas::acceptableSlot(const QMimeData* mime, const QPoint& pos) const {
    if (m_document->isReadOnly() || !mime->hasFormat(kNodeMimeType)) return std::nullopt;
    const auto slot = m_layout.dropSlotAt(pos);
    if (!slot) return std::nullopt;
    if (mime->hasFormat(kMovedPathMimeType)) {
        const auto moved = pathFromString(QString::fromUtf8(mime->data(kMovedPathMimeType)));
        if (moved && isWithin(slot->parent, *moved)) return std::nullopt;  // into itself
    }
    return slot;
}

void ModelCanvas::dragEnterEvent(QDragEnterEvent* event) {
    if (!m_document->isReadOnly() && event->mimeData()->hasFormat(kNodeMimeType)) event->acceptProposedAction();
}

void ModelCanvas::dragMoveEvent(QDragMoveEvent* event) {
    m_dropSlot = acceptableSlot(event->mimeData(), event->position().toPoint());
    if (m_dropSlot) {
        const bool move = event->source() == this && event->mimeData()->hasFormat(kMovedPathMimeType) &&
                          !(event->modifiers() & Qt::ControlModifier);
        event->setDropAction(move ? Qt::MoveAction : Qt::CopyAction);
        event->accept();
    } else {
        event->ignore();
    }
    update();
}

void ModelCanvas::dragLeaveEvent(QDragLeaveEvent*) {
    m_dropSlot.reset();
    update();
}

void ModelCanvas::dropEvent(QDropEvent* event) {
    const auto slot = acceptableSlot(event->mimeData(), event->position().toPoint());
    m_dropSlot.reset();
    update();
    if (!slot) return event->ignore();
    const QMimeData* mime = event->mimeData();
    const bool move = event->source() == this && mime->hasFormat(kMovedPathMimeType) &&
                      !(event->modifiers() & Qt::ControlModifier);
    if (move) {
        const auto from = pathFromString(QString::fromUtf8(mime->data(kMovedPathMimeType)));
        NodePath movedTo;
        if (from && m_document->moveNode(*from, slot->parent, slot->index, nullptr, &movedTo)) setSelectedPath(movedTo);
        event->setDropAction(Qt::MoveAction);
    } else {
        QString error;
        try {
            const spec::NodeSpec node = nodeFromJson(nodeJsonFromMime(mime), m_document->spec());
            if (const auto inserted = m_document->insertRenamed(slot->parent, slot->index, node, &error))
                setSelectedPath(*inserted);
        } catch (const std::exception& e) {
            emit m_document->editRefused(QString::fromUtf8(e.what()));
        }
        event->setDropAction(Qt::CopyAction);
    }
    event->accept();
}

}  // namespace nnstudio::ui
