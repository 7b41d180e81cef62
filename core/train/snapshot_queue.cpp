// SnapshotQueue: a bounded, coalescing, thread-safe queue of MetricsSnapshots.
#include "train/snapshot_queue.h"

#include <algorithm>

namespace nnstudio::train {

void SnapshotQueue::push(MetricsSnapshot snapshot) {
    {
        std::lock_guard lock(m_mutex);
        if (snapshot.kind == SnapshotKind::Step) {
            if (m_pending_steps >= m_max_pending_steps) {
                const auto oldest = std::find_if(m_queue.begin(), m_queue.end(),
                                                 [](const MetricsSnapshot& s) { return s.kind == SnapshotKind::Step; });
                m_queue.erase(oldest);
                --m_pending_steps;
                ++m_dropped;
            }
            ++m_pending_steps;
        }
        m_queue.push_back(std::move(snapshot));
    }
    m_wake.notify_one();
}

std::vector<MetricsSnapshot> SnapshotQueue::take(size_t max_count) {
    std::lock_guard lock(m_mutex);
    const size_t n = std::min(max_count, m_queue.size());
    std::vector<MetricsSnapshot> out;
    out.reserve(n);
    for (size_t i = 0; i < n; ++i) {
        if (m_queue.front().kind == SnapshotKind::Step) --m_pending_steps;
        out.push_back(std::move(m_queue.front()));
        m_queue.pop_front();
    }
    return out;
}

std::optional<MetricsSnapshot> SnapshotQueue::wait_pop() {
    std::unique_lock lock(m_mutex);
    m_wake.wait(lock, [this] { return m_closed || !m_queue.empty(); });
    if (m_queue.empty()) return std::nullopt;  // closed and drained
    MetricsSnapshot next = std::move(m_queue.front());
    m_queue.pop_front();
    if (next.kind == SnapshotKind::Step) --m_pending_steps;
    return next;
}

void SnapshotQueue::close() {
    {
        std::lock_guard lock(m_mutex);
        m_closed = true;
        // A run that ended before its consumer caught up (a small model trains an epoch in a
        // millisecond) still shows its per-step curves: walking back from each epoch/final
        // snapshot, the first step seen and the first step with statistics are kept.
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
        m_pending_steps = 0;
        for (size_t i = 0; i < m_queue.size(); ++i) {
            if (!keep[i]) {
                ++m_dropped;
                continue;
            }
            if (m_queue[i].kind == SnapshotKind::Step) ++m_pending_steps;
            kept.push_back(std::move(m_queue[i]));
        }
        m_queue = std::move(kept);
    }
    m_wake.notify_all();
}

void SnapshotQueue::clear() {
    std::lock_guard lock(m_mutex);
    m_queue.clear();
    m_pending_steps = 0;
    m_closed = false;
    m_dropped = 0;
}

int64_t SnapshotQueue::dropped() const {
    std::lock_guard lock(m_mutex);
    return m_dropped;
}

}  // namespace nnstudio::train
