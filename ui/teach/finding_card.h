// FindingCard: one pitfall finding as the pitfall panel lists it — a severity icon and colour,
// the message, the layer it concerns, how to fix it, and a Fix button when a machine fix exists.
#pragma once
#include "teach/pitfalls.h"

#include <QFrame>

class QPushButton;

namespace nnstudio::ui {

class FindingCard : public QFrame {
    Q_OBJECT
public:
    FindingCard(const teach::Finding& finding, QWidget* parent = nullptr);

    void setSelected(bool selected);
    QPushButton* fixButton() const { return m_fixButton; }  // nullptr when only a manual fix exists

signals:
    void clicked();
    void fixRequested();

protected:
    void mousePressEvent(QMouseEvent* event) override;

private:
    QColor m_colour;
    QPushButton* m_fixButton = nullptr;
};

}  // namespace nnstudio::ui
