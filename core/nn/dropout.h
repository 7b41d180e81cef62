// Dropout: in train() zeroes each element with probability p and scales the rest by 1/(1-p);
// in eval() it is the identity, as torch.nn.Dropout.
#pragma once
#include "nn/module.h"
#include "util/random.h"

namespace nnstudio::nn {

class Dropout : public Module {
public:
    explicit Dropout(float p = 0.5f, uint64_t seed = 0);
    std::string type() const override { return "Dropout"; }
    std::string describe() const override;
    Shape output_shape(const Shape& in) const override { return in; }
    const Tensor& forward(const Tensor& x) override;
    const Tensor& backward(const Tensor& grad_out) override;

    float p() const { return m_p; }
    Rng& rng() { return m_rng; }
    // Scaled mask (0 or 1/(1-p)) of the last recorded train forward; empty after an eval one.
    const Tensor& last_mask() const;

private:
    float m_p;
    Rng m_rng;
    Tensor m_mask;   // 0 or 1/(1-p) per element
    Tensor m_scratch_mask;
    bool m_mask_active = false;
};

}  // namespace nnstudio::nn
