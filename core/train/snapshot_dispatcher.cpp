// SnapshotDispatcher: a bounded queue drained by one delivery thread.
#include "train/snapshot_dispatcher.h"

#include <algorithm>

namespace nnstudio::train {

SnapshotDispatcher::SnapshotDispatcher(std::vector<MetricsListener> listeners, size_t max_pending_steps)
    : m_listeners(std::move(listeners)), m_max_pending_steps(max_pending_steps), m_thread([this] { loop(); }) {}

SnapshotDispatcher::~SnapshotDispatcher() {
    {
        std::lock_guard lock(m_mutex);
        m_closing = true;
        // Epoch and final snapshots are delivered; of the stale steps only the last before each of
        // them, so a slow listener does not hold up the end of a run, and a run that ended before
        // the listeners caught up (a small model trains an epoch in a millisecond) still shows
        // its loss per step.
        std::deque<MetricsSnapshot> kept;
        for (size_t i = 0; i < m_queue.size(); ++i) {
            const bool step = m_queue[i].kind == SnapshotKind::Step;
            const bool last_of_steps = i + 1 < m_queue.size() && m_queue[i + 1].kind != SnapshotKind::Step;
            if (!step || last_of_steps) kept.push_back(std::move(m_queue[i]));
            else ++m_dropped;
        }
        m_queue = std::move(kept);
    }
    m_wake.notify_one();
    m_thread.join();
}

void SnapshotDispatcher::post(MetricsSnapshot snapshot) {
    if (m_listeners.empty()) return;
    {
        std::lock_guard lock(m_mutex);
        if (snapshot.kind == SnapshotKind::Step) {
            const auto steps = std::count_if(m_queue.begin(), m_queue.end(),
                                             [](const MetricsSnapshot& s) { return s.kind == SnapshotKind::Step; });
            if (static_cast<size_t>(steps) >= m_max_pending_steps) {
                const auto oldest = std::find_if(m_queue.begin(), m_queue.end(),
                                                 [](const MetricsSnapshot& s) { return s.kind == SnapshotKind::Step; });
                m_queue.erase(oldest);
                ++m_dropped;
            }
        }
        m_queue.push_back(std::move(snapshot));
    }
    m_wake.notify_one();
}

int64_t SnapshotDispatcher::dropped() const {
    std::lock_guard lock(m_mutex);
    return m_dropped;
}

void SnapshotDispatcher::loop() {
    for (;;) {
        MetricsSnapshot next;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_closing || !m_queue.empty(); });
            if (m_queue.empty()) return;  // closing and drained
            next = std::move(m_queue.front());
            m_queue.pop_front();
        }
        for (const auto& listener : m_listeners) listener(next);
    }
}

}  // namespace nnstudio::train
