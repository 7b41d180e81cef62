// SGD step, mirroring torch/optim/sgd.py::_single_tensor_sgd operation by operation in float32.
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
    // PyTorch does these as float32 tensor ops with the Python-float scalars cast to float.
    const float wd = static_cast<float>(m_options.weight_decay);
    const float momentum = static_cast<float>(m_options.momentum);
    const float keep = static_cast<float>(1.0 - m_options.dampening);
    const float neg_lr = static_cast<float>(-lr());
    for (size_t i : params_with_grad()) {
        nn::Parameter& p = *params()[i];
        const int64_t n = p.value.numel();
        Tensor* buf = nullptr;
        bool first = false;
        if (m_options.momentum != 0) {
            Tensor& b = param_state(i)["momentum_buffer"];
            first = b.empty() && n > 0;
            if (first) b = Tensor(p.value.shape());
            buf = &b;
        }
        float* v = p.value.data();
        const float* g = p.grad.data();
        for (int64_t k = 0; k < n; ++k) {
            float d = m_options.maximize ? -g[k] : g[k];
            if (m_options.weight_decay != 0) d = d + wd * v[k];
            if (buf) {
                float& b = (*buf)[k];
                b = first ? d : b * momentum + keep * d;  // first step: buffer = grad, no dampening
                d = m_options.nesterov ? d + momentum * b : b;
            }
            v[k] = v[k] + neg_lr * d;
        }
    }
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
