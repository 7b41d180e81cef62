// Softmax's and LogSoftmax's declarations: the dimension they normalise along.
#include "nn/layer_registry.h"
#include "nn/softmax.h"

namespace nnstudio::nn {
namespace {

LayerDeclaration softmax_like(const std::string& type) {
    LayerDeclaration d;
    d.type = type;
    d.options = {int_option("dim", -1, -8, 8, "Dim", "dimension the values are normalised along (-1: the last)")};
    d.options[0].always_in_code = true;
    const bool log = type == "LogSoftmax";
    d.output_shape = [log](const LayerOptions& o, const Shape& in) {
        return SoftmaxBase(o.get_int("dim"), log).output_shape(in);  // the module's own rule
    };
    d.state = [](const LayerOptions&, const Shape&) { return std::vector<TensorDeclaration>{}; };
    d.make = [log](const LayerOptions& o, const Shape&) -> std::unique_ptr<Module> {
        if (log) return std::make_unique<LogSoftmax>(o.get_int("dim"));
        return std::make_unique<Softmax>(o.get_int("dim"));
    };
    d.category = LayerCategory::Activation;
    d.outputs = log ? LayerOutputs::LogProbabilities : LayerOutputs::Probabilities;
    d.palette_text = log ? "Log-probabilities along dim (pairs with NLLLoss)"
                         : "Probabilities along dim (not before a logits loss)";
    return d;
}

}  // namespace

const LayerDeclaration& softmax_declaration() {
    static const LayerDeclaration d = softmax_like("Softmax");
    return d;
}

const LayerDeclaration& log_softmax_declaration() {
    static const LayerDeclaration d = softmax_like("LogSoftmax");
    return d;
}

}  // namespace nnstudio::nn
