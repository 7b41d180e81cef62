// CanvasPainter: palette-aware drawing of the model.
#include "builder/canvas_painter.h"

#include "builder/layer_catalog.h"
#include "builder/node_label.h"
#include "document/model_document.h"

#include <QCoreApplication>
#include <QPainterPath>
#include <cmath>

namespace nnstudio::ui {
namespace {

QColor blend(const QColor& a, const QColor& b, double t) {
    return QColor::fromRgbF(static_cast<float>(a.redF() * (1 - t) + b.redF() * t),
                            static_cast<float>(a.greenF() * (1 - t) + b.greenF() * t),
                            static_cast<float>(a.blueF() * (1 - t) + b.blueF() * t));
}

constexpr double kRadius = 7;

}  // namespace

CanvasPainter::CanvasPainter(QPainter& painter, const ModelDocument& document, const QPalette& palette)
    : m_painter(painter), m_document(document), m_palette(palette), m_base(palette.color(QPalette::Base)),
      m_text(palette.color(QPalette::Text)), m_muted(blend(m_text, m_base, 0.45)) {}

void CanvasPainter::paint(const CanvasLayout& layout, const NodePath& selected, const std::optional<DropSlot>& drop) {
    m_painter.setRenderHint(QPainter::Antialiasing);
    m_painter.fillRect(m_painter.viewport(), m_palette.color(QPalette::Window));
    paintPill(layout.inputPill(), tr("Input"), shapeText(m_document.spec().input_shape));
    const auto rootFacts = m_document.factsAt({});
    paintPill(layout.outputPill(), tr("Output"), rootFacts ? shapeText(rootFacts->outputShape) : QString("?"));

    for (const CanvasItem& item : layout.items()) {
        const spec::NodeSpec* node = nodeAt(m_document.spec(), item.path);
        if (!node) continue;
        const bool present = m_document.isPresent(item.path);
        m_painter.save();
        if (!present) m_painter.setOpacity(0.5);
        if (item.block) paintBlock(item, *node);
        else paintLayer(item, *node);
        m_painter.restore();
    }
    // Outlines last, so a selected or failing block's frame is not covered by its children.
    for (const CanvasItem& item : layout.items()) paintOutline(item, item.path == selected);
    if (drop) paintDropSlot(*drop);
}

QString CanvasPainter::tr(const char* text) { return QCoreApplication::translate("CanvasPainter", text); }

void CanvasPainter::paintPill(const QRect& rect, const QString& label, const QString& value) {
    m_painter.setPen(QPen(blend(m_base, m_text, 0.25), 1));
    m_painter.setBrush(blend(m_base, m_text, 0.06));
    m_painter.drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), rect.height() / 2.0, rect.height() / 2.0);
    QFont bold = m_painter.font();
    bold.setBold(true);
    m_painter.setFont(bold);
    m_painter.setPen(m_text);
    const QRect text = rect.adjusted(14, 0, -14, 0);
    m_painter.drawText(text, Qt::AlignVCenter | Qt::AlignLeft, label);
    m_painter.setFont(QFont(m_painter.font().family(), m_painter.font().pointSize()));
    m_painter.setPen(m_muted);
    m_painter.drawText(text, Qt::AlignVCenter | Qt::AlignRight, value);
}

void CanvasPainter::paintLayer(const CanvasItem& item, const spec::NodeSpec& node) {
    const QColor accent = categoryColor(categoryOf(QString::fromStdString(node.type)));
    const QRectF box = QRectF(item.box).adjusted(0.5, 0.5, -0.5, -0.5);
    m_painter.setPen(QPen(blend(m_base, accent, 0.55), 1));
    m_painter.setBrush(blend(m_base, accent, 0.10));
    m_painter.drawRoundedRect(box, kRadius, kRadius);
    // The category's accent bar on the left edge.
    QPainterPath bar;
    bar.addRoundedRect(QRectF(box.left(), box.top(), 10, box.height()), kRadius, kRadius);
    QPainterPath clip;
    clip.addRect(QRectF(box.left(), box.top(), 5, box.height()));
    m_painter.fillPath(bar.intersected(clip), accent);

    const bool present = m_document.isPresent(item.path);
    const QRect row1(item.box.left() + 16, item.box.top() + 6, item.box.width() - 26, 18);
    const QRect row2(row1.left(), row1.bottom() + 3, row1.width(), 16);
    const int tagLeft = paintWhenTag(row1, node, present);

    QFont font = m_painter.font();
    QFont bold = font;
    bold.setBold(true);
    m_painter.setFont(bold);
    m_painter.setPen(m_text);
    const QString type = QString::fromStdString(node.type);
    m_painter.drawText(row1, Qt::AlignVCenter | Qt::AlignLeft, type);
    int x = row1.left() + QFontMetrics(bold).horizontalAdvance(type) + 10;
    m_painter.setFont(font);
    const QFontMetrics metrics(font);
    const QString rest = (node.name.empty() ? QString() : QString::fromStdString(node.name) + "   ") +
                         hyperparameterText(node);
    m_painter.drawText(QRect(x, row1.top(), std::max(0, tagLeft - 8 - x), row1.height()),
                       Qt::AlignVCenter | Qt::AlignLeft, metrics.elidedText(rest, Qt::ElideRight, tagLeft - 8 - x));

    QFont small = font;
    small.setPointSizeF(font.pointSizeF() * 0.88);
    m_painter.setFont(small);
    m_painter.setPen(m_muted);
    m_painter.drawText(row2, Qt::AlignVCenter | Qt::AlignLeft,
                       QFontMetrics(small).elidedText(factsText(item.path, node), Qt::ElideRight, row2.width()));
    m_painter.setFont(font);
}

