// OptionBinder: one editor per declared option (nn/layer_registry.h), defaults as PyTorch's; a
// Residual's after_add and skip path.
#include "inspector/option_binder.h"

#include "document/model_document.h"
#include "inspector/number_spin_box.h"
#include "nn/layer_registry.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QVBoxLayout>
#include <QSignalBlocker>
#include <QSpinBox>
#include <limits>

namespace nnstudio::ui {

OptionBinder::OptionBinder(ModelDocument* document, NodePath path, QFormLayout* form,
                           std::function<void(QString)> report, QObject* parent)
    : QObject(parent), m_document(document), m_path(std::move(path)), m_form(form), m_report(std::move(report)) {}

void OptionBinder::addOptionsOf(const QString& type) {
    if (type == "Residual") {  // a container: its one option is the builder's own
        QStringList activations;
        for (const nn::LayerDeclaration* d : nn::layer_declarations())
            if (d->after_add) activations << QString::fromStdString(d->type);
        addChoice("after_add", QObject::tr("After the add"), activations, {}, QObject::tr("(nothing)"));
        addProjection();
        return;
    }
    const nn::LayerDeclaration* declaration = nn::find_layer_declaration(type.toStdString());
    if (!declaration) return;
    for (const nn::OptionDeclaration& o : declaration->options) {
        QWidget* editor = nullptr;
        const QString label = QString::fromStdString(o.label);
        // A required option has no default: a fresh node starts at `initial`.
        const nlohmann::json& fallback = o.default_value.is_null() ? o.initial : o.default_value;
        switch (o.type) {
        case nn::OptionType::Bool: editor = addBool(o.name, label, fallback.get<bool>()); break;
        case nn::OptionType::Int:
            editor = addInt(o.name, label, fallback.is_number_integer() ? fallback.get<int64_t>() : int64_t(o.min),
                            static_cast<int>(std::max(o.min, double(std::numeric_limits<int>::min()))),
                            static_cast<int>(std::min(o.max, double(std::numeric_limits<int>::max()))));
            break;
        case nn::OptionType::Float:
            editor = o.nullable ? addNumberOrNone(o.name, label, fallback.get<double>(), o.min, o.max, o.step,
                                                  QString::fromStdString(o.none_label))
                                : addNumber(o.name, label, fallback.get<double>(), std::max(o.min, -1e9),
                                            std::min(o.max, 1e9), o.step);
            break;
        case nn::OptionType::Enum: {
            QStringList choices;
            for (const std::string& c : o.choices) choices << QString::fromStdString(c);
            editor = addChoice(o.name, label, choices, QString::fromStdString(fallback.get<std::string>()));
            break;
        }
        case nn::OptionType::IntList: editor = addIntList(o.name, label); break;
        }
        editor->setToolTip(QString::fromStdString(o.doc));
    }
}

nlohmann::json OptionBinder::current(const std::string& key) const {
    const spec::NodeSpec* node = nodeAt(m_document->spec(), m_path);
    return node && node->options.contains(key) ? node->options[key] : nlohmann::json();
}

void OptionBinder::apply(const std::string& key, const nlohmann::json& value) {
    // The edit may rebuild the inspector and with it this binder: use nothing of it afterwards.
    const auto report = m_report;
    QString error;
    m_document->setNodeOption(m_path, QString::fromStdString(key), value, &error);
    report(error);
}

void OptionBinder::refresh() {
    for (const auto& refresh : m_refreshers) refresh();
}

QWidget* OptionBinder::addInt(const std::string& key, const QString& label, int64_t fallback, int min, int max) {
    auto* box = new QSpinBox;
    box->setObjectName(QString::fromStdString(key));
    box->setRange(min, max);
    box->setAccelerated(true);
    m_form->addRow(label, box);
    m_refreshers << [this, box, key, fallback] {
        const nlohmann::json v = current(key);
        const QSignalBlocker blocker(box);
        box->setValue(static_cast<int>(v.is_number_integer() ? v.get<int64_t>() : fallback));
    };
    QObject::connect(box, &QSpinBox::valueChanged, box, [this, key](int value) { apply(key, value); });
    return box;
}

QWidget* OptionBinder::addNumber(const std::string& key, const QString& label, double fallback, double min, double max,
                                 double step) {
    auto* box = new NumberSpinBox;
    box->setObjectName(QString::fromStdString(key));
    box->setRange(min, max);
    box->setSingleStep(step);
    m_form->addRow(label, box);
    m_refreshers << [this, box, key, fallback] {
        const nlohmann::json v = current(key);
        const QSignalBlocker blocker(box);
        box->setValue(v.is_number() ? v.get<double>() : fallback);
    };
    QObject::connect(box, &QDoubleSpinBox::valueChanged, box, [this, key](double value) { apply(key, value); });
    return box;
}

QWidget* OptionBinder::addBool(const std::string& key, const QString& label, bool fallback) {
    auto* box = new QCheckBox(label);
    box->setObjectName(QString::fromStdString(key));
    m_form->addRow(QString(), box);
    m_refreshers << [this, box, key, fallback] {
        const nlohmann::json v = current(key);
        const QSignalBlocker blocker(box);
        box->setChecked(v.is_boolean() ? v.get<bool>() : fallback);
    };
    QObject::connect(box, &QCheckBox::toggled, box, [this, key](bool on) { apply(key, on); });
    return box;
}

QWidget* OptionBinder::addChoice(const std::string& key, const QString& label, const QStringList& choices,
                                 const QString& fallback, const QString& noneLabel) {
    auto* box = new QComboBox;
    box->setObjectName(QString::fromStdString(key));
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
    return box;
}

QWidget* OptionBinder::addNumberOrNone(const std::string& key, const QString& label, double fallback, double min,
                                       double max, double step, const QString& noneLabel) {
    auto* row = new QWidget;
    auto* layout = new QVBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* box = new NumberSpinBox;
    box->setObjectName(QString::fromStdString(key));
    box->setRange(min, max);
    box->setSingleStep(step);
    auto* none = new QCheckBox(noneLabel);
    none->setObjectName(QString::fromStdString(key) + "_none");
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
            m_document->setNodeOptionToNone(m_path, QString::fromStdString(key), &error);
            report(error);
        } else {
            apply(key, box->value());
        }
    });
    return row;
}

