// Dropout's declaration: the drop probability p.
#include "nn/dropout.h"
#include "nn/layer_registry.h"

namespace nnstudio::nn {

const LayerDeclaration& dropout_declaration() {
    static const LayerDeclaration d = [] {
        LayerDeclaration d;
        d.type = "Dropout";
        OptionDeclaration p = float_option("p", 0.5, 0, 1, 0.05, "Drop probability p",
                                           "probability of an element to be zeroed while training");
        p.initial = 0.5;
        p.expects = "a probability between 0 and 1";
        p.always_in_code = true;
        d.options = {p};
        d.output_shape = [](const LayerOptions&, const Shape& in) { return in; };
        d.state = [](const LayerOptions&, const Shape&) { return std::vector<TensorDeclaration>{}; };
        d.make = [](const LayerOptions& o, const Shape&) -> std::unique_ptr<Module> {
            return std::make_unique<Dropout>(static_cast<float>(o.get_float("p")));
        };
        d.category = LayerCategory::Regularization;
        d.palette_text = "Zeroes inputs with probability p while training";
        d.not_an_output_because =
            "it zeroes random logits in training and is the identity in eval, so training and evaluation see "
            "different models.";
        return d;
    }();
    return d;
}

}  // namespace nnstudio::nn
