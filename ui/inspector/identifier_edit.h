// IdentifierEdit: a line edit for a name (layer or model) applied as the user types. A name the
// document refuses (not a Python identifier, taken by a sibling) is not applied: the box turns
// red with the reason under it, and leaving the box shows the current name again.
#pragma once
#include <QWidget>
#include <functional>

class QLabel;
class QLineEdit;

namespace nnstudio::ui {

class IdentifierEdit : public QWidget {
    Q_OBJECT
public:
    // `apply(text, &error)` makes the edit or explains why not; `current()` is the applied name.
    IdentifierEdit(const QString& objectName, std::function<bool(const QString&, QString*)> apply,
                   std::function<QString()> current, QWidget* parent = nullptr);

    void refresh();  // shows current() unless the user is typing here
    QLineEdit* lineEdit() const { return m_edit; }
    QString message() const;

private:
    void showProblem(const QString& problem);

    QLineEdit* m_edit;
    QLabel* m_problem;
    std::function<bool(const QString&, QString*)> m_apply;
    std::function<QString()> m_current;
};

}  // namespace nnstudio::ui
