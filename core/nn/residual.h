// Residual: out = act(body(x) + skip(x)) as the seed's ResidualBlock (`out += identity; out = relu(out)`);
// skip = identity or a projection: a Linear, or nn.Sequential(Linear, BatchNorm1d) as torchvision's ResNet
// downsample. Body layers are direct children (their names are the state_dict keys: blocks.0.fc1.weight);
// the projection comes after them.
#pragma once
#include "nn/module.h"

namespace nnstudio::nn {

class Residual : public Module {
public:
    Residual() = default;
    std::string type() const override { return "Residual"; }
    std::string describe() const override;
    Shape output_shape(const Shape& in) const override;
    const Tensor& forward(const Tensor& x) override;
    const Tensor& backward(const Tensor& grad_out) override;

    Module& append_body(std::string name, std::unique_ptr<Module> child);
    // Adds the skip projection (a child registered after the body) named `name`: x (B, in) -> (B, out).
    Module& set_projection(std::string name, std::unique_ptr<Module> projection);
    // Activation applied after the add (functional: no state_dict entry); nullptr for none.
    void set_after_add(std::unique_ptr<Module> activation) {
        m_after_add = std::move(activation);
        if (m_after_add) m_after_add->to(backend());
    }
    const Module* after_add() const { return m_after_add.get(); }
    Module* projection() const { return m_projection; }

protected:
    void on_input_needs_grad_change() override;
    void on_backend_change() override {  // the after-add activation is no child: it moves along here
        if (m_after_add) m_after_add->to(backend());
    }

private:
    std::vector<Module*> m_body;
    Module* m_projection = nullptr;
    std::unique_ptr<Module> m_after_add;
};

}  // namespace nnstudio::nn
