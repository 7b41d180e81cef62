// BatchNorm1d forward (train/eval) and backward, with PyTorch's running-stat update rules.
#include "nn/batch_norm1d.h"

#include "error.h"
#include "util/thread_team.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace nnstudio::nn {

BatchNorm1d::BatchNorm1d(int64_t num_features, BatchNormOptions options)
    : m_features(num_features), m_options(options) {
    if (num_features <= 0) throw ShapeError("BatchNorm1d needs num_features > 0");
    if (options.eps <= 0) throw SpecError("BatchNorm1d eps must be > 0");
    if (options.affine) {
        m_weight = {"weight", Tensor({num_features}), Tensor({num_features})};
        m_bias = {"bias", Tensor({num_features}), Tensor({num_features})};
        register_parameter(&m_weight);
        register_parameter(&m_bias);
    }
    if (options.track_running_stats) {
        m_running_mean = Tensor({num_features});
        m_running_var = Tensor({num_features});
        register_buffer({"running_mean", &m_running_mean, nullptr});
        register_buffer({"running_var", &m_running_var, nullptr});
        register_buffer({"num_batches_tracked", nullptr, &m_num_batches_tracked});
    }
    reset_parameters();
}

void BatchNorm1d::reset_parameters() {
    if (m_options.affine) {
        m_weight.value.fill(1.f);
        m_bias.value.fill(0.f);
    }
    if (m_options.track_running_stats) {
        m_running_mean.fill(0.f);
        m_running_var.fill(1.f);
        m_num_batches_tracked = 0;
    }
}

std::string BatchNorm1d::describe() const {
    std::ostringstream s;
    s << "BatchNorm1d(" << m_features << ", eps=" << m_options.eps << ", momentum=";
    if (m_options.momentum) s << *m_options.momentum; else s << "None";
    s << ", affine=" << (m_options.affine ? "True" : "False")
      << ", track_running_stats=" << (m_options.track_running_stats ? "True" : "False") << ")";
    return s.str();
}

Shape BatchNorm1d::output_shape(const Shape& in) const {
    if (in.size() != 1 || in[0] != m_features)
        throw ShapeError("BatchNorm1d(" + std::to_string(m_features) + ") expects (batch, " +
                         std::to_string(m_features) + ") inputs, got per-sample shape " + shape_to_string(in));
    return in;
}

namespace {

// Statistics are summed per block of kStatRows rows (in double) and the blocks then added in
// order: a fixed split, so the numbers do not depend on how many threads computed the blocks.
constexpr int64_t kStatRows = 16;

int64_t stat_blocks(int64_t n) { return (n + kStatRows - 1) / kStatRows; }

// Calls fn(first_row, end_row) over [0, n) in whole stat blocks, spread over the ThreadTeam when
// there is enough work (the same row halves the Linear layers' GEMMs use).
template <typename Fn>
void for_row_ranges(int64_t n, int64_t c, Fn&& fn) {
    const int64_t min_rows = std::max<int64_t>(kStatRows, ThreadTeam::kMinElementsPerThread / std::max<int64_t>(c, 1));
    ThreadTeam::instance().parallel_for(n, min_rows, kStatRows, std::forward<Fn>(fn));
}

// out[j] = sum over blocks b of partial[b * c + j], in block order.
void add_blocks(const double* partial, int64_t blocks, int64_t c, std::vector<double>& out) {
    out.assign(static_cast<size_t>(c), 0.0);
    for (int64_t b = 0; b < blocks; ++b) {
        const double* p = partial + b * c;
        for (int64_t j = 0; j < c; ++j) out[j] += p[j];
    }
}

}  // namespace

