// BatchNorm1d forward (train/eval) and backward: PyTorch's rules for which statistics and when
// the running ones update, here; the arithmetic on the backend.
#include "nn/batch_norm1d.h"

#include "error.h"

#include <sstream>

namespace nnstudio::nn {

BatchNorm1d::BatchNorm1d(int64_t num_features, BatchNormOptions options)
    : m_features(num_features), m_options(options) {
    if (num_features <= 0) throw ShapeError("BatchNorm1d needs num_features > 0");
    if (options.eps <= 0) throw SpecError("BatchNorm1d eps must be > 0");
    const Device d = device();
    if (options.affine) {
        m_weight = {"weight", Tensor({num_features}, 0.f, d), Tensor({num_features}, 0.f, d)};
        m_bias = {"bias", Tensor({num_features}, 0.f, d), Tensor({num_features}, 0.f, d)};
        register_parameter(&m_weight);
        register_parameter(&m_bias);
    }
    if (options.track_running_stats) {
        m_running_mean = Tensor({num_features}, 0.f, d);
        m_running_var = Tensor({num_features}, 0.f, d);
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

const Tensor& BatchNorm1d::forward(const Tensor& x) {
    if (x.dim() != 2 || x.size(1) != m_features)
        throw ShapeError("BatchNorm1d(" + std::to_string(m_features) + ") expects input (batch, " +
                         std::to_string(m_features) + "), got " + shape_to_string(x.shape()));
    const int64_t n = x.size(0), c = m_features;
    const bool record = grad_enabled();
    const bool batch_stats = uses_batch_stats();
    Tensor& y = prepare(output_buffer(), x.shape());
    prepare(m_invstd, {c});
    BatchNormDesc d{.n = n, .c = c, .eps = m_options.eps};
    if (batch_stats) {
        if (is_training() && n <= 1)
            throw ShapeError("BatchNorm1d in train mode got a batch of " + std::to_string(n) +
                             " sample: expected more than 1 value per channel when training (as PyTorch). "
                             "Use a batch size of at least 2, or call eval() for inference on single samples");
        prepare(m_batch_mean, {c});
        prepare(m_batch_var, {c});
        const bool update = is_training() && m_options.track_running_stats;
        if (update) {
            ++m_num_batches_tracked;
            d.momentum = m_options.momentum ? *m_options.momentum : 1.0 / static_cast<double>(m_num_batches_tracked);
        }
        backend().batch_norm_statistics(d, x.data(), m_batch_mean.data(), m_batch_var.data(), m_invstd.data(),
                                        update ? m_running_mean.data() : nullptr,
                                        update ? m_running_var.data() : nullptr);
    } else {
        backend().batch_norm_invstd(d, m_running_var.data(), m_invstd.data());
    }
    if (record) {
        m_used_batch_stats = batch_stats;
        prepare(m_xhat, x.shape());
    }
    backend().batch_norm_apply(d, x.data(), (batch_stats ? m_batch_mean : m_running_mean).data(), m_invstd.data(),
                               m_options.affine ? m_weight.value.data() : nullptr,
                               m_options.affine ? m_bias.value.data() : nullptr, y.data(),
                               record ? m_xhat.data() : nullptr);
    return y;
}

const Tensor& BatchNorm1d::backward(const Tensor& grad_out) {
    if (m_xhat.shape() != grad_out.shape())
        throw Error("BatchNorm1d.backward() called without a matching forward pass that recorded gradients");
    const BatchNormDesc d{.n = grad_out.size(0), .c = m_features, .eps = m_options.eps};
    Tensor& gx = prepare(grad_input_buffer(), grad_out.shape());
    backend().batch_norm_backward(d, grad_out.data(), m_xhat.data(), m_invstd.data(),
                                  m_options.affine ? m_weight.value.data() : nullptr, m_used_batch_stats,
                                  m_options.affine ? m_weight.grad.data() : nullptr,
                                  m_options.affine ? m_bias.grad.data() : nullptr, gx.data());
    return gx;
}

}  // namespace nnstudio::nn
