// EtaEstimator: a sliding window of (steps, seconds) intervals between snapshots.
#include "training/eta_estimator.h"

#include <algorithm>

namespace nnstudio::ui {

void EtaEstimator::add(int64_t step, double wallSeconds) {
    m_lastStep = std::max(m_lastStep, step);
    if (m_last && step > m_last->step && wallSeconds >= m_last->wall) {
        const Interval i{step - m_last->step, wallSeconds - m_last->wall};
        m_intervals.push_back(i);
        m_steps += i.steps;
        m_seconds += i.seconds;
        // Drop the oldest while the rest still cover the window.
        while (m_intervals.size() > 1 && m_seconds - m_intervals.front().seconds >= m_window) {
            m_steps -= m_intervals.front().steps;
            m_seconds -= m_intervals.front().seconds;
            m_intervals.pop_front();
        }
    }
    if (!m_last || step > m_last->step) m_last = Point{step, wallSeconds};
}

void EtaEstimator::reset() {
    m_last.reset();
    m_lastStep = 0;
    m_intervals.clear();
    m_steps = 0;
    m_seconds = 0;
}

std::optional<double> EtaEstimator::secondsPerStep() const {
    if (m_steps <= 0) return std::nullopt;
    return m_seconds / static_cast<double>(m_steps);
}

std::optional<double> EtaEstimator::secondsLeft(int64_t totalSteps) const {
    const std::optional<double> perStep = secondsPerStep();
    if (!perStep) return std::nullopt;
    return *perStep * static_cast<double>(std::max<int64_t>(0, totalSteps - m_lastStep));
}

}  // namespace nnstudio::ui
