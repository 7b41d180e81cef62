// CPU losses: value and dL/dinput in one pass, accumulated in double, in sample order.
#include "backend/cpu/cpu_backend.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace nnstudio {

namespace {

double class_weight(const ClassLossDesc& d, int64_t c) { return d.weight ? static_cast<double>(d.weight[c]) : 1.0; }

// BCE's per-position vectors: none (1), one value, or one per position of the last dimension.
double broadcast(const float* v, int64_t size, int64_t c) {
    return !v ? 1.0 : size == 1 ? static_cast<double>(v[0]) : static_cast<double>(v[c]);
}

}  // namespace

// ATen's LossNLL.cpp (cross_entropy_loss_label_smoothing): how weights, ignore_index and the
// smoothing combine.
void CpuBackend::cross_entropy_loss(const ClassLossDesc& d) {
    const int64_t batch = d.batch, classes = d.classes;
    const double eps = d.label_smoothing;
    std::fill(d.grad, d.grad + batch * classes, 0.0f);
    // Pass 1: sums. The smoothing term is normalised by the same D as the NLL term
    // (Σ target-class weights), which is what ATen does for mean reduction with weights.
    double nll = 0, smooth = 0, denom = 0;
    thread_local std::vector<double> lse, dlogp;
    lse.resize(static_cast<size_t>(batch));
    dlogp.resize(static_cast<size_t>(classes));
    for (int64_t i = 0; i < batch; ++i) {
        const float* x = d.input + i * classes;
        double mx = -std::numeric_limits<double>::infinity();
        for (int64_t c = 0; c < classes; ++c) mx = std::max(mx, double(x[c]));
        double s = 0;
        for (int64_t c = 0; c < classes; ++c) s += std::exp(x[c] - mx);
        lse[size_t(i)] = mx + std::log(s);
        const auto t = static_cast<int64_t>(d.target[i]);
        if (t == d.ignore_index) continue;
        nll += -class_weight(d, t) * (x[t] - lse[size_t(i)]);
        denom += class_weight(d, t);
        if (eps > 0)
            for (int64_t c = 0; c < classes; ++c) smooth += -class_weight(d, c) * (x[c] - lse[size_t(i)]);
    }
    const double D = d.reduction == LossReduction::Mean ? denom : 1.0;
    // All rows ignored under mean: 0/0, NaN as in PyTorch; the gradient stays zero.
    *d.value = (1 - eps) * nll / D + (eps / double(classes)) * smooth / D;
    if (D == 0) return;

    // Pass 2: g = dL/dlog p, then through log_softmax: dL/dx_c = g_c - p_c Σ_k g_k.
    for (int64_t i = 0; i < batch; ++i) {
        const auto t = static_cast<int64_t>(d.target[i]);
        if (t == d.ignore_index) continue;
        const float* x = d.input + i * classes;
        float* gx = d.grad + i * classes;
        double gsum = 0;
        for (int64_t c = 0; c < classes; ++c) {
            dlogp[size_t(c)] = -((c == t ? (1 - eps) * class_weight(d, t) : 0.0) + eps / double(classes) * class_weight(d, c)) / D;
            gsum += dlogp[size_t(c)];
        }
        for (int64_t c = 0; c < classes; ++c) {
            const double p = std::exp(x[c] - lse[size_t(i)]);
            gx[c] = static_cast<float>(dlogp[size_t(c)] - p * gsum);
        }
    }
}

void CpuBackend::nll_loss(const ClassLossDesc& d) {
    const int64_t batch = d.batch, classes = d.classes;
    double sum = 0, denom = 0;
    for (int64_t i = 0; i < batch; ++i) {
        const auto t = static_cast<int64_t>(d.target[i]);
        if (t == d.ignore_index) continue;
        sum += -class_weight(d, t) * d.input[i * classes + t];
        denom += class_weight(d, t);
    }
    const double D = d.reduction == LossReduction::Mean ? denom : 1.0;
    *d.value = sum / D;  // NaN when every row is ignored under mean, as in PyTorch
    std::fill(d.grad, d.grad + batch * classes, 0.0f);
    if (D == 0) return;
    for (int64_t i = 0; i < batch; ++i) {
        const auto t = static_cast<int64_t>(d.target[i]);
        if (t != d.ignore_index) d.grad[i * classes + t] = static_cast<float>(-class_weight(d, t) / D);
    }
}

void CpuBackend::mse_loss(const ElementwiseLossDesc& d) {
    const double scale = d.reduction == LossReduction::Mean ? 1.0 / double(d.n) : 1.0;
    double sum = 0;
    for (int64_t i = 0; i < d.n; ++i) {
        const double diff = double(d.input[i]) - double(d.target[i]);
        sum += diff * diff;
        d.grad[i] = static_cast<float>(2.0 * diff * scale);
    }
    *d.value = sum * scale;
}

void CpuBackend::l1_loss(const ElementwiseLossDesc& d) {
    const double scale = d.reduction == LossReduction::Mean ? 1.0 / double(d.n) : 1.0;
    double sum = 0;
    for (int64_t i = 0; i < d.n; ++i) {
        const double diff = double(d.input[i]) - double(d.target[i]);
        sum += std::fabs(diff);
        d.grad[i] = static_cast<float>(((diff > 0) - (diff < 0)) * scale);
    }
    *d.value = sum * scale;
}

// ATen's overflow-free form: with m = max(-x, 0) and lw = 1 + (pos_weight - 1)·t,
// l = w·[(1 - t)·x + lw·(log(e^-m + e^(-x-m)) + m)],  dl/dx = w·(lw·σ(x) - pos_weight·t).
void CpuBackend::bce_with_logits_loss(const ElementwiseLossDesc& d) {
    const double scale = d.reduction == LossReduction::Mean ? 1.0 / double(d.n) : 1.0;
    const int64_t last = std::max<int64_t>(d.last_dim, 1);
    double sum = 0;
    for (int64_t i = 0; i < d.n; ++i) {
        const int64_t c = i % last;
        const double x = d.input[i], t = d.target[i];
        const double w = broadcast(d.weight, d.weight_size, c), pw = broadcast(d.pos_weight, d.pos_weight_size, c);
        const double m = std::max(-x, 0.0);
        const double lw = 1.0 + (pw - 1.0) * t;
        sum += w * ((1 - t) * x + lw * (std::log(std::exp(-m) + std::exp(-x - m)) + m));
        const double sig = x >= 0 ? 1.0 / (1.0 + std::exp(-x)) : std::exp(x) / (1.0 + std::exp(x));
        d.grad[i] = static_cast<float>(w * (lw * sig - pw * t) * scale);
    }
    *d.value = sum * scale;
}

}  // namespace nnstudio
