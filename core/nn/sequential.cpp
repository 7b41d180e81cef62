// Sequential: chained forward, reversed backward; shape errors name the child at fault.
#include "nn/sequential.h"

#include "error.h"

namespace nnstudio::nn {

Shape Sequential::output_shape(const Shape& in) const {
    Shape s = in;
    for (const auto& c : children()) {
        try {
            s = c.module->output_shape(s);
        } catch (const ShapeError& e) {
            throw ShapeError("in child '" + c.name + "' (" + c.module->type() + "): " + e.what());
        }
    }
    return s;
}

const Tensor& Sequential::forward(const Tensor& x) {
    const Tensor* h = &x;
    for (const auto& c : children()) h = &c.module->forward(*h);
    return *h;
}

const Tensor& Sequential::backward(const Tensor& grad_out) {
    const Tensor* g = &grad_out;
    const auto& kids = children();
    for (auto it = kids.rbegin(); it != kids.rend(); ++it) g = &it->module->backward(*g);
    return *g;
}

void Sequential::on_input_needs_grad_change() {
    bool needed = input_needs_grad();
    for (const auto& c : children()) {
        c.module->set_input_needs_grad(needed);
        needed = needed || c.module->parameter_count() > 0;
    }
}

}  // namespace nnstudio::nn
