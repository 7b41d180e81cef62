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
    // Y (rows x out) = X (rows x in) . W^T, W stored (out x in); the bias added per finished block.
    const GemmArgs product{false, true, rows, m_out, m_in, x.data(), m_in, m_weight.value.data(), m_in, 0.f, y.data(), m_out};
    if (m_has_bias) {
        const float* bias = m_bias.value.data();
        parallel_gemm(product, [bias](const GemmArgs& block, int64_t, int64_t c0) {
            const float* __restrict b = bias + c0;
            for (int64_t r = 0; r < block.m; ++r) {
                float* __restrict row = block.c + r * block.ldc;
                for (int64_t j = 0; j < block.n; ++j) row[j] += b[j];
            }
        });
    } else {
        parallel_gemm(product);
    }
    if (grad_enabled()) m_input = &x;
    return y;
}

const Tensor& Linear::backward(const Tensor& grad_out) {
    if (!m_input) throw Error("Linear.backward() called without a forward pass that recorded gradients");
    const int64_t rows = m_input->numel() / m_in;
    // dW (out x in) += G^T (out x rows) . X (rows x in)
    parallel_gemm({true, false, m_out, m_in, rows, grad_out.data(), m_out, m_input->data(), m_in, 1.f,
                   m_weight.grad.data(), m_in});
    if (m_has_bias)
        VectorMap(m_bias.grad.data(), m_out) += ConstMatrixMap(grad_out.data(), rows, m_out).colwise().sum().transpose();
    if (!input_needs_grad()) return no_input_grad();
    Tensor& gx = grad_input_buffer();
    gx.resize(m_input->shape());
    // dX (rows x in) = G (rows x out) . W (out x in)
    parallel_gemm({false, false, rows, m_in, m_out, grad_out.data(), m_out, m_weight.value.data(), m_in, 0.f,
                   gx.data(), m_in});
    return gx;
}

}  // namespace nnstudio::nn
