// NumberSpinBox: shortest round-trip text for doubles.
#include "inspector/number_spin_box.h"

namespace nnstudio::ui {

NumberSpinBox::NumberSpinBox(QWidget* parent) : QDoubleSpinBox(parent) {
    setDecimals(15);  // QDoubleSpinBox rounds values to its decimals; keep them all
    setKeyboardTracking(true);
}

QString NumberSpinBox::textFromValue(double value) const { return QString::number(value, 'g', 10); }

double NumberSpinBox::valueFromText(const QString& text) const { return text.trimmed().toDouble(); }

QValidator::State NumberSpinBox::validate(QString& text, int&) const {
    const QString t = text.trimmed();
    if (t.isEmpty() || t == "-" || t == "." || t.endsWith('e') || t.endsWith("e-") || t.endsWith("e+"))
        return QValidator::Intermediate;
    bool ok = false;
    const double v = t.toDouble(&ok);
    if (!ok) return QValidator::Invalid;
    return v >= minimum() && v <= maximum() ? QValidator::Acceptable : QValidator::Intermediate;
}

}  // namespace nnstudio::ui