const Tensor& BatchNorm1d::forward(const Tensor& x) {
    if (x.dim() != 2 || x.size(1) != m_features)
        throw ShapeError("BatchNorm1d(" + std::to_string(m_features) + ") expects input (batch, " +
                         std::to_string(m_features) + "), got " + shape_to_string(x.shape()));
    const int64_t n = x.size(0), c = m_features;
    const bool record = grad_enabled();
    const bool batch_stats = uses_batch_stats();
    Tensor& y = output_buffer();
    y.resize(x.shape());
    m_invstd.resize({c});
    if (batch_stats) {
        // PyTorch's F.batch_norm checks whenever batch statistics are used ("training" there is
        // train mode or track_running_stats=False), so eval mode without running stats raises too.
        if (n <= 1)
            throw ShapeError("Expected more than 1 value per channel when training, got input size torch.Size([" +
                             std::to_string(n) + ", " + std::to_string(c) + "]): BatchNorm1d " +
                             (is_training() ? "in train mode" : "with track_running_stats=False (even in eval mode)") +
                             " normalises with the batch's own statistics, which one sample does not have. " +
                             (is_training() ? "Use a batch size of at least 2, or call eval() for inference on single samples"
                                            : "Use batches of at least 2, or track_running_stats=True for single-sample inference"));
        // Two passes with per-feature double accumulators: the mean, then the centred squares.
        const int64_t blocks = stat_blocks(n);
        const float* xd = x.data();
        m_partial.assign(static_cast<size_t>(blocks * c), 0.0);
        for_row_ranges(n, c, [&](int64_t r0, int64_t r1) {
            for (int64_t i = r0; i < r1; ++i) {
                const float* __restrict row = xd + i * c;
                double* __restrict acc = m_partial.data() + (i / kStatRows) * c;
                for (int64_t j = 0; j < c; ++j) acc[j] += row[j];
            }
        });
        add_blocks(m_partial.data(), blocks, c, m_sum);
        m_batch_mean.resize({c});
        m_batch_var.resize({c});
        for (int64_t j = 0; j < c; ++j) m_batch_mean[j] = static_cast<float>(m_sum[j] / static_cast<double>(n));
        const float* mean = m_batch_mean.data();
        m_partial.assign(static_cast<size_t>(blocks * c), 0.0);
        for_row_ranges(n, c, [&](int64_t r0, int64_t r1) {
            for (int64_t i = r0; i < r1; ++i) {
                const float* __restrict row = xd + i * c;
                double* __restrict acc = m_partial.data() + (i / kStatRows) * c;
                for (int64_t j = 0; j < c; ++j) {
                    const double d = static_cast<double>(row[j]) - mean[j];
                    acc[j] += d * d;
                }
            }
        });
        add_blocks(m_partial.data(), blocks, c, m_sum2);
        for (int64_t j = 0; j < c; ++j) {
            const double var = m_sum2[j] / static_cast<double>(n);  // biased: used to normalise
            m_batch_var[j] = static_cast<float>(var);
            m_invstd[j] = static_cast<float>(1.0 / std::sqrt(var + m_options.eps));
        }
        if (is_training() && m_options.track_running_stats) {
            ++m_num_batches_tracked;
            const double momentum = m_options.momentum ? *m_options.momentum
                                                       : 1.0 / static_cast<double>(m_num_batches_tracked);
            const double unbias = static_cast<double>(n) / static_cast<double>(n - 1);
            for (int64_t j = 0; j < c; ++j) {
                m_running_mean[j] = static_cast<float>((1.0 - momentum) * m_running_mean[j] + momentum * m_batch_mean[j]);
                m_running_var[j] = static_cast<float>((1.0 - momentum) * m_running_var[j] +
                                                      momentum * (m_sum2[j] / static_cast<double>(n)) * unbias);
            }
        }
    } else {
        for (int64_t j = 0; j < c; ++j)
            m_invstd[j] = static_cast<float>(1.0 / std::sqrt(static_cast<double>(m_running_var[j]) + m_options.eps));
    }
    if (record) {
        m_used_batch_stats = batch_stats;
        m_xhat.resize(x.shape());
    }
    const float* mean = (batch_stats ? m_batch_mean : m_running_mean).data();
    const float* invstd = m_invstd.data();
    const float* gamma = m_options.affine ? m_weight.value.data() : nullptr;
    const float* beta = m_options.affine ? m_bias.value.data() : nullptr;
    const float* xd = x.data();
    float* yd = y.data();
    float* xhat_d = record ? m_xhat.data() : nullptr;
    for_row_ranges(n, c, [&](int64_t r0, int64_t r1) {
        for (int64_t i = r0; i < r1; ++i) {
            const float* __restrict row = xd + i * c;
            float* __restrict out = yd + i * c;
            float* __restrict xhat = xhat_d ? xhat_d + i * c : nullptr;
            for (int64_t j = 0; j < c; ++j) {
                const float h = (row[j] - mean[j]) * invstd[j];
                if (xhat) xhat[j] = h;
                out[j] = gamma ? h * gamma[j] + beta[j] : h;
            }
        }
    });
    return y;
}

