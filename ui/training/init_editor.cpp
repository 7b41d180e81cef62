// InitEditor: init::InitScheme <-> widgets, through init::to_json / parse_init_scheme.
#include "training/init_editor.h"

#include "init/init_scheme.h"
#include "training/compact_spin_box.h"

#include <QComboBox>
#include <QFormLayout>
#include <exception>

namespace nnstudio::ui {
namespace {

const char* const kFromModel = "";  // the combo's data for "as in the model file"

QString schemeLabel(const std::string& name) {
    if (name == "pytorch_default") return QObject::tr("PyTorch default (nn.Linear)");
    return QString::fromStdString(name);
}

}  // namespace

InitEditor::InitEditor(QWidget* parent)
    : QWidget(parent),
      m_scheme(new QComboBox),
      m_gain(new CompactDoubleSpinBox(0, 100, 1)),
      m_nonlinearity(new QComboBox),
      m_mode(new QComboBox),
      m_slope(new CompactDoubleSpinBox(0, 10, 0)),
      m_mean(new CompactDoubleSpinBox(-100, 100, 0)),
      m_std(new CompactDoubleSpinBox(0, 100, 1)),
      m_low(new CompactDoubleSpinBox(-100, 100, 0)),
      m_high(new CompactDoubleSpinBox(-100, 100, 1)),
      m_value(new CompactDoubleSpinBox(-100, 100, 0)),
      m_bias(new QComboBox),
      m_form(new QFormLayout(this)) {
    m_scheme->addItem(tr("As in the model file"), QString(kFromModel));
    for (const std::string& name : init::init_scheme_names()) m_scheme->addItem(schemeLabel(name), QString::fromStdString(name));
    m_scheme->setToolTip(tr("Replaces the model file's initializers for every Linear layer"));
    m_nonlinearity->addItems({"relu", "leaky_relu", "tanh", "sigmoid", "linear", "selu"});
    m_nonlinearity->setToolTip(tr("The activation after the layer: it sets the gain"));
    m_mode->addItems({"fan_in", "fan_out"});
    m_slope->setToolTip(tr("Negative slope of leaky_relu"));
    for (const std::string& b : init::init_bias_names()) m_bias->addItem(QString::fromStdString(b));
    m_bias->setToolTip(tr("zeros (as the seed article's init functions) or nn.Linear's default uniform"));

    m_form->setContentsMargins(0, 0, 0, 0);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_form->addRow(tr("Initializer"), m_scheme);
    m_form->addRow(tr("Gain"), m_gain);
    m_form->addRow(tr("Nonlinearity"), m_nonlinearity);
    m_form->addRow(tr("Mode"), m_mode);
    m_form->addRow(tr("Negative slope"), m_slope);
    m_form->addRow(tr("Mean"), m_mean);
    m_form->addRow(tr("Std"), m_std);
    m_form->addRow(tr("Low"), m_low);
    m_form->addRow(tr("High"), m_high);
    m_form->addRow(tr("Value"), m_value);
    m_form->addRow(tr("Bias"), m_bias);

    connect(m_scheme, &QComboBox::currentIndexChanged, this, [this] {
        updateVisibility();
        emit changed();
    });
    connect(m_nonlinearity, &QComboBox::currentIndexChanged, this, &InitEditor::updateVisibility);
    for (QComboBox* box : {m_nonlinearity, m_mode, m_bias}) connect(box, &QComboBox::currentIndexChanged, this, &InitEditor::changed);
    for (CompactDoubleSpinBox* box : {m_gain, m_slope, m_mean, m_std, m_low, m_high, m_value})
        connect(box, &QDoubleSpinBox::valueChanged, this, &InitEditor::changed);
    updateVisibility();
}

void InitEditor::setSetup(const train::TrainSetup& setup) {
    const QSignalBlocker block(m_scheme);
    init::InitScheme s;
    bool fromModel = setup.init.is_null();
    if (!fromModel) {
        try {
            s = init::parse_init_scheme(setup.init, "training.init");
        } catch (const std::exception&) {
            fromModel = true;  // the panel's validation reports the file's error when it is applied
        }
    }
    m_scheme->setCurrentIndex(fromModel ? 0 : std::max(0, m_scheme->findData(QString::fromStdString(s.name))));
    m_gain->setValue(s.gain);
    m_nonlinearity->setCurrentText(QString::fromStdString(s.nonlinearity));
    m_mode->setCurrentText(QString::fromStdString(s.mode));
    m_slope->setValue(s.a);
    m_mean->setValue(s.mean);
    m_std->setValue(s.std);
    m_low->setValue(s.low);
    m_high->setValue(s.high);
    m_value->setValue(s.value);
    m_bias->setCurrentText(QString::fromStdString(s.bias));
    updateVisibility();
}

void InitEditor::applyTo(train::TrainSetup& setup) const {
    const std::string name = m_scheme->currentData().toString().toStdString();
    if (name.empty()) {
        setup.init = nullptr;
        return;
    }
    init::InitScheme s;
    s.name = name;
    if (name.starts_with("xavier") || name == "orthogonal") s.gain = m_gain->value();
    if (name.starts_with("kaiming")) {
        s.nonlinearity = m_nonlinearity->currentText().toStdString();
        s.mode = m_mode->currentText().toStdString();
        s.a = m_slope->value();
    }
    if (name == "normal") {
        s.mean = m_mean->value();
        s.std = m_std->value();
    }
    if (name == "uniform") {
        s.low = m_low->value();
        s.high = m_high->value();
    }
    if (name == "constant") s.value = m_value->value();
    if (name != "pytorch_default") s.bias = m_bias->currentText().toStdString();
    setup.init = init::to_json(s);
}

void InitEditor::updateVisibility() {
    const std::string name = m_scheme->currentData().toString().toStdString();
    const bool kaiming = name.starts_with("kaiming");
    m_form->setRowVisible(m_gain, name.starts_with("xavier") || name == "orthogonal");
    m_form->setRowVisible(m_nonlinearity, kaiming);
    m_form->setRowVisible(m_mode, kaiming);
    m_form->setRowVisible(m_slope, kaiming && m_nonlinearity->currentText() == "leaky_relu");
    m_form->setRowVisible(m_mean, name == "normal");
    m_form->setRowVisible(m_std, name == "normal");
    m_form->setRowVisible(m_low, name == "uniform");
    m_form->setRowVisible(m_high, name == "uniform");
    m_form->setRowVisible(m_value, name == "constant");
    m_form->setRowVisible(m_bias, !name.empty() && name != "pytorch_default");
}

}  // namespace nnstudio::ui
