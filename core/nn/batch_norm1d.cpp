// BatchNorm1d forward (train/eval) and backward, with PyTorch's running-stat update rules.
#include "nn/batch_norm1d.h"

#include "error.h"

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

Tensor BatchNorm1d::forward(const Tensor& x) {
    if (x.dim() != 2 || x.size(1) != m_features)
        throw ShapeError("BatchNorm1d(" + std::to_string(m_features) + ") expects input (batch, " +
                         std::to_string(m_features) + "), got " + shape_to_string(x.shape()));
    const int64_t n = x.size(0), c = m_features;
    ConstMatrixMap X = x.matrix();
    Tensor y(x.shape());
    MatrixMap Y = y.matrix();
    m_used_batch_stats = uses_batch_stats();
    m_invstd.resize({c});
    if (m_used_batch_stats) {
        if (is_training() && n <= 1)
            throw ShapeError("BatchNorm1d in train mode got a batch of " + std::to_string(n) +
                             " sample: expected more than 1 value per channel when training (as PyTorch). "
                             "Use a batch size of at least 2, or call eval() for inference on single samples");
        m_batch_mean.resize({c});
        m_batch_var.resize({c});
        for (int64_t j = 0; j < c; ++j) {
            double mean = 0.0;
            for (int64_t i = 0; i < n; ++i) mean += X(i, j);
            mean /= static_cast<double>(n);
            double var = 0.0;
            for (int64_t i = 0; i < n; ++i) var += (X(i, j) - mean) * (X(i, j) - mean);
            var /= static_cast<double>(n);  // biased: used to normalise
            m_batch_mean[j] = static_cast<float>(mean);
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
                                                      momentum * m_batch_var[j] * unbias);
            }
        }
    } else {
        for (int64_t j = 0; j < c; ++j)
            m_invstd[j] = static_cast<float>(1.0 / std::sqrt(static_cast<double>(m_running_var[j]) + m_options.eps));
    }
    const Tensor& mean = m_used_batch_stats ? m_batch_mean : m_running_mean;
    const bool save = grad_enabled();
    if (save) m_xhat.resize(x.shape());
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < c; ++j) {
            const float xhat = (X(i, j) - mean[j]) * m_invstd[j];
            if (save) m_xhat.data()[i * c + j] = xhat;
            Y(i, j) = m_options.affine ? xhat * m_weight.value[j] + m_bias.value[j] : xhat;
        }
    return y;
}

Tensor BatchNorm1d::backward(const Tensor& grad_out) {
    const int64_t n = grad_out.size(0), c = m_features;
    ConstMatrixMap G = grad_out.matrix();
    ConstMatrixMap XH(m_xhat.data(), n, c);
    Tensor gx(grad_out.shape());
    MatrixMap GX = gx.matrix();
    for (int64_t j = 0; j < c; ++j) {
        double sum_g = 0.0, sum_g_xhat = 0.0;
        for (int64_t i = 0; i < n; ++i) {
            sum_g += G(i, j);
            sum_g_xhat += static_cast<double>(G(i, j)) * XH(i, j);
        }
        if (m_options.affine) {
            m_weight.grad[j] += static_cast<float>(sum_g_xhat);
            m_bias.grad[j] += static_cast<float>(sum_g);
        }
        const double gamma = m_options.affine ? m_weight.value[j] : 1.0;
        const double k = gamma * m_invstd[j];
        if (m_used_batch_stats) {
            // dx = gamma*invstd/N * (N*g - sum(g) - xhat*sum(g*xhat))
            const double inv_n = 1.0 / static_cast<double>(n);
            for (int64_t i = 0; i < n; ++i)
                GX(i, j) = static_cast<float>(k * (G(i, j) - sum_g * inv_n - XH(i, j) * sum_g_xhat * inv_n));
        } else {
            for (int64_t i = 0; i < n; ++i) GX(i, j) = static_cast<float>(k * G(i, j));
        }
    }
    return gx;
}

}  // namespace nnstudio::nn
