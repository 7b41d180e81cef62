// SnapshotQueue: the one hand-over of MetricsSnapshots from the training loop to whoever shows or
// stores them (a listener thread, the GUI's timer). Bounded and never blocking the producer: when
// the consumer falls behind, the oldest step snapshots are dropped; epoch and final ones never are.
#pragma once
#include "train/metrics.h"

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <vector>

namespace nnstudio::train {

class SnapshotQueue {
public:
    explicit SnapshotQueue(size_t max_pending_steps = 256) : m_max_pending_steps(max_pending_steps) {}

    void push(MetricsSnapshot snapshot);                      // never waits for the consumer
    std::vector<MetricsSnapshot> take(size_t max_count);      // oldest first; does not wait
    // Waits for the next snapshot; nullopt once close() was called and the queue is empty.
    std::optional<MetricsSnapshot> wait_pop();
    // The producer is done: of each run of step snapshots still queued before an epoch or final
    // snapshot (and at the end), only the last step and the last step carrying parameter
    // statistics stay, so a slow consumer does not hold up the end of a run and still draws
    // each epoch's per-step curves. Wakes wait_pop().
    void close();
    void clear();  // empties it and reopens it for a new run (dropped() back to 0)
    int64_t dropped() const;  // step snapshots dropped since the last clear()

private:
    size_t m_max_pending_steps;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<MetricsSnapshot> m_queue;
    size_t m_pending_steps = 0;
    bool m_closed = false;
    int64_t m_dropped = 0;
};

}  // namespace nnstudio::train
