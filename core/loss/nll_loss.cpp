// NLLLoss forward and gradient (accumulated in double).
#include "loss/nll_loss.h"

namespace nnstudio::loss {

NLLLoss::NLLLoss(NllOptions options) : m_options(std::move(options)) {}

LossResult NLLLoss::compute(const Tensor& input, const Tensor& target) const {
    const std::vector<int64_t> y = detail::class_targets(name(), input, target, m_options.ignore_index);
    const int64_t batch = input.size(0), classes = input.size(1);
    detail::check_class_weight(name(), m_options.weight, classes);
    const auto w = [&](int64_t c) { return m_options.weight.empty() ? 1.0 : m_options.weight[size_t(c)]; };

    double sum = 0, denom = 0;
    for (int64_t i = 0; i < batch; ++i) {
        const int64_t t = y[size_t(i)];
        if (t == m_options.ignore_index) continue;
        sum += -w(t) * input[i * classes + t];
        denom += w(t);
    }
    const double d = m_options.reduction == Reduction::Mean ? denom : 1.0;
    LossResult r;
    r.value = sum / d;  // NaN when every row is ignored under mean, as in PyTorch
    r.grad = Tensor(input.shape(), 0.0f);
    if (d == 0) return r;
    for (int64_t i = 0; i < batch; ++i) {
        const int64_t t = y[size_t(i)];
        if (t != m_options.ignore_index) r.grad[i * classes + t] = static_cast<float>(-w(t) / d);
    }
    return r;
}

}  // namespace nnstudio::loss
