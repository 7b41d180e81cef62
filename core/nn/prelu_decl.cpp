// PReLU's declaration: num_parameters (1 or the channel count) and the slopes' initial value.
#include "error.h"
#include "nn/layer_registry.h"
#include "nn/prelu.h"

namespace nnstudio::nn {

const LayerDeclaration& prelu_declaration() {
    static const LayerDeclaration d = [] {
        LayerDeclaration d;
        d.type = "PReLU";
        d.options = {
            int_option("num_parameters", 1, 1, 1e9, "Slopes (num_parameters)",
                       "1: one slope for all; else one per channel (dimension 1)"),
            float_option("init", 0.25, -1e6, 1e6, 0.01, "Initial slope", "value every slope starts at"),
        };
        d.output_shape = [](const LayerOptions& o, const Shape& in) {
            return PReLU::output_shape(o.get_int("num_parameters"), in);
        };
        d.state = [](const LayerOptions& o, const Shape&) {
            return std::vector<TensorDeclaration>{{"weight", {o.get_int("num_parameters")}}};
        };
        d.make = [](const LayerOptions& o, const Shape&) -> std::unique_ptr<Module> {
            return std::make_unique<PReLU>(o.get_int("num_parameters"), o.get_float("init"));
        };
        d.category = LayerCategory::Activation;
        d.nonlinearity = "leaky_relu";
        d.palette_text = "x, or a learnable slope · x below zero";
        return d;
    }();
    return d;
}

}  // namespace nnstudio::nn
