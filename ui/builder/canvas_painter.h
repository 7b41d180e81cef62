// CanvasPainter: draws a CanvasLayout — layer boxes tinted by category, block frames with their
// headers, a Residual's skip arrow into its ⊕ node, `when` tags (greyed when the flag is off),
// red borders and messages on nodes with errors, and the drop indicator.
#pragma once
#include "builder/canvas_layout.h"

#include <QPainter>
#include <QPalette>

namespace nnstudio::ui {

class CanvasPainter {
public:
    CanvasPainter(QPainter& painter, const ModelDocument& document, const QPalette& palette);

    void paint(const CanvasLayout& layout, const NodePath& selected, const std::optional<DropSlot>& drop);

    static QColor errorColor() { return QColor(0xdc, 0x26, 0x26); }

private:
    static QString tr(const char* text);
    void paintPill(const QRect& rect, const QString& label, const QString& value);
    void paintLayer(const CanvasItem& item, const spec::NodeSpec& node);
    void paintBlock(const CanvasItem& item, const spec::NodeSpec& node);
    void paintResidualFlow(const CanvasItem& item, const spec::NodeSpec& node);
    void paintOutline(const CanvasItem& item, bool selected);
    void paintDropSlot(const DropSlot& slot);
    // Draws the node's `when` tag right-aligned in `row`; returns the x where it starts.
    int paintWhenTag(const QRect& row, const spec::NodeSpec& node, bool present);
    // "out (256) · 33,024 params", or why the node is not built.
    QString factsText(const NodePath& path, const spec::NodeSpec& node) const;
    void paintArrowHead(const QPointF& tip, const QPointF& from, const QColor& color);

    QPainter& m_painter;
    const ModelDocument& m_document;
    QPalette m_palette;
    QColor m_base, m_text, m_muted;
};

}  // namespace nnstudio::ui
