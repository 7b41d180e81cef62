// DecisionBoundaryView: the playground's main picture — the model's predicted class over the
// plane (colour = class, shade = confidence) with the data on top: training points as filled
// discs, test points as discs with a dark ring.
#pragma once
#include "playground/playground_frame.h"

#include <QWidget>
#include <memory>

namespace nnstudio::ui {

class DecisionBoundaryView : public QWidget {
    Q_OBJECT
public:
    explicit DecisionBoundaryView(QWidget* parent = nullptr);

    void setFrame(std::shared_ptr<const PlaygroundFrame> frame);  // null: an empty picture
    void setMessage(const QString& message);  // shown instead of a picture (why there is none)

    QSize sizeHint() const override { return {260, 260}; }
    QSize minimumSizeHint() const override { return {140, 140}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QRectF plotRect() const;  // the square the grid fills, in widget coordinates

    std::shared_ptr<const PlaygroundFrame> m_frame;
    QString m_message;
};

}  // namespace nnstudio::ui
