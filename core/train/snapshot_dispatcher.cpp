// SnapshotDispatcher: one post, one copy per consumer queue; a thread drains the listeners' queue.
#include "train/snapshot_dispatcher.h"

namespace nnstudio::train {

SnapshotDispatcher::SnapshotDispatcher(std::vector<MetricsListener> listeners, std::vector<SnapshotQueue*> queues,
                                       size_t max_pending_steps)
    : m_listeners(std::move(listeners)), m_queue(max_pending_steps), m_targets(std::move(queues)) {
    if (m_listeners.empty()) return;
    m_targets.push_back(&m_queue);
    m_thread = std::thread([this] { loop(); });
}

SnapshotDispatcher::~SnapshotDispatcher() {
    m_queue.close();
    if (m_thread.joinable()) m_thread.join();
}

void SnapshotDispatcher::post(MetricsSnapshot snapshot) {
    if (m_targets.empty()) return;
    for (size_t i = 0; i + 1 < m_targets.size(); ++i) m_targets[i]->push(snapshot);
    m_targets.back()->push(std::move(snapshot));
}

int64_t SnapshotDispatcher::dropped() const { return m_queue.dropped(); }

void SnapshotDispatcher::loop() {
    while (std::optional<MetricsSnapshot> next = m_queue.wait_pop())
        for (const auto& listener : m_listeners) listener(*next);
}

}  // namespace nnstudio::train
