// RunBar: button row plus a word-wrapped status label.
#include "teach/run_bar.h"

#include "teach/teach_job.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace nnstudio::ui {

RunBar::RunBar(const QString& runText, QWidget* parent) : QWidget(parent), m_run(new QPushButton(runText, this)),
                                                           m_status(new QLabel(this)) {
    auto* buttons = new QHBoxLayout;
    buttons->setContentsMargins(0, 0, 0, 0);
    buttons->addWidget(m_run);
    buttons->addStretch();
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(buttons);
    layout->addWidget(m_status);
    m_status->setWordWrap(true);
    // Two lines, so a long result line does not push a bottom dock into scrolling; the tooltip
    // has the whole text.
    m_status->setFixedHeight(2 * m_status->fontMetrics().lineSpacing());
    m_status->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_buttons << m_run;
    connect(m_run, &QPushButton::clicked, this, &RunBar::runClicked);
}

bool RunBar::hasHeightForWidth() const { return false; }

QString RunBar::statusText() const { return m_status->text(); }

void RunBar::addButton(QPushButton* button) {
    m_buttons << button;
    static_cast<QHBoxLayout*>(layout()->itemAt(0)->layout())->insertWidget(m_buttons.size() - 1, button);
}

void RunBar::addField(QWidget* field) {
    auto* row = static_cast<QHBoxLayout*>(layout()->itemAt(0)->layout());
    row->insertWidget(row->count() - 1, field);  // before the stretch
}

void RunBar::setBusy(bool busy) {
    m_busy = busy;
    for (QPushButton* b : std::as_const(m_buttons)) b->setEnabled(!busy);
    if (busy) showMessage(tr("computing…"));
}

void RunBar::showMessage(const QString& text) {
    m_status->setStyleSheet({});
    m_status->setText(text);
    m_status->setToolTip(text);
}

void RunBar::showError(const QString& text) {
    m_status->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_status->setText(text);
    m_status->setToolTip(text);
}

void RunBar::follow(TeachJob* job) {
    connect(job, &TeachJob::runningChanged, this, &RunBar::setBusy);
    connect(job, &TeachJob::failed, this, &RunBar::showError);
}

}  // namespace nnstudio::ui
