// The one table of leaf layer types: each declared once beside its module (core/nn/*_decl.cpp)
// and listed here in palette order. Containers (Sequential, ModuleList, Residual) are not
// layers: the model spec knows them itself.
#pragma once
#include "nn/layer_declaration.h"

#include <string>
#include <vector>

namespace nnstudio::nn {

// Every leaf layer type, in the order a user reaches for them (the palette's order).
const std::vector<const LayerDeclaration*>& layer_declarations();
// The declaration of `type` ("LeakyReLU"), or nullptr for a container or an unknown type.
const LayerDeclaration* find_layer_declaration(const std::string& type);

// The declarations, one function per module file (defined in core/nn/*_decl.cpp).
const LayerDeclaration& linear_declaration();
const LayerDeclaration& batch_norm1d_declaration();
const LayerDeclaration& layer_norm_declaration();
const LayerDeclaration& dropout_declaration();
const LayerDeclaration& flatten_declaration();
const LayerDeclaration& relu_declaration();
const LayerDeclaration& leaky_relu_declaration();
const LayerDeclaration& prelu_declaration();
const LayerDeclaration& gelu_declaration();
const LayerDeclaration& sigmoid_declaration();
const LayerDeclaration& tanh_declaration();
const LayerDeclaration& elu_declaration();
const LayerDeclaration& selu_declaration();
const LayerDeclaration& silu_declaration();
const LayerDeclaration& mish_declaration();
const LayerDeclaration& softplus_declaration();
const LayerDeclaration& hardtanh_declaration();
const LayerDeclaration& softmax_declaration();
const LayerDeclaration& log_softmax_declaration();
const LayerDeclaration& identity_declaration();

}  // namespace nnstudio::nn
