// nnstudio-cli train: headless training with a progress bar (plain lines when not on a
// terminal), a run folder with checkpoints, --resume, and a JSON report.
#include "cli/commands.h"
#include "cli/model_options.h"
#include "cli/train_options.h"
#include "data/data_source.h"
#include "error.h"
#include "spec/model_builder.h"
#include "teach/pitfalls.h"
#include "train/training_session.h"
#include "util/atomic_file.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>
#include <unistd.h>
#include "util/plural.h"

namespace nnstudio::cli {
namespace {

using nlohmann::json;

struct TrainArgs {
    ModelOptions model;
    TrainOverrides overrides;
    std::string resume, device, out, report;
};

std::atomic<train::Trainer*> g_running_trainer{nullptr};

extern "C" void on_interrupt(int) {
    if (train::Trainer* t = g_running_trainer.load()) t->stop_from_signal_handler();
}

std::string format_duration(double seconds) {
    const int s = static_cast<int>(seconds + 0.5);
    char buf[32];
    if (s >= 3600) std::snprintf(buf, sizeof buf, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    else std::snprintf(buf, sizeof buf, "%d:%02d", s / 60, s % 60);
    return buf;
}

// Prints progress from the dispatcher thread: a redrawn bar on a terminal, else epoch lines.
// "loss 0.1234 acc 0.9000", or "loss 0.1234" for regression targets (no accuracy to print).
std::string loss_and_accuracy(const train::EvalMetrics& m) {
    char text[64];
    if (m.has_accuracy) std::snprintf(text, sizeof text, "loss %.4f acc %.4f", m.loss, m.accuracy);
    else std::snprintf(text, sizeof text, "loss %.4f", m.loss);
    return text;
}

class ProgressPrinter {
public:
    explicit ProgressPrinter(bool terminal) : m_terminal(terminal) {}

    void operator()(const train::MetricsSnapshot& s) {
        using train::SnapshotKind;
        if (s.kind == SnapshotKind::Step && m_terminal) {
            const auto now = std::chrono::steady_clock::now();
            if (now - m_last_draw < std::chrono::milliseconds(100) && s.step % s.steps_per_epoch != 0) return;
            m_last_draw = now;
            const int64_t in_epoch = (s.step - 1) % s.steps_per_epoch + 1;
            const int width = 30;
            const int filled = static_cast<int>(width * in_epoch / std::max<int64_t>(1, s.steps_per_epoch));
            std::fprintf(stderr, "\r\033[Kepoch %d/%d [%s%s] %lld/%lld loss %.4f  %.0f samples/s  ETA %s", s.epoch + 1, s.epochs,
                         std::string(static_cast<size_t>(filled), '#').c_str(), std::string(static_cast<size_t>(width - filled), '.').c_str(),
                         static_cast<long long>(in_epoch), static_cast<long long>(s.steps_per_epoch), s.loss, s.samples_per_s,
                         format_duration(s.eta_s).c_str());
            std::fflush(stderr);
        } else if (s.kind == SnapshotKind::Epoch) {
            if (m_terminal) std::fprintf(stderr, "\r\033[K");
            const std::string val = s.val.samples > 0 ? "val " + loss_and_accuracy(s.val) : "no validation set";  // --val-split 0
            std::printf("epoch %d/%d  train %s | %s | lr %.3g | %.0f samples/s | %s\n", s.epoch + 1, s.epochs,
                        loss_and_accuracy(s.train).c_str(), val.c_str(), s.lr, s.samples_per_s, format_duration(s.wall_s).c_str());
            std::fflush(stdout);
        }
    }

private:
    bool m_terminal;
    std::chrono::steady_clock::time_point m_last_draw{};
};

json report_json(const train::TrainResult& r, const spec::ModelSpec& spec, const train::TrainSetup& setup,
                 const std::string& data_text, int64_t parameters) {
    // A split without samples (no validation or test set) and its confusion matrix: null, not zeros.
    const auto eval = [](const train::EvalMetrics& m) { return m.samples ? train::to_json(m) : json(nullptr); };
    const bool confusion = r.test.samples > 0 && !r.confusion.empty();
    return {{"status", train::to_string(r.status)}, {"message", r.message}, {"model", spec.name},
            {"parameters", parameters}, {"data", data_text}, {"epochs", r.epochs_completed},
            {"steps", r.steps}, {"wall_time_s", r.wall_s}, {"samples_per_s", r.samples_per_s},
            {"train", eval(r.train)}, {"val", eval(r.val)}, {"test", eval(r.test)},
            {"confusion", confusion ? json(r.confusion) : json(nullptr)}, {"setup", train::to_json(setup)}};
}

void run_training(TrainArgs& a) {
    std::unique_ptr<train::TrainingSession> session;
    if (!a.resume.empty()) {
        session = train::TrainingSession::resume(a.resume);
    } else {
        const spec::ModelSpec spec = a.model.load_spec();
        train::TrainSetup setup = training_setup(spec, a.model.model_path, a.overrides);
        if (!a.device.empty()) setup.device = a.device;
        spec::FlagValues flags;
        for (const auto& f : a.model.flags) flags.insert(spec::parse_flag_assignment(f));
        session = train::TrainingSession::start(spec, flags, setup, a.out);
    }
    for (const std::string& note : session->notes()) std::cerr << "nnstudio-cli: note: " << note << "\n";
    // Targets the loss cannot mean (BCEWithLogitsLoss on regression values): it trains, but say so
    // first; accuracy_kind then reports no accuracy for them.
    for (const teach::Finding& f : teach::check_target_values(session->data().train, session->setup()))
        std::cerr << "nnstudio-cli: warning: " << f.message << " " << f.fix_description << "\n";
    train::Trainer& trainer = session->trainer();
    const spec::ModelSpec& spec = session->spec();
    const train::TrainSetup& setup = session->setup();
    const data::LoadedData& data = session->data();
    nn::Model& model = session->model();
    train::RunDirectory* run_dir = session->run_directory();
    if (const std::optional<int> epochs = session->resumed_after_epoch())
        std::cout << "resuming " << run_dir->path() << " after epoch " << *epochs << "\n";
    trainer.add_listener(ProgressPrinter(isatty(STDERR_FILENO)));
    // The validation share comes out of the training samples: each of the three counted apart.
    const std::string samples = data.describe(static_cast<int64_t>(trainer.val_indices().size()));
    std::cout << "training " << spec.name << " (" << plural(model.parameter_count(), "parameter") << ") on " << samples
              << ": " << plural(setup.epochs, "epoch") << ", batch " << setup.batch_size << ", " << setup.loss.name << ", "
              << setup.optimizer.name << " lr "
              << setup.optimizer.options.value("lr", 0.001) << ", " << plural(trainer.steps_per_epoch(), "step") << "/epoch\n";
    g_running_trainer = &trainer;
    std::signal(SIGINT, on_interrupt);
    std::signal(SIGTERM, on_interrupt);
    const train::TrainResult result = trainer.run();
    g_running_trainer = nullptr;
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);

    if (result.status == train::RunStatus::Completed && result.test.samples > 0)
        std::printf("test %s | %s in %s, %.0f samples/s\n", loss_and_accuracy(result.test).c_str(),
                    plural(result.epochs_completed, "epoch").c_str(), format_duration(result.wall_s).c_str(),
                    result.samples_per_s);
    else if (result.status == train::RunStatus::Completed)
        std::printf("no test set | %s in %s, %.0f samples/s\n", plural(result.epochs_completed, "epoch").c_str(),
                    format_duration(result.wall_s).c_str(), result.samples_per_s);
    if (!a.report.empty())
        write_file_atomically(a.report, report_json(result, spec, setup, samples, model.parameter_count()).dump(2) + "\n");
    if (result.status == train::RunStatus::Failed) throw NumericError(result.message);
    if (result.status == train::RunStatus::Stopped)
        throw Error(result.message + (run_dir ? "; continue with --resume " + run_dir->path() : ""));
}

}  // namespace

void add_train_command(CLI::App& app) {
    auto a = std::make_shared<TrainArgs>();
    CLI::App* cmd = app.add_subcommand("train", "Train a model (headless) and report loss/accuracy");
    cmd->add_option("model", a->model.model_path, "Model file (.json); not needed with --resume");
    cmd->add_option("--flag", a->model.flags, "Set a conditional flag: NAME=true|false (repeatable)");
    cmd->add_option("--resume", a->resume, "Continue the run in RUN_DIR from its last checkpoint");
    add_train_options(*cmd, a->overrides);
    cmd->add_option("--device", a->device, "cpu | cuda | cuda:N (see `nnstudio-cli devices`); a device that cannot be used falls back to the CPU with a note");
    cmd->add_option("--out", a->out, "Run folder: model, setup, metrics.jsonl, checkpoints, final weights");
    cmd->add_option("--report", a->report, "Write a JSON report (final losses, accuracies, time, throughput)");
    cmd->callback([a] {
        // Command lines that do not fit together: usage errors (exit 2, the --help hint).
        if (a->resume.empty() && a->model.model_path.empty())
            throw CLI::RequiredError("train needs a MODEL.json (or --resume RUN_DIR)", CLI::ExitCodes::RequiredError);
        if (!a->resume.empty() && !a->model.model_path.empty())
            throw CLI::ExcludesError("--resume takes the model and setup from the run folder: drop MODEL.json",
                                     CLI::ExitCodes::ExcludesError);
        if (!a->resume.empty() && !a->overrides.given_names().empty())
            throw CLI::ExcludesError("--resume continues the run with its saved setup: drop " +
                                         a->overrides.given_names().front(),
                                     CLI::ExitCodes::ExcludesError);
        run_training(*a);
    });
}

}  // namespace nnstudio::cli
