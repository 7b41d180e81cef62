// PlaygroundSession: the worker loop — apply commands, step, throttle, evaluate the grid, post a frame.
#include "playground/playground_session.h"

#include "backend/cpu/cpu_backend.h"
#include "backend/registry.h"
#include "data/data_error.h"
#include "data/data_source.h"
#include "data/synthetic.h"
#include "error.h"
#include "init/init_scheme.h"
#include "optim/optimizer.h"
#include "playground/field_image.h"
#include "spec/model_init.h"
#include "train/evaluate.h"
#include "train/stepper.h"

#include <chrono>
#ifdef __linux__
#include <sys/resource.h>
#include <unistd.h>
#endif
#include <deque>
#include <numeric>
#include <utility>

namespace nnstudio::ui {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<float> points_of(const data::Dataset& d, std::span<const int64_t> indices) {
    std::vector<float> out(2 * indices.size());
    for (size_t i = 0; i < indices.size(); ++i) d.copy_sample(indices[i], &out[2 * i]);
    return out;
}

std::vector<int32_t> labels_of(const data::Dataset& d, std::span<const int64_t> indices) {
    std::vector<int32_t> out;
    out.reserve(indices.size());
    for (int64_t i : indices) out.push_back(d.label(i));
    return out;
}

}  // namespace

struct PlaygroundSession::Run {
    // One thread of its own: a few thousand tiny steps a second gain nothing from a team, and the
    // app's shared CPU backend may be busy with a real run at the same time.
    CpuBackend backend{CpuBackendOptions{.threads = 1}};
    spec::ModelSpec spec;
    spec::FlagValues flags;
    train::TrainSetup setup;
    std::optional<init::InitScheme> scheme;
    std::optional<nn::Model> model;
    data::LoadedData data;
    std::unique_ptr<train::Stepper> stepper;
    std::vector<int64_t> test_indices;
    GridRect rect;
    uint64_t resets = 0;

    void load_data(double noise) {
        setup.synthetic.noise = noise;
        data = data::load_data(data::parse_data_source(setup.data), train::data_options_for(setup));
        std::vector<float> all = data.train.floats();
        all.insert(all.end(), data.test.floats().begin(), data.test.floats().end());
        rect = square_bounds(all);
    }
    // A fresh model and optimizer (seed: the setup's, then one more per reset).
    void start_model() {
        stepper.reset();
        model.emplace(spec::build_model(spec, flags));
        spec::initialize_model(*model, setup.seed + resets, scheme);
        stepper = std::make_unique<train::Stepper>(*model, setup, data);
    }

    PlaygroundFrame frame() {
        PlaygroundFrame f;
        f.step = stepper->steps();
        f.epoch = stepper->epoch();
        f.field = evaluate_grid(*model, stepper->normalization(), rect, kGridResolution);
        f.boundary = decisionImage(f.field);
        for (const HiddenField& layer : f.field.hidden) {
            f.neurons.emplace_back();
            for (int64_t k = 0; k < layer.neurons; ++k) f.neurons.back().push_back(neuronImage(f.field, layer, k));
        }
        const auto& train_idx = stepper->train_indices();
        const train::EvalMetrics tr = train::evaluate(*model, data.train, train_idx, stepper->normalization(), stepper->loss(), 1024);
        const train::EvalMetrics te = train::evaluate(*model, data.test, test_indices, stepper->normalization(), stepper->loss(), 1024);
        f.train_loss = tr.loss;
        f.train_accuracy = tr.accuracy;
        f.test_loss = te.loss;
        f.test_accuracy = te.accuracy;
        f.train_points = points_of(data.train, train_idx);
        f.train_labels = labels_of(data.train, train_idx);
        f.test_points = points_of(data.test, test_indices);
        f.test_labels = labels_of(data.test, test_indices);
        f.weights = model->state_dict();
        f.normalization = stepper->normalization();
        return f;
    }
};