void CanvasPainter::paintBlock(const CanvasItem& item, const spec::NodeSpec& node) {
    const QString type = QString::fromStdString(node.type);
    const QColor accent = categoryColor(LayerCategory::Block);
    const QRectF frame = QRectF(item.rect.left(), item.rect.top(), item.rect.width(),
                                (item.errorText.isValid() ? item.errorText.top() - 4 : item.rect.bottom() + 1) -
                                    item.rect.top())
                             .adjusted(0.5, 0.5, -0.5, -0.5);
    m_painter.setPen(QPen(blend(m_base, accent, 0.45), 1));
    m_painter.setBrush(blend(m_palette.color(QPalette::Window), accent, 0.05));
    m_painter.drawRoundedRect(frame, kRadius + 2, kRadius + 2);
    // Header band.
    QPainterPath header;
    header.addRoundedRect(QRectF(item.box).adjusted(0.5, 0.5, -0.5, 0), kRadius + 2, kRadius + 2);
    if (!item.collapsed) {
        QPainterPath square;
        square.addRect(QRectF(item.box.left(), item.box.center().y(), item.box.width(), item.box.height() / 2.0));
        header = header.united(square);
    }
    m_painter.fillPath(header, blend(m_base, accent, 0.16));

    // Collapse triangle.
    m_painter.setPen(Qt::NoPen);
    m_painter.setBrush(m_muted);
    const QPointF c = QRectF(item.toggle).center();
    QPolygonF triangle;
    if (item.collapsed) triangle << c + QPointF(-3, -5) << c + QPointF(-3, 5) << c + QPointF(5, 0);
    else triangle << c + QPointF(-5, -3) << c + QPointF(5, -3) << c + QPointF(0, 5);
    m_painter.drawPolygon(triangle);

    const bool present = m_document.isPresent(item.path);
    const QRect row(item.toggle.right() + 8, item.box.top(), item.box.right() - item.toggle.right() - 16,
                    item.box.height());
    int right = paintWhenTag(row.adjusted(0, 7, 0, -7), node, present);
    QFont font = m_painter.font();
    QFont small = font;
    small.setPointSizeF(font.pointSizeF() * 0.88);
    const QString facts = factsText(item.path, node);
    m_painter.setFont(small);
    m_painter.setPen(m_muted);
    const int factsWidth = QFontMetrics(small).horizontalAdvance(facts);
    if (factsWidth < (right - row.left()) / 2) {
        m_painter.drawText(QRect(right - factsWidth - 10, row.top(), factsWidth, row.height()), Qt::AlignVCenter, facts);
        right -= factsWidth + 20;
    }

    // Title: the model name for the root, else type, name, ×N, "template".
    QStringList words;
    const bool isTemplate = !item.path.isEmpty() &&
                            isTemplateList(*nodeAt(m_document.spec(), *parentPath(item.path)));
    QString title = item.path.isEmpty() ? QString::fromStdString(m_document.spec().name) : type;
    if (item.path.isEmpty()) words << type;
    if (!node.name.empty()) words << QString::fromStdString(node.name);
    if (isTemplateList(node)) words << QString("× %1").arg(node.repeat);
    if (isTemplate) words << tr("template");
    if (const QString h = hyperparameterText(node); !h.isEmpty()) words << h;
    if (item.collapsed) words << QString("(%1 inside)").arg(childrenOf(node).size());
    QFont bold = font;
    bold.setBold(true);
    m_painter.setFont(bold);
    m_painter.setPen(m_text);
    m_painter.drawText(row, Qt::AlignVCenter | Qt::AlignLeft, title);
    const int x = row.left() + QFontMetrics(bold).horizontalAdvance(title) + 10;
    m_painter.setFont(font);
    m_painter.setPen(m_muted);
    m_painter.drawText(QRect(x, row.top(), std::max(0, right - 8 - x), row.height()), Qt::AlignVCenter,
                       QFontMetrics(font).elidedText(words.join("   "), Qt::ElideRight, right - 8 - x));

    if (!item.collapsed && childrenOf(node).empty()) {
        m_painter.setPen(QPen(m_muted, 1, Qt::DashLine));
        m_painter.setBrush(Qt::NoBrush);
        m_painter.drawRoundedRect(QRectF(item.content).adjusted(0.5, 0.5, -0.5, -0.5), kRadius, kRadius);
        m_painter.drawText(item.content, Qt::AlignCenter,
                           acceptsChildren(node) ? tr("Drop layers here") : tr("(empty)"));
    }
    if (!item.collapsed && node.type == "Residual") paintResidualFlow(item, node);
}

