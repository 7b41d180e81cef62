// Names of the operation table's entries and of the activations (for messages and listings).
#include "backend/ops.h"

namespace nnstudio {

std::string op_name(Op op) {
    switch (op) {
    case Op::Gemm: return "Gemm";
    case Op::BiasGrad: return "BiasGrad";
    case Op::Activation: return "Activation";
    case Op::ActivationBackward: return "ActivationBackward";
    case Op::PReLU: return "PReLU";
    case Op::PReLUBackward: return "PReLUBackward";
    case Op::Softmax: return "Softmax";
    case Op::SoftmaxBackward: return "SoftmaxBackward";
    case Op::BatchNormStatistics: return "BatchNormStatistics";
    case Op::BatchNormApply: return "BatchNormApply";
    case Op::BatchNormBackward: return "BatchNormBackward";
    case Op::LayerNorm: return "LayerNorm";
    case Op::LayerNormBackward: return "LayerNormBackward";
    case Op::Dropout: return "Dropout";
    case Op::Mul: return "Mul";
    case Op::Add: return "Add";
    case Op::CrossEntropyLoss: return "CrossEntropyLoss";
    case Op::NllLoss: return "NllLoss";
    case Op::MseLoss: return "MseLoss";
    case Op::L1Loss: return "L1Loss";
    case Op::BceWithLogitsLoss: return "BceWithLogitsLoss";
    case Op::Moments: return "Moments";
    case Op::SgdStep: return "SgdStep";
    case Op::AdamStep: return "AdamStep";
    case Op::Fill: return "Fill";
    case Op::Copy: return "Copy";
    }
    return "Op(" + std::to_string(static_cast<int>(op)) + ")";
}

std::string activation_name(Activation a) {
    switch (a) {
    case Activation::Identity: return "Identity";
    case Activation::ReLU: return "ReLU";
    case Activation::LeakyReLU: return "LeakyReLU";
    case Activation::GELU: return "GELU";
    case Activation::Sigmoid: return "Sigmoid";
    case Activation::Tanh: return "Tanh";
    case Activation::ELU: return "ELU";
    case Activation::SELU: return "SELU";
    case Activation::SiLU: return "SiLU";
    case Activation::Mish: return "Mish";
    case Activation::Softplus: return "Softplus";
    case Activation::Hardtanh: return "Hardtanh";
    }
    return "Activation(" + std::to_string(static_cast<int>(a)) + ")";
}

}  // namespace nnstudio
