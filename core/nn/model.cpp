// Model: input checks, state_dict loading with a full mismatch report, dropout seeding.
#include "nn/model.h"

#include "error.h"
#include "nn/dropout.h"

#include <algorithm>
#include <cstring>
#include <set>

namespace nnstudio::nn {

Model::Model(std::string name, Shape input_shape, std::map<std::string, bool> flags,
             std::unique_ptr<Module> root, std::vector<LayerInfo> layers, nlohmann::json default_init)
    : m_name(std::move(name)), m_input_shape(std::move(input_shape)), m_flags(std::move(flags)),
      m_root(std::move(root)), m_layers(std::move(layers)), m_default_init(std::move(default_init)) {
    m_root->set_input_needs_grad(false);  // the data needs no gradient, as in PyTorch
}

Shape Model::output_shape() const { return m_layers.empty() ? m_input_shape : m_layers.front().output_shape; }

const Tensor& Model::forward(const Tensor& x) {
    Shape expected = m_input_shape;
    if (x.dim() != static_cast<int64_t>(expected.size()) + 1 ||
        !std::equal(expected.begin(), expected.end(), x.shape().begin() + 1)) {
        expected.insert(expected.begin(), -1);
        std::string want = shape_to_string(expected);
        want.replace(want.find("-1"), 2, "batch");
        throw ShapeError(m_name + " expects input of shape " + want + ", got " + shape_to_string(x.shape()));
    }
    if (!grad_enabled()) {
        if (x.device() == m_root->device()) return m_root->forward(x);
        m_eval_input.resize(x.shape(), m_root->device());
        m_eval_input.copy_from(x);  // the data to the model's device
        return m_root->forward(m_eval_input);
    }
    // Layers keep a pointer to their input for backward(): the model's own copy (on its device)
    // cannot vanish.
    m_recorded_input.resize(x.shape(), m_root->device());
    m_recorded_input.copy_from(x);
    return m_root->forward(m_recorded_input);
}

std::vector<Parameter*> Model::parameters() {
    std::vector<Parameter*> out;
    for (auto& [name, p] : named_parameters()) out.push_back(p);
    return out;
}

namespace {

std::string torch_size(const Shape& s) {
    std::string out = "torch.Size([";
    for (size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
    return out + "])";
}

std::string quoted_list(const std::vector<std::string>& keys) {
    std::string s;
    for (size_t i = 0; i < keys.size(); ++i) s += (i ? ", " : "") + ("\"" + keys[i] + "\"");
    return s;
}

}  // namespace

std::string LoadReport::message(const std::string& model_name) const {
    std::string s = "Error(s) in loading state_dict for " + model_name + ":";
    if (!missing.empty()) s += "\n\tMissing key(s) in state_dict: " + quoted_list(missing) + ".";
    if (!unexpected.empty()) s += "\n\tUnexpected key(s) in state_dict: " + quoted_list(unexpected) + ".";
    for (const auto& m : mismatched) s += "\n\t" + m;
    return s;
}

LoadReport Model::load_state_dict(const StateDict& sd, bool strict) {
    LoadReport report;
    // Where each key of the model lives.
    struct Target {
        Tensor* f32 = nullptr;
        int64_t* i64 = nullptr;
    };
    std::vector<std::pair<std::string, Target>> targets;
    m_root->visit_modules([&](const std::string& prefix, Module& m) {
        for (Parameter* p : m.own_parameters()) targets.push_back({join_path(prefix, p->name), {&p->value, nullptr}});
        for (const BufferRef& b : m.own_buffers()) targets.push_back({join_path(prefix, b.name), {b.f32, b.i64}});
    });
    std::set<std::string> model_keys;
    for (const auto& [key, t] : targets) {
        model_keys.insert(key);
        const TypedTensor* src = sd.find(key);
        if (!src) {
            report.missing.push_back(key);
            continue;
        }
        const Shape want = t.f32 ? t.f32->shape() : Shape{};
        if (src->shape != want) {
            report.mismatched.push_back("size mismatch for " + key + ": copying a param with shape " +
                                        torch_size(src->shape) + " from checkpoint, the shape in current model is " +
                                        torch_size(want) + ".");
        } else if (t.f32 && !is_floating_point(src->dtype)) {
            report.mismatched.push_back("dtype mismatch for " + key + ": the checkpoint holds " + dtype_name(src->dtype) +
                                        " but the model's tensor is float32.");
        } else if (t.i64 && is_floating_point(src->dtype)) {
            report.mismatched.push_back("dtype mismatch for " + key + ": the checkpoint holds " + dtype_name(src->dtype) +
                                        " but the model's counter is int64.");
        }
    }
    for (const auto& [key, value] : sd)
        if (!model_keys.count(key)) report.unexpected.push_back(key);
    if (!report.mismatched.empty() || (strict && !report.ok()))
        throw StateDictMismatch(report.message(m_name));
    for (const auto& [key, t] : targets) {
        const TypedTensor* src = sd.find(key);
        if (!src) continue;
        if (t.f32) t.f32->copy_from(src->to_float());  // stays on the model's device
        else *t.i64 = static_cast<int64_t>(src->element(0));
    }
    return report;
}

void Model::seed_dropout(uint64_t seed) {
    uint64_t k = 0;
    m_root->visit_modules([&](const std::string&, Module& m) {
        if (auto* d = dynamic_cast<Dropout*>(&m)) d->rng() = Rng(seed * 0x9E3779B97F4A7C15ull + (++k));
    });
}

}  // namespace nnstudio::nn