const Tensor& BatchNorm1d::backward(const Tensor& grad_out) {
    const int64_t n = grad_out.size(0), c = m_features;
    if (m_xhat.shape() != grad_out.shape())
        throw Error("BatchNorm1d.backward() called without a matching forward pass that recorded gradients");
    // Per feature: sum(g) and sum(g * xhat), in stat blocks (the second half of m_partial).
    const int64_t blocks = stat_blocks(n);
    const float* gd = grad_out.data();
    const float* hd = m_xhat.data();
    m_partial.assign(static_cast<size_t>(2 * blocks * c), 0.0);
    for_row_ranges(n, c, [&](int64_t r0, int64_t r1) {
        for (int64_t i = r0; i < r1; ++i) {
            const float* __restrict g = gd + i * c;
            const float* __restrict h = hd + i * c;
            double* __restrict sum_g = m_partial.data() + (i / kStatRows) * c;
            double* __restrict sum_gh = sum_g + blocks * c;
            for (int64_t j = 0; j < c; ++j) {
                sum_g[j] += g[j];
                sum_gh[j] += static_cast<double>(g[j]) * h[j];
            }
        }
    });
    add_blocks(m_partial.data(), blocks, c, m_sum);
    add_blocks(m_partial.data() + blocks * c, blocks, c, m_sum2);
    // dx = gamma*invstd * (g - mean(g) - xhat*mean(g*xhat)) with batch statistics; gamma*invstd*g otherwise.
    const double inv_n = 1.0 / static_cast<double>(n);
    m_scale.resize({c});
    for (int64_t j = 0; j < c; ++j) {
        if (m_options.affine) {
            m_weight.grad[j] += static_cast<float>(m_sum2[j]);
            m_bias.grad[j] += static_cast<float>(m_sum[j]);
        }
        const double gamma = m_options.affine ? m_weight.value[j] : 1.0;
        m_scale[j] = static_cast<float>(gamma * m_invstd[j]);
        m_sum[j] *= inv_n;
        m_sum2[j] *= inv_n;
    }
    Tensor& gx = grad_input_buffer();
    gx.resize(grad_out.shape());
    const float* scale = m_scale.data();
    const double* mean_g = m_sum.data();
    const double* mean_gh = m_sum2.data();
    float* dd = gx.data();
    const bool batch_stats = m_used_batch_stats;
    for_row_ranges(n, c, [&](int64_t r0, int64_t r1) {
        for (int64_t i = r0; i < r1; ++i) {
            const float* __restrict g = gd + i * c;
            const float* __restrict h = hd + i * c;
            float* __restrict d = dd + i * c;
            if (batch_stats)
                for (int64_t j = 0; j < c; ++j) d[j] = scale[j] * static_cast<float>(g[j] - mean_g[j] - h[j] * mean_gh[j]);
            else
                for (int64_t j = 0; j < c; ++j) d[j] = scale[j] * g[j];
        }
    });
    return gx;
}

}  // namespace nnstudio::nn
