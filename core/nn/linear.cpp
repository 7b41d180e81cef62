// Linear forward/backward: GEMMs through parallel_gemm (BLAS blocks over the engine's threads).
#include "nn/linear.h"

#include "error.h"
#include "tensor/parallel_gemm.h"

namespace nnstudio::nn {

Linear::Linear(int64_t in_features, int64_t out_features, bool bias)
    : m_in(in_features), m_out(out_features), m_has_bias(bias) {
    if (in_features <= 0 || out_features <= 0)
        throw ShapeError("Linear needs positive in_features and out_features (got " +
                         std::to_string(in_features) + ", " + std::to_string(out_features) + ")");
    m_weight = {"weight", Tensor({out_features, in_features}), Tensor({out_features, in_features})};
    register_parameter(&m_weight);
    if (bias) {
        m_bias = {"bias", Tensor({out_features}), Tensor({out_features})};
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
    y.resize_with_last(x.shape(), m_out);
    ConstMatrixMap X(x.data(), rows, m_in);
    ConstMatrixMap W(m_weight.value.data(), m_out, m_in);
    MatrixMap Y(y.data(), rows, m_out);
    parallel_gemm(Y, X, W.transpose(), GemmUpdate::Assign);
    if (m_has_bias) Y.rowwise() += ConstVectorMap(m_bias.value.data(), m_out).transpose();
    if (grad_enabled()) m_input = &x;
    return y;
}

const Tensor& Linear::backward(const Tensor& grad_out) {
    if (!m_input) throw Error("Linear.backward() called without a forward pass that recorded gradients");
    const int64_t rows = m_input->numel() / m_in;
    ConstMatrixMap G(grad_out.data(), rows, m_out);
    ConstMatrixMap X(m_input->data(), rows, m_in);
    parallel_gemm(MatrixMap(m_weight.grad.data(), m_out, m_in), G.transpose(), X, GemmUpdate::Accumulate);  // dW
    if (m_has_bias) VectorMap(m_bias.grad.data(), m_out) += G.colwise().sum().transpose();
    if (!input_needs_grad()) return no_input_grad();
    Tensor& gx = grad_input_buffer();
    gx.resize(m_input->shape());
    parallel_gemm(MatrixMap(gx.data(), rows, m_in), G, ConstMatrixMap(m_weight.value.data(), m_out, m_in),
                  GemmUpdate::Assign);
    return gx;
}

}  // namespace nnstudio::nn
