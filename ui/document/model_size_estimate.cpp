// estimateModelSize: tracks the per-sample shape through the tree with each layer's declared
// shape rule and counts its declared parameters and buffers; ModuleList copies after the second
// are counted as the second (shapes settle).
#include "document/model_size_estimate.h"

#include "document/node_path.h"
#include "error.h"
#include "nn/layer_registry.h"

namespace nnstudio::ui {
namespace {

void walk(const spec::NodeSpec& node, Shape& shape, ModelSizeEstimate& size) {
    size.modules += 1;
    if (const nn::LayerDeclaration* d = nn::find_layer_declaration(node.type)) {
        try {
            const nn::LayerOptions options(*d, node.options);
            const Shape out = d->output_shape(options, shape);  // first: it checks what state() assumes
            for (const nn::TensorDeclaration& t : d->state(options, shape)) {
                double numel = 1;
                for (int64_t n : t.shape) numel *= static_cast<double>(n);
                size.parameters += numel;
            }
            shape = out;
        } catch (const Error&) {  // a layer that does not fit: validation reports it; keep walking
        } catch (const nlohmann::json::exception&) {  // an option of the wrong type: the same
        }
    } else if (node.type == "Residual") {
        const Shape in = shape;
        for (const auto& child : node.children) walk(child, shape, size);
        if (node.options.contains("projection") && !in.empty() && !shape.empty()) {
            const nlohmann::json& p = node.options["projection"];
            const double out = static_cast<double>(shape.back());
            const bool batchNorm = p.contains("batch_norm") && p["batch_norm"] != false;  // + its γ, β
            size.parameters += static_cast<double>(in.back()) * out + (p.value("bias", true) ? out : 0.0) +
                               (batchNorm ? 2 * out : 0.0);
        }
    } else if (isTemplateList(node)) {
        const double copies = static_cast<double>(node.repeat);
        for (int copy = 0; copy < std::min(2.0, copies); ++copy) {
            ModelSizeEstimate one;
            walk(node.templ[0], shape, one);
            const double times = copy == 1 ? copies - 1 : 1;
            size.parameters += one.parameters * times;
            size.modules += one.modules * times;
        }
    } else {
        for (const auto& child : node.children) walk(child, shape, size);
    }
}

}  // namespace

ModelSizeEstimate estimateModelSize(const spec::ModelSpec& model) {
    Shape shape = model.input_shape;
    ModelSizeEstimate size;
    walk(model.root, shape, size);
    return size;
}

}  // namespace nnstudio::ui
