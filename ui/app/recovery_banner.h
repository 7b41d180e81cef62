// RecoveryBanner: the non-modal bar above the canvas that offers to restore the autosaved
// project an earlier session left behind (it ended without saving, e.g. a crash).
#pragma once
#include "files/autosave.h"

#include <QFrame>

class QLabel;

namespace nnstudio::ui {

class RecoveryBanner : public QFrame {
    Q_OBJECT
public:
    explicit RecoveryBanner(QWidget* parent = nullptr);
    void showRecovery(const Recovery& recovery);
    const Recovery& recovery() const { return m_recovery; }

signals:
    void recoverRequested(const nnstudio::ui::Recovery& recovery);
    void discardRequested();

private:
    QLabel* m_text;
    Recovery m_recovery;
};

}  // namespace nnstudio::ui
