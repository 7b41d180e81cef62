// CompactDoubleSpinBox: %g formatting, adaptive steps, any decimal or exponent input.
#include "training/compact_spin_box.h"

#include <QLocale>

namespace nnstudio::ui {

CompactDoubleSpinBox::CompactDoubleSpinBox(double minimum, double maximum, double value, QWidget* parent)
    : QDoubleSpinBox(parent) {
    setDecimals(12);  // precision kept; the text stays short (textFromValue)
    setRange(minimum, maximum);
    setStepType(QAbstractSpinBox::AdaptiveDecimalStepType);
    setKeyboardTracking(false);
    setValue(value);
}

QString CompactDoubleSpinBox::textFromValue(double value) const { return QLocale::c().toString(value, 'g', 6); }

double CompactDoubleSpinBox::valueFromText(const QString& text) const { return QLocale::c().toDouble(text.trimmed()); }

QValidator::State CompactDoubleSpinBox::validate(QString& text, int&) const {
    const QString t = text.trimmed();
    if (t.isEmpty() || t == "-" || t == "." || t.endsWith('e') || t.endsWith('E') || t.endsWith("e-") || t.endsWith("E-"))
        return QValidator::Intermediate;
    bool ok = false;
    const double v = QLocale::c().toDouble(t, &ok);
    if (!ok) return QValidator::Invalid;
    return v >= minimum() && v <= maximum() ? QValidator::Acceptable : QValidator::Intermediate;
}

}  // namespace nnstudio::ui
