// DecisionBoundaryView: scales the worker's decision image into a square and draws the points.
#include "playground/decision_boundary_view.h"

#include "playground/field_image.h"

#include <QPainter>
#include <algorithm>

namespace nnstudio::ui {

DecisionBoundaryView::DecisionBoundaryView(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void DecisionBoundaryView::setFrame(std::shared_ptr<const PlaygroundFrame> frame) {
    m_frame = std::move(frame);
    m_message.clear();
    update();
}

void DecisionBoundaryView::setMessage(const QString& message) {
    m_frame.reset();
    m_message = message;
    update();
}

QRectF DecisionBoundaryView::plotRect() const {
    const qreal side = std::max<qreal>(10, std::min(width(), height()) - 8);
    return {(width() - side) / 2, (height() - side) / 2, side, side};
}

void DecisionBoundaryView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().window());
    if (!m_frame || m_frame->boundary.isNull()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect().adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap, m_message);
        return;
    }
    const QRectF r = plotRect();
    p.setRenderHint(QPainter::SmoothPixmapTransform);
    p.drawImage(r, m_frame->boundary);
    p.setRenderHint(QPainter::Antialiasing);
    const GridRect& g = m_frame->field.rect;
    const auto at = [&](const float* xy) {
        return QPointF(r.left() + (xy[0] - g.x0) / (g.x1 - g.x0) * r.width(), r.bottom() - (xy[1] - g.y0) / (g.y1 - g.y0) * r.height());
    };
    // Small data sets get larger points; thousands stay readable at 2 px.
    const size_t count = m_frame->train_labels.size() + m_frame->test_labels.size();
    const qreal radius = std::clamp(r.width() / 110.0 * (count > 1200 ? 0.8 : 1.0), 1.8, 4.0);
    p.setPen(QPen(QColor(255, 255, 255, 200), 0.8));
    for (size_t i = 0; i < m_frame->train_labels.size(); ++i) {
        p.setBrush(classColor(m_frame->train_labels[i]));
        p.drawEllipse(at(&m_frame->train_points[2 * i]), radius, radius);
    }
    p.setPen(QPen(QColor(20, 20, 20), 1.3));
    for (size_t i = 0; i < m_frame->test_labels.size(); ++i) {
        p.setBrush(classColor(m_frame->test_labels[i]));
        p.drawEllipse(at(&m_frame->test_points[2 * i]), radius + 0.6, radius + 0.6);
    }
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(palette().color(QPalette::Mid), 1));
    p.drawRect(r);

    // Legend: what a filled and a ringed point mean.
    const QFontMetrics fm(font());
    const QString train = tr("train"), test = tr("test");
    const qreal h = fm.height() + 4, w = fm.horizontalAdvance(train + test) + 44;
    const QRectF box(r.left() + 4, r.top() + 4, w, h);
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(255, 255, 255, 210));
    p.drawRoundedRect(box, 3, 3);
    const qreal cy = box.center().y();
    p.setPen(QPen(QColor(255, 255, 255), 0.8));
    p.setBrush(QColor(90, 90, 90));
    p.drawEllipse(QPointF(box.left() + 8, cy), 3.5, 3.5);
    p.setPen(QPen(QColor(20, 20, 20), 1.3));
    p.drawEllipse(QPointF(box.left() + 26 + fm.horizontalAdvance(train), cy), 3.5, 3.5);
    p.setPen(QColor(30, 30, 30));
    p.drawText(QPointF(box.left() + 14, cy + fm.ascent() / 2.0 - 1), train);
    p.drawText(QPointF(box.left() + 32 + fm.horizontalAdvance(train), cy + fm.ascent() / 2.0 - 1), test);
}

}  // namespace nnstudio::ui
