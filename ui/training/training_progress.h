// TrainingProgress: the status-bar read-out of a run — a progress bar over all steps and
// "epoch 2/5 · 1.2k samples/s · ETA 0:14" (the ETA from EtaEstimator), "Paused · epoch 2/5".
#pragma once
#include "train/metrics.h"
#include "training/eta_estimator.h"

#include <QWidget>

class QLabel;
class QProgressBar;

namespace nnstudio::ui {

class TrainingProgress : public QWidget {
    Q_OBJECT
public:
    explicit TrainingProgress(QWidget* parent = nullptr);

    void addSnapshot(const train::MetricsSnapshot& snapshot);
    void reset();                         // idle: hidden bar, empty text, a fresh ETA estimate
    // Paused: "Paused · epoch 2/5" and no ETA (snapshots still queued keep that text); the time
    // paused does not count in the ETA after resuming.
    void setPaused(bool paused);
    void showMessage(const QString& text);  // e.g. "loading data…", "stopped", an error's first line
    QString text() const;
    int percent() const;

    static QString formatDuration(double seconds);  // 0:14, 12:03, 1:02:03
    static QString formatRate(double perSecond);    // 950, 1.2k, 3.4M

private:
    void showRunning();

    QProgressBar* m_bar;
    QLabel* m_label;
    EtaEstimator m_eta;
    struct Latest {  // of the last Step or Epoch snapshot: what the text describes
        int epoch, epochs;
        int64_t totalSteps;
        double samples_per_s;
    };
    std::optional<Latest> m_latest;
    bool m_paused = false;
};

}  // namespace nnstudio::ui
