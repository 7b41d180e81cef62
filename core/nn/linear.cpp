// Linear forward/backward: shape checks here, the GEMMs (bias fused) on the module's backend.
#include "nn/linear.h"

#include "error.h"

namespace nnstudio::nn {

Linear::Linear(int64_t in_features, int64_t out_features, bool bias)
    : m_in(in_features), m_out(out_features), m_has_bias(bias) {
    if (in_features <= 0 || out_features <= 0)
        throw ShapeError("Linear needs positive in_features and out_features (got " +
                         std::to_string(in_features) + ", " + std::to_string(out_features) + ")");
    const Device d = device();
    m_weight = {"weight", Tensor({out_features, in_features}, 0.f, d), Tensor({out_features, in_features}, 0.f, d)};
    register_parameter(&m_weight);
    if (bias) {
        m_bias = {"bias", Tensor({out_features}, 0.f, d), Tensor({out_features}, 0.f, d)};
        register_parameter(&m_bias);
    }
}

std::string Linear::describe() const {
    return "Linear(in_features=" + std::to_string(m_in) + ", out_features=" + std::to_string(m_out) +
           ", bias=" + (m_has_bias ? "True" : "False") + ")";
}

Shape Linear::output_shape(const Shape& in) const {
    if (in.empty() || in.back() != m_in)
        throw ShapeError("Linear expects inputs whose last dimension is in_features=" +
                         std::to_string(m_in) + ", got per-sample shape " + shape_to_string(in));
    Shape out = in;
    out.back() = m_out;
    return out;
}

const Tensor& Linear::forward(const Tensor& x) {
    if (x.dim() < 1 || x.shape().back() != m_in)
        throw ShapeError("Linear(" + std::to_string(m_in) + " -> " + std::to_string(m_out) +
                         ") got input of shape " + shape_to_string(x.shape()));
    const int64_t rows = x.numel() / m_in;
    Tensor& y = output_buffer();
    y.resize_with_last(x.shape(), m_out, device());
    // Y (rows x out) = X (rows x in) . W^T + b, W stored (out x in).
    backend().gemm({.trans_a = false, .trans_b = true, .m = rows, .n = m_out, .k = m_in, .a = x.data(), .lda = m_in,
                    .b = m_weight.value.data(), .ldb = m_in, .beta = 0.f, .c = y.data(), .ldc = m_out,
                    .bias = m_has_bias ? m_bias.value.data() : nullptr});
    if (grad_enabled()) m_input = &x;
    return y;
}

const Tensor& Linear::backward(const Tensor& grad_out) {
    if (!m_input) throw Error("Linear.backward() called without a forward pass that recorded gradients");
    const int64_t rows = m_input->numel() / m_in;
    // dW (out x in) += G^T (out x rows) . X (rows x in)
    backend().gemm({.trans_a = true, .trans_b = false, .m = m_out, .n = m_in, .k = rows, .a = grad_out.data(),
                    .lda = m_out, .b = m_input->data(), .ldb = m_in, .beta = 1.f, .c = m_weight.grad.data(), .ldc = m_in});
    if (m_has_bias) backend().bias_grad(grad_out.data(), rows, m_out, m_bias.grad.data());
    if (!input_needs_grad()) return no_input_grad();
    Tensor& gx = prepare(grad_input_buffer(), m_input->shape());
    // dX (rows x in) = G (rows x out) . W (out x in)
    backend().gemm({.trans_a = false, .trans_b = false, .m = rows, .n = m_in, .k = m_out, .a = grad_out.data(),
                    .lda = m_out, .b = m_weight.value.data(), .ldb = m_in, .beta = 0.f, .c = gx.data(), .ldc = m_in});
    return gx;
}

}  // namespace nnstudio::nn
