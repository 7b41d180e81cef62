// The backend self-check: each operation class on both backends, compared (see the header).
#include "backend/self_check.h"

#include "error.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <random>

namespace nnstudio {
namespace {

// One device buffer on one backend, returned to its pool on destruction.
template <typename T>
class Buffer {
public:
    Buffer(Backend& b, size_t count) : m_b(b), m_count(count), m_ptr(static_cast<T*>(b.allocate(count * sizeof(T)))) {}
    ~Buffer() { m_b.deallocate(m_ptr, m_count * sizeof(T)); }
    Buffer(const Buffer&) = delete;
    Buffer& operator=(const Buffer&) = delete;
    T* get() const { return m_ptr; }
    void write(const std::vector<T>& host) { m_b.copy_from_host(m_ptr, host.data(), m_count * sizeof(T)); }
    std::vector<T> read() const {
        std::vector<T> host(m_count);
        m_b.copy_to_host(host.data(), m_ptr, m_count * sizeof(T));
        return host;
    }

private:
    Backend& m_b;
    size_t m_count;
    T* m_ptr;
};

// The same values on the candidate (c) and the reference (r).
template <typename T>
struct Twin {
    Twin(Backend& cand, Backend& ref, const std::vector<T>& host) : c(cand, host.size()), r(ref, host.size()) {
        c.write(host);
        r.write(host);
    }
    Buffer<T> c, r;
};
using TwinF = Twin<float>;
using TwinD = Twin<double>;

struct Tolerance {
    double atol, rtol;
};

class Checker {
public:
    Checker(Backend& cand, Backend& ref) : cand(cand), ref(ref) {}

    Backend& cand;
    Backend& ref;
    std::mt19937_64 rng{20240613};
    std::vector<SelfCheckFailure> failures;

    bool wants(Op op) { return cand.supports(op, ComputeType::Float32) && ref.supports(op, ComputeType::Float32); }

    std::vector<float> normal(size_t n, float scale = 1.f) {
        std::normal_distribution<float> d(0.f, scale);
        std::vector<float> v(n);
        for (float& x : v) x = d(rng);
        return v;
    }
    std::vector<float> uniform(size_t n, float lo, float hi) {
        std::uniform_real_distribution<float> d(lo, hi);
        std::vector<float> v(n);
        for (float& x : v) x = d(rng);
        return v;
    }
    std::vector<float> classes(size_t n, int64_t count) {
        std::uniform_int_distribution<int64_t> d(0, count - 1);
        std::vector<float> v(n);
        for (float& x : v) x = static_cast<float>(d(rng));
        return v;
    }

    template <typename T>
    void compare(const std::string& what, const Twin<T>& t, Tolerance tol) {
        compare_values(what, t.c.read(), t.r.read(), tol);
    }

