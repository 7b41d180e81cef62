#include "app/recovery_banner.h"

#include <QDir>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace nnstudio::ui {

RecoveryBanner::RecoveryBanner(QWidget* parent) : QFrame(parent) {
    setObjectName("recoveryBanner");
    setStyleSheet("#recoveryBanner { background: #fff4d6; border-bottom: 1px solid #e0b84c; } "
                  "#recoveryBanner QLabel { color: #5a4300; }");
    m_text = new QLabel(this);
    m_text->setWordWrap(true);
    auto* recover = new QPushButton("Recover", this);
    auto* discard = new QPushButton("Discard", this);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 10, 6);
    layout->addWidget(m_text, 1);
    layout->addWidget(recover);
    layout->addWidget(discard);
    connect(recover, &QPushButton::clicked, this, [this] {
        hide();
        emit recoverRequested(m_recovery);
    });
    connect(discard, &QPushButton::clicked, this, [this] {
        hide();
        emit discardRequested();
    });
    hide();
}

void RecoveryBanner::showRecovery(const Recovery& recovery) {
    m_recovery = recovery;
    const QString of = recovery.originalFile.isEmpty() ? QString("an untitled project")
                                                       : QDir::toNativeSeparators(recovery.originalFile);
    m_text->setText(QString("<b>Unsaved work found.</b> The last session ended without saving %1 "
                            "(autosaved %2). Recover it?")
                        .arg(of.toHtmlEscaped(), recovery.savedAt));
    show();
}

}  // namespace nnstudio::ui
