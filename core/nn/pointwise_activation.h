// PointwiseActivation: an elementwise activation whose value and derivative come from one
// Activation formula of backend/ops.h (ELU, SELU, SiLU, Mish, Softplus, Hardtanh), with the
// parameters its PyTorch class takes (ELU's alpha, Softplus's beta and threshold, ...).
#pragma once
#include "backend/ops.h"
#include "nn/activations.h"

namespace nnstudio::nn {

class PointwiseActivation : public ElementwiseActivation {
public:
    // `type`: PyTorch's class name ("ELU"), as the declaration names it.
    PointwiseActivation(std::string type, Activation kind, ActivationParams params)
        : m_type(std::move(type)), m_kind(kind), m_params(params) {}
    std::string type() const override { return m_type; }
    std::string describe() const override;
    Activation kind() const { return m_kind; }
    const ActivationParams& params() const { return m_params; }

protected:
    void apply(const float* x, float* y, int64_t n) const override;
    void derivative(const float* x, const float* y, const float* g, float* d, int64_t n) const override;

private:
    std::string m_type;
    Activation m_kind;
    ActivationParams m_params;
};

}  // namespace nnstudio::nn
