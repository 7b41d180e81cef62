// SnapshotDispatcher: where the Trainer's MetricsSnapshots leave the training loop. Each one goes
// into one SnapshotQueue per consumer: the dispatcher's own, which its thread drains into the
// callback listeners (so a slow listener, a disk or a terminal, never blocks the loop), and the
// queues consumers drain on their own schedule (the GUI's timer).
#pragma once
#include "train/snapshot_queue.h"

#include <functional>
#include <thread>
#include <vector>

namespace nnstudio::train {

using MetricsListener = std::function<void(const MetricsSnapshot&)>;

class SnapshotDispatcher {
public:
    // `queues` must outlive the dispatcher; they are not closed at the end (their consumers drain
    // them to the last snapshot). No listeners: no thread.
    explicit SnapshotDispatcher(std::vector<MetricsListener> listeners, std::vector<SnapshotQueue*> queues = {},
                                size_t max_pending_steps = 256);
    // Closes the listeners' queue (SnapshotQueue::close: the last step and the last step with
    // parameter statistics before each epoch/final snapshot stay), delivers it, then joins.
    ~SnapshotDispatcher();
    SnapshotDispatcher(const SnapshotDispatcher&) = delete;
    SnapshotDispatcher& operator=(const SnapshotDispatcher&) = delete;

    void post(MetricsSnapshot snapshot);  // never waits for a consumer
    int64_t dropped() const;  // step snapshots the listeners never saw

private:
    void loop();
    std::vector<MetricsListener> m_listeners;
    SnapshotQueue m_queue;                 // the listeners'
    std::vector<SnapshotQueue*> m_targets;  // the given queues, then m_queue when there are listeners
    std::thread m_thread;
};

}  // namespace nnstudio::train
