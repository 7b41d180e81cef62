// The layer table: adding a layer type adds one line here (and its declaration beside its module).
#include "nn/layer_registry.h"

namespace nnstudio::nn {

const std::vector<const LayerDeclaration*>& layer_declarations() {
    static const std::vector<const LayerDeclaration*> table = {
        &linear_declaration(),  &batch_norm1d_declaration(), &layer_norm_declaration(), &dropout_declaration(),
        &flatten_declaration(), &relu_declaration(),         &leaky_relu_declaration(), &prelu_declaration(),
        &gelu_declaration(),    &sigmoid_declaration(),      &tanh_declaration(),       &elu_declaration(),
        &selu_declaration(),    &silu_declaration(),         &mish_declaration(),       &softplus_declaration(),
        &hardtanh_declaration(), &softmax_declaration(),     &log_softmax_declaration(), &identity_declaration(),
    };
    return table;
}

const LayerDeclaration* find_layer_declaration(const std::string& type) {
    for (const LayerDeclaration* d : layer_declarations())
        if (d->type == type) return d;
    return nullptr;
}

}  // namespace nnstudio::nn
