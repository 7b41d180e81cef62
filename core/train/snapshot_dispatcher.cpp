// SnapshotDispatcher: a bounded queue drained by one delivery thread.
#include "train/snapshot_dispatcher.h"

#include <algorithm>
#include <vector>

namespace nnstudio::train {

SnapshotDispatcher::SnapshotDispatcher(std::vector<MetricsListener> listeners, size_t max_pending_steps)
    : m_listeners(std::move(listeners)), m_max_pending_steps(max_pending_steps), m_thread([this] { loop(); }) {}

SnapshotDispatcher::~SnapshotDispatcher() {
    {
        std::lock_guard lock(m_mutex);
        m_closing = true;
        // Epoch and final snapshots are delivered; of each run of stale steps before one of them,
        // only the last step and the last step with parameter statistics. A slow listener does
        // not hold up the end of a run, and a run that ended before the listeners caught up (a
        // small model trains an epoch in a millisecond) still shows its per-step curves.
        std::vector<bool> keep(m_queue.size(), false);
        bool have_step = false, have_stats = false;
        for (size_t i = m_queue.size(); i-- > 0;) {
            const MetricsSnapshot& s = m_queue[i];
            if (s.kind != SnapshotKind::Step) {
                keep[i] = true;
                have_step = have_stats = false;
                continue;
            }
            if (!have_step || (!have_stats && !s.params.empty())) keep[i] = true;
            have_step = true;
            have_stats = have_stats || !s.params.empty();
        }
        std::deque<MetricsSnapshot> kept;
        for (size_t i = 0; i < m_queue.size(); ++i) {
            if (keep[i]) kept.push_back(std::move(m_queue[i]));
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
