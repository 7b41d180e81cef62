// BCEWithLogitsLoss forward and gradient in ATen's overflow-free form (accumulated in double).
#include "loss/bce_with_logits_loss.h"

#include "error.h"

#include <cmath>

namespace nnstudio::loss {

BCEWithLogitsLoss::BCEWithLogitsLoss(BceWithLogitsOptions options) : m_options(std::move(options)) {}

namespace {
// A per-class vector broadcast over the last dimension: 1 value, or one per position.
void check_broadcast(const std::string& what, const std::vector<double>& v, const Tensor& input) {
    const int64_t last = input.dim() == 0 ? 1 : input.size(-1);
    if (v.size() > 1 && static_cast<int64_t>(v.size()) != last)
        throw ShapeError("BCEWithLogitsLoss: " + what + " has " + std::to_string(v.size()) +
                         " entries but the input's last dimension is " + std::to_string(last) +
                         "; give one value per output (or a single value)");
}
}  // namespace

LossResult BCEWithLogitsLoss::compute(const Tensor& input, const Tensor& target) const {
    detail::check_same_shape(name(), input, target);
    check_broadcast("weight", m_options.weight, input);
    check_broadcast("pos_weight", m_options.pos_weight, input);
    const int64_t last = input.dim() == 0 ? 1 : input.size(-1);
    const auto pick = [](const std::vector<double>& v, int64_t c) {
        return v.empty() ? 1.0 : v.size() == 1 ? v[0] : v[size_t(c)];
    };
    const double scale = m_options.reduction == Reduction::Mean ? 1.0 / double(input.numel()) : 1.0;
    LossResult r;
    r.grad = Tensor(input.shape());
    double sum = 0;
    for (int64_t i = 0; i < input.numel(); ++i) {
        const int64_t c = i % last;
        const double x = input[i], t = target[i];
        const double w = pick(m_options.weight, c), pw = pick(m_options.pos_weight, c);
        const double m = std::max(-x, 0.0);
        const double lw = 1.0 + (pw - 1.0) * t;
        sum += w * ((1 - t) * x + lw * (std::log(std::exp(-m) + std::exp(-x - m)) + m));
        const double sig = x >= 0 ? 1.0 / (1.0 + std::exp(-x)) : std::exp(x) / (1.0 + std::exp(x));
        r.grad[i] = static_cast<float>(w * (lw * sig - pw * t) * scale);
    }
    r.value = sum * scale;
    return r;
}

}  // namespace nnstudio::loss
