// PlaygroundSession: the playground's own small training run (a model built from the document, its
// data, a train::Stepper) stepping on a worker thread at a chosen speed. The GUI thread sends
// commands (play, pause, step, reset, speed, learning rate, noise, weight decay), which the worker
// applies between steps, and takes finished PlaygroundFrames from a one-slot mailbox: it never
// waits for a step or a grid evaluation.
#pragma once
#include "playground/playground_frame.h"
#include "spec/model_builder.h"
#include "spec/model_spec.h"
#include "train/train_setup.h"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace nnstudio::ui {

class PlaygroundSession {
public:
    static constexpr int kGridResolution = 100;  // cells per side of the decision boundary
    static constexpr double kFramesPerSecond = 20;  // while playing, at most this many frames

    // Builds and initialises the model (the setup's init, else the spec's; seeded by setup.seed),
    // loads the setup's data (a 2-D synthetic set) and makes a Stepper of them — all on the
    // calling thread, so a bad model or setup throws here (ShapeError, SpecError, DataError with
    // the engine's message). The run starts paused; a first frame (step 0) follows at once.
    PlaygroundSession(const spec::ModelSpec& spec, const spec::FlagValues& flags, const train::TrainSetup& setup);
    ~PlaygroundSession();  // stops and joins the worker
    PlaygroundSession(const PlaygroundSession&) = delete;
    PlaygroundSession& operator=(const PlaygroundSession&) = delete;

    // Commands: thread-safe, applied by the worker before its next step.
    void play();
    void pause();
    void singleStep();  // pauses, then exactly one optimizer step and a frame
    void reset();       // new random weights (the next seed) and a fresh optimizer; stays paused
    // Steps per second while playing; <= 0: as fast as possible.
    void setSpeed(double stepsPerSecond);
    void setLearningRate(double lr);
    void setWeightDecay(double weightDecay);
    void setNoise(double noise);  // regenerates the same samples with this noise (same seed)

    bool isPlaying() const;
    double learningRate() const;  // as set (the setup's until changed)
    double weightDecay() const;
    double noise() const;

    // The newest frame since the last call (older ones are dropped), or nothing.
    std::optional<PlaygroundFrame> takeFrame();

private:
    struct Run;
    void work();  // the worker thread's loop

    std::unique_ptr<Run> m_run;  // touched only by the worker once it started

    mutable std::mutex m_mutex;  // guards everything below
    std::condition_variable m_wake;
    bool m_quit = false, m_playing = false, m_resetRequested = false;
    int m_stepsRequested = 0;
    double m_speed = 10, m_lr = 0, m_weightDecay = 0, m_noise = 0;
    bool m_settingsChanged = false, m_frameWanted = true, m_speedChanged = false;
    std::optional<PlaygroundFrame> m_mailbox;
    std::thread m_worker;
};

}  // namespace nnstudio::ui
