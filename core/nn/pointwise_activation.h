// PointwiseActivation: an elementwise activation that is one Activation formula of backend/ops.h
// (ELU, SELU, SiLU, Mish, Softplus, Hardtanh) with the parameters its PyTorch class takes (ELU's
// alpha, Softplus's beta and threshold, Hardtanh's min_val and max_val); the backend computes it.
#pragma once
#include "nn/activations.h"

namespace nnstudio::nn {

class PointwiseActivation : public ElementwiseActivation {
public:
    // `type`: PyTorch's class name ("ELU"), as the declaration names it.
    PointwiseActivation(std::string type, Activation kind, ActivationParams params)
        : m_type(std::move(type)), m_kind(kind), m_params(params) {}
    std::string type() const override { return m_type; }
    std::string describe() const override;

protected:
    Activation kind() const override { return m_kind; }
    ActivationParams params() const override { return m_params; }

private:
    std::string m_type;
    Activation m_kind;
    ActivationParams m_params;
};

}  // namespace nnstudio::nn
