// A test hook for the backend self-check: a Backend that forwards every operation to another one and,
// for one chosen Op, adds `error` to the first element of that operation's output afterwards (a
// deliberately broken kernel). With Op::Copy chosen and error 0 it is an exact wrapper.
#pragma once
#include "backend/backend.h"

namespace nnstudio::test {

class PerturbedBackend final : public Backend {
public:
    PerturbedBackend(Backend& inner, Op broken, float error) : m_in(inner), m_broken(broken), m_error(error) {}

    Device device() const override { return m_in.device(); }
    DeviceInfo info() const override { return m_in.info(); }
    bool supports(Op op, ComputeType type) const override { return m_in.supports(op, type); }

    void* allocate(size_t bytes) override { return m_in.allocate(bytes); }
    void deallocate(void* ptr, size_t bytes) override { m_in.deallocate(ptr, bytes); }
    void copy_from_host(void* dst, const void* src, size_t bytes) override { m_in.copy_from_host(dst, src, bytes); }
    void copy_to_host(void* dst, const void* src, size_t bytes) override { m_in.copy_to_host(dst, src, bytes); }
    void copy(void* dst, const void* src, size_t bytes) override {
        m_in.copy(dst, src, bytes);
        perturb(Op::Copy, static_cast<float*>(dst));
    }
    void synchronize() override { m_in.synchronize(); }

