// Module: tree traversal, state_dict collection and mode switching.
#include "nn/module.h"

#include "backend/registry.h"
#include "error.h"

namespace nnstudio::nn {
namespace {
thread_local bool t_grad_enabled = true;
}

bool grad_enabled() { return t_grad_enabled; }
NoGradGuard::NoGradGuard() : m_previous(t_grad_enabled) { t_grad_enabled = false; }
NoGradGuard::~NoGradGuard() { t_grad_enabled = m_previous; }

std::string join_path(const std::string& prefix, const std::string& name) {
    if (prefix.empty()) return name;
    if (name.empty()) return prefix;
    return prefix + "." + name;
}

Module::Module() : m_backend(&default_backend()) {}

void Module::to(Backend& backend) {
    m_backend = &backend;
    const Device d = backend.device();
    for (Parameter* p : m_params) {
        p->value = p->value.to(d);
        p->grad = p->grad.to(d);
    }
    for (BufferRef& b : m_buffers)
        if (b.f32) *b.f32 = b.f32->to(d);
    for (auto& c : m_children) c.module->to(backend);
    on_backend_change();
}

void Module::set_input_needs_grad(bool needed) {
    m_input_needs_grad = needed;
    on_input_needs_grad_change();
}

void Module::train(bool on) {
    m_training = on;
    on_mode_change();
    for (auto& c : m_children) c.module->train(on);
}

Module& Module::add_child(std::string name, std::unique_ptr<Module> child) {
    for (const auto& c : m_children)
        if (c.name == name) throw SpecError("two children named '" + name + "' in one " + type());
    m_children.push_back({std::move(name), std::move(child)});
    return *m_children.back().module;
}

std::vector<std::pair<std::string, Parameter*>> Module::named_parameters(const std::string& prefix) {
    std::vector<std::pair<std::string, Parameter*>> out;
    for (Parameter* p : m_params) out.emplace_back(join_path(prefix, p->name), p);
    for (auto& c : m_children) {
        auto sub = c.module->named_parameters(join_path(prefix, c.name));
        out.insert(out.end(), sub.begin(), sub.end());
    }
    return out;
}

void Module::visit_modules(const std::function<void(const std::string&, Module&)>& fn,
                           const std::string& prefix) {
    fn(prefix, *this);
    for (auto& c : m_children) c.module->visit_modules(fn, join_path(prefix, c.name));
}

StateDict Module::state_dict(const std::string& prefix) const {
    StateDict sd;
    for (const Parameter* p : m_params) sd.insert(join_path(prefix, p->name), TypedTensor::from_float(p->value));
    for (const BufferRef& b : m_buffers)
        sd.insert(join_path(prefix, b.name),
                  b.f32 ? TypedTensor::from_float(*b.f32) : TypedTensor::scalar_int64(*b.i64));
    for (const auto& c : m_children)
        for (auto& [k, v] : c.module->state_dict(join_path(prefix, c.name))) sd.insert(k, v);
    return sd;
}

void Module::zero_grad() {
    for (Parameter* p : m_params)
        if (!p->grad.empty()) m_backend->fill(p->grad.data(), p->grad.numel(), 0.0f);
    for (auto& c : m_children) c.module->zero_grad();
}

int64_t Module::parameter_count() {
    int64_t n = 0;
    for (auto& [name, p] : named_parameters()) n += p->value.numel();
    return n;
}

}  // namespace nnstudio::nn
