// LayerTrace: flattens the container tree into its execution order and chains the units.
#include "teach/layer_trace.h"

#include "error.h"
#include "nn/sequential.h"

#include <algorithm>

namespace nnstudio::teach {
namespace {

void collect(nn::Module& m, const std::string& path, std::vector<TracedLayer>& out) {
    if (dynamic_cast<nn::Sequential*>(&m)) {  // also ModuleList
        for (const auto& c : m.children()) collect(*c.module, nn::join_path(path, c.name), out);
        return;
    }
    out.push_back({path, m.type(), &m, {}, {}});
}

}  // namespace

LayerTrace::LayerTrace(nn::Model& model) : m_model(model) { collect(model.root(), "", m_layers); }

const Tensor& LayerTrace::forward(const Tensor& x) {
    const Shape& want = m_model.input_shape();
    if (x.dim() != static_cast<int64_t>(want.size()) + 1 || !std::equal(want.begin(), want.end(), x.shape().begin() + 1)) {
        std::string expected = "(batch";
        for (int64_t d : want) expected += ", " + std::to_string(d);
        throw ShapeError(m_model.name() + " expects input of shape " + expected + "), got " + shape_to_string(x.shape()));
    }
    if (!nn::grad_enabled()) throw Error("LayerTrace records for backward: call it outside a NoGradGuard");
    m_input = x;
    const Tensor* h = &m_input;
    for (TracedLayer& l : m_layers) {
        h = &l.module->forward(*h);
        l.output = *h;
        l.grad_output = Tensor();
    }
    return *h;
}

void LayerTrace::backward(const Tensor& grad) {
    const Tensor* g = &grad;
    for (auto it = m_layers.rbegin(); it != m_layers.rend(); ++it) {
        it->grad_output = *g;
        g = &it->module->backward(*g);
    }
}

}  // namespace nnstudio::teach
