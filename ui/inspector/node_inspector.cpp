// NodeInspector: builds the form of the selection and keeps it in step with the document.
#include "inspector/node_inspector.h"

#include "builder/layer_catalog.h"
#include "document/model_document.h"
#include "document/node_selection.h"
#include "inspector/identifier_edit.h"
#include "inspector/init_scheme_editor.h"
#include "inspector/option_binder.h"
#include "nn/layer_registry.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

namespace nnstudio::ui {
namespace {

QLabel* wrappingLabel(const QString& objectName, const QString& style = {}) {
    auto* label = new QLabel;
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setStyleSheet(style);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

QString shapeToText(const Shape& shape) {
    QStringList dims;
    for (int64_t d : shape) dims << QString::number(d);
    return dims.join(", ");
}

}  // namespace

NodeInspector::NodeInspector(ModelDocument* document, NodeSelection* selection, QWidget* parent)
    : QWidget(parent), m_document(document), m_selection(selection), m_title(new QLabel),
      m_description(wrappingLabel("description", "color: palette(mid)")),
      m_message(wrappingLabel("message", "color: #dc2626")), m_error(wrappingLabel("error", "color: #dc2626")) {
    QFont big = m_title->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.2);
    m_title->setFont(big);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_description);
    layout->addStretch(1);  // the form goes above it (index 2)
    layout->addWidget(m_message);
    layout->addWidget(m_error);
    connect(m_document, &ModelDocument::changed, this, &NodeInspector::onDocumentChanged);
    connect(m_document, &ModelDocument::readOnlyChanged, this, &NodeInspector::rebuild);
    connect(m_selection, &NodeSelection::pathChanged, this, [this] {
        report({});
        rebuild();
    });
    rebuild();
}

QString NodeInspector::message() const { return m_message->text(); }

void NodeInspector::report(const QString& error) {
    m_message->setText(error);
    m_message->setVisible(!error.isEmpty());
}

QString NodeInspector::structureKey() const {
    const NodePath path = m_selection->path();
    const spec::NodeSpec* node = nodeAt(m_document->spec(), path);
    QString key = pathToString(path) + "|" + (node ? QString::fromStdString(node->type) : QString());
    if (node && isTemplateList(*node)) key += "|template-list";
    for (const auto& [flag, value] : m_document->spec().flags) key += "|" + QString::fromStdString(flag);
    return key + (m_document->isReadOnly() ? "|read-only" : "");
}

void NodeInspector::onDocumentChanged() {
    if (structureKey() == m_structure) refresh();
    else rebuild();
}

void NodeInspector::refresh() {
    for (const auto& refresh : m_refreshers) refresh();
    if (m_options) m_options->refresh();
    const QString error = m_path.isEmpty() && m_document->errorAt({}).isEmpty() ? m_document->modelError()
                                                                                 : m_document->errorAt(m_path);
    m_error->setText(error);
    m_error->setVisible(!error.isEmpty());
}

void NodeInspector::rebuild() {
    m_options = nullptr;
    m_refreshers.clear();
    if (m_body) {  // one of its widgets may be mid-signal (a block's type just changed): delete later
        m_body->hide();
        m_body->setParent(nullptr);
        m_body->deleteLater();
    }
    m_body = new QWidget;
    m_form = new QFormLayout(m_body);
    m_form->setContentsMargins(0, 6, 0, 6);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    m_path = m_selection->path();
    m_structure = structureKey();
    const spec::NodeSpec* node = nodeAt(m_document->spec(), m_path);
    if (m_path.isEmpty() || !node) buildModelRows();
    else buildNodeRows(*node);
    static_cast<QVBoxLayout*>(layout())->insertWidget(2, m_body);
    m_body->show();  // now, not when the layout gets to it: the form must be usable at once
    m_body->setEnabled(!m_document->isReadOnly());
    report(m_document->isReadOnly() ? tr("Read-only while training runs.") : QString());
    refresh();
}

void NodeInspector::buildModelRows() {
    m_title->setText(tr("Model"));
    m_description->setText(tr("Select a layer or block on the canvas to edit it."));
    auto* name = new IdentifierEdit(
        "modelName", [this](const QString& text, QString* error) { return m_document->setModelName(text, error); },
        [this] { return QString::fromStdString(m_document->spec().name); });
    m_form->addRow(tr("Name"), name);
    m_refreshers << [name] { name->refresh(); };

    auto* shape = new QLineEdit;
    shape->setObjectName("inputShape");
    shape->setToolTip(tr("Per-sample input shape without the batch dimension, e.g. 784 or 1, 28, 28"));
    m_form->addRow(tr("Input shape"), shape);
    m_refreshers << [this, shape] {
        if (!shape->hasFocus()) shape->setText(shapeToText(m_document->spec().input_shape));
    };
    connect(shape, &QLineEdit::textEdited, this, [this](const QString& text) {
        Shape dims;
        for (const QString& part : text.split(',', Qt::SkipEmptyParts)) {
            bool ok = false;
            const qlonglong d = part.trimmed().toLongLong(&ok);
            dims.push_back(ok ? d : 0);
        }
        QString error;
        report(m_document->setInputShape(dims, &error) ? QString() : error);
    });

    addInitRow("defaultInit", tr("Default init"), tr("PyTorch default"),
               [this] { return m_document->spec().init.value("default", nlohmann::json()); },
               [this](const nlohmann::json& scheme, QString* error) { return m_document->setDefaultInit(scheme, error); });
    addContainerTypeRow(m_document->spec().root);
}

