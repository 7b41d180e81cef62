// SnapshotDispatcher: hands MetricsSnapshots to listeners on its own thread, so a slow listener
// (a GUI, a disk) never blocks the training loop. Step snapshots are dropped (oldest first) when
// listeners fall behind; epoch and final snapshots never are.
#pragma once
#include "train/metrics.h"

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace nnstudio::train {

using MetricsListener = std::function<void(const MetricsSnapshot&)>;

class SnapshotDispatcher {
public:
    explicit SnapshotDispatcher(std::vector<MetricsListener> listeners, size_t max_pending_steps = 256);
    // Delivers the queued epoch/final snapshots and, before each, the last step and the last step
    // with parameter statistics (older stale steps are dropped); then joins.
    ~SnapshotDispatcher();
    SnapshotDispatcher(const SnapshotDispatcher&) = delete;
    SnapshotDispatcher& operator=(const SnapshotDispatcher&) = delete;

    void post(MetricsSnapshot snapshot);  // never waits for a listener
    int64_t dropped() const;

private:
    void loop();
    std::vector<MetricsListener> m_listeners;
    size_t m_max_pending_steps;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<MetricsSnapshot> m_queue;
    bool m_closing = false;
    int64_t m_dropped = 0;
    std::thread m_thread;
};

}  // namespace nnstudio::train
