// CompactDoubleSpinBox: a QDoubleSpinBox that shows numbers the short way (0.001, 1e-05, 0.9)
// instead of a fixed number of decimals, for learning rates and other values spanning decades.
#pragma once
#include <QDoubleSpinBox>

namespace nnstudio::ui {

class CompactDoubleSpinBox : public QDoubleSpinBox {
    Q_OBJECT
public:
    CompactDoubleSpinBox(double minimum, double maximum, double value, QWidget* parent = nullptr);

    QString textFromValue(double value) const override;
    double valueFromText(const QString& text) const override;
    QValidator::State validate(QString& text, int& pos) const override;
};

}  // namespace nnstudio::ui
