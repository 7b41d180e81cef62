// EtaEstimator: time left in a training run from a moving average of recent step times (the
// last `window` seconds of training), so the estimate follows the current speed, never counts
// the time a run spent paused, and is "unknown" rather than 0:00 until it has two points.
#pragma once
#include <cstdint>
#include <deque>
#include <optional>

namespace nnstudio::ui {

class EtaEstimator {
public:
    // window: seconds of training the average covers (> 0).
    explicit EtaEstimator(double windowSeconds = 20.0) : m_window(windowSeconds) {}

    // Progress: `step` optimizer steps done at `wallSeconds` (MetricsSnapshot's step and wall_s).
    // A snapshot that does not advance the step (an epoch's evaluation) is skipped: its time is
    // counted in the next interval, so evaluation time is part of the average.
    void add(int64_t step, double wallSeconds);
    // The run paused: the next add() starts a new reference, so the pause is not a slow step.
    void pause() { m_last.reset(); }
    void reset();

    // Mean seconds per step over the window; nullopt before two points.
    std::optional<double> secondsPerStep() const;
    // secondsPerStep() * (totalSteps - last step), at least 0; nullopt before two points.
    std::optional<double> secondsLeft(int64_t totalSteps) const;

private:
    struct Interval {
        int64_t steps;
        double seconds;
    };
    struct Point {
        int64_t step;
        double wall;
    };
    double m_window;
    std::optional<Point> m_last;
    int64_t m_lastStep = 0;
    std::deque<Interval> m_intervals;  // newest at the back; their seconds add up to about m_window
    int64_t m_steps = 0;               // sums over m_intervals
    double m_seconds = 0;
};

}  // namespace nnstudio::ui