void NodeInspector::buildNodeRows(const spec::NodeSpec& node) {
    const QString type = QString::fromStdString(node.type);
    const bool isTemplate = isTemplateList(*nodeAt(m_document->spec(), *parentPath(m_path)));
    m_title->setText(isTemplate ? tr("%1 (template)").arg(type) : type);
    m_description->setText(typeDescription(type));

    if (!isTemplate) {
        auto* name = new IdentifierEdit(
            "name",
            [this](const QString& text, QString* error) { return m_document->setNodeName(m_path, text, error); },
            [this] {
                const spec::NodeSpec* n = nodeAt(m_document->spec(), m_path);
                return n ? QString::fromStdString(n->name) : QString();
            });
        name->lineEdit()->setPlaceholderText(tr("(numbered by position)"));
        m_form->addRow(tr("Name"), name);
        m_refreshers << [name] { name->refresh(); };
    }
    addContainerTypeRow(node);
    if (isTemplateList(node)) addRepeatRow();
    m_options = new OptionBinder(m_document, m_path, m_form, [this](const QString& e) { report(e); }, m_body);
    m_options->addOptionsOf(type);
    if (const nn::LayerDeclaration* d = nn::find_layer_declaration(node.type); d && d->initializer)
        addInitRow("init", tr("Initializer"), tr("(model default)"),
                   [this] {
                       const spec::NodeSpec* n = nodeAt(m_document->spec(), m_path);
                       return n ? n->options.value("init", nlohmann::json()) : nlohmann::json();
                   },
                   [this](const nlohmann::json& scheme, QString* error) {
                       return m_document->setNodeOption(m_path, "init", scheme, error);
                   });
    if (!isTemplate) addWhenRow(node);
}

void NodeInspector::addWhenRow(const spec::NodeSpec& node) {
    auto* when = new QComboBox;
    when->setObjectName("when");
    when->addItem(tr("always"), QString());
    for (const auto& [flag, value] : m_document->spec().flags) {
        const QString name = QString::fromStdString(flag);
        when->addItem(tr("when %1").arg(name), name);
        when->addItem(tr("unless %1").arg(name), "!" + name);
    }
    if (const QString current = QString::fromStdString(node.when); when->findData(current) < 0)
        when->addItem(current, current);
    when->setToolTip(tr("The layer exists only when the flag is on (or off): declare flags in the Flags panel"));
    m_form->addRow(tr("Exists"), when);
    m_refreshers << [this, when] {
        const spec::NodeSpec* n = nodeAt(m_document->spec(), m_path);
        const QSignalBlocker blocker(when);
        if (n) when->setCurrentIndex(std::max(0, when->findData(QString::fromStdString(n->when))));
    };
    connect(when, &QComboBox::currentIndexChanged, this, [this, when] {
        QString error;
        report(m_document->setNodeWhen(m_path, when->currentData().toString(), &error) ? QString() : error);
    });
}

void NodeInspector::addContainerTypeRow(const spec::NodeSpec& node) {
    if (!acceptsChildren(node)) return;
    auto* type = new QComboBox;
    type->setObjectName("containerType");
    type->addItems({"Sequential", "Residual", "ModuleList"});
    type->setToolTip(tr("Converts the block; its children stay"));
    m_form->addRow(tr("Block"), type);
    m_refreshers << [this, type] {
        const spec::NodeSpec* n = nodeAt(m_document->spec(), m_path);
        const QSignalBlocker blocker(type);
        if (n) type->setCurrentText(QString::fromStdString(n->type));
    };
    connect(type, &QComboBox::currentTextChanged, this, [this](const QString& text) {
        QString error;
        report(m_document->convertContainer(m_path, text, &error) ? QString() : error);
    });
}

void NodeInspector::addRepeatRow() {
    auto* repeat = new QSpinBox;
    repeat->setObjectName("repeat");
    repeat->setRange(0, 100000);
    repeat->setPrefix("× ");
    m_form->addRow(tr("Repeat"), repeat);
    m_refreshers << [this, repeat] {
        const spec::NodeSpec* n = nodeAt(m_document->spec(), m_path);
        const QSignalBlocker blocker(repeat);
        if (n) repeat->setValue(static_cast<int>(n->repeat));
    };
    connect(repeat, &QSpinBox::valueChanged, this, [this](int copies) {
        QString error;
        report(m_document->setRepeat(m_path, copies, &error) ? QString() : error);
    });
}

void NodeInspector::addInitRow(const QString& objectName, const QString& label, const QString& noSchemeLabel,
                               std::function<nlohmann::json()> current,
                               std::function<bool(const nlohmann::json&, QString*)> apply) {
    auto* editor = new InitSchemeEditor(noSchemeLabel);
    editor->setObjectName(objectName);
    auto* group = new QGroupBox(label);
    (new QVBoxLayout(group))->addWidget(editor);
    m_form->addRow(group);
    m_refreshers << [editor, current] { editor->setScheme(current()); };
    connect(editor, &InitSchemeEditor::schemeEdited, this, [this, apply](const nlohmann::json& scheme) {
        QString error;
        report(apply(scheme, &error) ? QString() : error);
    });
}

}  // namespace nnstudio::ui