    template <typename T>
    void compare_values(const std::string& what, const std::vector<T>& got, const std::vector<T>& want, Tolerance tol) {
        double worst = 0;
        size_t at = 0;
        bool bad = false;
        for (size_t i = 0; i < want.size(); ++i) {
            const double g = got[i], w = want[i];
            if (std::isnan(g) != std::isnan(w) || std::isinf(g) != std::isinf(w) || (std::isinf(w) && g != w)) {
                bad = true;
                at = i;
                worst = INFINITY;
                break;
            }
            if (std::isnan(w) || std::isinf(w)) continue;
            const double excess = std::fabs(g - w) - (tol.atol + tol.rtol * std::fabs(w));
            if (excess > 0 && (!bad || excess > worst)) {
                bad = true;
                worst = excess;
                at = i;
            }
        }
        if (!bad) return;
        char text[256];
        std::snprintf(text, sizeof text, "at [%zu]: %.9g vs the reference's %.9g (tolerance %g + %g*|ref|)", at,
                      static_cast<double>(got[at]), static_cast<double>(want[at]), tol.atol, tol.rtol);
        failures.push_back({what, text});
    }
};

constexpr Tolerance exact{0, 0};
constexpr Tolerance elementwise{1e-6, 1e-6};
constexpr Tolerance transcendental{1e-5, 1e-4};
constexpr Tolerance accumulated{1e-4, 1e-4};  // sums over up to ~100 terms in another order

void check_basics(Checker& k) {
    const int64_t n = 1001;
    if (k.wants(Op::Fill)) {
        TwinF x(k.cand, k.ref, k.normal(n));
        k.cand.fill(x.c.get(), n, 0.375f);
        k.ref.fill(x.r.get(), n, 0.375f);
        k.compare("Fill", x, exact);
    }
    TwinF a(k.cand, k.ref, k.normal(n)), b(k.cand, k.ref, k.normal(n));
    if (k.wants(Op::Add)) {
        TwinF out(k.cand, k.ref, std::vector<float>(n));
        k.cand.add(a.c.get(), b.c.get(), out.c.get(), n);
        k.ref.add(a.r.get(), b.r.get(), out.r.get(), n);
        k.compare("Add", out, elementwise);
    }
    if (k.wants(Op::Mul)) {
        TwinF out(k.cand, k.ref, std::vector<float>(n));
        k.cand.mul(a.c.get(), b.c.get(), out.c.get(), n);
        k.ref.mul(a.r.get(), b.r.get(), out.r.get(), n);
        k.compare("Mul", out, elementwise);
    }
    if (k.wants(Op::Copy)) {
        TwinF out(k.cand, k.ref, std::vector<float>(n));
        k.cand.copy(out.c.get(), a.c.get(), n * sizeof(float));
        k.ref.copy(out.r.get(), a.r.get(), n * sizeof(float));
        k.compare("Copy", out, exact);
    }
}

void check_gemm(Checker& k) {
    if (!k.wants(Op::Gemm)) return;
    struct Case {
        bool ta, tb;
        int64_t m, n, k;
        float beta;
        bool bias;
        Activation act;
    };
    const Case cases[] = {{false, false, 7, 5, 9, 0.f, false, Activation::Identity},
                          {false, true, 33, 17, 65, 0.f, true, Activation::ReLU},
                          {true, false, 16, 24, 40, 1.f, false, Activation::Identity},
                          {true, true, 9, 11, 13, 1.f, true, Activation::GELU},
                          {false, true, 64, 48, 96, 0.f, true, Activation::Tanh}};
    for (const Case& c : cases) {
        const int64_t a_rows = c.ta ? c.k : c.m, a_cols = c.ta ? c.m : c.k;
        const int64_t b_rows = c.tb ? c.n : c.k, b_cols = c.tb ? c.k : c.n;
        TwinF a(k.cand, k.ref, k.normal(a_rows * a_cols)), b(k.cand, k.ref, k.normal(b_rows * b_cols));
        TwinF out(k.cand, k.ref, k.normal(c.m * c.n)), bias(k.cand, k.ref, k.normal(c.n));
        GemmDesc g;
        g.trans_a = c.ta;
        g.trans_b = c.tb;
        g.m = c.m;
        g.n = c.n;
        g.k = c.k;
        g.lda = a_cols;
        g.ldb = b_cols;
        g.ldc = c.n;
        g.beta = c.beta;
        g.activation = c.act;
        GemmDesc gc = g, gr = g;
        gc.a = a.c.get(), gc.b = b.c.get(), gc.c = out.c.get(), gc.bias = c.bias ? bias.c.get() : nullptr;
        gr.a = a.r.get(), gr.b = b.r.get(), gr.c = out.r.get(), gr.bias = c.bias ? bias.r.get() : nullptr;
        k.cand.gemm(gc);
        k.ref.gemm(gr);
        k.compare("Gemm (" + std::string(c.ta ? "Aᵀ" : "A") + "·" + (c.tb ? "Bᵀ" : "B") + ", m=" +
                      std::to_string(c.m) + " n=" + std::to_string(c.n) + " k=" + std::to_string(c.k) +
                      (c.bias ? ", bias" : "") + ", " + activation_name(c.act) + ")",
                  out, accumulated);
    }
    if (k.wants(Op::BiasGrad)) {
        const int64_t rows = 37, n = 19;
        TwinF g(k.cand, k.ref, k.normal(rows * n)), db(k.cand, k.ref, k.normal(n));
        k.cand.bias_grad(g.c.get(), rows, n, db.c.get());
        k.ref.bias_grad(g.r.get(), rows, n, db.r.get());
        k.compare("BiasGrad", db, accumulated);
    }
}

void check_activations(Checker& k) {
    const int64_t n = 515;
    const Activation all[] = {Activation::Identity, Activation::ReLU, Activation::LeakyReLU, Activation::GELU,
                              Activation::Sigmoid,  Activation::Tanh, Activation::ELU,       Activation::SELU,
                              Activation::SiLU,     Activation::Mish, Activation::Softplus,  Activation::Hardtanh};
    TwinF x(k.cand, k.ref, k.normal(n, 3.f)), g(k.cand, k.ref, k.normal(n));
    for (const Activation a : all) {
        for (const bool variant : {false, true}) {
            ActivationParams p;
            p.alpha = variant ? 0.2 : 1.0;
            p.approximate_tanh = variant;
            p.beta = variant ? 2.0 : 1.0;
            p.threshold = variant ? 3.0 : 20.0;
            p.min_val = variant ? -0.5 : -1.0;
            p.max_val = variant ? 2.0 : 1.0;
            const std::string name = activation_name(a) + (variant ? " (second parameters)" : "");
            TwinF y(k.cand, k.ref, std::vector<float>(n)), dx(k.cand, k.ref, std::vector<float>(n));
            if (k.wants(Op::Activation)) {
                k.cand.activation_forward(a, p, x.c.get(), y.c.get(), n);
                k.ref.activation_forward(a, p, x.r.get(), y.r.get(), n);
                k.compare("Activation " + name, y, transcendental);
            }
            if (k.wants(Op::ActivationBackward)) {
                // Both sides get the reference's forward output, so only the backward is compared.
                y.c.write(y.r.read());
                k.cand.activation_backward(a, p, x.c.get(), y.c.get(), g.c.get(), dx.c.get(), n);
                k.ref.activation_backward(a, p, x.r.get(), y.r.get(), g.r.get(), dx.r.get(), n);
                k.compare("ActivationBackward " + name, dx, transcendental);
            }
        }
    }
    for (const int64_t weight_size : {int64_t(1), int64_t(3)}) {
        const int64_t outer = 5, channels = 3, inner = 4, total = outer * channels * inner;
        const std::string name = " (" + std::to_string(weight_size) + " weight" + (weight_size > 1 ? "s)" : ")");
        TwinF px(k.cand, k.ref, k.normal(total)), w(k.cand, k.ref, k.uniform(weight_size, 0.f, 0.5f));
        TwinF y(k.cand, k.ref, std::vector<float>(total)), pg(k.cand, k.ref, k.normal(total));
        TwinF dx(k.cand, k.ref, std::vector<float>(total)), dw(k.cand, k.ref, k.normal(weight_size));
        if (k.wants(Op::PReLU)) {
            k.cand.prelu_forward(px.c.get(), w.c.get(), weight_size, y.c.get(), outer, channels, inner);
            k.ref.prelu_forward(px.r.get(), w.r.get(), weight_size, y.r.get(), outer, channels, inner);
            k.compare("PReLU" + name, y, elementwise);
        }
        if (k.wants(Op::PReLUBackward)) {
            k.cand.prelu_backward(px.c.get(), w.c.get(), weight_size, pg.c.get(), dx.c.get(), dw.c.get(), outer,
                                  channels, inner);
            k.ref.prelu_backward(px.r.get(), w.r.get(), weight_size, pg.r.get(), dx.r.get(), dw.r.get(), outer,
                                 channels, inner);
            k.compare("PReLUBackward dx" + name, dx, elementwise);
            k.compare("PReLUBackward dweight" + name, dw, accumulated);
        }
    }
}

void check_softmax(Checker& k) {
    const int64_t outer = 3, n = 10, inner = 2, total = outer * n * inner;
    TwinF x(k.cand, k.ref, k.normal(total, 2.f)), g(k.cand, k.ref, k.normal(total));
    for (const bool log : {false, true}) {
        const std::string name = log ? " (log_softmax)" : " (softmax)";
        TwinF y(k.cand, k.ref, std::vector<float>(total)), dx(k.cand, k.ref, std::vector<float>(total));
        if (k.wants(Op::Softmax)) {
            k.cand.softmax_forward(x.c.get(), y.c.get(), outer, n, inner, log);
            k.ref.softmax_forward(x.r.get(), y.r.get(), outer, n, inner, log);
            k.compare("Softmax" + name, y, transcendental);
        }
        if (k.wants(Op::SoftmaxBackward)) {
            y.c.write(y.r.read());
            k.cand.softmax_backward(y.c.get(), g.c.get(), dx.c.get(), outer, n, inner, log);
            k.ref.softmax_backward(y.r.get(), g.r.get(), dx.r.get(), outer, n, inner, log);
            k.compare("SoftmaxBackward" + name, dx, transcendental);
        }
    }
}

void check_batch_norm(Checker& k) {
    BatchNormDesc d;
    d.n = 37;
    d.c = 45;
    d.eps = 1e-5;
    d.momentum = 0.1;
    const int64_t total = d.n * d.c;
    TwinF x(k.cand, k.ref, k.normal(total, 2.f)), mean(k.cand, k.ref, std::vector<float>(d.c)),
        var(k.cand, k.ref, std::vector<float>(d.c)), invstd(k.cand, k.ref, std::vector<float>(d.c));
    if (k.wants(Op::BatchNormStatistics)) {
        TwinF rm(k.cand, k.ref, k.normal(d.c)), rv(k.cand, k.ref, k.uniform(d.c, 0.5f, 2.f));
        k.cand.batch_norm_statistics(d, x.c.get(), mean.c.get(), var.c.get(), invstd.c.get(), rm.c.get(), rv.c.get());
        k.ref.batch_norm_statistics(d, x.r.get(), mean.r.get(), var.r.get(), invstd.r.get(), rm.r.get(), rv.r.get());
        k.compare("BatchNormStatistics mean", mean, accumulated);
        k.compare("BatchNormStatistics var", var, accumulated);
        k.compare("BatchNormStatistics invstd", invstd, accumulated);
        k.compare("BatchNormStatistics running_mean", rm, accumulated);
        k.compare("BatchNormStatistics running_var", rv, accumulated);
        mean.c.write(mean.r.read());
        invstd.c.write(invstd.r.read());
    } else {
        mean.c.write(k.normal(d.c));
        mean.r.write(mean.c.read());
        invstd.c.write(k.uniform(d.c, 0.5f, 2.f));
        invstd.r.write(invstd.c.read());
    }
    {  // eval mode: invstd from stored variances
        TwinF stored(k.cand, k.ref, k.uniform(d.c, 0.5f, 2.f)), eval_invstd(k.cand, k.ref, std::vector<float>(d.c));
        k.cand.batch_norm_invstd(d, stored.c.get(), eval_invstd.c.get());
        k.ref.batch_norm_invstd(d, stored.r.get(), eval_invstd.r.get());
        k.compare("BatchNormApply invstd (running statistics)", eval_invstd, elementwise);
    }
    TwinF gamma(k.cand, k.ref, k.uniform(d.c, 0.5f, 1.5f)), beta(k.cand, k.ref, k.normal(d.c));
    TwinF y(k.cand, k.ref, std::vector<float>(total)), xhat(k.cand, k.ref, std::vector<float>(total));
    if (k.wants(Op::BatchNormApply)) {
        k.cand.batch_norm_apply(d, x.c.get(), mean.c.get(), invstd.c.get(), gamma.c.get(), beta.c.get(), y.c.get(),
                                xhat.c.get());
        k.ref.batch_norm_apply(d, x.r.get(), mean.r.get(), invstd.r.get(), gamma.r.get(), beta.r.get(), y.r.get(),
                               xhat.r.get());
        k.compare("BatchNormApply y", y, transcendental);
        k.compare("BatchNormApply xhat", xhat, transcendental);
    }
    if (!k.wants(Op::BatchNormBackward)) return;
    xhat.c.write(xhat.r.read());
    TwinF g(k.cand, k.ref, k.normal(total));
    for (const bool batch_stats : {true, false}) {
        const std::string name = batch_stats ? " (batch statistics)" : " (running statistics)";
        TwinF dx(k.cand, k.ref, std::vector<float>(total)), dgamma(k.cand, k.ref, k.normal(d.c)),
            dbeta(k.cand, k.ref, k.normal(d.c));
        k.cand.batch_norm_backward(d, g.c.get(), xhat.c.get(), invstd.c.get(), gamma.c.get(), batch_stats,
                                   dgamma.c.get(), dbeta.c.get(), dx.c.get());
        k.ref.batch_norm_backward(d, g.r.get(), xhat.r.get(), invstd.r.get(), gamma.r.get(), batch_stats,
                                  dgamma.r.get(), dbeta.r.get(), dx.r.get());
        k.compare("BatchNormBackward dx" + name, dx, accumulated);
        k.compare("BatchNormBackward dgamma" + name, dgamma, accumulated);
        k.compare("BatchNormBackward dbeta" + name, dbeta, accumulated);
    }
}

void check_layer_norm(Checker& k) {
    const int64_t rows = 13, width = 70, total = rows * width;
    TwinF x(k.cand, k.ref, k.normal(total, 2.f)), gamma(k.cand, k.ref, k.uniform(width, 0.5f, 1.5f)),
        beta(k.cand, k.ref, k.normal(width));
    TwinF y(k.cand, k.ref, std::vector<float>(total)), xhat(k.cand, k.ref, std::vector<float>(total)),
        invstd(k.cand, k.ref, std::vector<float>(rows));
    if (k.wants(Op::LayerNorm)) {
        k.cand.layer_norm_forward(x.c.get(), rows, width, 1e-5, gamma.c.get(), beta.c.get(), y.c.get(), xhat.c.get(),
                                  invstd.c.get());
        k.ref.layer_norm_forward(x.r.get(), rows, width, 1e-5, gamma.r.get(), beta.r.get(), y.r.get(), xhat.r.get(),
                                 invstd.r.get());
        k.compare("LayerNorm y", y, transcendental);
        k.compare("LayerNorm xhat", xhat, transcendental);
        k.compare("LayerNorm invstd", invstd, transcendental);
    }
    if (!k.wants(Op::LayerNormBackward)) return;
    if (!k.wants(Op::LayerNorm)) {
        xhat.r.write(k.normal(total));
        invstd.r.write(k.uniform(rows, 0.5f, 2.f));
    }
    xhat.c.write(xhat.r.read());
    invstd.c.write(invstd.r.read());
    TwinF g(k.cand, k.ref, k.normal(total)), dx(k.cand, k.ref, std::vector<float>(total)),
        dgamma(k.cand, k.ref, k.normal(width)), dbeta(k.cand, k.ref, k.normal(width));
    k.cand.layer_norm_backward(g.c.get(), xhat.c.get(), invstd.c.get(), rows, width, gamma.c.get(), dgamma.c.get(),
                               dbeta.c.get(), dx.c.get());
    k.ref.layer_norm_backward(g.r.get(), xhat.r.get(), invstd.r.get(), rows, width, gamma.r.get(), dgamma.r.get(),
                              dbeta.r.get(), dx.r.get());
    k.compare("LayerNormBackward dx", dx, accumulated);
    k.compare("LayerNormBackward dgamma", dgamma, accumulated);
    k.compare("LayerNormBackward dbeta", dbeta, accumulated);
}

void check_dropout(Checker& k) {
    if (!k.wants(Op::Dropout)) return;
    const int64_t n = 1001;  // odd: the last pair has one element
    TwinF x(k.cand, k.ref, k.normal(n));
    for (const float p : {0.2f, 0.5f, 1.f}) {
        TwinF y(k.cand, k.ref, std::vector<float>(n)), mask(k.cand, k.ref, std::vector<float>(n));
        k.cand.dropout_forward(0x1234abcdull, p, x.c.get(), y.c.get(), mask.c.get(), n);
        k.ref.dropout_forward(0x1234abcdull, p, x.r.get(), y.r.get(), mask.r.get(), n);
        const std::string name = "Dropout (p=" + std::to_string(p).substr(0, 3) + ")";
        k.compare(name + " mask", mask, exact);
        k.compare(name + " y", y, exact);
    }
}

void check_class_losses(Checker& k) {
    const int64_t batch = 23, classes = 7;
    std::vector<float> target = k.classes(batch, classes);
    target[4] = -100.f;  // one ignored row
    TwinF logits(k.cand, k.ref, k.normal(batch * classes, 2.f)), t(k.cand, k.ref, target),
        weight(k.cand, k.ref, k.uniform(classes, 0.5f, 2.f));
    struct Case {
        bool cross_entropy, weighted;
        double smoothing;
        LossReduction reduction;
    };
    const Case cases[] = {{true, false, 0.0, LossReduction::Mean}, {true, true, 0.1, LossReduction::Mean},
                          {true, false, 0.2, LossReduction::Sum},  {false, false, 0.0, LossReduction::Mean},
                          {false, true, 0.0, LossReduction::Sum}};
    for (const Case& c : cases) {
        if (!k.wants(c.cross_entropy ? Op::CrossEntropyLoss : Op::NllLoss)) continue;
        TwinD value(k.cand, k.ref, std::vector<double>(1));
        TwinF grad(k.cand, k.ref, std::vector<float>(batch * classes));
        ClassLossDesc d;
        d.batch = batch;
        d.classes = classes;
        d.label_smoothing = c.smoothing;
        d.reduction = c.reduction;
        ClassLossDesc dc = d, dr = d;
        dc.input = logits.c.get(), dc.target = t.c.get(), dc.weight = c.weighted ? weight.c.get() : nullptr;
        dc.value = value.c.get(), dc.grad = grad.c.get();
        dr.input = logits.r.get(), dr.target = t.r.get(), dr.weight = c.weighted ? weight.r.get() : nullptr;
        dr.value = value.r.get(), dr.grad = grad.r.get();
        if (c.cross_entropy) {
            k.cand.cross_entropy_loss(dc);
            k.ref.cross_entropy_loss(dr);
        } else {
            k.cand.nll_loss(dc);
            k.ref.nll_loss(dr);
        }
        const std::string name = std::string(c.cross_entropy ? "CrossEntropyLoss" : "NllLoss") +
                                 (c.weighted ? " (weight" : " (") + (c.smoothing > 0 ? ", label_smoothing" : "") +
                                 (c.reduction == LossReduction::Mean ? ", mean)" : ", sum)");
        k.compare(name + " value", value, transcendental);
        k.compare(name + " grad", grad, transcendental);
    }
}

void check_elementwise_losses(Checker& k) {
    const int64_t rows = 17, last = 6, n = rows * last;
    TwinF x(k.cand, k.ref, k.normal(n, 2.f)), target(k.cand, k.ref, k.normal(n)),
        probs(k.cand, k.ref, k.uniform(n, 0.f, 1.f)), weight(k.cand, k.ref, k.uniform(last, 0.5f, 2.f)),
        pos_weight(k.cand, k.ref, k.uniform(last, 0.5f, 3.f));
    const Op ops[] = {Op::MseLoss, Op::L1Loss, Op::BceWithLogitsLoss, Op::BceWithLogitsLoss};
    for (int i = 0; i < 4; ++i) {
        if (!k.wants(ops[i])) continue;
        const bool weighted_bce = i == 3;
        for (const LossReduction reduction : {LossReduction::Mean, LossReduction::Sum}) {
            TwinD value(k.cand, k.ref, std::vector<double>(1));
            TwinF grad(k.cand, k.ref, std::vector<float>(n));
            ElementwiseLossDesc d;
            d.n = n;
            d.last_dim = last;
            d.reduction = reduction;
            ElementwiseLossDesc dc = d, dr = d;
            const bool bce = ops[i] == Op::BceWithLogitsLoss;
            dc.input = x.c.get(), dc.target = bce ? probs.c.get() : target.c.get();
            dc.value = value.c.get(), dc.grad = grad.c.get();
            dr.input = x.r.get(), dr.target = bce ? probs.r.get() : target.r.get();
            dr.value = value.r.get(), dr.grad = grad.r.get();
            if (weighted_bce) {
                dc.weight = weight.c.get(), dr.weight = weight.r.get();
                dc.pos_weight = pos_weight.c.get(), dr.pos_weight = pos_weight.r.get();
                dc.weight_size = dr.weight_size = dc.pos_weight_size = dr.pos_weight_size = last;
            }
            if (ops[i] == Op::MseLoss) {
                k.cand.mse_loss(dc);
                k.ref.mse_loss(dr);
            } else if (ops[i] == Op::L1Loss) {
                k.cand.l1_loss(dc);
                k.ref.l1_loss(dr);
            } else {
                k.cand.bce_with_logits_loss(dc);
                k.ref.bce_with_logits_loss(dr);
            }
            const std::string name = op_name(ops[i]) + (weighted_bce ? " (weight, pos_weight" : " (") +
                                     (reduction == LossReduction::Mean ? ", mean)" : ", sum)");
            k.compare(name + " value", value, transcendental);
            k.compare(name + " grad", grad, transcendental);
        }
    }
}

void check_moments(Checker& k) {
    if (!k.wants(Op::Moments)) return;
    const int64_t n = 3001;
    TwinF x(k.cand, k.ref, k.normal(n, 2.f));
    TwinD out(k.cand, k.ref, std::vector<double>(2));
    k.cand.moments(x.c.get(), n, out.c.get());
    k.ref.moments(x.r.get(), n, out.r.get());
    k.compare("Moments", out, Tolerance{1e-6, 1e-6});  // Σx² of float squares: ~1e-9 relative apart
}

// Two parameter tensors of different sizes, three steps: the update, the state buffers and the
// step-dependent bias corrections are all compared.
void check_optimizers(Checker& k) {
    const int64_t sizes[] = {37, 300};
    for (const bool adam : {false, true}) {
        if (!k.wants(adam ? Op::AdamStep : Op::SgdStep)) continue;
        for (int variant = 0; variant < 2; ++variant) {
            std::vector<std::unique_ptr<TwinF>> bufs;  // value, grad, state0, state1, state2 per slot
            std::vector<ParamSlot> slots_c, slots_r;
            for (const int64_t n : sizes) {
                const size_t first = bufs.size();
                for (int j = 0; j < 5; ++j)
                    bufs.push_back(std::make_unique<TwinF>(k.cand, k.ref, j < 2 ? k.normal(n) : std::vector<float>(n)));
                const auto at = [&](int j) -> TwinF& { return *bufs[first + j]; };
                slots_c.push_back({at(0).c.get(), at(1).c.get(), at(2).c.get(), at(3).c.get(), at(4).c.get(), n});
                slots_r.push_back({at(0).r.get(), at(1).r.get(), at(2).r.get(), at(3).r.get(), at(4).r.get(), n});
            }
            for (int64_t step = 1; step <= 3; ++step) {
                if (adam) {
                    AdamStepDesc d;
                    d.lr = 1e-2;
                    d.weight_decay = variant ? 0.05 : 0.0;
                    d.decoupled_weight_decay = variant == 1;
                    d.amsgrad = variant == 1;
                    d.step = step;
                    k.cand.adam_step(d, slots_c.data(), static_cast<int64_t>(slots_c.size()));
                    k.ref.adam_step(d, slots_r.data(), static_cast<int64_t>(slots_r.size()));
                } else {
                    SgdStepDesc d;
                    d.lr = 0.1;
                    d.momentum = 0.9;
                    d.dampening = variant ? 0.0 : 0.1;
                    d.nesterov = variant == 1;
                    d.weight_decay = variant ? 1e-2 : 0.0;
                    d.first_step = step == 1;
                    k.cand.sgd_step(d, slots_c.data(), static_cast<int64_t>(slots_c.size()));
                    k.ref.sgd_step(d, slots_r.data(), static_cast<int64_t>(slots_r.size()));
                }
            }
            const std::string name = adam ? (variant ? "AdamStep (AdamW, amsgrad)" : "AdamStep")
                                          : (variant ? "SgdStep (nesterov, weight_decay)" : "SgdStep (momentum)");
            for (size_t s = 0; s < slots_c.size(); ++s) {
                k.compare(name + " param " + std::to_string(s), *bufs[5 * s], transcendental);
                k.compare(name + " state0 " + std::to_string(s), *bufs[5 * s + 2], transcendental);
                if (adam) k.compare(name + " state1 " + std::to_string(s), *bufs[5 * s + 3], transcendental);
            }
        }
    }
}

}  // namespace

std::vector<SelfCheckFailure> run_self_check(Backend& candidate, Backend& reference) {
    Checker k(candidate, reference);
    check_basics(k);
    check_gemm(k);
    check_activations(k);
    check_softmax(k);
    check_batch_norm(k);
    check_layer_norm(k);
    check_dropout(k);
    check_class_losses(k);
    check_elementwise_losses(k);
    check_moments(k);
    check_optimizers(k);
    return k.failures;
}

void require_self_check(Backend& candidate, Backend& reference) {
    const std::vector<SelfCheckFailure> failures = run_self_check(candidate, reference);
    if (failures.empty()) return;
    std::string message = candidate.device().str() + " failed its self-check against " + reference.device().str() +
                          ", so it is not used in this process: ";
    for (size_t i = 0; i < failures.size() && i < 5; ++i)
        message += (i ? "; " : "") + failures[i].op + ": " + failures[i].detail;
    if (failures.size() > 5) message += "; and " + std::to_string(failures.size() - 5) + " more";
    throw DeviceError(message);
}

}  // namespace nnstudio
