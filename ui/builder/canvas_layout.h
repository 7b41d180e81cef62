// CanvasLayout: where every node of the model sits on the canvas, top to bottom. Layers are
// boxes; blocks are frames with a header around their children (a Residual leaves a lane on the
// left for its skip arrow and ends with the ⊕ node). Collapsed blocks show their header only.
#pragma once
#include "document/node_path.h"

#include <QFontMetrics>
#include <QRect>
#include <QSet>
#include <optional>
#include <vector>

namespace nnstudio::ui {

class ModelDocument;

struct CanvasItem {
    NodePath path;
    QRect rect;        // the whole node: a layer's box (+ its error), a block's frame (+ its error)
    QRect box;         // a layer's box; a block's header row
    QRect toggle;      // blocks: the collapse/expand triangle
    QRect content;     // expanded blocks: where the children are (or the empty-block hint)
    QRect addNode;     // expanded Residual: the ⊕ circle
    QRect errorText;   // under the node, when it has an error
    bool block = false;
    bool collapsed = false;
    bool acceptsDrops = false;  // a block that takes children (not a template ModuleList)
};

// Where a drop lands: index `index` among the children of `parent`; the indicator line is drawn
// at y from x0 to x1.
struct DropSlot {
    NodePath parent;
    int index = 0;
    int y = 0, x0 = 0, x1 = 0;
};

class CanvasLayout {
public:
    static constexpr int kMargin = 16;
    static constexpr int kLayerHeight = 46;
    static constexpr int kHeaderHeight = 32;
    static constexpr int kSpacing = 8;
    static constexpr int kSkipLane = 36;  // Residual: left lane of the skip arrow
    static constexpr int kIndent = 14;
    static constexpr int kPillHeight = 26;  // the model's Input and Output pills

    CanvasLayout() = default;
    CanvasLayout(const ModelDocument& document, const QSet<NodePath>& collapsed, int width,
                 const QFontMetrics& metrics);

    const std::vector<CanvasItem>& items() const { return m_items; }  // pre-order, root first
    const CanvasItem* find(const NodePath& path) const;
    // The innermost node under `point` (nullopt over empty space).
    std::optional<NodePath> nodeAt(const QPoint& point) const;
    // Where a drop at `point` would insert.
    std::optional<DropSlot> dropSlotAt(const QPoint& point) const;
    QRect inputPill() const { return m_input; }
    QRect outputPill() const { return m_output; }
    int height() const { return m_height; }

private:
    int place(const spec::NodeSpec& node, const NodePath& path, int x, int y, int width);

    const ModelDocument* m_document = nullptr;
    const QSet<NodePath>* m_collapsed = nullptr;
    const QFontMetrics* m_metrics = nullptr;
    std::vector<CanvasItem> m_items;
    QRect m_input, m_output;
    int m_height = 0;
};

}  // namespace nnstudio::ui
