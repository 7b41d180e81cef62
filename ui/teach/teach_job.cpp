// TeachJob: one QThread per computation; the result travels back as a queued lambda.
#include "teach/teach_job.h"

#include "training/engine_threads.h"

#include <QThread>
#include <exception>

namespace nnstudio::ui {

TeachJob::TeachJob(QObject* parent) : QObject(parent) {}

TeachJob::~TeachJob() {
    if (!m_thread) return;
    m_thread->wait();  // the queued delivery to this object is dropped with it
    delete m_thread;
}

bool TeachJob::launch(std::function<std::function<void()>()> work) {
    if (m_thread) return false;
    m_thread = QThread::create([this, work = std::move(work)] {
        const ScopedDefaultBackend leaveOneCore(guiCpuBackend());
        std::function<void()> deliver;
        QString error;
        try {
            deliver = work();
        } catch (const std::exception& e) {
            error = QString::fromStdString(e.what());
        } catch (...) {
            error = tr("unknown error");
        }
        QMetaObject::invokeMethod(this, [this, deliver, error] { finish(deliver, error); }, Qt::QueuedConnection);
    });
    m_thread->start();
    emit runningChanged(true);
    return true;
}

void TeachJob::finish(const std::function<void()>& deliver, const QString& error) {
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
    emit runningChanged(false);
    if (error.isEmpty()) deliver();
    else emit failed(error);
}

}  // namespace nnstudio::ui