PlaygroundSession::PlaygroundSession(const spec::ModelSpec& spec, const spec::FlagValues& flags, const train::TrainSetup& setup)
    : m_run(std::make_unique<Run>()) {
    if (!data::is_synthetic_name(setup.data))
        throw data::DataError("the playground trains on the built-in 2-D data sets (spirals, moons, circles, xor, blobs), not on " +
                        setup.data + ": choose one of them as the training data");
    ScopedDefaultBackend use(m_run->backend);
    Run& r = *m_run;
    r.spec = spec;
    r.flags = flags;
    r.setup = setup;
    r.setup.val_split = 0;  // every sample not in the test set is a training point
    r.setup.device = "cpu";
    if (!setup.init.is_null()) r.scheme = init::parse_init_scheme(setup.init, "training.init");
    m_noise = setup.synthetic.noise.value_or(data::default_synthetic_noise(setup.data));
    r.load_data(m_noise);
    r.test_indices.resize(static_cast<size_t>(r.data.test.size()));
    std::iota(r.test_indices.begin(), r.test_indices.end(), 0);
    r.start_model();
    m_lr = r.stepper->optimizer().lr();
    m_weightDecay = optim::detail::read_f64(r.stepper->optimizer().state(), "param_groups.0.weight_decay", "optimizer")[0];
    m_worker = std::thread([this] { work(); });
}

PlaygroundSession::~PlaygroundSession() {
    {
        std::lock_guard lock(m_mutex);
        m_quit = true;
    }
    m_wake.notify_all();
    m_worker.join();
}

void PlaygroundSession::play() {
    std::lock_guard lock(m_mutex);
    m_playing = true;
    m_wake.notify_all();
}

void PlaygroundSession::pause() {
    std::lock_guard lock(m_mutex);
    m_playing = false;
    m_frameWanted = true;  // the paused picture shows the last step exactly
    m_wake.notify_all();
}

void PlaygroundSession::singleStep() {
    std::lock_guard lock(m_mutex);
    m_playing = false;
    ++m_stepsRequested;
    m_wake.notify_all();
}

void PlaygroundSession::reset() {
    std::lock_guard lock(m_mutex);
    m_playing = false;
    m_stepsRequested = 0;
    m_resetRequested = true;
    m_wake.notify_all();
}

void PlaygroundSession::setSpeed(double stepsPerSecond) {
    std::lock_guard lock(m_mutex);
    m_speed = stepsPerSecond;
    m_speedChanged = true;
    m_wake.notify_all();
}

void PlaygroundSession::setLearningRate(double lr) {
    std::lock_guard lock(m_mutex);
    m_lr = lr;
    m_settingsChanged = true;
    m_wake.notify_all();
}

void PlaygroundSession::setWeightDecay(double weightDecay) {
    std::lock_guard lock(m_mutex);
    m_weightDecay = weightDecay;
    m_settingsChanged = true;
    m_wake.notify_all();
}

void PlaygroundSession::setNoise(double noise) {
    std::lock_guard lock(m_mutex);
    m_noise = noise;
    m_settingsChanged = true;
    m_wake.notify_all();
}

bool PlaygroundSession::isPlaying() const {
    std::lock_guard lock(m_mutex);
    return m_playing;
}
double PlaygroundSession::learningRate() const {
    std::lock_guard lock(m_mutex);
    return m_lr;
}
double PlaygroundSession::weightDecay() const {
    std::lock_guard lock(m_mutex);
    return m_weightDecay;
}
double PlaygroundSession::noise() const {
    std::lock_guard lock(m_mutex);
    return m_noise;
}

std::optional<PlaygroundFrame> PlaygroundSession::takeFrame() {
    std::lock_guard lock(m_mutex);
    std::optional<PlaygroundFrame> f = std::move(m_mailbox);
    m_mailbox.reset();
    return f;
}

void PlaygroundSession::work() {
#ifdef __linux__
    // A picture to watch, not a job: the worker takes the lowest nice value (a per-thread
    // attribute on Linux, setpriority(2)), so the GUI thread and a run started in the Training
    // dock go first, while it still steps, slowly, when every core is busy.
    setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 19);
