// SnapshotInbox: the hand-over of MetricsSnapshots from the training side (any thread) to the GUI
// thread. Bounded: when the GUI falls behind, the oldest step snapshots are dropped (coalesced);
// epoch and final snapshots are always kept.
#pragma once
#include "train/metrics.h"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <vector>

namespace nnstudio::ui {

class SnapshotInbox {
public:
    explicit SnapshotInbox(size_t maxPendingSteps = 2000) : m_maxPendingSteps(maxPendingSteps) {}

    void push(train::MetricsSnapshot snapshot);              // never blocks for long
    std::vector<train::MetricsSnapshot> take(size_t maxCount);  // oldest first
    void clear();
    int64_t dropped() const;

private:
    size_t m_maxPendingSteps;
    mutable std::mutex m_mutex;
    std::deque<train::MetricsSnapshot> m_queue;
    size_t m_pendingSteps = 0;
    int64_t m_dropped = 0;
};

}  // namespace nnstudio::ui
