// Sequential: runs its children in order, as torch.nn.Sequential. ModuleList is the same chain
// under PyTorch's other container name (the seed's `for block in self.blocks: x = block(x)`).
#pragma once
#include "nn/module.h"

namespace nnstudio::nn {

class Sequential : public Module {
public:
    std::string type() const override { return "Sequential"; }
    Shape output_shape(const Shape& in) const override;
    const Tensor& forward(const Tensor& x) override;
    const Tensor& backward(const Tensor& grad_out) override;

    Module& append(std::string name, std::unique_ptr<Module> child) { return add_child(std::move(name), std::move(child)); }

protected:
    void on_input_needs_grad_change() override;
};

class ModuleList : public Sequential {
public:
    std::string type() const override { return "ModuleList"; }
};

}  // namespace nnstudio::nn
