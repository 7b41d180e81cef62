// Adam/AdamW: options and the lazy state (moments, step count) here; the step (torch/optim/adam.py
// and adamw.py, _single_tensor_*, operation by operation in float32) on the backend.
#include "optim/adam.h"

#include "error.h"

#include <cmath>

namespace nnstudio::optim {

std::optional<std::pair<std::string, std::string>> AdamOptions::problem() const {
    using P = std::pair<std::string, std::string>;
    if (!std::isfinite(lr) || lr < 0) return P{"lr", "must be >= 0"};
    if (!std::isfinite(eps) || eps < 0) return P{"eps", "must be >= 0 (1e-8 is the default)"};
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1))
        return P{"betas", "both betas must be in [0, 1), like [0.9, 0.999]"};
    if (!std::isfinite(weight_decay) || weight_decay < 0) return P{"weight_decay", "must be >= 0"};
    return std::nullopt;
}

Adam::Adam(std::vector<nn::Parameter*> params, AdamOptions options) : Adam(std::move(params), options, false) {}

Adam::Adam(std::vector<nn::Parameter*> params, AdamOptions options, bool decoupled_weight_decay)
    : Optimizer(std::move(params)), m_options(options), m_decoupled(decoupled_weight_decay) {
    // name() is not yet AdamW's during construction, so spell the name out.
    if (const auto p = m_options.problem())
        throw Error(std::string(decoupled_weight_decay ? "AdamW" : "Adam") + ": " + p->first + " " + p->second);
    set_lr(m_options.lr);
}

void Adam::step() {
    const AdamOptions& o = m_options;
    AdamStepDesc d{.lr = lr(), .beta1 = o.beta1, .beta2 = o.beta2, .eps = o.eps, .weight_decay = o.weight_decay,
                   .amsgrad = o.amsgrad, .maximize = o.maximize, .decoupled_weight_decay = m_decoupled};
    // One backend call per run of parameters at the same step count (all of them, but for a
    // parameter that had no gradient on some earlier step): the bias corrections depend on it.
    std::vector<ParamSlot>& run = step_slots();
    run.clear();
    const auto flush = [&] {
        if (!run.empty()) backend().adam_step(d, run.data(), static_cast<int64_t>(run.size()));
        run.clear();
    };
    for (size_t i : params_with_grad()) {
        nn::Parameter& p = *params()[i];
        auto& st = param_state(i);
        // Lazy state like torch: created on the first step a parameter has a gradient.
        ParamSlot slot{.value = p.value.data(), .grad = p.grad.data(), .n = p.value.numel()};
        slot.state0 = state_buffer(i, "exp_avg").data();
        slot.state1 = state_buffer(i, "exp_avg_sq").data();
        if (o.amsgrad) slot.state2 = state_buffer(i, "max_exp_avg_sq").data();
        Tensor& step = st["step"];  // a 0-d float32 tensor in PyTorch 1.13, kept on the host
        if (step.empty()) step = Tensor::scalar(0.0f);
        step[0] += 1.0f;
        const auto t = static_cast<int64_t>(step[0]);
        if (t != d.step) {
            flush();
            d.step = t;
        }
        run.push_back(slot);
    }
    flush();
}

std::vector<std::pair<std::string, std::vector<double>>> Adam::hyperparameters() const {
    return {{"betas", {m_options.beta1, m_options.beta2}},
            {"eps", {m_options.eps}},
            {"weight_decay", {m_options.weight_decay}},
            {"amsgrad", {m_options.amsgrad ? 1.0 : 0.0}},
            {"maximize", {m_options.maximize ? 1.0 : 0.0}}};
}

void Adam::set_hyperparameters(const std::map<std::string, std::vector<double>>& values) {
    AdamOptions o = m_options;
    o.beta1 = values.at("betas")[0];
    o.beta2 = values.at("betas")[1];
    o.eps = values.at("eps")[0];
    o.weight_decay = values.at("weight_decay")[0];
    o.amsgrad = values.at("amsgrad")[0] != 0;
    o.maximize = values.at("maximize")[0] != 0;
    if (const auto p = o.problem()) throw Error(p->first + " " + p->second);
    m_options = o;
}

}  // namespace nnstudio::optim
