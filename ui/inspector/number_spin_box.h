// NumberSpinBox: a QDoubleSpinBox that shows and accepts numbers in any notation ("1e-05",
// "0.2"), so tiny values like BatchNorm's eps stay readable and exact.
#pragma once
#include <QDoubleSpinBox>

namespace nnstudio::ui {

class NumberSpinBox : public QDoubleSpinBox {
    Q_OBJECT
public:
    explicit NumberSpinBox(QWidget* parent = nullptr);

    QString textFromValue(double value) const override;
    double valueFromText(const QString& text) const override;
    QValidator::State validate(QString& text, int& pos) const override;
};

}  // namespace nnstudio::ui
