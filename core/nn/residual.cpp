// Residual forward/backward: the gradient of the sum flows into both the body and the skip.
#include "nn/residual.h"

#include "error.h"

namespace nnstudio::nn {

std::string Residual::describe() const {
    std::string s = "Residual(skip=" + std::string(m_projection ? "projection" : "identity");
    if (m_after_add) s += ", after_add=" + m_after_add->type();
    return s + ")";
}

Module& Residual::append_body(std::string name, std::unique_ptr<Module> child) {
    if (m_projection) throw Error("internal: Residual body layers must be added before the projection");
    Module& m = add_child(std::move(name), std::move(child));
    m_body.push_back(&m);
    return m;
}

Module& Residual::set_projection(std::string name, std::unique_ptr<Module> projection) {
    Module& p = *projection;
    add_child(std::move(name), std::move(projection));
    m_projection = &p;
    return p;
}

Shape Residual::output_shape(const Shape& in) const {
    Shape s = in;
    for (const auto& c : children()) {
        if (c.module.get() == m_projection) continue;
        try {
            s = c.module->output_shape(s);
        } catch (const ShapeError& e) {
            throw ShapeError("in child '" + c.name + "' (" + c.module->type() + "): " + e.what());
        }
    }
    const Shape skip = m_projection ? m_projection->output_shape(in) : in;
    if (s != skip) {
        const std::string got = shape_to_string(s), want = shape_to_string(skip);
        if (m_projection)
            throw ShapeError("the residual body outputs " + got + " but the projection outputs " + want +
                             ": make the projection's out_features match the body's last layer");
        throw ShapeError("the residual body outputs " + got + " but its input (the identity skip) is " + want +
                         ": make the body's last layer output " + want +
                         ", or add a projection so the skip is a Linear to the body's width (\"projection\": {} in the "
                         "model file; the block's Skip path in the app's inspector)");
    }
    return m_after_add ? m_after_add->output_shape(s) : s;
}

const Tensor& Residual::forward(const Tensor& x) {
    const Tensor* h = &x;
    for (Module* m : m_body) h = &m->forward(*h);
    const Tensor& skip = m_projection ? m_projection->forward(x) : x;
    if (h->shape() != skip.shape())
        throw ShapeError("Residual: the body outputs " + shape_to_string(h->shape()) + " but the skip is " +
                         shape_to_string(skip.shape()) + "; they must match to be added");
    Tensor& sum = prepare(output_buffer(), h->shape());
    backend().add(h->data(), skip.data(), sum.data(), sum.numel());
    return m_after_add ? m_after_add->forward(sum) : sum;
}

const Tensor& Residual::backward(const Tensor& grad_out) {
    const Tensor& g = m_after_add ? m_after_add->backward(grad_out) : grad_out;
    const Tensor* gb = &g;
    for (auto it = m_body.rbegin(); it != m_body.rend(); ++it) gb = &(*it)->backward(*gb);
    const Tensor& gskip = m_projection ? m_projection->backward(g) : g;
    if (!input_needs_grad()) return no_input_grad();
    Tensor& gx = prepare(grad_input_buffer(), gb->shape());
    backend().add(gb->data(), gskip.data(), gx.data(), gx.numel());
    return gx;
}

void Residual::on_input_needs_grad_change() {
    bool needed = input_needs_grad();
    for (Module* m : m_body) {
        m->set_input_needs_grad(needed);
        needed = needed || m->parameter_count() > 0;
    }
    if (m_projection) m_projection->set_input_needs_grad(input_needs_grad());
}

}  // namespace nnstudio::nn