void CanvasPainter::paintResidualFlow(const CanvasItem& item, const spec::NodeSpec& node) {
    const QColor accent = categoryColor(LayerCategory::Block);
    const QPointF add = QRectF(item.addNode).center();
    const double r = item.addNode.width() / 2.0;

    // Skip connection: from the block's input (under the header) down the left lane into ⊕.
    const double laneX = item.rect.left() + CanvasLayout::kSkipLane / 2.0;
    QPainterPath skip;
    skip.moveTo(laneX, item.box.bottom() + 4);
    skip.lineTo(laneX, add.y() - 16);
    skip.quadTo(laneX, add.y(), laneX + 16, add.y());
    skip.lineTo(add.x() - r - 2, add.y());
    const bool projected = node.options.contains("projection");
    m_painter.setPen(QPen(accent, 2, projected ? Qt::DashLine : Qt::SolidLine, Qt::RoundCap));
    m_painter.setBrush(Qt::NoBrush);
    m_painter.drawPath(skip);
    paintArrowHead(QPointF(add.x() - r - 1, add.y()), QPointF(add.x() - r - 12, add.y()), accent);
    QFont small = m_painter.font();
    small.setPointSizeF(small.pointSizeF() * 0.8);
    m_painter.setFont(small);
    m_painter.setPen(accent);
    m_painter.save();
    m_painter.translate(laneX - 5, (item.box.bottom() + add.y()) / 2);
    m_painter.rotate(-90);
    m_painter.drawText(QRectF(-60, -12, 120, 12), Qt::AlignCenter, projected ? tr("projection") : tr("identity"));
    m_painter.restore();

    // The body's output into ⊕.
    const double bodyBottom = item.content.bottom() + 2;
    m_painter.setPen(QPen(m_muted, 1.5));
    m_painter.drawLine(QPointF(add.x(), bodyBottom), QPointF(add.x(), add.y() - r - 2));
    paintArrowHead(QPointF(add.x(), add.y() - r - 1), QPointF(add.x(), add.y() - r - 10), m_muted);

    // ⊕
    m_painter.setPen(QPen(accent, 2));
    m_painter.setBrush(blend(m_base, accent, 0.15));
    m_painter.drawEllipse(add, r, r);
    m_painter.drawLine(QPointF(add.x() - r / 2, add.y()), QPointF(add.x() + r / 2, add.y()));
    m_painter.drawLine(QPointF(add.x(), add.y() - r / 2), QPointF(add.x(), add.y() + r / 2));

    // The activation after the add.
    if (node.options.contains("after_add") && node.options["after_add"].is_string()) {
        const QString act = QString::fromStdString(node.options["after_add"].get<std::string>());
        const QColor actColor = categoryColor(LayerCategory::Activation);
        QFont font = small;
        font.setPointSizeF(small.pointSizeF() / 0.8);
        m_painter.setFont(font);
        const int w = QFontMetrics(font).horizontalAdvance(act) + 18;
        const QRectF pill(add.x() + r + 18, add.y() - 10, w, 20);
        m_painter.setPen(QPen(m_muted, 1.5));
        m_painter.drawLine(QPointF(add.x() + r + 1, add.y()), QPointF(pill.left() - 1, add.y()));
        paintArrowHead(QPointF(pill.left() - 1, add.y()), QPointF(pill.left() - 9, add.y()), m_muted);
        m_painter.setPen(QPen(blend(m_base, actColor, 0.6), 1));
        m_painter.setBrush(blend(m_base, actColor, 0.15));
        m_painter.drawRoundedRect(pill, 10, 10);
        m_painter.setPen(m_text);
        m_painter.drawText(pill, Qt::AlignCenter, act);
    }
}

