// NeuronPicturesView: small multiples of the first hidden layers — one tile per neuron, its
// activation over the same grid as the decision boundary (orange < 0 < blue) — so users see
// the features each layer builds from the one before.
#pragma once
#include "playground/playground_frame.h"

#include <QWidget>
#include <memory>

namespace nnstudio::ui {

class NeuronPicturesView : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMinTile = 22, kMaxTile = 40;  // px per neuron picture
    static constexpr int kGap = 3;

    explicit NeuronPicturesView(QWidget* parent = nullptr);
    void setFrame(std::shared_ptr<const PlaygroundFrame> frame);

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override { return {300, heightForWidth(300)}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    // A layer's tiles in rows of equal length (no orphan in a last row), as large as `width` allows.
    struct Tiles {
        int columns = 1, size = kMinTile;
    };
    static Tiles tilesFor(size_t count, int width);

    std::shared_ptr<const PlaygroundFrame> m_frame;
};

}  // namespace nnstudio::ui
