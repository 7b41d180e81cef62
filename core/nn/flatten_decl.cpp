// Flatten's declaration: start_dim and end_dim, counting the batch dimension as PyTorch does.
#include "nn/flatten.h"
#include "nn/layer_registry.h"

namespace nnstudio::nn {

const LayerDeclaration& flatten_declaration() {
    static const LayerDeclaration d = [] {
        LayerDeclaration d;
        d.type = "Flatten";
        d.options = {int_option("start_dim", 1, -8, 8, "Start dim", "first dimension to flatten (0 is the batch)"),
                     int_option("end_dim", -1, -8, 8, "End dim", "last dimension to flatten (-1: the last)")};
        for (OptionDeclaration& o : d.options) o.always_in_code = true;
        // The module's own rule (a Flatten holds no tensors: building one costs nothing).
        d.output_shape = [](const LayerOptions& o, const Shape& in) {
            return Flatten(o.get_int("start_dim"), o.get_int("end_dim")).output_shape(in);
        };
        d.state = [](const LayerOptions&, const Shape&) { return std::vector<TensorDeclaration>{}; };
        d.make = [](const LayerOptions& o, const Shape&) -> std::unique_ptr<Module> {
            return std::make_unique<Flatten>(o.get_int("start_dim"), o.get_int("end_dim"));
        };
        d.category = LayerCategory::Reshape;
        d.palette_text = "Flattens dimensions start_dim..end_dim into one";
        return d;
    }();
    return d;
}

}  // namespace nnstudio::nn
