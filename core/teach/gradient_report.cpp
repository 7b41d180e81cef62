// gradient_report: statistics from the parameters' grads, ReLU activity from a LayerTrace.
#include "teach/gradient_report.h"

#include "loss/loss.h"
#include "nn/linear.h"
#include "nn/residual.h"
#include "teach/layer_trace.h"

#include <cmath>
#include <cstdio>

namespace nnstudio::teach {
namespace {

std::string sci(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g", v);
    return buf;
}

bool ends_in_relu(const TracedLayer& l) {
    if (l.type == "ReLU") return true;
    const auto* res = dynamic_cast<const nn::Residual*>(l.module);
    return res && res->after_add() && res->after_add()->type() == "ReLU";
}

// out: (B, F...): share of the F... units that are 0 for every sample.
double dead_share(const Tensor& out) {
    const int64_t rows = out.dim() == 0 ? 1 : out.size(0), cols = rows == 0 ? 0 : out.numel() / rows;
    if (cols == 0) return 0;
    const float* v = out.begin();
    int64_t dead = 0;
    for (int64_t j = 0; j < cols; ++j) {
        bool all_zero = true;
        for (int64_t i = 0; i < rows && all_zero; ++i) all_zero = v[i * cols + j] == 0.f;
        dead += all_zero;
    }
    return static_cast<double>(dead) / static_cast<double>(cols);
}

void flag_parameters(GradientReport& r, const GradientThresholds& t) {
    for (const ParamGradient& p : r.params) {
        if (!std::isfinite(p.grad_norm) || p.grad_norm > t.exploding_norm) {
            r.flags.push_back({GradientFlagKind::Exploding, p.name, p.grad_norm,
                               "The gradient of " + p.name + " has norm " + sci(p.grad_norm) +
                                   ": one step of the optimizer would throw the weights far away, and the loss turns to NaN.",
                               "Use a scaled initializer (Kaiming for ReLU, Xavier for tanh) instead of large random "
                               "weights, add BatchNorm1d, lower the learning rate or clip gradients."});
        } else if (p.weight_norm > 0 && p.grad_norm / p.weight_norm < t.vanishing_ratio) {
            r.flags.push_back({GradientFlagKind::Vanishing, p.name, p.grad_norm / p.weight_norm,
                               "The gradient of " + p.name + " is " + sci(p.grad_norm / p.weight_norm) +
                                   " times its weight's norm: this parameter will practically not learn.",
                               "Use an initializer that keeps activations alive through depth (Kaiming for ReLU, Xavier "
                               "for tanh), ReLU instead of saturating activations, BatchNorm1d or residual connections."});
        }
    }
}

// The first and last Linear weights (execution order) against each other.
void flag_depth_ratio(GradientReport& r, const std::vector<TracedLayer>& layers, const GradientThresholds& t) {
    std::vector<nn::Linear*> linears;
    for (const TracedLayer& l : layers)
        if (auto* lin = dynamic_cast<nn::Linear*>(l.module)) linears.push_back(lin);
    if (linears.size() < 2) return;
    const double first = l2_norm(linears.front()->weight().grad), last = l2_norm(linears.back()->weight().grad);
    if (!(last > 0) || !std::isfinite(first) || first / last >= t.first_to_last_ratio) return;
    std::string first_name;
    for (const TracedLayer& l : layers)
        if (l.module == linears.front()) first_name = nn::join_path(l.path, "weight");
    r.flags.push_back({GradientFlagKind::Vanishing, first_name, first / last,
                       "The first layer's weight gradient is " + sci(first / last) +
                           " times the last layer's: the signal fades on its way back, so the early layers barely learn.",
                       "Use an initializer matched to the activation (Xavier for tanh/sigmoid, Kaiming for ReLU), "
                       "ReLU instead of tanh/sigmoid in deep nets, BatchNorm1d, or residual connections."});
}

}  // namespace

std::string to_string(GradientFlagKind kind) {
    switch (kind) {
        case GradientFlagKind::Vanishing: return "vanishing";
        case GradientFlagKind::Exploding: return "exploding";
        case GradientFlagKind::DeadRelu: return "dead_relu";
    }
    return "unknown";
}

GradientReport gradient_report(nn::Model& model, const Batch& batch, const GradientThresholds& thresholds) {
    model.train();
    model.zero_grad();
    LayerTrace trace(model);
    const loss::LossResult lr = loss::make_loss("CrossEntropyLoss", nullptr)->compute(trace.forward(batch.x), batch.y);
    trace.backward(lr.grad);

    GradientReport r;
    r.loss = lr.value;
    for (auto& [name, p] : model.named_parameters()) {
        r.params.push_back({name, p->value.shape(), moments(p->grad), l2_norm(p->grad), l2_norm(p->value),
                            make_histogram(std::span<const float>(p->grad.data(), static_cast<size_t>(p->grad.numel())))});
    }
    for (const TracedLayer& l : trace.layers()) {
        if (!ends_in_relu(l)) continue;
        const ReluActivity a{l.path, l.output.numel() / std::max<int64_t>(1, l.output.size(0)), dead_share(l.output)};
        r.relus.push_back(a);
        if (a.dead_fraction > thresholds.dead_relu_fraction)
            r.flags.push_back({GradientFlagKind::DeadRelu, a.path, a.dead_fraction,
                               sci(100 * a.dead_fraction) + "% of the units of " + a.path +
                                   " output 0 for every sample of the batch: they pass no gradient back and cannot recover.",
                               "Lower the learning rate, initialise with Kaiming (biases zero), add BatchNorm1d before the "
                               "ReLU, or use LeakyReLU so that inactive units still get a gradient."});
    }
    flag_parameters(r, thresholds);
    flag_depth_ratio(r, trace.layers(), thresholds);
    return r;
}

}  // namespace nnstudio::teach
