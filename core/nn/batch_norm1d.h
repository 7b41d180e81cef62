// BatchNorm1d over (B, C) inputs, as torch.nn.BatchNorm1d: normalises with the biased batch
// variance, stores the unbiased one in running_var, counts num_batches_tracked.
#pragma once
#include "nn/module.h"

#include <optional>

namespace nnstudio::nn {

struct BatchNormOptions {
    double eps = 1e-5;
    std::optional<double> momentum = 0.1;  // nullopt: cumulative moving average (momentum=None)
    bool affine = true;
    bool track_running_stats = true;
};

class BatchNorm1d : public Module {
public:
    BatchNorm1d(int64_t num_features, BatchNormOptions options = {});
    std::string type() const override { return "BatchNorm1d"; }
    std::string describe() const override;
    Shape output_shape(const Shape& in) const override;
    const Tensor& forward(const Tensor& x) override;          // x: (B, C)
    const Tensor& backward(const Tensor& grad_out) override;  // grad_out: (B, C)

    int64_t num_features() const { return m_features; }
    const BatchNormOptions& options() const { return m_options; }
    Parameter* weight() { return m_options.affine ? &m_weight : nullptr; }
    Parameter* bias() { return m_options.affine ? &m_bias : nullptr; }
    const Tensor& running_mean() const { return m_running_mean; }
    const Tensor& running_var() const { return m_running_var; }
    int64_t num_batches_tracked() const { return m_num_batches_tracked; }
    void reset_parameters() override;  // weight 1, bias 0, running stats 0/1, counter 0
    // Batch statistics of the last train-mode forward (for teaching views): mean, biased var.
    const Tensor& last_batch_mean() const { return m_batch_mean; }
    const Tensor& last_batch_var() const { return m_batch_var; }

private:
    bool uses_batch_stats() const { return is_training() || !m_options.track_running_stats; }
    int64_t m_features;
    BatchNormOptions m_options;
    Parameter m_weight, m_bias;
    Tensor m_running_mean, m_running_var;
    int64_t m_num_batches_tracked = 0;
    // Saved for backward: normalised input, 1/sqrt(var + eps), batch statistics.
    Tensor m_xhat, m_invstd, m_batch_mean, m_batch_var;
    bool m_used_batch_stats = false;
};

}  // namespace nnstudio::nn
