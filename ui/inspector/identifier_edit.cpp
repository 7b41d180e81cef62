// IdentifierEdit: apply while typing, explain refusals in red.
#include "inspector/identifier_edit.h"

#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

namespace nnstudio::ui {

IdentifierEdit::IdentifierEdit(const QString& objectName, std::function<bool(const QString&, QString*)> apply,
                               std::function<QString()> current, QWidget* parent)
    : QWidget(parent), m_edit(new QLineEdit(this)), m_problem(new QLabel(this)), m_apply(std::move(apply)),
      m_current(std::move(current)) {
    m_edit->setObjectName(objectName);
    m_problem->setObjectName(objectName + "Problem");
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet("color: #dc2626");
    m_problem->hide();
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_edit);
    layout->addWidget(m_problem);
    connect(m_edit, &QLineEdit::textEdited, this, [this](const QString& text) {
        QString error;
        showProblem(m_apply(text.trimmed(), &error) ? QString() : error);
    });
    connect(m_edit, &QLineEdit::editingFinished, this, [this] {
        showProblem({});
        refresh();
    });
    refresh();
}

void IdentifierEdit::refresh() {
    if (m_edit->hasFocus() && !m_problem->isHidden()) return;  // keep what the user is fixing
    if (m_edit->text().trimmed() == m_current()) return;
    m_edit->setText(m_current());
    showProblem({});
}

QString IdentifierEdit::message() const { return m_problem->isHidden() ? QString() : m_problem->text(); }

void IdentifierEdit::showProblem(const QString& problem) {
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    m_edit->setStyleSheet(problem.isEmpty() ? QString() : "QLineEdit { border: 1px solid #dc2626; }");
}

}  // namespace nnstudio::ui
