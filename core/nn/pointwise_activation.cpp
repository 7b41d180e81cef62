// PointwiseActivation's repr line; the arithmetic is the backend's (activation_forward/backward).
#include "nn/pointwise_activation.h"

#include <sstream>

namespace nnstudio::nn {

std::string PointwiseActivation::describe() const {
    std::ostringstream s;
    s << m_type << "(";
    switch (m_kind) {
    case Activation::ELU: s << "alpha=" << m_params.alpha; break;
    case Activation::Softplus: s << "beta=" << m_params.beta << ", threshold=" << m_params.threshold; break;
    case Activation::Hardtanh: s << "min_val=" << m_params.min_val << ", max_val=" << m_params.max_val; break;
    default: break;
    }
    s << ")";
    return s.str();
}

}  // namespace nnstudio::nn