    void fill(float* x, int64_t n, float value) override {
        m_in.fill(x, n, value);
        perturb(Op::Fill, x);
    }
    void add(const float* a, const float* b, float* out, int64_t n) override {
        m_in.add(a, b, out, n);
        perturb(Op::Add, out);
    }
    void mul(const float* a, const float* b, float* out, int64_t n) override {
        m_in.mul(a, b, out, n);
        perturb(Op::Mul, out);
    }
    void gemm(const GemmDesc& g) override {
        m_in.gemm(g);
        perturb(Op::Gemm, g.c);
    }
    void bias_grad(const float* g, int64_t rows, int64_t n, float* db) override {
        m_in.bias_grad(g, rows, n, db);
        perturb(Op::BiasGrad, db);
    }
    void activation_forward(Activation a, const ActivationParams& p, const float* x, float* y, int64_t n) override {
        m_in.activation_forward(a, p, x, y, n);
        perturb(Op::Activation, y);
    }
    void activation_backward(Activation a, const ActivationParams& p, const float* x, const float* y, const float* g,
                             float* dx, int64_t n) override {
        m_in.activation_backward(a, p, x, y, g, dx, n);
        perturb(Op::ActivationBackward, dx);
    }
    void prelu_forward(const float* x, const float* w, int64_t ws, float* y, int64_t o, int64_t c,
                       int64_t i) override {
        m_in.prelu_forward(x, w, ws, y, o, c, i);
        perturb(Op::PReLU, y);
    }
    void prelu_backward(const float* x, const float* w, int64_t ws, const float* g, float* dx, float* dw, int64_t o,
                        int64_t c, int64_t i) override {
        m_in.prelu_backward(x, w, ws, g, dx, dw, o, c, i);
        perturb(Op::PReLUBackward, dx);
    }
    void softmax_forward(const float* x, float* y, int64_t o, int64_t n, int64_t i, bool log) override {
        m_in.softmax_forward(x, y, o, n, i, log);
        perturb(Op::Softmax, y);
    }
    void softmax_backward(const float* y, const float* g, float* dx, int64_t o, int64_t n, int64_t i,
                          bool log) override {
        m_in.softmax_backward(y, g, dx, o, n, i, log);
        perturb(Op::SoftmaxBackward, dx);
    }
    void batch_norm_statistics(const BatchNormDesc& d, const float* x, float* mean, float* var, float* invstd,
                               float* rm, float* rv) override {
        m_in.batch_norm_statistics(d, x, mean, var, invstd, rm, rv);
        perturb(Op::BatchNormStatistics, var);
    }
    void batch_norm_invstd(const BatchNormDesc& d, const float* var, float* invstd) override {
        m_in.batch_norm_invstd(d, var, invstd);
    }
    void batch_norm_apply(const BatchNormDesc& d, const float* x, const float* mean, const float* invstd,
                          const float* gamma, const float* beta, float* y, float* xhat) override {
        m_in.batch_norm_apply(d, x, mean, invstd, gamma, beta, y, xhat);
        perturb(Op::BatchNormApply, y);
    }
    void batch_norm_backward(const BatchNormDesc& d, const float* g, const float* xhat, const float* invstd,
                             const float* gamma, bool batch_stats, float* dgamma, float* dbeta, float* dx) override {
        m_in.batch_norm_backward(d, g, xhat, invstd, gamma, batch_stats, dgamma, dbeta, dx);
        perturb(Op::BatchNormBackward, dx);
    }
    void layer_norm_forward(const float* x, int64_t rows, int64_t width, double eps, const float* gamma,
                            const float* beta, float* y, float* xhat, float* invstd) override {
        m_in.layer_norm_forward(x, rows, width, eps, gamma, beta, y, xhat, invstd);
        perturb(Op::LayerNorm, y);
    }
    void layer_norm_backward(const float* g, const float* xhat, const float* invstd, int64_t rows, int64_t width,
                             const float* gamma, float* dgamma, float* dbeta, float* dx) override {
        m_in.layer_norm_backward(g, xhat, invstd, rows, width, gamma, dgamma, dbeta, dx);
        perturb(Op::LayerNormBackward, dx);
    }
    void dropout_forward(uint64_t key, float p, const float* x, float* y, float* mask, int64_t n) override {
        m_in.dropout_forward(key, p, x, y, mask, n);
        perturb(Op::Dropout, mask);
    }
    void cross_entropy_loss(const ClassLossDesc& d) override {
        m_in.cross_entropy_loss(d);
        perturb(Op::CrossEntropyLoss, d.grad);
    }
    void nll_loss(const ClassLossDesc& d) override {
        m_in.nll_loss(d);
        perturb(Op::NllLoss, d.grad);
    }
    void mse_loss(const ElementwiseLossDesc& d) override {
        m_in.mse_loss(d);
        perturb(Op::MseLoss, d.grad);
    }
    void l1_loss(const ElementwiseLossDesc& d) override {
        m_in.l1_loss(d);
        perturb(Op::L1Loss, d.grad);
    }
    void bce_with_logits_loss(const ElementwiseLossDesc& d) override {
        m_in.bce_with_logits_loss(d);
        perturb(Op::BceWithLogitsLoss, d.grad);
    }
    void moments(const float* x, int64_t n, double* out) override {
        m_in.moments(x, n, out);
        if (m_broken != Op::Moments) return;
        double v[2];
        m_in.copy_to_host(v, out, sizeof v);
        v[1] += m_error;
        m_in.copy_from_host(out, v, sizeof v);
    }
    void sgd_step(const SgdStepDesc& d, const ParamSlot* params, int64_t count) override {
        m_in.sgd_step(d, params, count);
        if (count > 0) perturb(Op::SgdStep, params[0].value);
    }
    void adam_step(const AdamStepDesc& d, const ParamSlot* params, int64_t count) override {
        m_in.adam_step(d, params, count);
        if (count > 0) perturb(Op::AdamStep, params[0].value);
    }

private:
    // Adds m_error to p[0] (through the inner backend's copies, so any device works).
    void perturb(Op op, float* p) {
        if (op != m_broken || !p || m_error == 0.f) return;
        float v = 0.f;
        m_in.copy_to_host(&v, p, sizeof v);
        v += m_error;
        m_in.copy_from_host(p, &v, sizeof v);
    }

    Backend& m_in;
    Op m_broken;
    float m_error;
};

}  // namespace nnstudio::test
