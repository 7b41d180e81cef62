// estimateModelSize: tracks the per-sample width (last dimension) and element count through
// the tree; ModuleList copies after the second are counted as the second (widths settle).
#include "document/model_size_estimate.h"

#include "document/node_path.h"

namespace nnstudio::ui {
namespace {

struct Flow {
    double width = 1;     // last dimension
    double elements = 1;  // all dimensions of one sample
};

void walk(const spec::NodeSpec& node, Flow& flow, ModelSizeEstimate& size) {
    size.modules += 1;
    const nlohmann::json& o = node.options;
    if (node.type == "Linear") {
        const double out = o.value("out_features", nlohmann::json(1)).is_number() ? o["out_features"].get<double>() : 1;
        size.parameters += flow.width * out + out;
        flow.elements = flow.elements / std::max(flow.width, 1.0) * out;
        flow.width = out;
    } else if (node.type == "BatchNorm1d") {
        size.parameters += 4 * flow.width;  // weight, bias, running mean and var
    } else if (node.type == "Flatten") {
        flow.width = flow.elements;
    } else if (node.type == "Residual") {
        const Flow in = flow;
        for (const auto& child : node.children) walk(child, flow, size);
        if (o.contains("projection")) size.parameters += in.width * flow.width + flow.width;
    } else if (isTemplateList(node)) {
        const double copies = static_cast<double>(node.repeat);
        for (int copy = 0; copy < std::min(2.0, copies); ++copy) {
            ModelSizeEstimate one;
            walk(node.templ[0], flow, one);
            const double times = copy == 1 ? copies - 1 : 1;
            size.parameters += one.parameters * times;
            size.modules += one.modules * times;
        }
    } else {
        for (const auto& child : node.children) walk(child, flow, size);
    }
}

}  // namespace

ModelSizeEstimate estimateModelSize(const spec::ModelSpec& model) {
    Flow flow;
    for (int64_t d : model.input_shape) flow.elements *= static_cast<double>(d);
    flow.width = model.input_shape.empty() ? 1 : static_cast<double>(model.input_shape.back());
    ModelSizeEstimate size;
    walk(model.root, flow, size);
    return size;
}

}  // namespace nnstudio::ui
