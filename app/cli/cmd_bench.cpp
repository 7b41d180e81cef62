// nnstudio-cli bench: training-step and inference throughput (samples/s) of a model after
// warm-up, on random data (CrossEntropyLoss + Adam, as a typical training step).
#include "backend/cpu/cpu_backend.h"
#include "backend/registry.h"
#include "cli/commands.h"
#include "cli/number_checks.h"
#include "cli/model_options.h"
#include "error.h"
#include "loss/loss.h"
#include "optim/optimizer.h"
#include "spec/model_init.h"
#include "util/random.h"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include "util/plural.h"

namespace nnstudio::cli {
namespace {

struct BenchArgs {
    ModelOptions model;
    int64_t batch_size = 128;
    int steps = 50;
    std::string device = "cpu";
    int threads = 0;  // 0: one per core
    bool json = false;
};

double seconds(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

void add_bench_command(CLI::App& app) {
    auto a = std::make_shared<BenchArgs>();
    CLI::App* cmd = app.add_subcommand("bench", "Measure training-step and inference throughput (samples/s)");
    a->model.add_to(*cmd);
    cmd->add_option("--batch-size", a->batch_size, "Batch size (default 128)");
    cmd->add_option("--steps", a->steps, "Timed steps after warm-up (default 50)");
    cmd->add_option("--device", a->device, "cpu | cuda | cuda:N (see `nnstudio-cli devices`)");
    cmd->add_option("--threads", a->threads, "CPU threads to use (default: one per core)")->check(number_in(1, 256, true));
    cmd->add_flag("--json", a->json, "Print one JSON line with train_samples_per_s and infer_samples_per_s");
    cmd->callback([a] {
        if (a->batch_size < 2) throw Error("--batch-size must be at least 2 (BatchNorm needs two samples to train)");
        if (a->steps < 1) throw Error("--steps must be positive");
        std::string fallback;
        Backend* backend = &backend_or_cpu(a->device, fallback);
        if (!fallback.empty()) std::cerr << "nnstudio-cli: note: " << fallback << "\n";
        std::optional<CpuBackend> own_cpu;  // --threads: a CPU backend of its own with that many
        if (backend->device().is_cpu() && a->threads > 0) backend = &own_cpu.emplace(CpuBackendOptions{a->threads});
        const int cpu_threads = own_cpu ? own_cpu->threads() : static_cast<CpuBackend&>(cpu_backend()).threads();
        nn::Model model = a->model.build();
        spec::initialize_model(model, 0);
        model.to(*backend);
        const Shape out_shape = model.output_shape();
        if (out_shape.size() != 1) throw Error("bench needs a model with (batch, classes) output");
        Shape in = model.input_shape();
        in.insert(in.begin(), a->batch_size);
        Tensor x(in), y({a->batch_size});
        Rng rng(1);
        for (int64_t i = 0; i < x.numel(); ++i) x[i] = rng.normal();
        for (int64_t i = 0; i < a->batch_size; ++i) y[i] = static_cast<float>(rng.below(static_cast<uint64_t>(out_shape[0])));
        x = x.to(backend->device());  // the data on the device once, as a training loop would keep it
        auto loss = loss::make_loss("CrossEntropyLoss", nlohmann::json::object());
        loss->set_backend(*backend);
        auto optimizer = optim::make_optimizer("Adam", model.parameters(), {{"lr", 1e-3}});
        optimizer->set_backend(*backend);
        const auto train_step = [&] {
            model.zero_grad();
            const Tensor& out = model.forward(x);
            model.backward(loss->compute(out, y).grad);
            optimizer->step();
        };
        model.train();
        const int warmup = std::max(3, a->steps / 10);
        for (int i = 0; i < warmup; ++i) train_step();
        auto t0 = std::chrono::steady_clock::now();
        for (int i = 0; i < a->steps; ++i) train_step();
        backend->synchronize();
        const double train_rate = static_cast<double>(a->batch_size) * a->steps / seconds(t0);
        model.eval();
        nn::NoGradGuard no_grad;
        for (int i = 0; i < warmup; ++i) model.forward(x);
        t0 = std::chrono::steady_clock::now();
        for (int i = 0; i < a->steps; ++i) model.forward(x);
        backend->synchronize();
        const double infer_rate = static_cast<double>(a->batch_size) * a->steps / seconds(t0);
        if (a->json) {
            std::cout << nlohmann::json{{"model", model.name()}, {"batch_size", a->batch_size}, {"steps", a->steps},
                                        {"device", backend->device().str()}, {"threads", cpu_threads},
                                        {"train_samples_per_s", train_rate},
                                        {"infer_samples_per_s", infer_rate}}.dump()
                      << "\n";
        } else {
            std::printf("%s batch %lld: train %.0f samples/s, inference %.0f samples/s (%s, %s, %s after %d warm-up)\n",
                        model.name().c_str(), static_cast<long long>(a->batch_size), train_rate, infer_rate,
                        backend->device().str().c_str(), plural(cpu_threads, "CPU thread").c_str(),
                        plural(a->steps, "step").c_str(), warmup);
        }
    });
}

}  // namespace nnstudio::cli