#endif
    ScopedDefaultBackend use(m_run->backend);
    Run& r = *m_run;
    Clock::time_point next_step = Clock::now(), last_frame = Clock::now() - std::chrono::hours(1);
    std::deque<Clock::time_point> recent_steps;  // the last second's steps, for the measured speed
    std::unique_lock lock(m_mutex);
    double applied_noise = m_noise;  // the noise the data has now
    double frame_cost_s = 0;         // how long the last frame took to make
    while (true) {
        const auto step_due = [&] { return m_playing && (m_speed <= 0 || Clock::now() >= next_step); };
        const auto ready = [&] {
            return m_quit || m_resetRequested || m_settingsChanged || m_frameWanted || m_speedChanged || m_stepsRequested > 0 ||
                   step_due();
        };
        if (m_playing && m_speed > 0) m_wake.wait_until(lock, next_step, ready);
        else m_wake.wait(lock, ready);
        if (m_quit) return;
        if (std::exchange(m_speedChanged, false)) next_step = Clock::now();
        // Copy the commands, then work without the lock so the GUI thread never waits for a step.
        const bool reset = std::exchange(m_resetRequested, false);
        const bool settings = std::exchange(m_settingsChanged, false);
        bool frame_wanted = std::exchange(m_frameWanted, false);
        const double lr = m_lr, weight_decay = m_weightDecay, noise = m_noise, speed = m_speed;
        const bool step = m_stepsRequested > 0 || step_due();
        if (m_stepsRequested > 0) --m_stepsRequested;
        const bool single = !m_playing;
        lock.unlock();

        std::string error;
        try {
            if (settings && noise != applied_noise) {
                r.load_data(noise);  // same sizes: the stepper reads the new samples from its next batch
                applied_noise = noise;
                frame_wanted = true;
            }
            if (reset) {
                ++r.resets;
                r.start_model();
                recent_steps.clear();
                frame_wanted = true;
            }
            if (settings || reset) {
                r.stepper->optimizer().set_lr(lr);
                r.stepper->optimizer().set_hyperparameter("weight_decay", weight_decay);
            }
            if (step) {
                const train::StepOutcome o = r.stepper->step();
                if (!o.stepped)
                    error = std::string("the loss or a gradient became non-finite at step ") + std::to_string(r.stepper->steps() + 1) +
                            (o.non_finite.empty() ? "" : " (first: " + o.non_finite + ")") +
                            ": lower the learning rate, then Reset";
                const Clock::time_point now = Clock::now();
                recent_steps.push_back(now);
                while (!recent_steps.empty() && now - recent_steps.front() > std::chrono::seconds(1)) recent_steps.pop_front();
                next_step = (speed > 0 ? std::max(next_step, now - std::chrono::milliseconds(100)) +
                                             std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / speed))
                                       : now);
            }
        } catch (const std::exception& e) {
            error = e.what();  // e.g. a weight decay the optimizer refuses
        }
        // A large model's grid costs more than its step: frames then take at most a fifth of the time.
        const bool due = Clock::now() - last_frame >= std::chrono::duration<double>(std::max(1.0 / kFramesPerSecond, 4 * frame_cost_s));
        std::optional<PlaygroundFrame> frame;
        if (frame_wanted || single || due || !error.empty()) {
            const Clock::time_point t0 = Clock::now();
            try {
                frame = r.frame();
            } catch (const std::exception& e) {  // a picture that cannot be made: say why, stop
                frame.emplace();
                if (error.empty()) error = e.what();
            }
            frame->error = error;
            frame->steps_per_s = single ? 0 : static_cast<double>(recent_steps.size());
            last_frame = Clock::now();
            frame_cost_s = std::chrono::duration<double>(last_frame - t0).count();
        }
        lock.lock();
        if (!error.empty()) m_playing = false;
        if (frame) m_mailbox = std::move(frame);
    }
}

}  // namespace nnstudio::ui
