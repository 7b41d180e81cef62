// TrainingController: runs a TrainingSession (build, data, Trainer) on a worker QThread, never
// the GUI thread, and hands its MetricsSnapshots to the GUI thread as signals — drained on a timer
// from the SnapshotQueue the Trainer fills (train/snapshot_queue.h, the one queue every consumer of
// snapshots uses), so a fast trainer never floods the event loop.
#pragma once
#include "spec/model_builder.h"
#include "spec/model_spec.h"
#include "train/train_setup.h"
#include "train/snapshot_queue.h"
#include "train/trainer.h"

#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>

class QThread;

namespace nnstudio::train {
class TrainingSession;
}

namespace nnstudio::ui {

class TrainingController : public QObject {
    Q_OBJECT
public:
    explicit TrainingController(QObject* parent = nullptr);
    ~TrainingController() override;  // stops a running session and joins its thread

    // A new run (runDir empty: no run folder). False when a run is still going. Every accepted
    // run ends with exactly one of finished() (Completed or Stopped) or failed() (errors, NaN).
    bool start(const spec::ModelSpec& spec, const spec::FlagValues& flags, const train::TrainSetup& setup,
               const QString& runDir = {});
    // Continues a run folder from its last checkpoint.
    bool resumeRun(const QString& runDir);

    void pause();
    void resume();
    void stop();  // also cancels a run that is still loading its data
    bool isRunning() const { return m_running; }
    bool isPaused() const { return m_paused; }

    // Known once started() was emitted.
    QString dataDescription() const { return m_dataDescription; }
    QStringList classNames() const { return m_classNames; }
    qint64 parameterCount() const { return m_parameterCount; }
    // Step snapshots coalesced away because the GUI thread fell behind (this run).
    qint64 droppedSnapshots() const { return m_snapshots.dropped(); }

signals:
    void started();  // the model is built, the data loaded: the first step is about to run
    void snapshotReceived(const nnstudio::train::MetricsSnapshot& snapshot);
    void finished(const nnstudio::train::TrainResult& result);
    void failed(const QString& message);
    void pausedChanged(bool paused);

private:
    using SessionFactory = std::function<std::unique_ptr<train::TrainingSession>()>;
    bool launch(SessionFactory factory);
    void runOnWorker(const SessionFactory& factory);  // the worker thread's body
    bool attachTrainer(train::Trainer* trainer);
    void drainSnapshots(bool everything);
    void reapplyStop();
    void onStarted(const QString& description, const QStringList& classNames, qint64 parameters);
    void onRunEnded(const train::TrainResult& result);
    void onRunFailed(const QString& message);
    void joinWorker();

    QThread* m_worker = nullptr;
    train::SnapshotQueue m_snapshots{2000};  // steps beyond 2000 pending: the oldest go
    QTimer m_drainTimer;
    bool m_running = false, m_paused = false;
    QString m_dataDescription;
    QStringList m_classNames;
    qint64 m_parameterCount = 0;

    std::mutex m_trainerMutex;  // guards m_trainer and m_pauseRequested (GUI vs worker thread)
    train::Trainer* m_trainer = nullptr;
    bool m_pauseRequested = false;
    std::atomic<bool> m_stopRequested{false};
};

}  // namespace nnstudio::ui
