// OptionBinder: one editor per option, defaults as PyTorch's.
#include "inspector/option_binder.h"

#include "document/model_document.h"
#include "inspector/number_spin_box.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QVBoxLayout>
#include <QSignalBlocker>
#include <QSpinBox>

namespace nnstudio::ui {

OptionBinder::OptionBinder(ModelDocument* document, NodePath path, QFormLayout* form,
                           std::function<void(QString)> report, QObject* parent)
    : QObject(parent), m_document(document), m_path(std::move(path)), m_form(form), m_report(std::move(report)) {}

void OptionBinder::addOptionsOf(const QString& type) {
    if (type == "Linear") {
        addInt("out_features", QObject::tr("Output features"), 128, 1, 1'000'000);
        addBool("bias", QObject::tr("Bias"), true);
    } else if (type == "Dropout") {
        addNumber("p", QObject::tr("Drop probability p"), 0.5, 0, 1, 0.05);
    } else if (type == "BatchNorm1d") {
        addNumber("eps", QObject::tr("eps"), 1e-5, 0, 1, 1e-5);
        addNumberOrNone("momentum", QObject::tr("Momentum"), 0.1, QObject::tr("None (cumulative average)"));
        addBool("affine", QObject::tr("Affine (learnable γ, β)"), true);
        addBool("track_running_stats", QObject::tr("Track running stats"), true);
    } else if (type == "LeakyReLU") {
        addNumber("negative_slope", QObject::tr("Negative slope"), 0.01, -1e6, 1e6, 0.01);
    } else if (type == "GELU") {
        addChoice("approximate", QObject::tr("Approximate"), {"none", "tanh"}, "none");
    } else if (type == "Softmax" || type == "LogSoftmax") {
        addInt("dim", QObject::tr("Dim"), -1, -8, 8);
    } else if (type == "Flatten") {
        addInt("start_dim", QObject::tr("Start dim"), 1, -8, 8);
        addInt("end_dim", QObject::tr("End dim"), -1, -8, 8);
    } else if (type == "Residual") {
        addChoice("after_add", QObject::tr("After the add"), {"ReLU", "LeakyReLU", "GELU", "Sigmoid", "Tanh", "Identity"},
                  {}, QObject::tr("(nothing)"));
    }
}

nlohmann::json OptionBinder::current(const char* key) const {
    const spec::NodeSpec* node = nodeAt(m_document->spec(), m_path);
    return node && node->options.contains(key) ? node->options[key] : nlohmann::json();
}

void OptionBinder::apply(const char* key, const nlohmann::json& value) {
    // The edit may rebuild the inspector and with it this binder: use nothing of it afterwards.
    const auto report = m_report;
    QString error;
    m_document->setNodeOption(m_path, key, value, &error);
    report(error);
}

void OptionBinder::refresh() {
    for (const auto& refresh : m_refreshers) refresh();
}

void OptionBinder::addInt(const char* key, const QString& label, int64_t fallback, int min, int max) {
    auto* box = new QSpinBox;
    box->setObjectName(key);
    box->setRange(min, max);
    box->setAccelerated(true);
    m_form->addRow(label, box);
    m_refreshers << [this, box, key, fallback] {
        const nlohmann::json v = current(key);
        const QSignalBlocker blocker(box);
        box->setValue(static_cast<int>(v.is_number_integer() ? v.get<int64_t>() : fallback));
    };
    QObject::connect(box, &QSpinBox::valueChanged, box, [this, key](int value) { apply(key, value); });
}

void OptionBinder::addNumber(const char* key, const QString& label, double fallback, double min, double max,
                             double step) {
    auto* box = new NumberSpinBox;
    box->setObjectName(key);
    box->setRange(min, max);
    box->setSingleStep(step);
    m_form->addRow(label, box);
    m_refreshers << [this, box, key, fallback] {
        const nlohmann::json v = current(key);
        const QSignalBlocker blocker(box);
        box->setValue(v.is_number() ? v.get<double>() : fallback);
    };
    QObject::connect(box, &QDoubleSpinBox::valueChanged, box, [this, key](double value) { apply(key, value); });
}

void OptionBinder::addBool(const char* key, const QString& label, bool fallback) {
    auto* box = new QCheckBox(label);
    box->setObjectName(key);
    m_form->addRow(QString(), box);
    m_refreshers << [this, box, key, fallback] {
        const nlohmann::json v = current(key);
        const QSignalBlocker blocker(box);
        box->setChecked(v.is_boolean() ? v.get<bool>() : fallback);
    };
    QObject::connect(box, &QCheckBox::toggled, box, [this, key](bool on) { apply(key, on); });
}

void OptionBinder::addChoice(const char* key, const QString& label, const QStringList& choices,
                             const QString& fallback, const QString& noneLabel) {
    auto* box = new QComboBox;
    box->setObjectName(key);
    if (!noneLabel.isEmpty()) box->addItem(noneLabel);
    box->addItems(choices);
    m_form->addRow(label, box);
    m_refreshers << [this, box, key, fallback] {
        const nlohmann::json v = current(key);
        const QSignalBlocker blocker(box);
        const QString text = v.is_string() ? QString::fromStdString(v.get<std::string>()) : fallback;
        box->setCurrentIndex(std::max(0, box->findText(text)));
    };
    const bool removable = !noneLabel.isEmpty();
    QObject::connect(box, &QComboBox::currentIndexChanged, box, [this, box, key, removable](int index) {
        apply(key, removable && index == 0 ? nlohmann::json() : nlohmann::json(box->currentText().toStdString()));
    });
}

void OptionBinder::addNumberOrNone(const char* key, const QString& label, double fallback, const QString& noneLabel) {
    auto* row = new QWidget;
    auto* layout = new QVBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* box = new NumberSpinBox;
    box->setObjectName(key);
    box->setRange(0, 1);
    box->setSingleStep(0.01);
    auto* none = new QCheckBox(noneLabel);
    none->setObjectName(QString(key) + "_none");
    layout->addWidget(box);
    layout->addWidget(none);
    m_form->addRow(label, row);
    m_refreshers << [this, box, none, key, fallback] {
        const nlohmann::json v = current(key);
        const spec::NodeSpec* node = nodeAt(m_document->spec(), m_path);
        const QSignalBlocker blockBox(box), blockNone(none);
        const bool isNone = node && node->options.contains(key) && v.is_null();
        none->setChecked(isNone);
        box->setEnabled(!isNone);
        box->setValue(v.is_number() ? v.get<double>() : fallback);
    };
    QObject::connect(box, &QDoubleSpinBox::valueChanged, box, [this, key](double value) { apply(key, value); });
    QObject::connect(none, &QCheckBox::toggled, none, [this, box, key](bool on) {
        if (on) {
            const auto report = m_report;  // see apply()
            QString error;
            m_document->setNodeOptionToNone(m_path, key, &error);
            report(error);
        } else {
            apply(key, box->value());
        }
    });
}

}  // namespace nnstudio::ui
