// TrainingProgress: the status-bar read-out of a run — a progress bar over all steps and
// "epoch 2/5 · 1.2k samples/s · ETA 0:14".
#pragma once
#include "train/metrics.h"

#include <QWidget>

class QLabel;
class QProgressBar;

namespace nnstudio::ui {

class TrainingProgress : public QWidget {
    Q_OBJECT
public:
    explicit TrainingProgress(QWidget* parent = nullptr);

    void addSnapshot(const train::MetricsSnapshot& snapshot);
    void reset();                         // idle: hidden bar, empty text
    void showMessage(const QString& text);  // e.g. "loading data…", "stopped", an error's first line
    QString text() const;
    int percent() const;

    static QString formatDuration(double seconds);  // 0:14, 12:03, 1:02:03
    static QString formatRate(double perSecond);    // 950, 1.2k, 3.4M

private:
    QProgressBar* m_bar;
    QLabel* m_label;
};

}  // namespace nnstudio::ui
