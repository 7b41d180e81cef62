// SnapshotInbox: a bounded, coalescing queue between the training thread and the GUI thread.
#include "training/snapshot_inbox.h"

#include <algorithm>

namespace nnstudio::ui {

using train::SnapshotKind;

void SnapshotInbox::push(train::MetricsSnapshot snapshot) {
    std::lock_guard lock(m_mutex);
    if (snapshot.kind == SnapshotKind::Step) {
        if (m_pendingSteps >= m_maxPendingSteps) {
            const auto oldestStep = std::find_if(m_queue.begin(), m_queue.end(),
                                                 [](const train::MetricsSnapshot& s) { return s.kind == SnapshotKind::Step; });
            m_queue.erase(oldestStep);
            --m_pendingSteps;
            ++m_dropped;
        }
        ++m_pendingSteps;
    }
    m_queue.push_back(std::move(snapshot));
}

std::vector<train::MetricsSnapshot> SnapshotInbox::take(size_t maxCount) {
    std::lock_guard lock(m_mutex);
    const size_t n = std::min(maxCount, m_queue.size());
    std::vector<train::MetricsSnapshot> out;
    out.reserve(n);
    for (size_t i = 0; i < n; ++i) {
        if (m_queue.front().kind == SnapshotKind::Step) --m_pendingSteps;
        out.push_back(std::move(m_queue.front()));
        m_queue.pop_front();
    }
    return out;
}

void SnapshotInbox::clear() {
    std::lock_guard lock(m_mutex);
    m_queue.clear();
    m_pendingSteps = 0;
    m_dropped = 0;
}

int64_t SnapshotInbox::dropped() const {
    std::lock_guard lock(m_mutex);
    return m_dropped;
}

}  // namespace nnstudio::ui
