// Helpers shared by the GUI suites: where screenshots go, a heartbeat that measures how long
// the GUI thread was blocked, and state_dict equality.
#pragma once
#include "tensor/typed_tensor.h"

#include <QDir>
#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>

#include <algorithm>

namespace nnstudio::test {

// The same keys in the same order, each with the same shape and the same bytes.
inline bool same_tensors(const StateDict& a, const StateDict& b) {
    if (a.size() != b.size()) return false;
    auto ib = b.entries().begin();
    for (const auto& [key, t] : a.entries()) {
        if (key != ib->first || t.shape != ib->second.shape || t.bytes != ib->second.bytes) return false;
        ++ib;
    }
    return true;
}

// The suites' build folder (screenshots are written there, or below it).
inline QString screenshotDir() {
#ifdef QT_TESTCASE_BUILDDIR
    return QT_TESTCASE_BUILDDIR;
#else
    return QDir::currentPath();
#endif
}

// Largest interval between the ticks of a 10 ms timer, from construction until stop(): how long
// the GUI thread was blocked.
class Heartbeat {
public:
    Heartbeat() {
        m_timer.setInterval(10);
        QObject::connect(&m_timer, &QTimer::timeout, [this] { m_maxGapMs = std::max(m_maxGapMs, m_clock.restart()); });
        m_clock.start();
        m_timer.start();
    }
    qint64 maxGapMs() const { return m_maxGapMs; }
    // Counts the gap up to now, then stops measuring.
    void stop() {
        if (!m_timer.isActive()) return;
        m_maxGapMs = std::max(m_maxGapMs, m_clock.elapsed());
        m_timer.stop();
    }
    // Starts the current gap afresh: the test itself blocked the thread on purpose (a screenshot).
    void skipGap() { m_clock.restart(); }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_maxGapMs = 0;
};

}  // namespace nnstudio::test
