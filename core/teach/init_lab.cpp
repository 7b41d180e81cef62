// Init lab: per-layer statistics from a LayerTrace, training from identical starts.
#include "teach/init_lab.h"

#include "error.h"
#include "loss/loss.h"
#include "nn/linear.h"
#include "optim/optimizer.h"
#include "spec/model_init.h"
#include "teach/layer_trace.h"

#include <cmath>

namespace nnstudio::teach {
namespace {

std::optional<double> saturated_share(const std::string& type, const Tensor& a) {
    if (type != "Tanh" && type != "Sigmoid") return std::nullopt;
    int64_t n = 0;
    for (float v : a)
        n += type == "Tanh" ? std::fabs(v) > 0.99f : (v < 0.01f || v > 0.99f);
    return a.numel() ? static_cast<double>(n) / static_cast<double>(a.numel()) : 0.0;
}

double zero_share(const Tensor& a) {
    int64_t n = 0;
    for (float v : a) n += v == 0.f;
    return a.numel() ? static_cast<double>(n) / static_cast<double>(a.numel()) : 0.0;
}

// a: (B, F...): every row's elements all equal (F = 1 counts as identical).
bool units_identical(const Tensor& a) {
    const int64_t rows = a.dim() == 0 ? 1 : a.size(0), cols = rows == 0 ? 0 : a.numel() / rows;
    const float* v = a.begin();
    for (int64_t i = 0; i < rows; ++i)
        for (int64_t j = 1; j < cols; ++j)
            if (v[i * cols + j] != v[i * cols]) return false;
    return true;
}

Histogram activation_histogram(const std::string& type, const Tensor& a) {
    const std::span<const float> v(a.data(), static_cast<size_t>(a.numel()));
    if (type == "Tanh") return make_histogram(v, -1.0, 1.0);
    if (type == "Sigmoid") return make_histogram(v, 0.0, 1.0);
    return make_histogram(v);
}

}  // namespace

LayerSnapshot measure_layers(nn::Model& model, const Batch& batch) {
    model.train();
    model.zero_grad();
    LayerTrace trace(model);
    const auto loss = loss::make_loss("CrossEntropyLoss", nullptr);
    const loss::LossResult r = loss->compute(trace.forward(batch.x), batch.y);
    trace.backward(r.grad);

    LayerSnapshot snap{r.value, {}};
    int depth = 0;
    for (const TracedLayer& l : trace.layers()) {
        LayerStats s;
        s.path = l.path;
        s.type = l.type;
        s.depth = depth++;
        s.activation = moments(l.output);
        s.saturated = saturated_share(l.type, l.output);
        s.zero_fraction = zero_share(l.output);
        s.units_identical = units_identical(l.output);
        s.histogram = activation_histogram(l.type, l.output);
        s.output_grad = moments(l.grad_output);
        if (auto* lin = dynamic_cast<nn::Linear*>(l.module)) s.weight_grad = moments(lin->weight().grad);
        snap.layers.push_back(std::move(s));
    }
    return snap;
}

std::vector<double> train_steps(nn::Model& model, const std::vector<Batch>& batches, const TrainStepOptions& options) {
    if (options.steps <= 0) return {};
    if (batches.empty()) throw Error("training steps need at least one batch");
    const auto loss = loss::make_loss("CrossEntropyLoss", nullptr);
    const auto optimizer = optim::make_optimizer(options.optimizer, model.parameters(), {{"lr", options.lr}});
    model.train();
    std::vector<double> curve;
    for (int step = 0; step < options.steps; ++step) {
        const Batch& b = batches[static_cast<size_t>(step) % batches.size()];
        optimizer->zero_grad();
        const loss::LossResult r = loss->compute(model.forward(b.x), b.y);
        model.backward(r.grad);
        optimizer->step();
        curve.push_back(r.value);
    }
    return curve;
}

InitLabResult run_init_lab(const spec::ModelSpec& spec, const spec::FlagValues& flags, const TeachData& data,
                           const InitLabOptions& options) {
    if (data.batches.empty()) throw Error("the init lab needs at least one batch of data");
    InitLabResult result{spec.name, data.description, data.batches.front().y.numel(), {}};
    for (const LabScheme& scheme : options.schemes) {
        nn::Model model = spec::build_model(spec, flags);
        spec::initialize_model(model, options.seed, scheme.scheme);
        SchemeRun run{scheme, measure_layers(model, data.batches.front()), {}};
        // Training starts from the initial weights: measuring changed only gradients and BatchNorm
        // running statistics, which a train-mode forward does not read.
        run.loss_curve = train_steps(model, data.batches, options.training);
        result.runs.push_back(std::move(run));
    }
    return result;
}

}  // namespace nnstudio::teach
