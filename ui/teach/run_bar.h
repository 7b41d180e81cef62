// RunBar: the Run button and one status line every teaching view shows: "computing…" with the
// button disabled while a job runs, then a summary or the error in red (never a dialog).
#pragma once
#include <QWidget>

class QLabel;
class QPushButton;

namespace nnstudio::ui {

class TeachJob;

class RunBar : public QWidget {
    Q_OBJECT
public:
    explicit RunBar(const QString& runText, QWidget* parent = nullptr);

    QPushButton* runButton() const { return m_run; }
    QString statusText() const;
    bool isBusy() const { return m_busy; }
    // False: the status has a fixed two-line height, so a scroll area around the view sizes it
    // by its minimum, not by the word-wrapped text's height for the width.
    bool hasHeightForWidth() const override;

    void setBusy(bool busy);            // disables the buttons and shows "computing…"
    void addButton(QPushButton* button);  // disabled with Run while busy
    void addField(QWidget* field);        // after the buttons, e.g. the button's step count
    void showMessage(const QString& text);
    void showError(const QString& text);
    // Busy while `job` runs; its failure message shown as the error.
    void follow(TeachJob* job);

signals:
    void runClicked();

private:
    QPushButton* m_run;
    QList<QPushButton*> m_buttons;
    QLabel* m_status;
    bool m_busy = false;
};

}  // namespace nnstudio::ui
