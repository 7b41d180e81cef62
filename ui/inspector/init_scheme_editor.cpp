// InitSchemeEditor: combo + the selected scheme's option rows.
#include "inspector/init_scheme_editor.h"

#include "init/init.h"
#include "init/init_scheme.h"
#include "inspector/number_spin_box.h"

#include <QComboBox>
#include <QFormLayout>
#include <QSignalBlocker>

namespace nnstudio::ui {
namespace {

QStringList toStrings(const std::vector<std::string>& names) {
    QStringList list;
    for (const auto& n : names) list << QString::fromStdString(n);
    return list;
}

NumberSpinBox* numberBox(const QString& name, double min, double max, double step) {
    auto* box = new NumberSpinBox;
    box->setObjectName(name);
    box->setRange(min, max);
    box->setSingleStep(step);
    return box;
}

QComboBox* comboBox(const QString& name, const QStringList& items) {
    auto* box = new QComboBox;
    box->setObjectName(name);
    box->addItems(items);
    return box;
}

}  // namespace

InitSchemeEditor::InitSchemeEditor(const QString& noSchemeLabel, QWidget* parent)
    : QWidget(parent), m_scheme(comboBox("scheme", {noSchemeLabel})), m_form(new QFormLayout(this)),
      m_gain(numberBox("gain", 0, 1e6, 0.1)), m_a(numberBox("a", -1e6, 1e6, 0.01)), m_low(numberBox("low", -1e6, 1e6, 0.1)),
      m_high(numberBox("high", -1e6, 1e6, 0.1)), m_mean(numberBox("mean", -1e6, 1e6, 0.1)),
      m_std(numberBox("std", 0, 1e6, 0.01)), m_value(numberBox("value", -1e6, 1e6, 0.1)),
      m_mode(comboBox("mode", {"fan_in", "fan_out"})),
      m_nonlinearity(comboBox("nonlinearity", toStrings(init::nonlinearity_names()))),
      m_bias(comboBox("bias", toStrings(init::init_bias_names()))) {
    m_scheme->addItems(toStrings(init::init_scheme_names()));
    m_form->setContentsMargins(0, 0, 0, 0);
    m_form->addRow(tr("Scheme"), m_scheme);
    m_form->addRow(tr("Gain"), m_gain);
    m_form->addRow(tr("a (slope)"), m_a);
    m_form->addRow(tr("Mode"), m_mode);
    m_form->addRow(tr("Nonlinearity"), m_nonlinearity);
    m_form->addRow(tr("Low"), m_low);
    m_form->addRow(tr("High"), m_high);
    m_form->addRow(tr("Mean"), m_mean);
    m_form->addRow(tr("Std"), m_std);
    m_form->addRow(tr("Value"), m_value);
    m_form->addRow(tr("Bias"), m_bias);
    m_mode->setToolTip(tr("fan_in preserves the forward pass's variance, fan_out the backward pass's"));
    m_bias->setToolTip(tr("zeros (as the seed's init functions) or PyTorch's nn.Linear default"));
    setScheme(nullptr);

    const auto edited = [this] {
        showRowsFor(m_scheme->currentIndex() == 0 ? QString() : m_scheme->currentText());
        emit schemeEdited(currentScheme());
    };
    connect(m_scheme, &QComboBox::currentIndexChanged, this, edited);
    for (QComboBox* box : {m_mode, m_nonlinearity, m_bias}) connect(box, &QComboBox::currentIndexChanged, this, edited);
    for (NumberSpinBox* box : {m_gain, m_a, m_low, m_high, m_mean, m_std, m_value})
        connect(box, &QDoubleSpinBox::valueChanged, this, edited);
}

void InitSchemeEditor::setScheme(const nlohmann::json& scheme) {
    init::InitScheme s;
    bool known = !scheme.is_null();
    if (known) {
        try {
            s = init::parse_init_scheme(scheme, "init");
        } catch (const std::exception&) {
            known = false;  // the inspector shows the error; the editor starts from the defaults
        }
    }
    const QList<QWidget*> editors = {m_scheme, m_gain, m_a, m_low, m_high, m_mean, m_std, m_value, m_mode,
                                     m_nonlinearity, m_bias};
    std::vector<QSignalBlocker> blockers;
    blockers.reserve(static_cast<size_t>(editors.size()));
    for (QWidget* w : editors) blockers.emplace_back(w);
    m_scheme->setCurrentIndex(known ? m_scheme->findText(QString::fromStdString(s.name)) : 0);
    m_gain->setValue(s.gain);
    m_a->setValue(s.a);
    m_low->setValue(s.low);
    m_high->setValue(s.high);
    m_mean->setValue(s.mean);
    m_std->setValue(s.std);
    m_value->setValue(s.value);
    m_mode->setCurrentText(QString::fromStdString(s.mode));
    m_nonlinearity->setCurrentText(QString::fromStdString(s.nonlinearity));
    m_bias->setCurrentText(QString::fromStdString(s.bias));
    showRowsFor(known ? QString::fromStdString(s.name) : QString());
}

nlohmann::json InitSchemeEditor::currentScheme() const {
    if (m_scheme->currentIndex() <= 0) return nullptr;
    init::InitScheme s;
    s.name = m_scheme->currentText().toStdString();
    s.gain = m_gain->value();
    s.a = m_a->value();
    s.low = m_low->value();
    s.high = m_high->value();
    s.mean = m_mean->value();
    s.std = m_std->value();
    s.value = m_value->value();
    s.mode = m_mode->currentText().toStdString();
    s.nonlinearity = m_nonlinearity->currentText().toStdString();
    s.bias = m_bias->currentText().toStdString();
    return init::to_json(s);
}

void InitSchemeEditor::showRowsFor(const QString& scheme) {
    const bool kaiming = scheme.startsWith("kaiming_");
    m_form->setRowVisible(m_gain, scheme.startsWith("xavier_") || scheme == "orthogonal");
    m_form->setRowVisible(m_a, kaiming);
    m_form->setRowVisible(m_mode, kaiming);
    m_form->setRowVisible(m_nonlinearity, kaiming);
    m_form->setRowVisible(m_low, scheme == "uniform");
    m_form->setRowVisible(m_high, scheme == "uniform");
    m_form->setRowVisible(m_mean, scheme == "normal");
    m_form->setRowVisible(m_std, scheme == "normal");
    m_form->setRowVisible(m_value, scheme == "constant");
    m_form->setRowVisible(m_bias, !scheme.isEmpty() && scheme != "pytorch_default");
}

}  // namespace nnstudio::ui
