// CrossEntropyLoss forward and gradient in double, following ATen's LossNLL.cpp
// (cross_entropy_loss_label_smoothing) for how weights, ignore_index and smoothing combine.
#include "loss/cross_entropy_loss.h"

#include "error.h"

#include <cmath>
#include <limits>

namespace nnstudio::loss {

CrossEntropyLoss::CrossEntropyLoss(CrossEntropyOptions options) : m_options(std::move(options)) {
    if (m_options.label_smoothing < 0 || m_options.label_smoothing > 1)
        throw Error("CrossEntropyLoss: label_smoothing must be between 0 and 1");
}

LossResult CrossEntropyLoss::compute(const Tensor& input, const Tensor& target) const {
    const std::vector<int64_t> y = detail::class_targets(name(), input, target, m_options.ignore_index);
    const int64_t batch = input.size(0), classes = input.size(1);
    detail::check_class_weight(name(), m_options.weight, classes);
    const auto w = [&](int64_t c) { return m_options.weight.empty() ? 1.0 : m_options.weight[size_t(c)]; };
    const double eps = m_options.label_smoothing;

    LossResult r;
    r.grad = Tensor(input.shape(), 0.0f);
    // Pass 1: sums. The smoothing term is normalised by the same D as the NLL term
    // (Σ target-class weights), which is what ATen does for mean reduction with weights.
    double nll = 0, smooth = 0, denom = 0;
    std::vector<double> dlogp(static_cast<size_t>(classes));
    std::vector<double> lse(static_cast<size_t>(batch));
    for (int64_t i = 0; i < batch; ++i) {
        const float* x = input.data() + i * classes;
        double mx = -std::numeric_limits<double>::infinity();
        for (int64_t c = 0; c < classes; ++c) mx = std::max(mx, double(x[c]));
        double s = 0;
        for (int64_t c = 0; c < classes; ++c) s += std::exp(x[c] - mx);
        lse[size_t(i)] = mx + std::log(s);
        if (y[size_t(i)] == m_options.ignore_index) continue;
        const int64_t t = y[size_t(i)];
        nll += -w(t) * (x[t] - lse[size_t(i)]);
        denom += w(t);
        if (eps > 0)
            for (int64_t c = 0; c < classes; ++c) smooth += -w(c) * (x[c] - lse[size_t(i)]);
    }
    const double d = m_options.reduction == Reduction::Mean ? denom : 1.0;
    // All rows ignored under mean: 0/0, NaN as in PyTorch; the gradient stays zero.
    r.value = (1 - eps) * nll / d + (eps / double(classes)) * smooth / d;
    if (d == 0) return r;

    // Pass 2: g = dL/dlog p, then through log_softmax: dL/dx_c = g_c - p_c Σ_k g_k.
    for (int64_t i = 0; i < batch; ++i) {
        const int64_t t = y[size_t(i)];
        if (t == m_options.ignore_index) continue;
        const float* x = input.data() + i * classes;
        float* gx = r.grad.data() + i * classes;
        double gsum = 0;
        for (int64_t c = 0; c < classes; ++c) {
            dlogp[size_t(c)] = -((c == t ? (1 - eps) * w(t) : 0.0) + eps / double(classes) * w(c)) / d;
            gsum += dlogp[size_t(c)];
        }
        for (int64_t c = 0; c < classes; ++c) {
            const double p = std::exp(x[c] - lse[size_t(i)]);
            gx[c] = static_cast<float>(dlogp[size_t(c)] - p * gsum);
        }
    }
    return r;
}

}  // namespace nnstudio::loss
