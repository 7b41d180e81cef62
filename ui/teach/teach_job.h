// TeachJob: runs one teaching computation on its own thread and hands the result (or the
// exception's message) back to the GUI thread through a queued call, so a view never blocks.
#pragma once
#include <QObject>
#include <QString>
#include <functional>
#include <memory>

class QThread;

namespace nnstudio::ui {

class TeachJob : public QObject {
    Q_OBJECT
public:
    explicit TeachJob(QObject* parent = nullptr);
    ~TeachJob() override;  // waits for a computation still running

    bool isRunning() const { return m_thread != nullptr; }

    // Computes `work()` off the GUI thread, then calls `onResult` on the GUI thread; an exception
    // becomes failed(message). Returns false (and does nothing) while another computation runs.
    template <class R>
    bool start(std::function<R()> work, std::function<void(R)> onResult) {
        return launch([work = std::move(work), onResult = std::move(onResult)]() -> std::function<void()> {
            auto result = std::make_shared<R>(work());
            return [onResult, result] { onResult(std::move(*result)); };
        });
    }

signals:
    void runningChanged(bool running);
    void failed(const QString& message);

private:
    bool launch(std::function<std::function<void()>()> work);
    void finish(const std::function<void()>& deliver, const QString& error);

    QThread* m_thread = nullptr;
};

}  // namespace nnstudio::ui
