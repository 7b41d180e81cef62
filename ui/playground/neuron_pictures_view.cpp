// NeuronPicturesView: a titled, wrapped row of tiles per hidden layer.
#include "playground/neuron_pictures_view.h"

#include <QPainter>
#include <algorithm>

namespace nnstudio::ui {

NeuronPicturesView::NeuronPicturesView(QWidget* parent) : QWidget(parent) {
    QSizePolicy policy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
}

void NeuronPicturesView::setFrame(std::shared_ptr<const PlaygroundFrame> frame) {
    const size_t before = m_frame ? m_frame->neurons.size() : 0;
    const size_t tiles_before = m_frame && !m_frame->neurons.empty() ? m_frame->neurons.front().size() : 0;
    m_frame = std::move(frame);
    const size_t tiles = m_frame && !m_frame->neurons.empty() ? m_frame->neurons.front().size() : 0;
    if (before != (m_frame ? m_frame->neurons.size() : 0) || tiles != tiles_before) updateGeometry();
    update();
}

NeuronPicturesView::Tiles NeuronPicturesView::tilesFor(size_t count, int width) {
    const int n = std::max(1, static_cast<int>(count)), avail = std::max(kMinTile, width - 4);
    Tiles t;
    t.columns = std::max(1, (avail + kGap) / (kMinTile + kGap));
    const int rows = (n + t.columns - 1) / t.columns;
    t.columns = (n + rows - 1) / rows;
    t.size = std::clamp((avail + kGap) / t.columns - kGap, kMinTile, kMaxTile);
    return t;
}

int NeuronPicturesView::heightForWidth(int width) const {
    if (!m_frame) return fontMetrics().height() + 8;
    int h = 2;
    for (const auto& layer : m_frame->neurons) {
        const Tiles t = tilesFor(layer.size(), width);
        const int rows = (static_cast<int>(layer.size()) + t.columns - 1) / t.columns;
        h += fontMetrics().height() + 4 + rows * (t.size + kGap) + 6;
    }
    return h;
}

void NeuronPicturesView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    if (!m_frame) return;
    p.setRenderHint(QPainter::SmoothPixmapTransform);
    int y = 2;
    for (size_t l = 0; l < m_frame->neurons.size(); ++l) {
        const auto& tiles = m_frame->neurons[l];
        const HiddenField& layer = m_frame->field.hidden[l];
        p.setPen(palette().color(QPalette::WindowText));
        const QString count = layer.neurons == layer.layer_width ? tr("%1 neurons").arg(layer.layer_width)
                                                                   : tr("first %1 of %2 neurons").arg(layer.neurons).arg(layer.layer_width);
        p.drawText(QPointF(2, y + fontMetrics().ascent()),
                   tr("Hidden layer %1 (%2, %3)").arg(l + 1).arg(QString::fromStdString(layer.path), count));
        y += fontMetrics().height() + 4;
        p.setPen(QPen(palette().color(QPalette::Mid), 1));
        const Tiles t = tilesFor(tiles.size(), width());
        const size_t cols = static_cast<size_t>(t.columns);
        for (size_t k = 0; k < tiles.size(); ++k) {
            const QRect tile(2 + static_cast<int>(k % cols) * (t.size + kGap), y + static_cast<int>(k / cols) * (t.size + kGap), t.size, t.size);
            p.drawImage(tile, tiles[k]);
            p.drawRect(tile.adjusted(0, 0, -1, -1));
        }
        y += static_cast<int>((tiles.size() + cols - 1) / cols) * (t.size + kGap) + 6;
    }
}

}  // namespace nnstudio::ui
