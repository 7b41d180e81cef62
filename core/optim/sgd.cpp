// SGD: options and the lazy momentum buffers here; the step (torch/optim/sgd.py::_single_tensor_sgd
// operation by operation in float32) on the backend.
#include "optim/sgd.h"

#include "error.h"

#include <cmath>

namespace nnstudio::optim {

std::optional<std::pair<std::string, std::string>> SgdOptions::problem() const {
    if (!std::isfinite(lr) || lr < 0) return std::pair{std::string("lr"), std::string("must be >= 0")};
    if (!std::isfinite(momentum) || momentum < 0) return std::pair{std::string("momentum"), std::string("must be >= 0")};
    if (!std::isfinite(weight_decay) || weight_decay < 0)
        return std::pair{std::string("weight_decay"), std::string("must be >= 0")};
    if (!std::isfinite(dampening)) return std::pair{std::string("dampening"), std::string("must be finite")};
    if (nesterov && (momentum <= 0 || dampening != 0))
        return std::pair{std::string("nesterov"),
                         std::string("Nesterov momentum requires momentum > 0 and dampening = 0")};
    return std::nullopt;
}

SGD::SGD(std::vector<nn::Parameter*> params, SgdOptions options)
    : Optimizer(std::move(params)), m_options(options) {
    if (const auto p = m_options.problem()) throw Error("SGD: " + p->first + " " + p->second);
    set_lr(m_options.lr);
}

void SGD::step() {
    SgdStepDesc d{.lr = lr(), .momentum = m_options.momentum, .dampening = m_options.dampening,
                  .weight_decay = m_options.weight_decay, .nesterov = m_options.nesterov,
                  .maximize = m_options.maximize};
    // One backend call per run of parameters that agree on whether this is their first momentum
    // step (all of them, but for a parameter that had no gradient before).
    std::vector<ParamSlot>& run = step_slots();
    run.clear();
    const auto flush = [&] {
        if (!run.empty()) backend().sgd_step(d, run.data(), static_cast<int64_t>(run.size()));
        run.clear();
    };
    for (size_t i : params_with_grad()) {
        nn::Parameter& p = *params()[i];
        const int64_t n = p.value.numel();
        ParamSlot slot{.value = p.value.data(), .grad = p.grad.data(), .n = n};
        bool first = false;
        if (m_options.momentum != 0) {
            first = param_state(i)["momentum_buffer"].empty() && n > 0;
            slot.state0 = state_buffer(i, "momentum_buffer").data();
        }
        if (first != d.first_step) {
            flush();
            d.first_step = first;
        }
        run.push_back(slot);
    }
    flush();
}

std::vector<std::pair<std::string, std::vector<double>>> SGD::hyperparameters() const {
    return {{"momentum", {m_options.momentum}},
            {"dampening", {m_options.dampening}},
            {"weight_decay", {m_options.weight_decay}},
            {"nesterov", {m_options.nesterov ? 1.0 : 0.0}},
            {"maximize", {m_options.maximize ? 1.0 : 0.0}}};
}

void SGD::set_hyperparameters(const std::map<std::string, std::vector<double>>& values) {
    SgdOptions o = m_options;
    o.momentum = values.at("momentum")[0];
    o.dampening = values.at("dampening")[0];
    o.weight_decay = values.at("weight_decay")[0];
    o.nesterov = values.at("nesterov")[0] != 0;
    o.maximize = values.at("maximize")[0] != 0;
    if (const auto p = o.problem()) throw Error(p->first + " " + p->second);
    m_options = o;
}

}  // namespace nnstudio::optim
