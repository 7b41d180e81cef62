// Linear's declaration: out_features and bias; in_features is inferred from the input.
#include "error.h"
#include "nn/layer_registry.h"
#include "nn/linear.h"

namespace nnstudio::nn {

const LayerDeclaration& linear_declaration() {
    static const LayerDeclaration d = [] {
        LayerDeclaration d;
        d.type = "Linear";
        OptionDeclaration out = int_option("out_features", nullptr, 1, 1e9, "Output features", "size of each output sample");
        out.required = true;
        out.initial = 128;
        out.expects = "a positive integer";
        d.options = {out, bool_option("bias", true, "Bias", "whether the layer learns an additive bias")};
        d.output_shape = [](const LayerOptions& o, const Shape& in) {
            if (in.empty()) throw ShapeError("a Linear needs a feature dimension but its input is a scalar per sample");
            Shape out = in;
            out.back() = o.get_int("out_features");
            return out;
        };
        d.state = [](const LayerOptions& o, const Shape& in) {
            std::vector<TensorDeclaration> s = {{"weight", {o.get_int("out_features"), in.back()}}};
            if (o.get_bool("bias")) s.push_back({"bias", {o.get_int("out_features")}});
            return s;
        };
        d.make = [](const LayerOptions& o, const Shape& in) -> std::unique_ptr<Module> {
            return std::make_unique<Linear>(in.back(), o.get_int("out_features"), o.get_bool("bias"));
        };
        d.inferred_arguments = [](const LayerOptions&, const Shape& in) {
            return std::vector<std::string>{std::to_string(in.back())};
        };
        d.initializer = true;
        d.category = LayerCategory::Linear;
        d.palette_text = "Fully connected layer: y = x Wᵀ + b (in_features inferred)";
        return d;
    }();
    return d;
}

}  // namespace nnstudio::nn
