// TrainingController: worker thread, pause/resume/stop forwarding and the snapshot hand-over.
#include "training/training_controller.h"

#include "train/training_session.h"
#include "training/engine_threads.h"

#include <QElapsedTimer>
#include <QMetaType>
#include <QThread>
#include <exception>

namespace nnstudio::ui {
namespace {

constexpr int kDrainIntervalMs = 50;     // at most 20 hand-overs per second (DESIGN §5)
constexpr qint64 kDrainBudgetMs = 12;    // GUI time one hand-over may take; the rest waits
constexpr size_t kDrainChunk = 64;

}  // namespace

TrainingController::TrainingController(QObject* parent) : QObject(parent) {
    qRegisterMetaType<nnstudio::train::MetricsSnapshot>("nnstudio::train::MetricsSnapshot");
    qRegisterMetaType<nnstudio::train::TrainResult>("nnstudio::train::TrainResult");
    m_drainTimer.setInterval(kDrainIntervalMs);
    connect(&m_drainTimer, &QTimer::timeout, this, [this] {
        reapplyStop();
        drainSnapshots(false);
    });
}

TrainingController::~TrainingController() {
    stop();
    joinWorker();
}

bool TrainingController::start(const spec::ModelSpec& spec, const spec::FlagValues& flags,
                               const train::TrainSetup& setup, const QString& runDir) {
    return launch([spec, flags, setup, dir = runDir.toStdString()] {
        return train::TrainingSession::start(spec, flags, setup, dir);
    });
}

bool TrainingController::resumeRun(const QString& runDir) {
    return launch([dir = runDir.toStdString()] { return train::TrainingSession::resume(dir); });
}

bool TrainingController::launch(SessionFactory factory) {
    if (m_running) return false;
    joinWorker();  // a previous run's thread may still be returning
    {
        std::lock_guard lock(m_trainerMutex);
        m_stopRequested = false;
        m_pauseRequested = false;
    }
    m_snapshots.clear();
    m_running = true;
    m_paused = false;
    m_dataDescription.clear();
    m_classNames.clear();
    m_parameterCount = 0;
    m_worker = QThread::create([this, factory = std::move(factory)] { runOnWorker(factory); });
    m_worker->setObjectName("nnstudio-training");
    m_worker->start();
    m_drainTimer.start();
    return true;
}

void TrainingController::runOnWorker(const SessionFactory& factory) {
    const ScopedDefaultBackend leaveOneCore(guiCpuBackend());
    std::unique_ptr<train::TrainingSession> session;
    try {
        session = factory();
        train::Trainer& trainer = session->trainer();
        trainer.add_queue(&m_snapshots);
        QStringList names;
        for (const std::string& n : session->data().class_names) names << QString::fromStdString(n);
        const QString description = QString::fromStdString(
            session->data().describe(static_cast<int64_t>(trainer.val_indices().size())));  // train / validation / test apart
        const qint64 parameters = session->model().parameter_count();
        QMetaObject::invokeMethod(
            this, [this, description, names, parameters] { onStarted(description, names, parameters); }, Qt::QueuedConnection);
        train::TrainResult result;
        if (attachTrainer(&trainer)) {
            result = trainer.run();
        } else {
            result.status = train::RunStatus::Stopped;
            result.message = "stopped before the first step";
        }
        attachTrainer(nullptr);
        QMetaObject::invokeMethod(
            this,
            [this, result] {
                if (result.status == train::RunStatus::Failed) onRunFailed(QString::fromStdString(result.message));
                else onRunEnded(result);
            },
            Qt::QueuedConnection);
    } catch (const std::exception& e) {
        attachTrainer(nullptr);
        const QString message = QString::fromStdString(e.what());
        QMetaObject::invokeMethod(this, [this, message] { onRunFailed(message); }, Qt::QueuedConnection);
    }
}

// Publishes the running trainer (or withdraws it) and applies a pause requested while it was
// loading. False when a stop was requested meanwhile.
bool TrainingController::attachTrainer(train::Trainer* trainer) {
    std::lock_guard lock(m_trainerMutex);
    m_trainer = trainer;
    if (trainer && m_pauseRequested) trainer->pause();
    return !m_stopRequested.load();
}

void TrainingController::pause() {
    if (!m_running || m_paused) return;
    {
        std::lock_guard lock(m_trainerMutex);
        m_pauseRequested = true;
        if (m_trainer) m_trainer->pause();
    }
    m_paused = true;
    emit pausedChanged(true);
}

void TrainingController::resume() {
    if (!m_running || !m_paused) return;
    {
        std::lock_guard lock(m_trainerMutex);
        m_pauseRequested = false;
        if (m_trainer) m_trainer->resume();
    }
    m_paused = false;
    emit pausedChanged(false);
}

void TrainingController::stop() {
    std::lock_guard lock(m_trainerMutex);
    m_stopRequested = true;
    if (m_trainer) m_trainer->stop();  // also wakes a paused run
}

// Trainer::run() clears its stop flag as it begins; re-applying a pending stop on each tick makes a
// stop() that raced with that start still take effect.
void TrainingController::reapplyStop() {
    std::lock_guard lock(m_trainerMutex);
    if (m_stopRequested.load() && m_trainer) m_trainer->stop();
}

void TrainingController::drainSnapshots(bool everything) {
    QElapsedTimer clock;
    clock.start();
    for (;;) {
        const std::vector<train::MetricsSnapshot> batch = m_snapshots.take(kDrainChunk);
        for (const train::MetricsSnapshot& s : batch) emit snapshotReceived(s);
        if (batch.size() < kDrainChunk) return;
        if (!everything && clock.elapsed() >= kDrainBudgetMs) return;
    }
}

void TrainingController::onStarted(const QString& description, const QStringList& classNames, qint64 parameters) {
    m_dataDescription = description;
    m_classNames = classNames;
    m_parameterCount = parameters;
    emit started();
}

void TrainingController::onRunEnded(const train::TrainResult& result) {
    drainSnapshots(true);
    m_drainTimer.stop();
    m_running = m_paused = false;
    joinWorker();
    emit finished(result);
}

void TrainingController::onRunFailed(const QString& message) {
    drainSnapshots(true);
    m_drainTimer.stop();
    m_running = m_paused = false;
    joinWorker();
    emit failed(message);
}

void TrainingController::joinWorker() {
    if (!m_worker) return;
    m_worker->wait();
    delete m_worker;
    m_worker = nullptr;
}

}  // namespace nnstudio::ui
