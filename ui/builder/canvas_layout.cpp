// CanvasLayout: geometry of nodes and drop slots.
#include "builder/canvas_layout.h"

#include "document/model_document.h"

namespace nnstudio::ui {

CanvasLayout::CanvasLayout(const ModelDocument& document, const QSet<NodePath>& collapsed, int width,
                           const QFontMetrics& metrics)
    : m_document(&document), m_collapsed(&collapsed), m_metrics(&metrics) {
    const int innerWidth = std::max(width - 2 * kMargin, 240);
    m_input = QRect(kMargin, kMargin, innerWidth, kPillHeight);
    int y = place(document.spec().root, {}, kMargin, m_input.bottom() + 1 + kSpacing, innerWidth);
    m_output = QRect(kMargin, y + kSpacing, innerWidth, kPillHeight);
    m_height = m_output.bottom() + 1 + kMargin;
    m_document = nullptr;  // only valid while laying out
    m_collapsed = nullptr;
    m_metrics = nullptr;
}

int CanvasLayout::place(const spec::NodeSpec& node, const NodePath& path, int x, int y, int width) {
    const size_t index = m_items.size();
    m_items.push_back({});
    CanvasItem item;
    item.path = path;
    item.block = spec::is_container(node.type);
    item.acceptsDrops = acceptsChildren(node);
    int bottom = y;
    if (!item.block) {
        item.box = QRect(x, y, width, kLayerHeight);
        bottom = item.box.bottom() + 1;
    } else {
        item.box = QRect(x, y, width, kHeaderHeight);
        item.toggle = QRect(x + 6, y + (kHeaderHeight - 16) / 2, 16, 16);
        item.collapsed = m_collapsed->contains(path);
        bottom = item.box.bottom() + 1;
        if (!item.collapsed) {
            const bool residual = node.type == "Residual";
            const int left = x + (residual ? kSkipLane : kIndent);
            const int innerWidth = x + width - 10 - left;
            int cy = bottom + 6;
            const auto& children = childrenOf(node);
            if (children.empty()) {
                item.content = QRect(left, cy, innerWidth, 30);
                cy += 30 + kSpacing;
            } else {
                for (size_t i = 0; i < children.size(); ++i)
                    cy = place(children[i], NodePath(path) << static_cast<int>(i), left, cy, innerWidth) + kSpacing;
                item.content = QRect(left, bottom + 6, innerWidth, cy - kSpacing - bottom - 6);
            }
            if (residual) {
                item.addNode = QRect(x + width / 2 - 11, cy, 22, 22);
                cy = item.addNode.bottom() + 1 + kSpacing;
            }
            bottom = cy + 2;
        }
    }
    if (const QString error = m_document->errorAt(path); !error.isEmpty()) {
        const QRect available(x + 10, bottom + 4, width - 20, 1000);
        const QRect text = m_metrics->boundingRect(available, Qt::TextWordWrap, error);
        item.errorText = QRect(available.x(), available.y(), available.width(), text.height());
        bottom = item.errorText.bottom() + 1 + 6;
    }
    item.rect = QRect(x, y, width, bottom - y);
    m_items[index] = item;
    return bottom;
}

const CanvasItem* CanvasLayout::find(const NodePath& path) const {
    for (const CanvasItem& item : m_items)
        if (item.path == path) return &item;
    return nullptr;
}

std::optional<NodePath> CanvasLayout::nodeAt(const QPoint& point) const {
    std::optional<NodePath> found;
    for (const CanvasItem& item : m_items)  // pre-order: a later hit lies inside an earlier one
        if (item.rect.contains(point)) found = item.path;
    return found;
}

std::optional<DropSlot> CanvasLayout::dropSlotAt(const QPoint& point) const {
    // The innermost expanded block under the point that takes children.
    const CanvasItem* block = nullptr;
    for (const CanvasItem& item : m_items)
        if (item.acceptsDrops && !item.collapsed && item.rect.contains(point)) block = &item;
    if (!block) return std::nullopt;

    std::vector<const CanvasItem*> children;
    for (const CanvasItem& item : m_items)
        if (item.path.size() == block->path.size() + 1 && isWithin(item.path, block->path)) children.push_back(&item);
    DropSlot slot{block->path, 0, 0, block->content.left(), block->content.right()};
    if (children.empty()) {
        slot.y = block->content.center().y();
        return slot;
    }
    for (const CanvasItem* child : children)
        if (child->rect.center().y() < point.y()) ++slot.index;
    const int n = static_cast<int>(children.size());
    if (slot.index == 0) slot.y = children.front()->rect.top() - kSpacing / 2;
    else if (slot.index == n) slot.y = children.back()->rect.bottom() + kSpacing / 2;
    else slot.y = (children[slot.index - 1]->rect.bottom() + children[slot.index]->rect.top()) / 2;
    return slot;
}

}  // namespace nnstudio::ui