void CanvasPainter::paintOutline(const CanvasItem& item, bool selected) {
    const bool failing = item.errorText.isValid();
    if (!selected && !failing) return;
    const QRectF outline = QRectF(item.block ? QRect(item.rect.topLeft(), QPoint(item.rect.right(),
                                                      failing ? item.errorText.top() - 5 : item.rect.bottom()))
                                             : item.box)
                               .adjusted(1, 1, -1, -1);
    m_painter.setBrush(Qt::NoBrush);
    if (failing) {
        m_painter.setPen(QPen(errorColor(), 2));
        m_painter.drawRoundedRect(outline, kRadius, kRadius);
        m_painter.setPen(errorColor());
        m_painter.setFont(QFont(m_painter.font().family(), m_painter.font().pointSize()));
        m_painter.drawText(item.errorText, Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignTop,
                           m_document.errorAt(item.path));
    }
    if (selected) {
        m_painter.setPen(QPen(m_palette.color(QPalette::Highlight), failing ? 1.5 : 2.5));
        m_painter.drawRoundedRect(failing ? outline.adjusted(-3, -3, 3, 3) : outline, kRadius + 1, kRadius + 1);
    }
}

void CanvasPainter::paintDropSlot(const DropSlot& slot) {
    const QColor color = m_palette.color(QPalette::Highlight);
    m_painter.setPen(QPen(color, 3, Qt::SolidLine, Qt::RoundCap));
    m_painter.drawLine(slot.x0 + 6, slot.y, slot.x1 - 2, slot.y);
    m_painter.setBrush(color);
    m_painter.drawEllipse(QPointF(slot.x0 + 4, slot.y), 4, 4);
}

int CanvasPainter::paintWhenTag(const QRect& row, const spec::NodeSpec& node, bool present) {
    if (node.when.empty()) return row.right();
    const bool negated = node.when[0] == '!';
    const QString flag = QString::fromStdString(negated ? node.when.substr(1) : node.when);
    const QString text = (negated ? tr("unless ") : tr("when ")) + flag + (present ? QString() : tr(" (off)"));
    QFont font = m_painter.font();
    QFont small = font;
    small.setPointSizeF(font.pointSizeF() * 0.85);
    m_painter.setFont(small);
    const int w = QFontMetrics(small).horizontalAdvance(text) + 16;
    const QRectF tag(row.right() - w, row.center().y() - 9, w, 18);
    const QColor color = present ? m_palette.color(QPalette::Highlight) : m_muted;
    m_painter.setPen(QPen(color, 1));
    m_painter.setBrush(blend(m_base, color, 0.12));
    m_painter.drawRoundedRect(tag, 9, 9);
    m_painter.setPen(present ? m_text : m_muted);
    m_painter.drawText(tag, Qt::AlignCenter, text);
    m_painter.setFont(font);
    return static_cast<int>(tag.left());
}

QString CanvasPainter::factsText(const NodePath& path, const spec::NodeSpec& node) const {
    if (!m_document.isPresent(path)) {
        // Name the flag that removes it (this node's or a block's around it).
        for (NodePath p = path;; p.removeLast()) {
            const spec::NodeSpec* n = nodeAt(m_document.spec(), p);
            if (n && !n->when.empty() && !m_document.isPresent(p)) {
                const bool negated = n->when[0] == '!';
                const QString flag = QString::fromStdString(negated ? n->when.substr(1) : n->when);
                return (negated ? tr("not built: %1 is on") : tr("not built: %1 is off")).arg(flag);
            }
            if (p.isEmpty()) return tr("not built");
        }
    }
    const auto facts = m_document.factsAt(path);
    if (!facts) return spec::is_container(node.type) ? QString() : tr("out ?");  // at or after a shape error
    QString text = tr("out ") + shapeText(facts->outputShape);
    if (facts->parameters > 0) text += "  ·  " + parameterText(facts->parameters);
    if (isTemplateList(node)) text += tr(" in all");
    return text;
}

void CanvasPainter::paintArrowHead(const QPointF& tip, const QPointF& from, const QColor& color) {
    const QPointF d = tip - from;
    const double length = std::hypot(d.x(), d.y());
    if (length <= 0) return;
    const QPointF u = d / length, n(-u.y(), u.x());
    QPolygonF head;
    head << tip << tip - u * 7 + n * 4 << tip - u * 7 - n * 4;
    m_painter.save();
    m_painter.setPen(Qt::NoPen);
    m_painter.setBrush(color);
    m_painter.drawPolygon(head);
    m_painter.restore();
}

}  // namespace nnstudio::ui
