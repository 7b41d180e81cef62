// FlagsPanel: one row per flag (check box + remove button), and an "add" row.
#include "inspector/flags_panel.h"

#include "document/model_document.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QToolButton>

namespace nnstudio::ui {

FlagsPanel::FlagsPanel(ModelDocument* document, QWidget* parent)
    : QWidget(parent), m_document(document), m_list(new QVBoxLayout), m_newName(new QLineEdit),
      m_message(new QLabel) {
    auto* intro = new QLabel(tr("Layers can exist only when a flag is on (their “Exists” field). Flags become "
                                "constructor arguments of the exported PyTorch class; here you set their defaults."));
    intro->setWordWrap(true);
    m_newName->setObjectName("newFlagName");
    m_newName->setPlaceholderText(tr("new_flag"));
    auto* add = new QPushButton(tr("Add flag"));
    add->setObjectName("addFlag");
    m_message->setObjectName("message");
    m_message->setWordWrap(true);
    m_message->setStyleSheet("color: #dc2626");
    m_message->hide();

    auto* addRow = new QHBoxLayout;
    addRow->addWidget(m_newName, 1);
    addRow->addWidget(add);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(m_list);
    layout->addLayout(addRow);
    layout->addWidget(m_message);
    layout->addStretch(1);

    connect(add, &QPushButton::clicked, this, &FlagsPanel::addFlagFromEditor);
    connect(m_newName, &QLineEdit::returnPressed, this, &FlagsPanel::addFlagFromEditor);
    connect(m_document, &ModelDocument::changed, this, &FlagsPanel::rebuild);
    connect(m_document, &ModelDocument::readOnlyChanged, this, [this](bool readOnly) { setEnabled(!readOnly); });
    rebuild();
}

QString FlagsPanel::message() const { return m_message->text(); }

void FlagsPanel::report(const QString& error) {
    m_message->setText(error);
    m_message->setVisible(!error.isEmpty());
}

void FlagsPanel::rebuild() {
    QStringList flags;
    for (const auto& [name, value] : m_document->spec().flags) flags << QString::fromStdString(name);
    if (flags != m_shownFlags) {  // rows change only when flags come or go; values are set below
        while (QLayoutItem* item = m_list->takeAt(0)) {
            item->widget()->hide();
            item->widget()->deleteLater();  // a row's own button may be mid-click
            delete item;
        }
        for (const QString& name : flags) {
            auto* row = new QWidget;
            auto* rowLayout = new QHBoxLayout(row);
            rowLayout->setContentsMargins(0, 0, 0, 0);
            auto* box = new QCheckBox(name);
            box->setObjectName("flag:" + name);
            auto* remove = new QToolButton;
            remove->setObjectName("removeFlag:" + name);
            remove->setText("✕");
            remove->setToolTip(tr("Remove the flag (layers that depend on it become unconditional)"));
            rowLayout->addWidget(box, 1);
            rowLayout->addWidget(remove);
            m_list->addWidget(row);
            connect(box, &QCheckBox::toggled, this, [this, name](bool on) {
                QString error;
                report(m_document->setFlagDefault(name, on, &error) ? QString() : error);
            });
            connect(remove, &QToolButton::clicked, this, [this, name] {
                QString error;
                report(m_document->removeFlag(name, &error) ? QString() : error);
            });
        }
        m_shownFlags = flags;
    }
    for (const auto& [name, value] : m_document->spec().flags) {
        auto* box = findChild<QCheckBox*>("flag:" + QString::fromStdString(name));
        const QSignalBlocker blocker(box);
        box->setChecked(value);
    }
}

void FlagsPanel::addFlagFromEditor() {
    QString error;
    if (m_document->addFlag(m_newName->text().trimmed(), true, &error)) {
        m_newName->clear();
        report({});
    } else {
        report(error);
    }
}

}  // namespace nnstudio::ui
