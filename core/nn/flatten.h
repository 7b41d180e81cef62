// Flatten: merges dims start_dim..end_dim, as torch.nn.Flatten (defaults 1, -1).
#pragma once
#include "nn/module.h"

namespace nnstudio::nn {

class Flatten : public Module {
public:
    Flatten(int64_t start_dim = 1, int64_t end_dim = -1) : m_start(start_dim), m_end(end_dim) {}
    std::string type() const override { return "Flatten"; }
    std::string describe() const override;
    Shape output_shape(const Shape& in) const override;  // per sample
    const Tensor& forward(const Tensor& x) override;
    const Tensor& backward(const Tensor& grad_out) override;
    int64_t start_dim() const { return m_start; }
    int64_t end_dim() const { return m_end; }

private:
    Shape flattened(const Shape& full) const;  // full shape including batch
    int64_t m_start, m_end;
    Shape m_input_shape;
};

}  // namespace nnstudio::nn