QWidget* OptionBinder::addProjection() {
    // The model file's "projection" (docs/MODEL_FILE.md): absent, {}, {"bias": false} or
    // {"bias": false, "batch_norm": true} (torchvision's ResNet downsample: the BatchNorm's shift
    // makes the Linear's bias redundant); its "name", "init" and BatchNorm options are kept when
    // only the bias changes.
    auto* box = new QComboBox;
    box->setObjectName("projection");
    box->addItems({QObject::tr("Identity"), QObject::tr("Linear projection"), QObject::tr("Linear projection, no bias"),
                   QObject::tr("Linear projection + BatchNorm")});
    box->setToolTip(QObject::tr("What the block adds to its body's output: the input itself, or a Linear from the "
                                "input width to the body's width (needed when the body changes the width), "
                                "optionally followed by a BatchNorm1d as in ResNet's downsample."));
    m_form->addRow(QObject::tr("Skip path"), box);
    m_refreshers << [this, box] {
        const nlohmann::json p = current("projection");
        const QSignalBlocker blocker(box);
        const bool batchNorm = p.is_object() && p.contains("batch_norm") && p["batch_norm"] != false;
        box->setCurrentIndex(!p.is_object() ? 0 : batchNorm ? 3 : p.value("bias", true) ? 1 : 2);
    };
    QObject::connect(box, &QComboBox::currentIndexChanged, box, [this](int index) {
        if (index == 0) return apply("projection", nlohmann::json());
        nlohmann::json p = current("projection");
        if (!p.is_object()) p = nlohmann::json::object();
        if (index == 1) p.erase("bias");  // PyTorch's default: bias=True
        else p["bias"] = false;
        if (index == 3) {
            if (!p.contains("batch_norm") || !p["batch_norm"].is_object()) p["batch_norm"] = true;
        } else {
            p.erase("batch_norm");
        }
        apply("projection", p);
    });
    return box;
}

QWidget* OptionBinder::addIntList(const std::string& key, const QString& label) {
    auto* edit = new QLineEdit;
    edit->setObjectName(QString::fromStdString(key));
    edit->setPlaceholderText(QObject::tr("(inferred from the input)"));
    m_form->addRow(label, edit);
    m_refreshers << [this, edit, key] {
        if (edit->hasFocus()) return;  // the user is typing
        QStringList dims;
        for (const nlohmann::json& d : current(key)) dims << QString::number(d.get<int64_t>());
        edit->setText(dims.join(", "));
    };
    QObject::connect(edit, &QLineEdit::textEdited, edit, [this, key](const QString& text) {
        nlohmann::json dims = nlohmann::json::array();
        for (const QString& part : text.split(',', Qt::SkipEmptyParts)) {
            bool ok = false;
            const qlonglong d = part.trimmed().toLongLong(&ok);
            dims.push_back(ok ? nlohmann::json(d) : nlohmann::json(part.trimmed().toStdString()));  // refused, with why
        }
        apply(key, dims.empty() ? nlohmann::json() : dims);
    });
    return edit;
}

}  // namespace nnstudio::ui
