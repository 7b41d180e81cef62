// LayerNorm's declaration: normalized_shape (defaults to the last input dimension), eps and
// elementwise_affine.
#include "error.h"
#include "nn/layer_norm.h"
#include "nn/layer_registry.h"

namespace nnstudio::nn {
namespace {

// The file's normalized_shape, or the last input dimension.
Shape normalized_shape(const LayerOptions& o, const Shape& in) {
    if (o.has("normalized_shape")) return o.get_int_list("normalized_shape");
    if (in.empty()) throw ShapeError("LayerNorm needs a feature dimension but its input is a scalar per sample");
    return {in.back()};
}

}  // namespace

const LayerDeclaration& layer_norm_declaration() {
    static const LayerDeclaration d = [] {
        LayerDeclaration d;
        d.type = "LayerNorm";
        d.options = {
            int_list_option("normalized_shape", "Normalized shape",
                            "trailing dimensions normalised together (default: the last one)"),
            float_option("eps", 1e-5, 1e-12, 1, 1e-5, "eps", "added to the variance for numerical stability"),
            bool_option("elementwise_affine", true, "Elementwise affine (learnable γ, β)",
                        "whether the layer learns a scale and shift"),
        };
        d.output_shape = [](const LayerOptions& o, const Shape& in) {
            const Shape shape = normalized_shape(o, in);
            return LayerNorm(shape, o.get_float("eps"), false).output_shape(in);  // the module's own rule
        };
        d.state = [](const LayerOptions& o, const Shape& in) {
            if (!o.get_bool("elementwise_affine")) return std::vector<TensorDeclaration>{};
            const Shape shape = normalized_shape(o, in);
            return std::vector<TensorDeclaration>{{"weight", shape}, {"bias", shape}};
        };
        d.make = [](const LayerOptions& o, const Shape& in) -> std::unique_ptr<Module> {
            return std::make_unique<LayerNorm>(normalized_shape(o, in), o.get_float("eps"), o.get_bool("elementwise_affine"));
        };
        d.inferred_arguments = [](const LayerOptions& o, const Shape& in) {
            return std::vector<std::string>{python_literal(nlohmann::json(normalized_shape(o, in)), OptionType::IntList)};
        };
        d.category = LayerCategory::Normalization;
        d.palette_text = "Normalises each sample over its last dimension(s)";
        return d;
    }();
    return d;
}

}  // namespace nnstudio::nn
