// Optimizer base: parameter bookkeeping, zero_grad, lr, and state save/restore; make_optimizer.
#include "optim/optimizer.h"

#include "backend/registry.h"
#include "error.h"
#include "optim/adam.h"
#include "optim/adamw.h"
#include "optim/sgd.h"
#include "util/json_options.h"
#include "util/number_text.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <set>

namespace nnstudio::optim {

Optimizer::Optimizer(std::vector<nn::Parameter*> params)
    : m_backend(&default_backend()), m_params(std::move(params)), m_state(m_params.size()) {
    for (size_t i = 0; i < m_params.size(); ++i)
        if (!m_params[i]) throw Error("optimizer: parameter " + std::to_string(i) + " is null");
}

void Optimizer::zero_grad() {
    for (nn::Parameter* p : m_params)
        if (!p->grad.empty()) m_backend->fill(p->grad.data(), p->grad.numel(), 0.0f);
}

Tensor& Optimizer::state_buffer(size_t i, const std::string& name) {
    const Tensor& value = m_params[i]->value;
    Tensor& t = m_state[i][name];
    if (t.empty() || t.shape() != value.shape())
        t = Tensor(value.shape(), 0.0f, value.device());
    else if (t.device() != value.device())
        t = t.to(value.device());
    return t;
}

void Optimizer::set_lr(double lr) {
    if (!std::isfinite(lr) || lr < 0)
        throw Error(name() + ": learning rate must be a finite number >= 0, got " + number_text(lr));
    m_lr = lr;
}

void Optimizer::set_hyperparameter(const std::string& key, double value) {
    if (key == "lr") return set_lr(value);
    std::map<std::string, std::vector<double>> values;
    std::string valid;
    for (auto& [k, v] : hyperparameters()) {
        valid += (valid.empty() ? "" : ", ") + k;
        values[k] = std::move(v);
    }
    const auto it = values.find(key);
    if (it == values.end())
        throw Error(name() + " has no hyperparameter '" + key + "'; its hyperparameters are lr, " + valid);
    if (it->second.size() != 1)
        throw Error(name() + "'s " + key + " holds " + std::to_string(it->second.size()) +
                    " values; set_hyperparameter sets single numbers (give the optimizer's options instead)");
    it->second[0] = value;
    set_hyperparameters(values);  // validates before changing anything
}

std::vector<size_t> Optimizer::params_with_grad() const {
    std::vector<size_t> out;
    for (size_t i = 0; i < m_params.size(); ++i) {
        const nn::Parameter& p = *m_params[i];
        if (p.grad.empty()) continue;  // no gradient: skipped, as PyTorch skips .grad None
        if (p.grad.shape() != p.value.shape())
            throw ShapeError(name() + ": gradient of parameter " + std::to_string(i) + " (" + p.name + ") has shape " +
                             shape_to_string(p.grad.shape()) + " but the parameter is " +
                             shape_to_string(p.value.shape()));
        out.push_back(i);
    }
    return out;
}

StateDict Optimizer::state() const {
    StateDict d;
    const std::string g = "param_groups.0.";
    d.insert(g + "lr", detail::scalar_f64(m_lr));
    for (const auto& [key, value] : hyperparameters())
        d.insert(g + key, value.size() == 1 ? detail::scalar_f64(value[0]) : detail::vector_f64(value));
    std::vector<int64_t> ids(m_params.size());
    for (size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<int64_t>(i);
    d.insert(g + "params", detail::vector_i64(ids));
    for (size_t i = 0; i < m_state.size(); ++i)
        for (const auto& [key, tensor] : m_state[i])
            d.insert("state." + std::to_string(i) + "." + key, TypedTensor::from_float(tensor));
    return d;
}

void Optimizer::load_state(const StateDict& dict) {
    const std::string owner = name() + " optimizer state";
    const std::string g = "param_groups.0.";
    auto fail = [&](const std::string& msg) { throw StateDictMismatch(owner + ": " + msg); };

    std::set<std::string> group_keys = {"lr", "params"};
    std::map<std::string, std::vector<double>> hyper;
    for (const auto& [key, value] : hyperparameters()) {
        group_keys.insert(key);
        hyper[key] = value;
    }
    const std::vector<std::string> names = state_names();
    std::vector<std::map<std::string, Tensor>> state(m_params.size());

    for (const auto& [key, t] : dict) {
        detail::check_well_formed(t, key, owner);
        if (key.rfind(g, 0) == 0) {
            if (!group_keys.count(key.substr(g.size())))
                fail("unexpected key \"" + key + "\": the checkpoint was saved by a different optimizer type than " +
                     name() + "; resume with the optimizer it was trained with, or start the optimizer afresh");
            continue;
        }
        if (key.rfind("state.", 0) != 0) fail("unexpected key \"" + key + "\"");
        const std::string rest = key.substr(6);
        const size_t dot = rest.find('.');
        size_t index = 0;
        const std::string idx = rest.substr(0, dot);
        if (dot == std::string::npos || idx.empty() || idx.size() > 9 ||
            !std::all_of(idx.begin(), idx.end(), [](char c) { return c >= '0' && c <= '9'; }))
            fail("malformed key \"" + key + "\" (expected state.<index>.<buffer>)");
        index = static_cast<size_t>(std::stoul(idx));
        const std::string buffer = rest.substr(dot + 1);
        if (index >= m_params.size())
            fail("key \"" + key + "\" refers to parameter " + idx + " but this optimizer has " +
                 std::to_string(m_params.size()) + " parameters; the model changed since the checkpoint");
        if (std::find(names.begin(), names.end(), buffer) == names.end())
            fail("unexpected key \"" + key + "\": " + name() + " keeps only " + join_names(names) +
                 "; the checkpoint was saved by a different optimizer type");
        if (t.dtype != DType::Float32 && t.dtype != DType::Float64)
            fail("\"" + key + "\" must be float32, got " + dtype_name(t.dtype));
        const Shape want = buffer == "step" ? Shape{} : m_params[index]->value.shape();
        if (t.shape != want)
            fail("\"" + key + "\" has shape " + shape_to_string(t.shape) + " but parameter " + idx + " (" +
                 m_params[index]->name + ") needs " + shape_to_string(want));
        state[index][buffer] = t.to_float();
    }

    const std::vector<double> ids = detail::read_f64(dict, g + "params", owner);
    if (ids.size() != m_params.size())
        fail("saved for " + std::to_string(ids.size()) + " parameters but this optimizer has " +
             std::to_string(m_params.size()) + "; the model changed since the checkpoint");
    const std::vector<double> lr = detail::read_f64(dict, g + "lr", owner);
    if (lr.size() != 1 || !std::isfinite(lr[0]) || lr[0] < 0) fail("param_groups.0.lr must be one number >= 0");
    for (auto& [key, value] : hyper) {
        std::vector<double> saved = detail::read_f64(dict, g + key, owner);
        if (saved.size() != value.size())
            fail(g + key + " has " + std::to_string(saved.size()) + " values, expected " + std::to_string(value.size()));
        value = std::move(saved);
    }
    try {
        set_hyperparameters(hyper);  // validates before changing anything
    } catch (const StateDictMismatch&) {
        throw;
    } catch (const Error& e) {
        fail(std::string("saved hyperparameters are invalid: ") + e.what());
    }
    m_lr = lr[0];
    m_state = std::move(state);
}

std::vector<std::string> optimizer_names() { return {"SGD", "Adam", "AdamW"}; }

namespace {

// Turns a constructor's validation into a SpecError naming the option.
template <typename Options>
void validate_options(const Options& o, const JsonOptions& json) {
    if (const auto problem = o.problem()) json.fail(problem->first, problem->second);
}

AdamOptions read_adam(const JsonOptions& o, AdamOptions a) {
    o.allow_only({"lr", "betas", "eps", "weight_decay", "amsgrad", "maximize"});
    a.lr = o.number("lr", a.lr);
    if (o.has("betas")) {
        const std::vector<double> b = o.numbers("betas");
        if (b.size() != 2) o.fail("betas", "must be two numbers [beta1, beta2] like [0.9, 0.999]");
        a.beta1 = b[0];
        a.beta2 = b[1];
    }
    a.eps = o.number("eps", a.eps);
    a.weight_decay = o.number("weight_decay", a.weight_decay);
    a.amsgrad = o.boolean("amsgrad", a.amsgrad);
    a.maximize = o.boolean("maximize", a.maximize);
    validate_options(a, o);
    return a;
}

}  // namespace

std::unique_ptr<Optimizer> make_optimizer(const std::string& name, std::vector<nn::Parameter*> params,
                                          const nlohmann::json& options, const std::string& json_path) {
    const JsonOptions o(options, json_path + ".options", name);
    if (name == "SGD") {
        o.allow_only({"lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize"});
        if (!o.has("lr")) o.fail("lr", "SGD needs a learning rate (PyTorch has no default); 0.01 or 0.1 are typical");
        SgdOptions s;
        s.lr = o.number("lr", 0.0);
        s.momentum = o.number("momentum", s.momentum);
        s.dampening = o.number("dampening", s.dampening);
        s.weight_decay = o.number("weight_decay", s.weight_decay);
        s.nesterov = o.boolean("nesterov", s.nesterov);
        s.maximize = o.boolean("maximize", s.maximize);
        validate_options(s, o);
        return std::make_unique<SGD>(std::move(params), s);
    }
    if (name == "Adam") return std::make_unique<Adam>(std::move(params), read_adam(o, AdamOptions{}));
    if (name == "AdamW") return std::make_unique<AdamW>(std::move(params), read_adam(o, AdamWOptions{}));
    throw SpecError(json_path + ": unknown optimizer \"" + name + "\"; valid optimizers: " +
                    join_names(optimizer_names()));
}

namespace detail {

TypedTensor scalar_f64(double v) {
    TypedTensor t;
    t.dtype = DType::Float64;
    t.bytes.resize(sizeof(double));
    std::memcpy(t.bytes.data(), &v, sizeof(double));
    return t;
}

TypedTensor vector_f64(const std::vector<double>& v) {
    TypedTensor t;
    t.dtype = DType::Float64;
    t.shape = {static_cast<int64_t>(v.size())};
    t.bytes.resize(v.size() * sizeof(double));
    if (!v.empty()) std::memcpy(t.bytes.data(), v.data(), t.bytes.size());
    return t;
}

TypedTensor vector_i64(const std::vector<int64_t>& v) {
    TypedTensor t;
    t.dtype = DType::Int64;
    t.shape = {static_cast<int64_t>(v.size())};
    t.bytes.resize(v.size() * sizeof(int64_t));
    if (!v.empty()) std::memcpy(t.bytes.data(), v.data(), t.bytes.size());
    return t;
}

void check_well_formed(const TypedTensor& t, const std::string& key, const std::string& owner) {
    for (int64_t d : t.shape)
        if (d < 0) throw StateDictMismatch(owner + ": \"" + key + "\" has a negative dimension");
    if (t.bytes.size() != static_cast<size_t>(t.numel()) * dtype_size(t.dtype))
        throw StateDictMismatch(owner + ": \"" + key + "\" holds " + std::to_string(t.bytes.size()) +
                                " bytes but its shape " + shape_to_string(t.shape) + " and dtype " +
                                dtype_name(t.dtype) + " need " +
                                std::to_string(static_cast<size_t>(t.numel()) * dtype_size(t.dtype)) +
                                "; the checkpoint is damaged");
}

std::vector<double> read_f64(const StateDict& dict, const std::string& key, const std::string& owner) {
    const TypedTensor* t = dict.find(key);
    if (!t) throw StateDictMismatch(owner + ": missing \"" + key + "\"; the checkpoint is incomplete or from another optimizer/scheduler");
    check_well_formed(*t, key, owner);
    if (t->dtype == DType::Bool)
        throw StateDictMismatch(owner + ": \"" + key + "\" must be numeric");
    std::vector<double> out(static_cast<size_t>(t->numel()));
    for (int64_t i = 0; i < t->numel(); ++i) out[static_cast<size_t>(i)] = t->element(i);
    return out;
}

}  // namespace detail
}  // namespace nnstudio::optim
